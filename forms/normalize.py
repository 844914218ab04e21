"""Normalisers: OCR'd field text to the values of docs/scan-json.md (ISO dates, Nam/Nữ, 12-digit ID numbers, NFC
names with the tone mark on the standard vowel). Each returns None when the text cannot be read as its kind."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

from . import number_words

FIRST_CARDS = 2016  # the year the first cards printing an expiry (the căn cước công dân) were issued
NO_EXPIRY = "Không thời hạn"  # a card of a person over 60 expires never (its zone's expiry: six fillers)
NO_EXPIRY_MIN = 80.0  # folded similarity of "Không" and its next two words to "Không thời hạn" ("Không có ai": 72)
# Tone marks, as combining characters in NFD.
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case without any diacritics (đ → d): what is left of a word when OCR misses its marks. Kept: the
    same words and names are folded again and again, by every label and list compared with them."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def unmarked(text: str) -> str:
    """Letters and digits without marks or case, words one space apart: what two readings of one text share
    whatever marks, case or punctuation OCR gave them."""
    return " ".join(fold(_NOT_WORD.sub(" ", text)).split())


_NOT_WORD = re.compile(r"[^\w\s]")


def spaces(text: str) -> str:
    return " ".join(text.split())


_SYLLABLE_TAIL = re.compile(r"(?i)([oO][aAeE]|[uU][yY])$")


def _move_tone(syllable: str) -> str:
    """Old-style placement, the one on ID cards and civil-status papers: hoà → hòa, thuỷ → thủy, khoẻ → khỏe.

    Only open syllables ending in oa, oe, uy differ between the two styles; "hoàng", "thuyền" do not move.
    """
    d = unicodedata.normalize("NFD", syllable)
    tone = next((c for c in d if c in TONES), None)
    if tone is None:
        return syllable
    bare = "".join(c for c in d if c not in TONES)
    base = nfc(bare)
    if not _SYLLABLE_TAIL.search(base) or (base.lower().startswith("qu") and len(base) <= 3):
        return syllable
    # Put the tone on the second-to-last letter of the syllable.
    letters = list(base)
    i = len(letters) - 2
    letters[i] = nfc(unicodedata.normalize("NFD", letters[i]) + tone)
    return nfc("".join(letters))


UNIT_KINDS = "thành phố|thị xã|thị trấn|tỉnh|quận|huyện|phường|xã"  # of administrative units, spelt out
# A full stop, comma or colon after a unit's kind spelt out, before its name ("thành phố. Hải Phòng", where the line
# wrapped; "Huyện : Hoằng Hóa", "Huyện, Nghi Lộc") is a speck: a kind never stands apart from its name. Not before
# another kind: the first is a name's word misread as a kind ("thành phố Hà Tỉnh, tỉnh …" for Hà Tĩnh).
_STOP_AFTER_KIND = re.compile(rf"(?i)\b({UNIT_KINDS})\s?[.,:;](?=\s+(?!(?:{UNIT_KINDS})\b)\w)")


def _kind_split_by(between: str) -> str:
    """A two-word kind ("Thành phố", "Thị xã", "Thị trấn") with `between` between its words (see _kind_joined)."""
    return rf"(?:([Tt])h[àa]nh{between}(phố)|([Tt])h[ịi]{between}(xã|trấn))\b"


# A kind of two words that a speck split, opening a part ("Quận Ngô Quyền, Thanh, phố Hải Phòng"; "Thị bể trấn",
# a speck at the start of a wrapped line read as a word): no part is named "Thành" alone, and a street ("phố
# Huế") never comes after a unit.
_SPECK_BETWEEN = r"(?:\s?[.,]|(?:\s\S{1,3}){1,2})\s"
_KIND_SPLIT = re.compile(rf"(?:^|(?<=, )){_kind_split_by(_SPECK_BETWEEN)}")
# Anywhere, a mark with spaces both sides ("Bệnh viện Phụ sản Thành , phố Cần Thơ"): a printed comma has none before.
_MARK_BETWEEN = r"\s[.,]\s"
_MARK_IN_KIND = re.compile(rf"(?<!\w){_kind_split_by(_MARK_BETWEEN)}")
# A colon stuck to a word inside a place, another follows ("Bệnh: viện Phụ sản Thanh: Hóa"): a speck; a label's
# colon ends the label, before the place.
_COLON_IN_PLACE = re.compile(r"(?<=[^\W\d_]):(?= [^\W\d_])")
# A full date is never part of a place: a card's issue or expiry date beside its address, read into it ("Thành
# L 09/06/2039. - phố Đà Nẵng"): out first, so that the kind it split is joined again.
DATE_IN_PLACE = re.compile(r"\s*(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?![\d/])")
# A hyphen stuck to the front of a word inside a place ("Trần Hưng -Đạo") is a speck too: printed hyphens join
# two words or stand between spaces ("Phụ sản - Nhi").
_HYPHEN_BEFORE_WORD = re.compile(r"(?<=\s)-(?=[^\W\d_])")
# One before a lower-case word or a unit's kind is OCR's comma, set loose or not ("Thôn Phú Thượng. xã", "Lê Lợi .
# Phường"), as is a comma set loose ("Số 18 , ngõ 35").
_COMMA = re.compile(rf"(?i) ?\.(?= (?:({UNIT_KINDS})\b|(\w)))| ,(?= )")
# Any other mark standing alone between two words is a speck of the paper ("tỉnh Thanh . Hóa", a wrapped line's
# "Vinh, & Tỉnh Nghệ An"), and so is a colon with dashes ("xã Quỳnh Lương, —: huyện"); a dash alone stays ("Phụ
# sản - Nhi").
_SPECK = re.compile(r" (?:[.,'`‘’“”„^~*&]+|[-–—.,;]*:[-–—.,:;]*)(?= )")
# A comma printed, and a speck after it read as one ("Phú Hội, . thành phố") or before it ("ngõ 132., phố").
_COMMAS = re.compile(r"\.?,(?: ?,)+|\.,")
_DASH_AFTER_COMMA = re.compile(r"(?<=,) [.]?[-–—][.]?(?= )")  # and a dash after one ("Trinh, - Phường", ", .— Huyện")
# A dash between a unit's kind and its name is a speck ("Tỉnh - Nghệ An"); between two names it is printed
# ("Bà Rịa - Vũng Tàu"). A semicolon between units is OCR's comma: no address holds one.
_DASH_AFTER_KIND = re.compile(rf"(?i)(?<!\w)((?:{UNIT_KINDS})) [-–—](?= )")
_SEMICOLON = re.compile(r" ?;(?= )")


def _kind_joined(m: re.Match) -> str:
    t, pho, t2, second = m.groups()
    return f"{t}hành {pho}" if t else f"{t2}hị {second}"


def _comma(m: re.Match) -> str:
    kind, first = m.group(1), m.group(2)
    return "," if m.group(0) == " ," or kind or (first and first.islower()) else m.group(0)


# Letters OCR reads for a digit beside another digit: "ngày 0ó tháng 03" (06), "2O24"; "Số 1S" (15), "2l/08" only
# after one: a lot's or a tower's code opens with a letter ("Lô S2").
_DIGIT_BESIDE = {"o": "0", "O": "0", "ó": "6", "S": "5", "l": "1", "!": "1"}
_BESIDE_DIGIT = re.compile(r"(?<=\d)[oOóSl!]|[oOó](?=\d)")  # a 1 read "!" after its digits: "200!"


def digits_beside_digits(text: str) -> str:
    """The text with each letter read for a digit beside a digit made that digit ("2O24", "199ó", "200!")."""
    return _BESIDE_DIGIT.sub(lambda m: _DIGIT_BESIDE[m.group()], text)


# A date's day or month printed as a lone 6 and read "ó" ("ngày 23 tháng ó năm 2025"): no date word is "ó".
_LONE_SIX = re.compile(r"(?<![^\W\d_])ó(?![^\W\d_])")


# A house's or a lane's number with such a letter in it ("ngõ 12ó"): a word of digits and those letters only; or
# such a letter alone as the house's number ("Số ó, ngõ 80").
_NUMBER_WITH_LOOKALIKE = re.compile(r"(?<!\w)(?=[oOó]*\d)[\doOó][\doOóSl]*(?!\w)|(?<=\b[Ss]ố )[oOóSl](?=,)")


def _number(m: re.Match) -> str:
    found = m.group()
    return _DIGIT_BESIDE.get(found, found) if len(found) == 1 else digits_beside_digits(found)


_COMMA_UNSPACED = re.compile(r",(?=[^\W\d_])")  # "Nguyễn Du,phường": OCR lost the space a comma is printed with
# A house's, a lane's or a unit's number OCR ran into the word before it ("Số77", "Tổ7", "ngõ12").
_NUMBERED = r"(?i:số|tổ|ngõ|ngách|hẻm|kiệt|xóm|thôn|khu|ấp|đội|phường|quận)"
_WORD_BEFORE_NUMBER = re.compile(rf"\b({_NUMBERED})(?=\d)")
# A number's first figure read as a letter after such a word: a lone 6 or 5 ("ngõ ó, phố Lê Lợi", "Số s,", "Xóm $",
# "Xóm S," but not the zone "Khu S"), 6s alone ("Số óó," for 66), a 1 before the other figures ("Số I16"). And a
# speck read "%" after a number ("Xóm 5%,").
_FIGURE_AS_LETTER = re.compile(rf"\b({_NUMBERED}) (?:(ó+|[s$]|S(?=,))(?![^\W\d_])|([Il])(?=\d))")
_AS_FIGURE = {**_DIGIT_BESIDE, "s": "5", "$": "5", "I": "1"}
_SPECK_BY_NUMBER = re.compile(r"(?<=\d)%|(?<!\S)\+(?=\d)")  # a speck read "%" after a number, "+" before one
_PLACE_EDGE = " .,:;-“”\"‘’'`"  # a speck read as a quote before a place ("“Thôn Trung, …") is none of it


_BORDER_LETTERS = "IÍÌ"  # what a table cell's left border is read as, before the value in it ("Í Tạ Thị My")
_CONSONANTS = frozenset("bcdghklmnpqrstvx")  # the letters a syllable may open with but vowels (đ folds to d)


def _words_apart(text: str) -> str:
    """Words OCR ran together where it lost the spaces ("TỉnhHàTĩnh", "ĐắkLắk"): no Vietnamese word holds a capital
    after a small letter, so a word is split before each capital consonant that follows one, every piece two
    letters or more. A capital read for a marked vowel ("DiỆp") is no place to split: _one_case mends it."""
    out = []
    for word in text.split(" "):
        cuts = [i for i in range(1, len(word)) if word[i].isupper() and word[i - 1].islower()
                and fold(word[i]) in _CONSONANTS]  # fmt: skip
        pieces = [word[a:b] for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True)]
        out.append(" ".join(pieces) if cuts and all(len(p.strip(",.;")) >= 2 for p in pieces) else word)
    return " ".join(out)


def place(text: str) -> str | None:
    """A place: NFC, single spaces, tone marks placed the old way, case and punctuation as printed."""
    text = _HYPHEN_BEFORE_WORD.sub("", _STOP_AFTER_KIND.sub(r"\1", spaces(DATE_IN_PLACE.sub("", nfc(text)))))
    text = _COLON_IN_PLACE.sub("", text)
    text = _SEMICOLON.sub(",", _DASH_AFTER_KIND.sub(r"\1", text))
    text = _MARK_IN_KIND.sub(_kind_joined, _KIND_SPLIT.sub(_kind_joined, text))
    text = _FIGURE_AS_LETTER.sub(
        lambda m: m.group(1) + " " + "".join(_AS_FIGURE[c] for c in m.group(2) or m.group(3)), text
    )
    text = _WORD_BEFORE_NUMBER.sub(r"\1 ", _SPECK_BY_NUMBER.sub("", text))
    text = _NUMBER_WITH_LOOKALIKE.sub(_number, text)
    text = _COMMAS.sub(",", _SPECK.sub("", _COMMA.sub(_comma, _DASH_AFTER_COMMA.sub("", text)))).strip(_PLACE_EDGE)
    text = _COMMA_UNSPACED.sub(", ", text)
    if not text:
        return None
    words = _words_apart(text).split(" ")
    if len(words) >= 3 and words[0] in _BORDER_LETTERS and words[1][:1].isupper():
        words = words[1:]  # a table cell's left border read as a letter ("Ì Bệnh viện Trung ương Huế")
    return " ".join(_move_tone(_one_case(w)) for w in words)


_NOT_IN_NAMES = re.compile(r"[^\w\s-]|\d|_")


# A word's capital read as the digit it looks like in some fonts ("7rịnh", "8ùi"): names hold no digits.
CAPITAL_OF_DIGIT = {"7": "T", "8": "B", "5": "S", "6": "G", "0": "O"}
_CAPITAL_AS_DIGIT = re.compile(r"(?<![\w])([78560])(?=[^\W\d_]{2})")
# An "L" read as "(" before the small letters of its word ("(âm Đức Trung", "Ngô Thanh (y", "(ương").
_PAREN_BEFORE_WORD = re.compile(r"(?<!\w)\((?=([^\W\d_]+))")
NAME_RUN_TOGETHER = 6  # letters of the shortest one-word reading taken for a name whose spaces OCR lost


def name(text: str) -> str | None:
    """A person's name: as a place, without the stray quotes and specks OCR adds (names hold letters only). A
    name has a surname and a given name: one short word ("L", "li": a speck, a card's other side) is none."""
    text = _CAPITAL_AS_DIGIT.sub(lambda m: CAPITAL_OF_DIGIT[m.group(1)], nfc(text))
    text = _PAREN_BEFORE_WORD.sub(lambda m: "L" if m.group(1)[0].islower() else "(", text)
    out = place(_NOT_IN_NAMES.sub("", text))
    if out is None or (" " not in out and len(out) < NAME_RUN_TOGETHER):
        return None
    words = out.split(" ")
    speck = words[0].islower() or words[0] in _BORDER_LETTERS  # not the "Y" an Ê Đê man's name opens with
    if len(words) >= 3 and len(words[0]) == 1 and speck and words[1][:1].isupper():
        words = words[1:]  # a speck or a cell's border read as a letter before it ("g Tạ Phương Ly")
    return _in_capitals(" ".join(_capitalised(words)))


def _capitalised(words: list[str]) -> list[str]:
    """Every word of a name is printed with its capital: one after the first read in small letters beside two
    words or more that have theirs ("Hồ xuân Vỹ") lost it to OCR. The first is the vocabulary's to mend ("oàng
    Công Thịnh": Hoàng)."""
    titled = sum(w[:1].isupper() and w[1:].islower() for w in words)
    if titled < 2:
        return words
    return [words[0], *(w[:1].upper() + w[1:] if w.isalpha() and w.islower() else w for w in words[1:])]


def _in_capitals(name: str) -> str:
    """A paper sets a name in one case: printed in capitals with one word read with small letters ("Lý NGỌC HẠNH":
    a mark read as a small letter's) it is in capitals; in small letters with one word of marked letters read in
    capitals ("ĐỖ Kim My": its marks read as a capital's, "Lê Hải VY": a y read large) that word has them too.
    "Lê Văn AN" says nothing."""
    words = name.split()
    capitals = [w.isupper() and len(w) > 1 for w in words]
    if sum(capitals) >= 2 and sum(capitals) == len(words) - 1:
        return name.upper()
    titled = sum(w[:1].isupper() and w[1:].islower() for w in words)
    marked = [c and (not w.isascii() or _same_shape(w[1:])) for w, c in zip(words, capitals, strict=True)]
    if sum(capitals) == 1 and any(marked) and titled >= 2 and titled == len(words) - 1:
        return " ".join(w[0] + w[1:].lower() if m else w for w, m in zip(words, marked, strict=True))
    return name


def _same_shape(letters: str) -> bool:
    """Letters whose capitals are their small letters made larger ("VY" for "Vy"): OCR tells them by size alone."""
    return all(c in "COSUVWXYZ" for c in fold(letters).upper())


def _one_case(word: str) -> str:
    """A word of a name or a place is printed in capitals or with a capital first: one that mixes cases after its
    first letter ("DiỆp", "DẦu": a mark read as a capital's) is written with a capital first. Abbreviations with
    their dots ("Q.Bình Thạnh", "TP.HCM") are left as printed."""
    return word[0] + word[1:].lower() if mixed_case(word.rstrip(",.;:")) else word  # "ĐỒng," before a part


def mixed_case(word: str) -> bool:
    """A word of letters with capitals and small letters after its first: no print sets a word so ("ViỆt")."""
    rest = word[1:]
    return word.isalpha() and any(c.islower() for c in rest) and any(c.isupper() for c in rest)


def compare_key(text: str) -> str:
    """What two spellings of one name share: case, spacing and tone placement do not count."""
    return (place(text) or "").lower()  # place(), not name(): dates and numbers are compared too


_DATE_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
# A value that is a date and nothing else, its slashes lost or read as spaces ("05092025", "02 102000", "9 05 1986").
_DATE_UNSPLIT = re.compile(r"(\d{1,2}) ?(\d{2}) ?(\d{4})")
_DATE_EDGE = " .,:;|_-"
# A date that lost one of its two slashes ("2408/1998", "24/081998"): its day and month of two digits each.
_DATE_HALF_SPLIT = (re.compile(r"(?<!\d)(\d{2})(\d{2})\s*[/.\-]\s*(\d{4})(?!\d)"),
                    re.compile(r"(?<!\d)(\d{2})\s*[/.\-]\s*(\d{2})(\d{4})(?!\d)"))  # fmt: skip
_DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})\D{0,3}thang\s*(\d{1,2})\D{0,3}nam\s*(\d{4})")


