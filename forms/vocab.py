"""Vocabularies that tell a misread field from a real one, and correct() which uses them.

Valid Vietnamese syllables are generated from the phonotactics (onsets × rhymes × tones with the spelling rules);
names, ethnic groups, nationalities and relationships are small lists in forms/vocab/; administrative units come
from the `vietnamadminunits` package (the 63 provinces with their districts and wards before 1 July 2025, the 34
provinces and their wards after). Spellings are compared on a key (NFD, lower case, the tone mark after the
syllable) where a wrong tone or diacritic costs one edit. An unlisted value with exactly one listed neighbour at
distance 1 is corrected (among several, the one that differs by its marks alone wins: OCR misreads marks far more than
letters); any other unlisted value is only flagged, so the reviewer looks at it. A listed value is never changed.
A place's units garbled past mending one by one are last read together, as one path of the list (forms.unit_paths).
A name syllable that is a real syllable but not in the (necessarily incomplete) name lists is changed only for a
spelling with the same letters.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache, partial
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from . import unit_paths, word_pairs
from .admin_units import PROVINCE_ALIASES, dataset, unit_rows
from .normalize import CAPITAL_OF_DIGIT, DATE_IN_PLACE, fold, mixed_case

VOCAB_DIR = Path(__file__).parent / "vocab"

# Tone marks as combining characters: huyền, sắc, hỏi, ngã, nặng.
TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_CHECKED_TONES = ("\u0301", "\u0323")  # a syllable ending in p, t, c, ch takes one of these, never another


@dataclass(frozen=True)
class Correction:
    value: str  # the value to keep: the input, or the one listed spelling it was taken for
    changed: bool
    suspicious: bool  # unlisted and not corrected, or a correction unsure of itself: the reviewer should look
    candidates: list[str] = field(default_factory=list)  # listed spellings near what did not match

    @property
    def unmatched(self) -> bool:
        """Neither listed nor corrected: no entry the list has."""
        return self.suspicious and not self.changed


CLOSED_LISTS = ("ethnicity", "nationality")  # lists that hold every value a field of theirs may take


# ---------------------------------------------------------------------------------------------------------------
# Keys: what two spellings of a syllable share when case and the tone mark's placement do not count.


@lru_cache(maxsize=1 << 16)  # as fold: the same syllables keyed again by every list compared with them
def _syllable_key(syllable: str) -> str:
    """Lower-case NFD with the tone mark moved to the end, after a "_": "Hoà", "hòa" → "hoa_\u0300"; "ặ" and "ă"
    differ by one edit. The "_" keeps a tone mark from being swapped for a letter at the cost of one edit."""
    d = unicodedata.normalize("NFD", syllable.lower())
    tones = [c for c in d if c in TONES]
    return "".join(c for c in d if c not in TONES) + "_" + "".join(tones)


def key(text: str) -> str:
    """The key of a phrase: one key per syllable, hyphens read as spaces ("Khơ-me" = "Khơ Me")."""
    return " ".join(_syllable_key(w) for w in text.replace("-", " ").split())


def _recase(listed: str, like: str) -> str:
    """The listed spelling in the case the paper printed: upper-case names stay upper. A reading that starts with
    no letter ("8à nội") lost its first letter's case with it: the listed spelling stands."""
    if like[:1] and not like[0].isalpha():
        return listed
    letters = [c for c in like if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return listed.upper()
    if len(letters) > 1 and all(c.islower() for c in letters):
        return listed.lower()
    return listed


def _near(k: str, choices: list[str]) -> list[str]:
    """The keys in choices at edit distance exactly 1 from k (NFD: a tone or a diacritic costs 1)."""
    hits = process.extract(k, choices, scorer=Levenshtein.distance, score_cutoff=1, limit=None)
    return [c for c, score, _ in hits if score == 1]


# ---------------------------------------------------------------------------------------------------------------
# Syllables


def _spaced(text: str) -> list[str]:
    """A list written as words between spaces: long lists of short strings read better so."""
    return text.split()


_ONSETS = _spaced("b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x")
_OPEN_RHYMES = _spaced("""
a ai ao au ay âu ây e eo ê êu i ia iu iêu o oi ô ôi ơ ơi u ua ui uôi ư ưa ưi ưu ươi ươu y yêu
oa oai oao oay oe oeo uê uêu uơ uy uya uyu uây""")
_CODA_RHYMES = _spaced("""
ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât ec em en eng ep et êch êm ên ênh êp êt
ich im in inh ip it iêc iêm iên iêng iêp iêt oc om on ong op ot ooc oong ôc ôm ôn ông ôp ôt ơm ơn ơp ơt
uc um un ung up ut uôc uôm uôn uông uôt ưc ưm ưn ưng ưt ươc ươm ươn ương ươp ươt yêm yên yêng yêt
oac oach oam oan oang oanh oap oat oăc oăm oăn oăng oăt oen oet uân uâng uât uên uêt uêch uênh uych uyên uyêt uynh
uyp uyt""")
_FRONT = ("e", "ê", "i", "y")  # c, g, ng are spelt k, gh, ngh before these
_MEDIAL = re.compile(r"^(o[aăe]|u[âêơy])")
_VOWELS = set("aăâeêioôơuưy")


def _spellings(onset: str, rhyme: str) -> list[str]:
    """How onset + rhyme is written, or [] when the spelling rules forbid it."""
    medial = bool(_MEDIAL.match(rhyme))
    front = rhyme.startswith(_FRONT)
    if rhyme.startswith("y") and onset and rhyme != "y":
        return []  # yê after a consonant is written iê (tiên, not tyên)
    if rhyme.startswith("iê") and not onset:
        return []  # iê with no onset is written yê (yên)
    if onset == "qu":
        # /kw/: the medial is the u of qu (qua, quê, quyên); plain rhymes only as quốc, qui
        return ["qu" + rhyme[1:]] if medial else (["qu" + rhyme] if rhyme in ("ôc", "i") else [])
    if onset == "gi":
        if medial:
            return []
        return ["gi" + rhyme[1:]] if rhyme.startswith("i") else ["gi" + rhyme]
    if onset in ("c", "g", "ng") and (front or medial and onset == "c"):
        return []
    if onset in ("gh", "ngh") and not front:
        return []  # k stays: Tây Nguyên and northern place names write /k/ as k before any vowel (Đắk Lắk, Kạn)
    return [onset + rhyme]


def _tone_positions(base: str) -> list[int]:
    """Where the tone mark sits in base (NFC, no tone): the old style, and the new one for open oa, oe, uy."""
    start = 2 if re.match(r"^(qu|gi)[aăâeêioôơuưy]", base) else 0
    while start < len(base) and base[start] not in _VOWELS:
        start += 1
    end = start
    while end < len(base) and base[end] in _VOWELS:
        end += 1
    if start == end:
        return []
    nucleus = base[start:end]
    marked = [i for i, c in enumerate(nucleus) if c in "ăâêôơư"]
    if marked:
        return [start + marked[-1]]
    if end < len(base) or len(nucleus) == 1:
        return [end - 1]
    if len(nucleus) == 3:
        return [start + 1]
    if nucleus in ("oa", "oe", "uy"):
        return [start, start + 1]
    return [start]


def _with_tone(base: str, tone: str, at: int) -> str:
    return unicodedata.normalize("NFC", base[: at + 1] + tone + base[at + 1 :])


@cache
def syllables() -> frozenset[str]:
    """Every valid Vietnamese syllable, lower-case NFC, with its tone mark in either placement (hòa and hoà)."""
    found: set[str] = set()
    for rhyme in _OPEN_RHYMES + _CODA_RHYMES:
        checked = rhyme.endswith(("p", "t", "c", "ch"))
        for onset in ["", *_ONSETS]:
            for base in _spellings(onset, rhyme):
                for tone in _CHECKED_TONES if checked else ("", *TONES):
                    found.update(_with_tone(base, tone, at) if tone else base for at in _tone_positions(base))
    return frozenset(found)


def is_syllable(word: str) -> bool:
    return unicodedata.normalize("NFC", word.lower()) in syllables()


# ---------------------------------------------------------------------------------------------------------------
# Lists: each entry one or more spellings (variants of one entry count as one candidate).


@dataclass(frozen=True)
class _Vocab:
    spelling: dict[str, str]  # key → the listed spelling
    entry: dict[str, str]  # key → the key of its entry's first spelling
    keys: list[str]

    @cached_property
    def letters(self) -> dict[str, str]:
        """key → its letters alone, without marks or the tone's "_": for distances that look past marks."""
        return {k: fold(k.replace("_", "")) for k in self.keys}

    @cached_property
    def by_letters(self) -> dict[str, list[str]]:
        """fold(key) → the keys of the spellings that have those letters: they differ in their marks alone."""
        found: dict[str, list[str]] = {}
        for k in self.keys:
            found.setdefault(fold(k), []).append(k)
        return found


def _vocab(entries: Iterable[Iterable[str]]) -> _Vocab:
    spelling: dict[str, str] = {}
    entry: dict[str, str] = {}
    for variants in entries:
        variants = list(variants)
        first = key(variants[0])
        for v in variants:
            k = key(v)
            spelling.setdefault(k, v)
            entry.setdefault(k, first)
    return _Vocab(spelling, entry, list(spelling))


def _read(name: str) -> list[list[str]]:
    lines = (VOCAB_DIR / name).read_text(encoding="utf-8").splitlines()
    return [[v.strip() for v in ln.split("|")] for ln in lines if ln.strip() and not ln.startswith("#")]


@cache
def _lists() -> dict[str, _Vocab]:
    names = {f: _read(f + ".txt") for f in ("surnames", "middle_names", "given_names")}
    return {
        "surname": _vocab(names["surnames"]),
        "middle": _vocab(names["middle_names"]),
        "given": _vocab(names["given_names"]),
        "name": _vocab(names["surnames"] + names["middle_names"] + names["given_names"]),
        "ethnicity": _vocab(_read("ethnic_groups.txt")),
        "nationality": _vocab(_read("nationalities.txt")),
        "relationship": _vocab(_read("relationships.txt")),
    }


@dataclass(frozen=True)
class _Verdict:
    listed: bool
    fix: str | None  # the one listed spelling close enough, when not listed
    candidates: list[str]
    sure: bool = True  # False for a fix two edits away or more: taken, but for the reviewer to confirm


def _judge(k: str, pools: list[tuple[_Vocab, list[str]]], marks_only: bool = False) -> _Verdict:
    """Listed in a pool's vocabulary, or else what _closest() finds."""
    if any(k in v.spelling for v, _ in pools):
        return _Verdict(True, None, [])
    return _closest(k, pools, marks_only)


def _closest(k: str, pools: list[tuple[_Vocab, list[str]]], marks_only: bool = False) -> _Verdict:
    """The spellings at distance 1 among the keys searched in each pool; a fix when they all belong to one entry,
    or when only one entry differs from k by its marks alone. With marks_only (a real word that an open list
    may lack: Páo is no misread Phó), only those can be a fix."""
    near = [(n, v.spelling[n], v.entry[n]) for v, keys in pools for n in _near(k, keys)]
    sure = bool(near)
    if not near:
        # A tone and a vowel's mark misread together ("Đảng" for "Đặng" is two edits): the spellings with the
        # same letters, a fix (not a sure one) when they are all one entry.
        near = [(n, v.spelling[n], v.entry[n]) for v, keys in pools for n in _same_letters(k, v, keys)]
    candidates = list(dict.fromkeys(s for _, s, _ in near))
    if marks_only or len({e for _, _, e in near}) > 1:
        # OCR misreads marks far more often than letters: one entry that differs only in its marks wins; failing
        # that, one that differs by a letter OCR takes for another ("Duv": Duy, not Du or Dư).
        # The latter is a guess among several: taken for the reviewer to confirm.
        marks = [x for x in near if fold(x[0]) == fold(k)]
        sure = sure and bool(marks)
        near = marks or ([] if marks_only else _misread_letter(k, near))
    fix = near[0][1] if len({e for _, _, e in near}) == 1 else None
    return _Verdict(False, fix, candidates, sure)


# Letters Tesseract reads one for the other in small or blurred print, both ways.
LOOK_ALIKE = {("v", "y"), ("y", "v"), ("l", "i"), ("i", "l"), ("c", "e"), ("e", "c")}


def _misread_letter(k: str, near: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Among spellings a letter off, those OCR took one of its letters for another it looks like; failing that,
    those of k's length: a letter misread is likelier than one lost or added ("MAT": Mai, not Ma)."""
    alike = [x for x in near if _look_alike(k, x[0])]
    return alike or [x for x in near if len(x[0]) == len(k)]


def _look_alike(k: str, other: str) -> bool:
    """Whether two keys of one length differ in one letter only, one OCR takes for the other."""
    diff = [(a, b) for a, b in zip(k, other, strict=False) if a != b] if len(k) == len(other) else []
    return len(diff) == 1 and diff[0] in LOOK_ALIKE


def _same_letters(k: str, vocab: _Vocab, keys: list[str]) -> list[str]:
    """The keys among `keys` that differ from k in their marks alone."""
    found = vocab.by_letters.get(fold(k), [])
    return found if keys is vocab.keys else [n for n in found if n in keys]


# ---------------------------------------------------------------------------------------------------------------
# Administrative units, from vietnamadminunits' SQLite data (read directly: importing the package loads its
# geocoding dependencies, which this does not need).


@dataclass(frozen=True)
class _Places:
    provinces: _Vocab  # with the aliases papers print; entry: the key of the province named
    districts: _Vocab
    wards: _Vocab
    scoped: dict[tuple, list[str]]  # ("district", province) or ("ward", province, district) → keys found there
    scoped_sets: dict[tuple, frozenset[str]]
    syllables: _Vocab  # every syllable of a unit's name

    def level(self, name: str) -> _Vocab:
        """The units of a level: "province", "district" or "ward"."""
        return {"province": self.provinces, "district": self.districts, "ward": self.wards}[name]


# Each kind of administrative unit, as printed spelt out or abbreviated, and the levels it may name.
_LEVELS = {
    "tỉnh": ("province",), "thành phố": ("province", "district"), "tp": ("province", "district"),
    "quận": ("district",), "huyện": ("district",), "thị xã": ("district",), "tx": ("district",), "q": ("district",),
    "h": ("district",), "phường": ("ward",), "xã": ("ward",), "thị trấn": ("ward",), "tt": ("ward",),
    "đặc khu": ("ward",), "p": ("ward",),
}  # fmt: skip
# The kinds spelt out, longest first for the regular expressions: not "tp", "q." and the like.
_SPELT_KINDS = "|".join(sorted((k for k in _LEVELS if not k.isascii()), key=len, reverse=True))
_KIND = re.compile(rf"^({_SPELT_KINDS})\s+", re.I)


def _unit_name(full: str | None) -> str | None:
    """ "Xã Yên Viên" → "Yên Viên": the name without its kind (read from the name: the kind column has slips)."""
    return _KIND.sub("", full) if full else None


@cache
def _unit_rows() -> tuple[tuple[str, str | None, str | None], ...]:
    """(province, district, ward) names without their kinds, both eras (no district after 2025): the units'
    vocabulary and the place word pairs are both built from them."""
    return tuple((_unit_name(p) or p, _unit_name(d), _unit_name(w)) for p, d, w in unit_rows())


def _merged() -> dict[str, list[str]]:
    """Each province of 2025 → the provinces before 2025 it took in, short names: addresses mix the two."""
    with sqlite3.connect(f"file:{dataset()}?mode=ro", uri=True) as db:
        short = dict(db.execute("SELECT DISTINCT provinceKey, provinceShort FROM admin_units_legacy"))
        short.update(db.execute("SELECT DISTINCT provinceKey, provinceShort FROM admin_units"))
    table = json.loads((dataset().parent / "converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    return {short[new]: [short[o] for o in old if o in short] for new, old in table.items() if new in short}


def _names(names: set[str], keys: dict[str, str]) -> _Vocab:
    """Unit names as a list whose entries are single spellings (keys already computed: 10,000 names)."""
    spelling = {keys[n]: n for n in sorted(names)}
    return _Vocab(spelling, {k: k for k in spelling}, list(spelling))


@cache
def _places() -> _Places:
    rows = _unit_rows()
    keys = {n: key(n) for n in {n for r in rows for n in r if n}}
    provinces = _vocab(
        [p, *(a for a, q in PROVINCE_ALIASES.items() if q == p)] for p in dict.fromkeys(r[0] for r in rows)
    )
    scoped: dict[tuple, set[str]] = {}
    for p, d, w in rows:
        if d:
            scoped.setdefault(("district", keys[p]), set()).add(keys[d])
        if w:
            scoped.setdefault(("ward", keys[p], None), set()).add(keys[w])
            scoped.setdefault(("ward", keys[p], keys[d] if d else None), set()).add(keys[w])
    for new, olds in _merged().items():
        for old in (key(o) for o in olds if o != new):
            for scope in [s for s in scoped if s[1] == old]:
                scoped.setdefault((scope[0], key(new), *scope[2:]), set()).update(scoped[scope])
    return _Places(
        provinces,
        _names({r[1] for r in rows if r[1]}, keys),
        _names({r[2] for r in rows if r[2]}, keys),
        {s: sorted(v) for s, v in scoped.items()},
        {s: frozenset(v) for s, v in scoped.items()},
        _vocab([w] for w in sorted({w for n in keys for w in n.split() if w.isalpha()})),
    )


def ends_at_a_province(address: str) -> bool:
    """Whether a written address has reached its last part, the province (or a centrally run city), with or
    without its kind and whether or not OCR dropped a mark or misread two letters ("Thành phố dau Phóng"): an
    address that has not is wrapped to the next line."""
    last = address.rsplit(",", 1)[-1].strip(" " + _NOISE_EDGE)  # a speck before its kind too: "'Tinh: Thứa Thiên Huế"
    misread = _misread_kind(last)  # "Tính Quảng Ninh"
    name = last[misread[1] :] if misread else _KIND.sub("", last)
    if not name:
        return False
    k, provinces = key(name), [(_places().provinces, _places().provinces.keys)]
    verdict = _judge(k, provinces)
    return verdict.listed or verdict.fix is not None or _one_among_few(k, provinces).fix is not None


# Capitalised words that open an address's first part when it names no unit: a house, a street, a hamlet.
_OPENERS = {key(w) for w in _spaced("Số Thôn Xóm Ấp Bản Tổ Khu Khối Đường Phố Ngõ Ngách Hẻm Kiệt Buôn Làng Khóm")}
_KIND_KEYS = {key(k) for k in _SPELT_KINDS.split("|")}


def place_start(text: str) -> int | None:
    """Where a place begins in text that a garbled label opens ("Quê quoc Phường Mỹ Long, …", "Mơ ao vu Số 191
    đường …"): at the first word of its first part that is a unit's kind before that unit ("quận Liên Chiểu"), or
    a capitalised one that is a kind (misread too: "Thành phó", "TÍnh Thanh Hóa") or opens a house's or a
    hamlet's part; else at the longest run of words ending that part that names a listed unit ("Gsó te Thành
    Công, Buôn Ma Thuột"). A first part that is all noise gives way to the next. None when no part opens so."""
    first, _, rest = _HOUSE_WORD.sub("Số", text).partition(",")
    start = _start_in_part(first)
    if start is None and rest:
        start = _misread_unit_before(first, rest)
    if start is None and rest and all(not any(c.isalnum() for c in w) or _noise(w) for w in first.split()):
        later = place_start(rest)  # "¿ Place of buth regiszauon, Phường Vĩnh Ninh, …": the English label's rest
        return None if later is None else len(first) + 1 + later
    return start


UNIT_WORDS = 4  # words of the longest unit names ("Hòa Khánh Bắc", "Phước Long Thọ")


def _misread_unit_before(first: str, rest: str) -> int | None:
    """Where a unit's misread name ends the first part ("Placrofongu: Mỹ Hình, Long Xuyên, An Giang", Mỹ Bình
    misread) when the next part names a unit: its run of capitalised syllables, UNIT_WORDS at most. A card of
    2016 prints the place of origin's units with no kinds, so neither a kind nor a listed name says where it
    starts; correct() mends the name."""
    after = rest.split(",", 1)[0].strip(_NOISE_EDGE + " ")
    if not after or not _names_a_unit(_KIND.sub("", after)):
        return None
    at = None
    for m in reversed(list(re.finditer(r"\S+", first))[-UNIT_WORDS:]):
        word = m.group().strip(_NOISE_EDGE)
        if not (word[:1].isupper() and word.isalpha() and is_syllable(word.lower())):
            break
        at = m.start() + m.group().index(word)
    return at


def _start_in_part(first: str) -> int | None:
    words = [(m.start(), m.group().strip(_NOISE_EDGE)) for m in re.finditer(r"\S+", first)]
    for i, (at, word) in enumerate(words):
        two = fold(" ".join(w for _, w in words[i : i + 2]))  # a kind of two words ("thị trấn Trâu Quỳ")
        if (key(word) in _KIND_KEYS or two in _FOLDED_KINDS) and _misread_kind(first[at:]):
            return at
        if not word[:1].isupper():
            continue
        long_kind = " " in (_kind_like(two) or "")
        if key(word) in _OPENERS or key(word) in _KIND_KEYS or long_kind or _misread_kind(first[at:]):
            # An opener that begins a unit's name ("Buôn Ma Thuột") may follow its ward, as a name does.
            return _ward_before(first, words[:i], at) if _names_a_unit(first[at:].strip()) else at
    for i, (at, _) in enumerate(words):
        if _listed_unit(first[at:].strip(_NOISE_EDGE + " ")):
            return _ward_before(first, words[:i], at)
    return None


def _listed_unit(text: str) -> bool:
    """Whether text is, as written, a listed unit's name of any level."""
    places, k = _places(), key(text)
    return any(k in v.spelling for v in (places.wards, places.districts, places.provinces))


def _ward_before(first: str, before: list[tuple[int, str]], at: int) -> int:
    """Where a part that names a unit at `at` starts when a ward's name in capitalised words stands just before
    it, their comma lost to OCR ("Quê quác Tân Lợi Buôn Ma Thuột"): at the ward (_wards_apart parts them)."""
    for j in range(max(0, len(before) - UNIT_WORDS), len(before)):
        run = before[j:]
        if all(w[:1].isupper() and w.isalpha() for _, w in run) and _listed_ward(first[run[0][0] : at]):
            return run[0][0]
    return at


def _listed_ward(text: str) -> bool:
    return key(text.strip(_NOISE_EDGE + " ")) in _places().wards.spelling


# ---------------------------------------------------------------------------------------------------------------
# correct()


SHORT_LISTED = 3  # letters of a listed word so short that noise spells it but for its marks or capital


_COUNTRY_OF_VIET = re.compile(r"(?<!\w)viet\W*nam(?!\w)")


def listed_in(kind: str, text: str) -> str | None:
    """The entry of a closed list ("nationality", "ethnicity") whose spelling stands first in text as whole words,
    marks aside: "Việt Nam" in a card's garbled line "Gitss Nữ Quách Việt Nam". A spelling of SHORT_LISTED
    letters or fewer ("Ý", "Séc", "Nga") must stand as listed, marks and capital: a stray "y", "sec" or "Ngà" (a
    misread "Ngày") is no country."""
    vocab = _lists()[kind]
    folded, printed = fold(text), unicodedata.normalize("NFC", text)
    if kind == "ethnicity":  # the "Việt" of "Việt Nam" names the country, not the Kinh people (also "Việt")
        folded = _COUNTRY_OF_VIET.sub(lambda m: " " * len(m.group()), folded)
    found: list[tuple[int, int, str]] = []
    for k, spelling in vocab.spelling.items():
        short = len(fold(spelling)) <= SHORT_LISTED
        pattern = re.escape(spelling if short else fold(spelling))
        m = re.search(rf"(?<!\w){pattern}(?!\w)", printed if short else folded)
        if m:
            found.append((m.start(), -len(spelling), vocab.spelling[vocab.entry[k]]))
    return min(found)[2] if found else None


def correct(kind: str, value: str) -> Correction:
    """Check value against the vocabulary of its kind ("name", "place", "ethnicity", "nationality",
    "relationship").

    Listed → unchanged. Unlisted with exactly one listed spelling at edit distance 1 → that spelling, in the case
    printed. Otherwise → unchanged and suspicious, with the spellings seen nearby as candidates.
    """
    checks = {"name": _name, "place": _place, "ethnicity": partial(_whole, kind="ethnicity")}
    checks["nationality"] = partial(_whole, kind="nationality")
    checks["relationship"] = partial(_whole, kind="relationship")
    if kind not in checks:
        raise ValueError(f"no vocabulary for {kind!r}")
    if not value.strip():
        return Correction(value, False, False)
    nfc = unicodedata.normalize("NFC", value)
    fixed, suspicious, candidates = checks[kind](nfc)
    if fixed == nfc:
        return Correction(value, False, suspicious, candidates)
    return Correction(fixed, True, suspicious, candidates)


_Result = tuple[str, bool, list[str]]  # the value, suspicious, candidates


def _word(token: str, pools: list[tuple[_Vocab, list[str]]], must_be_listed: bool) -> _Result:
    """One word: kept when listed (or, unless must_be_listed, when a valid syllable); else its one close spelling."""
    if not all(c.isalpha() or unicodedata.combining(c) for c in token):
        return token, any(c.isdigit() for c in token) and must_be_listed, []
    valid = is_syllable(token)
    if not must_be_listed and (valid or (len(token) <= 4 and token.isupper())):
        return token, False, []  # a word of the language, or an abbreviation (KP, TDP, HCM)
    verdict = _judge(key(token), pools, marks_only=valid)
    if verdict.listed:
        return token, False, []
    if verdict.fix:
        return _recase(verdict.fix, token), not verdict.sure, verdict.candidates
    return token, True, verdict.candidates


def _name(value: str) -> _Result:
    """Each syllable against the name lexicon; the first of two or more against the surnames alone."""
    lists = _lists()
    joined = _lone_letters_joined(value.split(" "), lists)
    tokens = re.split(r"(\s+)", " ".join(_names_apart(w, lists["name"]) for w in joined))
    words = [i for i, t in enumerate(tokens) if t and not t.isspace()]
    suspicious, candidates = False, []
    for n, i in enumerate(words):
        surname = n == 0 and len(words) > 1
        lexicon = lists["surname"] if surname else lists["name"]
        read, unj = tokens[i], _no_j(tokens[i])
        tokens[i], flagged, near = _word(unj, [(lexicon, lexicon.keys)], must_be_listed=True)
        flagged |= unj != read  # a guess, for the reviewer
        common = _common_near(tokens[i], near) if surname and flagged else _marks_of_common(tokens[i], surname)
        if len(common) == 1 and tokens[i] not in near:  # "oàng": Hoàng, far more often than Vàng
            shouting = all(tokens[j].isupper() for j in words[1:])  # the case of the name's other words
            tokens[i], flagged = (common[0].upper() if shouting else common[0]), True
        place = lists["given"] if n == len(words) - 1 > 0 else lists["middle"] if n > 0 else None
        held = _held_at(tokens[i], near, place) if place and flagged and tokens[i] not in near else None
        if held:  # "Diệu Chỉ" at a given name's place: Chi, not middle Chí; "Lê Tiền Huy": middle Tiến, not Tiên
            tokens[i] = _recase(held, tokens[i])
        suspicious |= flagged
        candidates += near
    if sum(tokens[i][:1].isupper() for i in words) >= 2:  # a name's words all have their capital ("kiều Công Huy")
        for i in words:
            tokens[i] = tokens[i][:1].upper() + tokens[i][1:] if tokens[i].isalpha() else tokens[i]
    return "".join(tokens), suspicious, candidates


def _held_at(token: str, near: list[str], place: _Vocab) -> str | None:
    """The one near spelling that the list of the name's place (middle or given names) holds; of several, the one
    with the token's letters (OCR misreads a mark far more often than a letter)."""
    held = [c for c in near if key(c) in place.spelling]
    if len(held) > 1:
        held = [c for c in held if fold(c) == fold(token)]
    return held[0] if len(held) == 1 else None


def _no_j(word: str) -> str:
    """No Vietnamese name has a j: it is an "ị" whose dot below OCR joined to it ("TRJNH"), or an "i" when the
    word carries its tone elsewhere."""
    if "j" not in word.lower():
        return word
    toned = any(t in unicodedata.normalize("NFD", word) for t in TONES)
    return word.replace("j", "i" if toned else "ị").replace("J", "I" if toned else "Ị")


def name_spelt(letters: str, surname: bool = False, off: int = 0) -> bool:
    """Whether a listed name (a surname, with `surname`) has these letters, marks aside: TA spells Tạ, KTIM none;
    or, with `off`, letters that many edits from them (PHAAM, a letter read twice, is Phạm's)."""
    lexicon = _lists()["surname" if surname else "name"]
    folded = fold(key(letters))
    if folded in lexicon.by_letters or not off:
        return folded in lexicon.by_letters
    choices = list(lexicon.by_letters)
    return process.extractOne(folded, choices, scorer=Levenshtein.distance, score_cutoff=off) is not None


def surname_listed(word: str) -> bool:
    """Whether a listed surname is spelt so, marks included: "Lượng" is none, though Lương and Lường have its
    letters."""
    return key(word) in _lists()["surname"].spelling


def _lone_letters_joined(words: list[str], lists: dict[str, _Vocab]) -> list[str]:
    """A lone letter that is no name, joined to the word after it where the two spell a listed name (a surname
    first): OCR split the word before its accented letter ("L Ý QUANG NGHĨA" is LÝ)."""
    out: list[str] = []
    for w in words:
        if out and len(out[-1]) == 1 and out[-1].isalpha() and key(out[-1]) not in lists["name"].spelling:
            lexicon = lists["surname"] if len(out) == 1 else lists["name"]
            if key(out[-1] + w) in lexicon.spelling:
                out[-1] += w
                continue
        out.append(w)
    return out


def _names_apart(word: str, lexicon: _Vocab) -> str:
    """A word that is no syllable but two listed names run together, split one way only ("Bíchly": Bích Ly):
    OCR lost the space between them. The second takes the first's case."""
    if not word.isalpha() or len(word) < 4 or is_syllable(word):
        return word
    splits = [(word[:i], word[i:]) for i in range(1, len(word))
              if key(word[:i]) in lexicon.spelling and key(word[i:]) in lexicon.spelling]  # fmt: skip
    if len(splits) != 1:
        return word
    first, second = splits[0]
    return f"{first} {second.upper() if word.isupper() else second[0].upper() + second[1:]}"


COMMON_SURNAMES = 16  # the first of surnames.txt: the surnames of nine Vietnamese in ten


LOST_LETTERS = 2  # first letters of a surname a speck or the cell's border may have swallowed ("ÀNG": Hoàng)


def _common_near(token: str, near: list[str]) -> list[str]:
    """The common surnames among a misread one's near spellings, or else those with its letters ("HO": Hồ), or
    else those that end in it, a letter or two lost in front ("ÀNG": Hoàng)."""
    common = sorted(_common_surnames())
    low = token.lower()
    return ([c for c in near if c in common] or [c for c in common if fold(c) == fold(token)]
            or [c for c in common if len(low) >= 3 and 0 < len(c) - len(low) <= LOST_LETTERS
                and c.lower().endswith(low)])  # fmt: skip


def _marks_of_common(token: str, surname: bool) -> list[str]:
    """A rare surname spelt with the letters of a common one, its marks aside ("ĐỒ": Đỗ, "Ngọ": Ngô, "Đường":
    Dương): OCR misreads a mark far more often than such a surname is borne. The guess is the reviewer's to
    confirm."""
    common = _common_surnames()
    if not surname or any(key(c) == key(token) for c in common):
        return []
    return [c for c in common if fold(c) == fold(token)]


@cache
def _common_surnames() -> frozenset[str]:
    return frozenset(entry[0] for entry in _read("surnames.txt")[:COMMON_SURNAMES])


def _whole(value: str, kind: str) -> _Result:
    """The whole value against the list, after dropping a label OCR left before it ("Ngtiondlity: Việt Nam")."""
    vocab = _lists()[kind]
    verdict = _judge(key(value), [(vocab, vocab.keys)])
    if verdict.listed:
        # A people's or a country's name is a proper noun ("kinh" printed in lower case is "Kinh"), and a word
        # whose case OCR broke ("ViỆt Nam": a mark read as a capital's) is spelt as listed.
        proper = kind in PROPER_NOUNS and value == value.lower()
        broken = any(mixed_case(w) for w in re.split(r"[\s-]+", value))  # "Ê-Đê": two words
        return (vocab.spelling[key(value)] if proper or broken else value), False, []
    stripped = _after_label(value, vocab)
    if stripped:
        return stripped, False, [stripped]
    # A proper noun read in small letters takes its capital as listed; else the case it was read in stands.
    small = kind in PROPER_NOUNS and value == value.lower()
    cased = (lambda listed: listed) if small else (lambda listed: _recase(listed, value))
    if verdict.fix:
        return cased(verdict.fix), not verdict.sure, verdict.candidates
    if head := _listed_head(value, vocab):
        return head, False, [head]
    if like := _most_like(value, vocab):  # one entry clearly nearest: taken, but for the reviewer to confirm
        return cased(like), True, [like]
    split = _SPLIT_CAPITAL.sub(lambda m: _SPLIT_CAPITALS[m.group(1)], value)
    if split != value and key(fixed := _whole(split, kind)[0]) in vocab.spelling:
        return fixed, True, [fixed]  # "A⁄e đẻ" is "Mẹ đẻ": taken, for the reviewer to confirm
    return value, True, verdict.candidates


# A capital OCR split into two marks at a word's start, as some fonts' M and A come out ("A⁄e đẻ", "A#e", "A“e",
# "Áfe" for "Mẹ"; ".Vn Đồng" for "An Đồng"), or read as another with a mark ("Áẹ đẻ") or without ("Ae đẻ"): tried on
# a closed list's value that matched nothing else, and taken only when that makes it a listed one.
_SPLIT_CAPITALS = {"A⁄": "M", "A/": "M", "A4": "M", "A#": "M", "A“": "M", 'A"': "M", "AJ": "M", "Á#": "M", "Áf": "M",
                   "Af": "M", "Á": "M", "IVI": "M", ".V": "A", ".\\": "A", "/\\": "A", "A": "M"}  # fmt: skip
_SPLIT_CAPITAL = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in _SPLIT_CAPITALS) + r")(?=[^\W\d_])")


PROPER_NOUNS = ("ethnicity", "nationality")  # lists whose entries are written with capitals, however printed


# Folded similarity for the nearest entry of a short closed list (54 groups, ~80 nations), and by how much it must
# beat the next entry: close and ahead, or less close and far ahead ("Việt Nzn", "Việt Niun": Việt Nam).
CLOSED_LIST_NEAR = ((80.0, 10.0), (70.0, 15.0))


def _listed_head(value: str, vocab: _Vocab) -> str | None:
    """The listed value at the start of value, when OCR ran on into the next field ("Kinh thiốc tịch; Việt")."""
    tokens = value.split()
    for i in range(len(tokens) - 1, 0, -1):
        head = " ".join(tokens[:i]).strip(":;,./- ")
        if key(head) in vocab.spelling:
            return head
    return None


def _most_like(value: str, vocab: _Vocab) -> str | None:
    """The one entry of a closed list that value reads like once marks and case are dropped ("Vi@ê Nam")."""
    best: dict[str, float] = {}
    target = fold(value)
    for k, spelling in vocab.spelling.items():
        score = fuzz.ratio(target, fold(spelling))
        entry = vocab.entry[k]
        best[entry] = max(best.get(entry, 0.0), score)
    ranked = sorted(best.items(), key=lambda kv: -kv[1]) + [("", 0.0)]
    (entry, first), (_, second) = ranked[0], ranked[1]
    if any(first >= least and second <= first - lead for least, lead in CLOSED_LIST_NEAR):
        return vocab.spelling[entry]
    return None


_LABEL_WORDS = {key(w) for w in _spaced("quốc tịch dân tộc nationality ethnicity ethnic")}


def _after_label(value: str, vocab: _Vocab) -> str | None:
    """The listed value at the end of value when all before it is a label or not Vietnamese at all."""
    tokens = value.split()
    for i in range(1, len(tokens)):
        head, tail = tokens[:i], " ".join(tokens[i:]).lstrip(":/.- ")
        noise = all(not (w := t.strip(":/.-")) or key(w) in _LABEL_WORDS or not is_syllable(w) for t in head)
        if noise and key(tail) in vocab.spelling:
            return tail
    return None


# A place's parts: the unit's kind as printed (_LEVELS says which levels it may name), and the words that open a
# part that is no unit.
_PREFIX = re.compile(rf"^(?:({_SPELT_KINDS}|tp|tx|tt)\s+|(tp|tx|tt|q|p|h)\.\s*)", re.I)
# A unit's kind, spelt out, after other words of a part: a hospital or an office named after its place.
_INNER_UNIT = re.compile(r"(?<=\s)((?i:thành phố|thị xã|thị trấn|tỉnh|quận|huyện))\s+(?=[A-ZĐ\d])")
_NOT_UNITS = {
    key(w)
    for w in _spaced(
        "thôn xóm ấp bản tổ khu khối số đường phố ngõ ngách hẻm kiệt buôn làng khóm cụm sóc plei bon "
        "đội lô căn tầng chung tòa km ql quốc tỉnh lộ kp tdp trại"
    )
}


_FOLDED_KINDS = {fold(k): k for k in _SPELT_KINDS.split("|")}
MIN_FEW_LETTERS = 6  # letters of the shortest name guessed two letters off among few (_one_among_few)


def _kind_like(folded: str, shortest: int = 5) -> str | None:
    """The kind a folded word reads as: exactly, or one letter off for the longer ones ("thanh phe"), of `shortest`
    letters or more."""
    if folded in _FOLDED_KINDS:
        return _FOLDED_KINDS[folded]
    near = [k for f, k in _FOLDED_KINDS.items() if len(f) >= shortest and Levenshtein.distance(folded, f) <= 1]
    return near[0] if len(near) == 1 else None


def _misread_kind(core: str) -> tuple[str, int] | None:
    """A unit's kind OCR misread ("tính Khánh Hòa", "huyên Gia Lâm", "thành phế"): (the kind spelt right, in the
    case printed, and where its words end in core) when the words after it name a unit of that kind, exactly or
    (for a kind of four letters or more) but for one misread letter ("Tính Binh Dương"). A name that only folds
    like a kind ("Quan Hoa" is a ward) is no kind: "Hoa" is no district."""
    words = list(re.finditer(r"\S+", core))
    places = _places()
    for n in (2, 1):
        if len(words) <= n:
            continue
        folded = fold(" ".join(w.group() for w in words[:n]))
        kind = _kind_like(folded, shortest=4)  # "duận Liên Chiểu": a unit of that kind must follow
        if not kind:
            continue
        text = core[words[n].start() :]
        after = key(text)
        rest = key(_without_specks(text)) or after  # "Phướng "1 + - Hòa Khánh lắc": specks after it
        levels = [places.level(lv) for lv in _LEVELS[kind]]
        named = any(r in v.spelling for v in levels for r in (rest, after))
        if not named and len(folded) >= 4 and not _names_a_unit(core):
            named = _closest(rest, [(v, v.keys) for v in levels]).fix is not None
            provinces = [(places.provinces, places.provinces.keys)] if "province" in _LEVELS[kind] else []
            named = named or (bool(provinces) and _one_among_few(rest, provinces).fix is not None)  # "Khánh Hêa"
        if named:
            return _kind_cased(kind, words[0].group()), words[n].start()
    return None


@lru_cache(maxsize=4096)
def _names_a_unit(text: str) -> bool:
    """Whether text is, or is one misread letter from, a unit's name of any level: "Quan Hóa" is a district."""
    places, k = _places(), key(text)
    levels = (places.provinces, places.districts, places.wards)
    return any(k in v.spelling for v in levels) or _closest(k, [(v, v.keys) for v in levels]).fix is not None


@dataclass
class _Part:
    lead: str  # what the paper printed before the unit's name: spaces and its kind ("phường ")
    name: str
    trail: str
    levels: tuple[str, ...]  # the levels the name may be of; () for a part that is no unit (house, hamlet)
    firm: bool  # the paper said which unit it is (or it is the last part: the province)


def _parts(value: str) -> list[_Part]:
    raw = value.split(",")
    parts = []
    for i, text in enumerate(raw):
        core = text.strip()
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        m = _PREFIX.match(core) or _INNER_UNIT.search(core)  # "Trung tâm Y tế huyện Nghi Lộc" names a unit too
        last = i == len(raw) - 1
        misread = None if m else _misread_kind(core) or _last_kind(core, last) or _kind_lost(core, last)
        if misread:
            kind, end = misread
            parts.append(_Part(lead + kind + " ", core[end:], trail, _LEVELS[kind.lower()], True))
            continue
        words = core[m.start() :].split() if m else core.split()
        if m and not (len(words) > 1 and key(words[1]) == key("lộ")):  # tỉnh lộ 8 is a road
            kind = next(g for g in m.groups() if g).lower()
            parts.append(_Part(lead + core[: m.end()], core[m.end() :], trail, _LEVELS[kind], True))
            continue
        other = not words or key(words[0]) in _NOT_UNITS or any(c.isdigit() for c in core)
        levels = () if other else ("province",) if last else ("district", "ward")
        parts.append(_Part(lead, core, trail, levels, last and len(raw) > 1))
    # A part without its kind is taken for a unit only near the end or after a part that names a unit.
    first_unit = next((i for i, p in enumerate(parts) if p.firm), len(parts))
    for i, p in enumerate(parts):
        if p.levels and not p.firm and i < first_unit and len(parts) - 1 - i > 2:
            p.levels = ()
    return parts


def _last_kind(core: str, last: bool) -> tuple[str, int] | None:
    """The last part's kind a letter off before a name past reading ("tính Đi. Lấh"), as _misread_kind gives it:
    the province's kind, its name for the district before it to tell (_place)."""
    words = core.split()
    n = _kind_words(words) if last else 0
    kind = _kind_like(fold(" ".join(words[:n]))) if n and len(words) > n else None
    if kind is None or "province" not in _LEVELS[kind]:  # "Phương Mai" is a ward's name, no kind
        return None
    at = [m.start() for m in re.finditer(r"\S+", core)][n]
    return _kind_cased(kind, core), at


KIND_FRAGMENT = 3  # letters at most of what OCR left of a province's kind ("nh", "šnh": "tỉnh")


def _kind_lost(core: str, last: bool) -> tuple[str, int] | None:
    """The last part's kind read as a fragment or a speck that is no Vietnamese syllable ("šnh Hà Tĩnh", "nh
    Nghệ An": "tỉ" lost) before a province's name: the kind that province takes (a city the centre runs:
    "thành phố")."""
    words = list(re.finditer(r"\S+", core)) if last else []
    if len(words) < 2 or len(words[0].group()) > KIND_FRAGMENT or is_syllable(words[0].group()):
        return None
    kind = _province_kinds().get(key(core[words[1].start() :]))
    return (_kind_cased(kind, words[0].group()), words[1].start()) if kind else None


@cache
def _province_kinds() -> dict[str, str]:
    """A province's key (both eras' names) → its kind as spelt in _LEVELS ("tỉnh", "thành phố")."""
    names = {p for p, _, _ in unit_rows()}
    return {key(_unit_name(n) or n): m.group(1).lower() for n in names if (m := _KIND.match(n))}


def _kind_cased(kind: str, printed: str) -> str:
    """A kind spelt right, with the capital the paper printed it with ("Tính" → "Tỉnh", "tính" → "tỉnh", a speck
    before it aside: "'Tinh" → "Tỉnh")."""
    first = next((c for c in printed if c.isalpha()), "")
    return kind[0].upper() + kind[1:] if first.isupper() else kind


def _ends_at_province(parts: list[_Part]) -> list[_Part]:
    """The parts up to the province when what OCR read past it is no Vietnamese ("…, Thành phố Đà Nẵng, Home",
    "…, Thành phố Hà Nội J": a card's edge, a stamp's rim). Words after a province stay ("…, tỉnh Thanh Hóa, gần
    trường tiểu học", "…, tỉnh Quảng Bình (cũ)", "…, Hà Nội, Việt Nam"), and so does a postcode (five digits or
    six); a speck's letters and digits ("-z87") do not."""
    for i in range(len(parts) - 1, -1, -1):
        part, words = parts[i], parts[i].name.split()
        if not part.levels or (part.firm and "province" not in part.levels):  # a card prints no kinds
            continue
        bare_words = _bare_words(part.name)
        n = _province_words(bare_words)
        if not n:
            continue
        tail = words[n:] + [w for q in parts[i + 1 :] for w in q.name.split()]
        bare = [re.sub(r"[^\w]", "", w) for w in tail]  # "(cũ)" after a province merged in 2025 is a word
        words_kept = [w for w in bare if w and (is_syllable(w) or (w.isdigit() and len(w) in (5, 6)))]
        mostly_words = 2 * len(words_kept) > len([w for w in bare if w])  # "Da ofespio" is not
        if not tail or (mostly_words and not _edge_word(tail, words[n:])):
            return parts
        return [*parts[:i], _Part(part.lead, " ".join(w for w in bare_words[:n] if w), "", ("province",), True)]
    return parts


def _edge_word(tail: list[str], inner: list[str]) -> bool:
    """Whether what follows a province is one small word in its own part, no comma before it, at a wrapped line's
    end ("Tỉnh Hà Tĩnh sẽ"): a speck at a card's edge read as a word. "(cũ)" and "cũ" stay."""
    return tail == inner and len(tail) == 1 and tail[0].isalpha() and tail[0].islower() and tail[0] != "cũ"


def _one_address(value: str) -> str:
    """The address up to the first province after which, on its own part, other words open another address that
    ends at a province too: the next field's garbled label and its value, read on into this one ("…, Đắk Lắk Nơi
    tường vú (Plae… Số 6 đường Lê Lợi, …, Thành phố Hồ Chí Minh"). A note after a province opens none."""
    parts = _parts(value)
    if len(parts) < 2 or not ends_at_a_province(parts[-1].name):
        return value
    for i, part in enumerate(parts[:-1]):
        words = _bare_words(part.name)
        kind = 0 if part.levels else _kind_words(words)  # "Tính Nghệ An …": its kind misread
        n = _province_words(words[kind:]) if not part.levels or "province" in part.levels else 0
        if n and words[kind + n :] and _start_in_part(" ".join(words[kind + n :])):
            kept = [p.lead + p.name + p.trail for p in parts[:i]]
            return ",".join([*kept, part.lead + " ".join(words[: kind + n])])
    return value


def _kind_words(words: list[str]) -> int:
    """How many of the first words read as a unit's kind (one or two, a letter off: "Tính"); 0 when none do."""
    return next((n for n in (2, 1) if len(words) > n and _kind_like(fold(" ".join(words[:n])))), 0)


def _after_noise(value: str) -> str:
    """The place without the noise OCR read before it, a garbled label's rest ("Phxco( uốcnc Số 32, ngõ 96")."""
    words = value.split(" ")
    n = 0
    while n < len(words) - 1 and _noise(bare := words[n].strip(_NOISE_EDGE)) and not _kind_like(fold(bare)):
        n += 1  # a unit's kind with a mark misread ("Phuờng 7") is no noise
    if n < len(words) - 1 and len(words[n]) == 1 and words[n].isalpha() and key(words[n + 1]) in _OPENERS:
        n += 1  # a speck read as a letter before the house's "Số" ("P Số 115 đường …")
    return " ".join(words[n:])


def _noise(word: str) -> bool:
    """Punctuation, or letters that are no Vietnamese, no abbreviation (KP, TDP) and no word of a unit's name (Đắk,
    Krông)."""
    if not word:
        return True
    if not word.isalpha() or is_syllable(word) or (len(word) <= 4 and word.isupper()):
        return False
    return key(word) not in _places().syllables.spelling


# "Số" before a house's number, its "ố" read as a digit or another vowel ("S6 35 đường …", "S0 6A", "Sế 199"): as
# long, so places hold.
# Its "S" read as a sign or a digit ("%ố 115", "$ố 12", "5ố 7") before the "ố" read right; or, opening the
# address, in small letters ("số 40, ngõ 25": "s" and "S" differ by size alone).
_HOUSE_WORD = re.compile(
    r"(?<!\w)(?:S[06oòóỏõọôồổỗộơờởỡợeèéẻẽẹêềếểễệ]|^s[ố06oòóỏõọôồổỗộơờởỡợeèéẻẽẹêềếểễệ]|(?<![\w$%])[$%5]ố)(?=\.?\s+\d)"
)
# "ngõ" before a lane's number, its "õ" read as another vowel ("ngữ 8", "ngó 36"), a 0 or a đ ("ng0 114").
_LANE_WORD = re.compile(r"(?<!\w)ng[oòóỏọôồốổỗộơờớởỡợuùúủũụưừứửữự0đ](?=\s+\d)")
# "Tổ" (a residential group) before its number, its "ổ" read as another vowel, in either case ("Tế 7", "TẾ 7",
# "Tắ 7"), where a part opens: inside a name a T and a vowel before a number is a name's ("Xã Hòa Tú 1").
_GROUP_WORD = re.compile(r"(^|,\s*)(T[^\W\d_])(?=\s+\d)")
# "phố" before a street's name, its "ố" read as another vowel ("ngõ 44, phế Lê Lợi"); in small letters, as an
# address prints it: "Phổ" is a name ("Thành phố Phổ Yên").
_STREET_WORD = re.compile(r"(?<![^\s,])ph[eèéẻẽẹêềếểễệoòóỏõọôồỗộ](?= [^\W\d_])")
# Nor is a card's "Không thời hạn" (no expiry), printed beside its address and read into it ("… Đạo, Không thời
# bạo Phường Kim Liên"), its last word misread.
_NO_EXPIRY = re.compile(r"(?i)(?<!\w)không thời \w+\s*")
# A part that is a lone letter between two others ("Xã Hòa Phong, S, Huyện Hòa Vang"): a speck, no unit.
_LONE_LETTER_PART = re.compile(r",\s*[^\W\d_]\s*(?=,)")
# Marks no address holds, standing alone between its words ("phố Phan Chu Trinh, ¡ Phường Thành Công"): specks.
_SPECK_MARK = re.compile(r"(?<=\s)[¡¦|!~^*]+\s+")
# A comma OCR read as a period: a period after a word (not an abbreviation: "Tp.", "P.") or a number, before a
# unit (_part_after: "Phú Cường. Thủ Dầu Một", "Thành phố Huế. Tỉnh Thừa Thiên Huế").
_PERIOD_FOR_COMMA = re.compile(r"(?:(?<=[^\W\d_]{3})|(?<=\d))\.\s+(?=[^\W\d_])")
_NOISE_EDGE = ".,:;()[]{}|/\\'\"“”‘’-_~*^`"


# A street's part ("phố Phan Chu") before a part of one word ("Trinh"): a comma OCR read inside the street's name
# when that word is no unit's ("phố Quang, Trung"); "thành phố" is no street.
_STREET_AND_WORD = re.compile(r"(?<![Tt]hành )\b((?:phố|đường)\s+[^\W\d_][^,]*),\s*([^\W\d_]+)(?=\s*,)")


def _street_rejoined(value: str) -> str:
    def rejoined(m: re.Match) -> str:
        word = m.group(2)
        apart = _listed_unit(word) or not word[0].isupper() or _KIND.match(word + " ")
        return m.group() if apart else f"{m.group(1)} {word}"

    return _STREET_AND_WORD.sub(rejoined, value)


def _group_word(m: re.Match) -> str:
    return m.group(1) + ("Tổ" if fold(m.group(2)[1]) in _VOWELS else m.group(2))


_FACILITIES = ("bệnh viện", "khoa", "trung tâm", "trạm", "nhà hộ sinh", "phòng khám")


def kind_at_end(text: str) -> str | None:
    """The unit's kind text stops at, its name to follow ("Bệnh viện Đa khoa tỉnh": "tỉnh"), as written; or None."""
    words = text.split()
    for n in (2, 1):
        if len(words) >= n and fold(" ".join(words[-n:])) in _FOLDED_KINDS:
            return " ".join(words[-n:])
    return None


def opens_with_facility(text: str) -> bool:
    """Whether text opens with a health facility's name ("Bệnh viện …", "Khoa sản, …", "Trạm y tế …"; not
    "Khoảng", whose letters open as "Khoa"'s do)."""
    return _FACILITY_START.match(fold(text)) is not None


_FACILITY_START = re.compile(r"(?:" + "|".join(re.escape(fold(f)) for f in _FACILITIES) + r")\b")


@cache
def _facility_pairs() -> dict[tuple[str, str], str]:
    """(word, next word) in small letters → the next word as a health facility's name writes it, from the
    facilities of place_words.txt ("Bệnh viện Đa khoa", "Phụ sản"); a unit's kind after them is left as read."""
    kinds = {w for k in _SPELT_KINDS.split("|") for w in k.split()}
    out: dict[tuple[str, str], str] = {}
    for (phrase,) in _read("place_words.txt"):
        if not phrase.lower().startswith(_FACILITIES):
            continue
        words = phrase.split()
        for a, b in zip(words, words[1:], strict=False):
            if b.lower() not in kinds:
                out[(a.lower(), b.lower())] = b
    return out


def _facility_cased(value: str) -> str:
    """A health facility's name in the case it is written in, where OCR read a word's capital wrong ("Bệnh viện
    phụ sản", "Đa Khoa"): each word after a word it always follows in a facility's name, and its first word, the
    name's ("bệnh viện Đa khoa": a proper name opens with a capital)."""
    pairs = _facility_pairs()
    if opens_with_facility(value):
        value = value[:1].upper() + value[1:]
    tokens = value.split(" ")
    for i in range(1, len(tokens)):
        cased = pairs.get((tokens[i - 1].lower(), tokens[i].lower()))
        if cased is not None:
            tokens[i] = cased
    return " ".join(tokens)


@cache
def _place_pairs() -> tuple[set[tuple[str, str]], dict[str, list[str]], set[tuple[str, str]], frozenset[str]]:
    """For forms.word_pairs: the pairs of words known to stand together in places, from place_words.txt; those
    words by their letters; and the pairs inside the units' names, which vouch for a word but are no fix for one:
    a hamlet or a street is named like a unit but for a word ("Thôn Đông Hạ" is no misread "Đông Hà"); and the
    units' names by their letters."""
    known = word_pairs.pairs_of(p[0] for p in _read("place_words.txt"))
    by_letters: dict[str, list[str]] = {}
    for w in sorted({w for pair in known for w in pair}):
        by_letters.setdefault(fold(w), []).append(w)
    names = word_pairs.pairs_of({n for row in _unit_rows() for n in row if n} | set(PROVINCE_ALIASES))
    units = frozenset(" ".join(fold(n).split()) for row in _unit_rows() for n in row if n)
    return known, by_letters, names, units


def _cleaned(value: str) -> str:
    """A place's words as printed, before its parts are looked up: house, lane and street words, specks, commas
    OCR lost or misread, cases, and words misread beside a word they always stand with."""
    known, by_letters, names, unit_letters = _place_pairs()
    value = _LANE_WORD.sub("ngõ", _HOUSE_WORD.sub("Số", value))
    value = _street_rejoined(_STREET_WORD.sub("phố", _GROUP_WORD.sub(_group_word, value)))
    value = _LONE_LETTER_PART.sub("", _NO_EXPIRY.sub("", _SPECK_MARK.sub("", value)))
    value = _PERIOD_FOR_COMMA.sub(lambda m: ", " if _part_after(value, m) else m.group(), value)
    value = _units_apart(_kinds_cased(_printed_case(DATE_IN_PLACE.sub("", value))))
    fixed = word_pairs.fix(_after_noise(value), known, lambda w: by_letters.get(fold(w), []), names, unit_letters)
    return _facility_cased(fixed)


@cache
def _name_pair_letters() -> frozenset[tuple[str, str]]:
    """The pairs of neighbouring words in the units' names, by their letters."""
    return frozenset((fold(a), fold(b)) for a, b in _place_pairs()[2])


def _part_after(value: str, period: re.Match) -> bool:
    """Whether a period in a place stands for a comma: a unit (its kind, perhaps misread, or its name) opens what
    follows, with a capital, and the words either side are no two words of one unit's name ("Long. Xuyên"). A
    sentence after it ("vlt. Ngày tháng năm cấp", a card's next label) is none."""
    after = value[period.end() :].split(",")[0].strip()
    before = value[: period.start()].split()
    if not after[:1].isupper() or (fold(before[-1]), fold(after.split()[0])) in _name_pair_letters():
        return False
    named = len(fold(after).replace(" ", "")) >= MIN_FEW_LETTERS and _names_a_unit(after)  # not "Quảng. Ni"
    return bool(_PREFIX.match(after) or _kind_words(after.split()) or named)


def _place(value: str) -> _Result:
    """Each part's name against the units of its level, the larger units first: they narrow the search. Words
    misread beside a word they always stand with are put right first (forms.word_pairs)."""
    places = _places()
    parts = _ends_at_province(_parts(_wards_apart(_one_address(_cleaned(value)))))
    province = district = None
    suspicious, candidates = False, []
    unread: _Part | None = None  # a province the paper named by its kind, its name past reading
    for part in reversed(parts):
        if part.levels:
            verdict, level, k, elsewhere = _unit(part.name, part.levels, province, district, part.firm)
            if part is parts[-1] and part.firm and "province" in part.levels and not (verdict.fix or verdict.listed):
                unread = None if _province_words(_bare_words(part.name)) else part  # "Quảng Bình (cũ)" is read
            if verdict.fix:
                part.name = _recase(verdict.fix, part.name)
                suspicious |= not verdict.sure
            elif verdict.listed and level:
                part.name = _capitals_of(places.level(level).spelling.get(key(part.name)), part.name)
            if level == "province":
                province = k
            elif level == "district":
                district = k
            candidates += verdict.candidates
            if verdict.listed or verdict.fix:
                continue
            if part.firm or (elsewhere and verdict.candidates):  # no such unit, or one like it is there
                suspicious = True
                continue
            if elsewhere:
                continue  # a street or a hamlet named like a unit of another place
        part.name, flagged, near = _words(part.name)
        suspicious |= flagged
        candidates += near
    found = _unread_province(unread, province, district)
    if unread is not None and found:
        unread.name, unread.trail, suspicious = found, "", True
        candidates += [] if found in candidates else [found]
    read = ",".join(p.lead + p.name + p.trail for p in parts)
    snapped = unit_paths.snap(read)  # the units together, where one by one they were past mending
    if snapped is None:
        return read, suspicious, candidates
    return snapped.value, suspicious or not snapped.sure, candidates


def _capitals_of(listed: str | None, read: str) -> str:
    """A unit's name as read with the capitals OCR lost put back ("Hồ chí Minh"), or a word's it shouted ("Hiệp
    THÀNH"): a word read in small letters that the list writes with a capital; a mark read between its words is
    left out. The list's other spellings stand as read ("Ia RBol", "Ia Rbol", "AL Bá")."""
    words, spelt = read.split(" "), (listed or "").split(" ")
    lettered = [w for w in words if any(c.isalnum() for c in w)]
    if len(lettered) < len(words) and len(lettered) == len(spelt) and key(read) not in _marked_names():
        words = lettered  # a speck read as a mark inside the name ("Thủ - Dầu Một"), which the list has not
    if len(words) != len(spelt) or not any(c.isupper() for c in read):  # a name all in small letters stays so
        return " ".join(words)
    # A word in capitals inside a name that is not all in capitals is a bold or blotted word ("Hiệp THÀNH").
    shouted = not all(w.isupper() for w in words) and read not in _printed_names()
    return " ".join(s if (w[:1].islower() and s[:1].isupper()) or (shouted and len(w) > 1 and w.isupper()) else w
                    for w, s in zip(words, spelt, strict=True))  # fmt: skip


@cache
def _printed_names() -> frozenset[str]:
    """Every unit's name as the official list prints it, without its kind."""
    return frozenset(n for row in _unit_rows() for n in row if n)


@cache
def _marked_names() -> frozenset[str]:
    """The keys of the units whose names hold a mark of their own ("Văn Miếu - Quốc Tử Giám")."""
    return frozenset(key(n) for row in _unit_rows() for n in row if n and any(c in n for c in "-–()."))


def _bare_words(name: str) -> list[str]:
    return [w.strip(".,;:") for w in name.split()]  # "Khánh Hòa. &": a speck read as a full stop after it


def _province_words(words: list[str]) -> int:
    """How many of the first words name a province, the most that do; 0 when none do."""
    spelling = _places().provinces.spelling
    return next((n for n in range(len(words), 0, -1) if key(" ".join(words[:n])) in spelling), 0)


PROVINCE_LETTERS_OFF = 2  # letters a province past reading may be off the one another part names


def _unread_province(unread: _Part | None, province: str | None, district: str | None) -> str | None:
    """The province a paper named by its kind but OCR read past knowing: the one its district's name says ("Quận
    Sơn Trà, Thành phố - Kệ": Sơn Trà is Đà Nẵng's alone), or the one another part already names when it is a
    letter or two off it (a city named as its province: "thành phố Hà Tĩnh, tỉnh Hà Tỉn")."""
    if unread is None:
        return None
    if province is None:
        return _province_of(district, unread.lead) if district is not None else None
    listed = _places().provinces.spelling.get(province)
    if listed is None:
        return None
    off = Levenshtein.distance(key(unread.name), province, score_cutoff=PROVINCE_LETTERS_OFF)
    return listed if off <= PROVINCE_LETTERS_OFF else None


def _province_of(district: str, kind: str) -> str | None:
    """The province whose district (before 2025) the key `district` names, when one province alone has a district
    so named and the paper's kind for it ("Thành phố ", "Tỉnh ") is that province's."""
    found = _district_provinces().get(district, frozenset())
    if len(found) != 1:
        return None
    (full,) = found
    m = _KIND.match(full)
    return _unit_name(full) if m and m.group(1).lower() == kind.strip().lower() else None


@cache
def _district_provinces() -> dict[str, frozenset[str]]:
    """A district's key → the full names (with their kinds) of the provinces that had a district so named."""
    found: dict[str, set[str]] = {}
    for province, name, _ in unit_rows():
        if name:
            found.setdefault(key(_unit_name(name) or name), set()).add(province)
    return {k: frozenset(v) for k, v in found.items()}


_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


_KIND_AFTER_WORD = re.compile(rf"(\S+) (?=(?i:{_SPELT_KINDS}) (?!lộ\b))")
_STREETS = {key(w) for w in _spaced("phố đường ngõ ngách hẻm kiệt")}


def _wards_apart(value: str) -> str:
    """A place of units' names alone (a 2016 card's origin: no kinds) whose comma between a ward and its district
    OCR lost ("Tân Lợi Buôn Ma Thuột, Đắk Lắk"): the part is split where its words are a listed ward of a listed
    district of the province after it."""
    parts = value.split(", ")
    places, province = _places(), key(parts[-1])
    for n in range(len(parts) - 1):
        words = parts[n].split()
        for i in range(1, len(words)):
            ward, district = key(" ".join(words[:i])), key(" ".join(words[i:]))
            in_province = district in places.scoped_sets.get(("district", province), frozenset())
            if in_province and ward in places.scoped_sets.get(("ward", province, district), frozenset()):
                return ", ".join([*parts[:n], " ".join(words[:i]), " ".join(words[i:]), *parts[n + 1 :]])
    return value


def _units_apart(value: str) -> str:
    """An address (it opens with a house's or a hamlet's word, or a unit's kind) names each unit in a part of its
    own: a unit's kind after a word with no comma lost its comma to OCR ("phố Ngô Quyền phường Thành Công"), or
    had it misread ("Phường Phú Cường x4) Thành phố Thủ Dầu Một"). A street named like a
    unit ("phố Xã Đàn") keeps its name, and a hospital's name holding a kind ("Bệnh viện Đa khoa tỉnh Khánh Hòa")
    opens with no such word and is left as it is."""
    words = value.split()
    if not words or key(words[0].strip(_NOISE_EDGE)) not in _OPENERS | _KIND_KEYS:
        return value

    def comma(m: re.Match) -> str:
        word, before = m.group(1), value[: m.start()]
        inside = before.count("(") > before.count(")")  # "(nay là tỉnh Quảng Ngãi)": a note, no part
        word = word.rstrip(".;:)") if "(" not in before else word  # the comma misread ("Phú Cường x4) Thành phố")
        opens_kind = _KIND.match(f"{word} {value[m.end() :]}")  # "Thị" of "Thị xã", "Thành" of "Thành phố"
        apart = word[-1:].isalnum() and key(word) not in _STREETS | _KIND_KEYS and not opens_kind
        apart = apart and not inside and "(" not in word
        return f"{word}, " if apart else m.group(0)

    return _KIND_AFTER_WORD.sub(comma, value)


_PART_KINDS = re.compile(rf"(?:^|(?<=, ))({_SPELT_KINDS})(?= )", re.I)
_CASE_ALIKE = set("COSVXZ")  # capitals OCR tells from their small letters by size alone


def _kinds_cased(value: str) -> str:
    """A kind's words in one case ("thành Phố": a mark read as a capital), and the province's kind given its
    capital when the other units' kinds all have theirs ("…, Xã Nghi Thái, Huyện Nghi Lộc, tỉnh Nghệ An"): a card
    prints them all so; its capital lost to OCR. (A paper that writes "phường Tân Định, Quận 1, Thành phố Hồ Chí
    Minh" capitalises later kinds, not earlier ones: so a kind opening with a letter whose capital is its small
    letter drawn larger, before kinds all in small letters, was read in the wrong case: "Thôn Trung, Xã Quỳnh
    Lương, huyện Quỳnh Lưu" is "xã".) The card's rule is read first: where it holds, no capital is doubted."""
    value = _PART_KINDS.sub(lambda m: m.group(1).lower() if m.group(1)[0].islower() else m.group(1), value)
    kinds = list(_PART_KINDS.finditer(value))
    if len(kinds) >= 3 and kinds[-1].group(1)[0].islower() and all(k.group(1)[0].isupper() for k in kinds[:-1]):
        at = kinds[-1].start(1)
        return value[:at] + value[at].upper() + value[at + 1 :]
    for i, k in enumerate(kinds[:-1]):
        small_after = all(later.group(1)[0].islower() for later in kinds[i + 1 :])
        if k.start(1) > 0 and k.group(1)[0] in _CASE_ALIKE and small_after:
            value = value[: k.start(1)] + k.group(1)[0].lower() + value[k.start(1) + 1 :]
    return value


def _printed_case(value: str) -> str:
    """Words OCR set in a case the paper did not, in a place printed in small letters and capitals: a capital read
    as a digit ("8ệnh viện" is "Bệnh viện"), a word read in capitals ("SỐ 167, phường …" is "Số 167"). An
    abbreviation (KP, TDP, HCM) is no word and keeps its capitals; an address printed in capitals keeps them."""
    words = value.split(" ")
    small = any(sum(c.islower() for c in w) >= 2 for w in words)
    for i, w in enumerate(words):
        if len(w) > 2 and w[0] in CAPITAL_OF_DIGIT and w[1:].isalpha() and is_syllable(CAPITAL_OF_DIGIT[w[0]] + w[1:]):
            words[i] = CAPITAL_OF_DIGIT[w[0]] + w[1:]
        elif small and len(w) > 1 and w.isalpha() and w.isupper() and is_syllable(w):
            words[i] = w[0] + w[1:].lower()
    return " ".join(words)


def _unit(name: str, levels: tuple[str, ...], province: str | None, district: str | None, firm: bool = False):
    """(verdict, level, the unit's key, listed elsewhere) for a unit's name. It is listed when found where the
    larger units already read put it, and searched there; numbered units (Phường 7) are matched exactly only. A
    name the paper gave its kind for (`firm`) may be two letters off when few units are left to choose from."""
    places = _places()
    spaced = _HYPHEN.sub(" ", name)
    if spaced != name:  # "Hòa-Khánh Bắc": a space OCR read as a hyphen (units' names hold none, only " - ")
        verdict, level, entry, elsewhere = _unit(spaced, levels, province, district, firm)
        listed = places.level(level).spelling.get(key(spaced), spaced) if verdict.listed and level else None
        return (_Verdict(False, listed, [listed]) if listed else verdict), level, entry, elsewhere
    k = re.sub(r"\b0+(?=\d)", "", key(name))
    scopes = {"province": None, "district": ("district", province), "ward": ("ward", province, None)}
    if ("ward", province, district) in places.scoped:
        scopes["ward"] = ("ward", province, district)
    pools = []
    for lv in levels:
        vocab, scope = places.level(lv), scopes[lv]
        inside = places.scoped_sets.get(scope) if scope else None
        if k in vocab.spelling and (inside is None or k in inside):
            return _Verdict(True, None, []), lv, vocab.entry[k], False
        pools.append((vocab, places.scoped.get(scope) or vocab.keys if scope else vocab.keys))
    if re.search(r"(?<!\w)\d+(?!\w)", k):  # a number of its own ("Phường 7"), not a letter misread ("1à Tĩnh")
        pools = [(v, []) for v, _ in pools]
    verdict = _closest(k, pools)
    if not verdict.candidates and scopes["ward"][2] is not None and "ward" in levels:
        # Communes move between districts (Nghi Phong, once of Nghi Lộc, is listed under Vinh) while papers keep the
        # old one: one close commune elsewhere in the province is taken, for the reviewer to confirm.
        wide = _closest(k, [(places.wards, places.scoped[("ward", province, None)])])  # built with the district's
        if wide.fix:
            verdict = _Verdict(False, wide.fix, wide.candidates, sure=False)
    if not verdict.candidates and firm:
        verdict = _one_among_few(k, [(v, keys) for v, keys in pools if v is places.provinces or keys is not v.keys])
    elsewhere = [lv for lv in levels if k in places.level(lv).spelling]
    if elsewhere:  # a real name, though not of this place: never changed into another, only shown
        return _Verdict(False, None, verdict.candidates), elsewhere[0], places.level(elsewhere[0]).entry[k], True
    if verdict.fix:
        found = key(verdict.fix)
        level = next(lv for lv in levels if found in places.level(lv).spelling)
        return verdict, level, places.level(level).entry[found], False
    return _unit_in_noise(name, levels, province, district, firm) or (verdict, None, None, False)


def _speck_word(word: str) -> bool:
    """Letters a speck or a rule was read as: capitals that spell no word of a unit's name ("CV"), or a capital
    after a small letter ("lA"), which no word has."""
    if word.isupper():
        return key(word) not in _places().syllables.spelling
    return any(c.isupper() for c in word[1:])


def _without_specks(name: str) -> str:
    """A name's words less the marks, digits and _speck_word letters OCR read among them."""
    words = [w.strip(_NOISE_EDGE) for w in name.split()]
    return " ".join(w for w in words if w.isalpha() and not _speck_word(w))


def _unit_in_noise(name: str, levels: tuple[str, ...], province: str | None, district: str | None, firm: bool):
    """A unit's name with OCR's specks read inside it ("Quận CV - Thanh Khê", "Phường Nam Hà lA"): its words read
    as marks, digits or odd capitals that are no word of any unit's name left out, the rest looked up. A fix for the
    reviewer to confirm, or None. Small letters stay: they are a word misread ("Thành pêyố Vinh"), no speck."""
    kept = _without_specks(name)
    if not kept or kept == name:
        return None
    verdict, level, entry, elsewhere = _unit(kept, levels, province, district, firm)
    fix = _places().level(level).spelling.get(key(kept), kept) if verdict.listed and level else verdict.fix
    if fix is None or elsewhere:
        return None
    return _Verdict(False, fix, [fix], sure=False), level, entry, False


def _one_among_few(k: str, pools: list[tuple[_Vocab, list[str]]]) -> _Verdict:
    """Among few names (the provinces, or the units the larger ones already read leave) a name two letters off,
    marks aside, is still told apart: "Thổ Dầu Một" of Bình Dương is Thủ Dầu Một, "dau Phóng" is Hải Phòng. The
    one entry closest ("Khánh Hêa": Khánh Hòa a letter off, Thanh Hóa two) is a fix for the reviewer to confirm;
    a short name (under six letters) is never guessed, nor a kind left without its name ("thành phố" is no Thanh
    Hóa)."""
    letters = fold(k.replace("_", ""))
    if len(letters.replace(" ", "")) < MIN_FEW_LETTERS or letters in _FOLDED_KINDS:
        return _Verdict(False, None, [])
    by_distance: dict[int, dict[str, str]] = {}
    for v, keys in pools:
        for n in keys:
            if (d := Levenshtein.distance(letters, v.letters[n], score_cutoff=2)) <= 2:
                by_distance.setdefault(d, {})[v.entry[n]] = v.spelling[n]
    candidates = [s for d in sorted(by_distance) for s in by_distance[d].values()]
    closest = by_distance[min(by_distance)] if by_distance else {}
    if len(closest) != 1:
        return _Verdict(False, None, candidates)
    (spelling,) = closest.values()
    return _Verdict(False, spelling, [spelling], sure=False)


def _words(text: str) -> _Result:
    """A part that is no unit (house, hamlet, street): only words that are no Vietnamese syllable are looked at."""
    places, names = _places(), _lists()["name"]
    pools = [(places.syllables, places.syllables.keys), (names, names.keys)]
    tokens = re.split(r"(\s+)", text)
    suspicious, candidates = False, []
    for i, t in enumerate(tokens):
        if t and not t.isspace():
            tokens[i], flagged, near = _word(t, pools, must_be_listed=False)
            suspicious |= flagged
            candidates += near
    return "".join(tokens), suspicious, candidates