_SLASHES = str.maketrans({"\u2044": "/", "\u2215": "/", "\uff0f": "/"})
# One of a date's two slashes read as a stroke ("16/07I2022", "16l07/2022"): a day and month of two figures at most,
# a year of four, the other slash read; a 1 only as the second, where a month of three figures cannot be.
_SLASH_AS_STROKE = re.compile(r"\b(\d{1,2})/(\d{2})[Il|1](\d{4})\b|\b(\d{2})[Il|](\d{2})/(\d{4})\b")


def _slash_restored(m: re.Match) -> str:
    return "/".join(g for g in m.groups() if g is not None)


def date(text: str) -> str | None:
    """ISO date from 15/03/2024, 15-03-2024, 15.03.2024 or "ngày 15 tháng 3 năm 2024" (marks optional); a slash
    OCR read as a fraction or division slash ("06⁄06⁄2024") is a slash, and a value of eight digits alone is a
    date whose slashes were lost, as is one that lost one of them ("2408/1998"). A date written out in words is
    read too (forms.number_words)."""
    text = _SLASH_AS_STROKE.sub(_slash_restored, text.translate(_SLASHES))
    text = _LONE_SIX.sub("6", digits_beside_digits(text))
    t = fold(text).replace("o", "0") if re.fullmatch(r"[\d\so/.\-]+", fold(text)) else fold(text)
    m = _DATE_NUMERIC.search(t) or _DATE_WORDS.search(t)
    if not m:
        m = (
            _DATE_UNSPLIT.fullmatch(t.strip(_DATE_EDGE))
            or _DATE_HALF_SPLIT[0].search(t)
            or _DATE_HALF_SPLIT[1].search(t)
        )
        if m and not 1900 <= int(m.group(3)) <= 2100:
            return None  # a date whose slashes were lost is one only with a year of a living person
    if not m:
        return number_words.date(t)  # the date written out ("ghi bằng chữ: Ngày mười tám tháng hai năm …")
    d, mth, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mth, d).isoformat()
    except ValueError:
        return None


def year(text: str) -> str | None:
    """A year of birth, 18xx to 21xx; a 1 read as another digit in its first place ("7985", a face whose 1 has a
    long flag; "4987", one whose flag and foot join) is a 1: no year of a living person starts with 3 to 9. A 6
    read "ó" beside its digits ("199ó") is a 6. A date gives its year."""
    text = digits_beside_digits(text)
    m = re.search(r"\b(1[89]\d\d|20\d\d|21\d\d)\b", text) or re.search(r"\b[3-9]([89]\d\d)\b", text)
    if m is None:  # a whole date where the paper asks for the date of birth ("21071993", its slashes lost)
        return whole[:4] if (whole := date(text)) else None
    return m.group(1) if len(m.group(1)) == 4 else "1" + m.group(1)


def sex(text: str) -> str | None:
    f = fold(spaces(text))
    if re.fullmatch(r"(gioi tinh:?\s*)?nam\.?", f) or f in ("male", "m"):
        return "Nam"
    if re.fullmatch(r"(gioi tinh:?\s*)?nu\.?", f) or f in ("female", "f"):
        return "Nữ"
    return None


# Letters OCR confuses with digits in number fields.
_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1", "S": "5", "B": "8", "ó": "6"}
)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text.translate(_DIGIT_LOOKALIKES))


# A run of digits (or letters OCR mistakes for digits), single spaces, dots, commas (a digit box's side may read as
# one: "0,9,2,3.0,1,5,…") or hyphens between, not inside a word.
_NUMBER_RUN = re.compile(r"(?<![^\W\d_])[0-9OoDIl|SBó](?:[ .,-]?[0-9OoDIl|SBó])*(?![^\W\d_])")
# Digits printed one to a box ("| 0 | 7 | 9 | …"): the boxes' sides are read as bars between them, no digit 1s.
_BOXED = re.compile(r"[|\[\]]?(?:\s*\d\s*[|\[\]]{1,2}){8,}\s*\d\s*[|\[\]]?")


# A speck read as a symbol between two of a number's digits ("0461849159%67").
_SYMBOL_IN_DIGITS = re.compile(r"(?<=\d)[%#*&$@](?=\d)")


def digit_runs(text: str) -> list[str]:
    """The digits of each run of digits in a text (or letters OCR mistakes for digits, separated as id_number
    allows)."""
    return [digits(run) for run in _NUMBER_RUN.findall(_SYMBOL_IN_DIGITS.sub("", text))]


def id_number(text: str) -> str | None:
    """The 12-digit personal ID number (or a 9-digit old CMND number) from a field that may carry spaces, or
    printed a digit to a box."""
    text = _SYMBOL_IN_DIGITS.sub("", _BOXED.sub(lambda m: re.sub(r"\D", "", m.group()), text))
    for run in _NUMBER_RUN.findall(text):
        d = digits(run)
        if len(d) in (9, 12) and sum(c.isdigit() for c in run) >= len(d) // 2:
            # Every 12-digit number opens with a province code 001-096: a first digit other than 0 is misread
            # (a blurred 0 reads 9, 8 or 6).
            return "0" + d[1:] if len(d) == 12 else d
    return None


def grams(text: str) -> str | None:
    """Birth weight in grams: "3.200 gam", "3200g", "3,2 kg" → "3200"; "2.ó50" (a 6 read "ó") → "2650"."""
    f = fold(digits_beside_digits(text))
    m = re.search(r"(\d+(?:[.,]\d+)?)\s*kg", f)
    if m:
        return str(int(round(float(m.group(1).replace(",", ".")) * 1000)))
    m = re.search(r"(\d{1,2}(?:[.,] ?)?\d{3})\s*(g|gam|gr)?\b", f)  # "3. 100 gam": a space after the dot
    if m:
        return digits(m.group(1))
    return None


def expiry(text: str) -> str | None:
    """An expiry date, or "Không thời hạn" (no expiry) as printed on cards of people over 60: its last words a
    letter or two off ("Không thư hạn", "Không thời bạn"), as a blurred card reads them. A date before the cards
    that print one were issued is misread ("z5/01/1035"): none."""
    words = fold(text).split()
    for i, w in enumerate(words):
        if w.strip(".,:;") == "khong" and fuzz.ratio(" ".join(words[i : i + 3]), "khong thoi han") >= NO_EXPIRY_MIN:
            return NO_EXPIRY
    found = date(text)
    return found if found is None or int(found[:4]) >= FIRST_CARDS else None


NORMALISERS = {
    "text": lambda t: spaces(nfc(t)).strip(" .,:;-") or None,
    "name": name,
    "place": place,
    "date": date,
    "year": year,
    "sex": sex,
    "id_number": id_number,
    "grams": grams,
    "expiry": expiry,
}
