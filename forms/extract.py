"""Field extraction anchored on printed labels.

Labels are matched in OCR lines with diacritics folded away and a fuzzy score, so "Ho, chu dem, ten" still finds
"Họ, chữ đệm, tên". The value is what follows the label on its line up to the next label or boilerplate phrase
(several pairs can share a line), or the next line when the label stands alone. What is left of a longer label
variant ("Họ và tên mẹ/người nuôi dưỡng:", "Quốc tịch / Nationality:") is skipped, and a value of a typed kind
(date, number, sex) that does not parse there is looked for in the lines just below its label. Fields of a person's
block ("Năm sinh" of the mother, then of the father) are looked for only inside that block, so an empty block stays
empty. Dotted leaders and ruling left in the text are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from statistics import median

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ocr.layout import centre_inside

from . import in_order, label_order, normalize, number_words, validate, vocab
from .catalog import DocumentType, FieldDef
from .lines import Line, union_box

LABEL_MIN_SCORE = 86.0
EXACT_SCORE = 95.0  # a label read this well is what it says, whatever order the others are found in
ALONE_MIN_SCORE = 74.0  # a garbled label that is all of its table cell, or all before its colon
# A block's heading found, weighed against its labels' scores when the blocks are put in order: it outweighs a
# garbled label's preference for another key, not a label (two headings side by side: the mother's and the
# father's, their labels under them).
HEADING_WEIGHT = 50.0
HEADING_AHEAD = 5.0  # by how much a heading's match must beat another block's heading on its line
_HEADING_RANK = "heading:"  # the rank of a block's heading in that order, before its label
ALONE_MIN_CHARS = 6  # shorter labels ("Số", "Tại") are too like any short word for the looser bar
MISREAD_DIGIT_CHARS = 10  # a garbled label alone may hold a digit for each this many characters (a misread "H")
SHORT_LABEL_CHARS = 3  # but one of three letters or more, a letter off, alone before a line's first colon is one
DISAGREE_CONF = 0.6  # a date whose figures and words disagree, the words taken: for the reviewer to confirm
EXPLAINS_MARGIN = 5.0  # how much worse a label opening alike may match and still win by reading the longer text
OWN_WORDS_OFF = 2  # letters a long label's own words may be off by and still hold the short label inside it
ECHO_MIN_SCORE = 75.0  # a label printed again (in English, or OCR-garbled) at the start of a value
LABEL_TAIL_CHARS = 40  # how far past a matched label its longer variant may run before its colon
LABEL_WORDS = 6  # words at most before the colon of a label a line opens with ("Số CMND/CCCD/Hộ chiếu:")
STOP = ""  # the key of a boilerplate hit: it ends values and fills no field
TYPED_KINDS = {"date", "expiry", "year", "sex", "id_number", "grams"}  # kinds that tell a value from other text
BELOW_LINES = 3  # lines under a label searched for a typed value printed beneath it
CLOSE_GAP = 1.25  # widest space before a value's wrap, in letter heights: a form at 1.5 spacing leaves one
VOCAB_DOUBT = 0.6  # confidence factor for a name or place no vocabulary knows: below what passes unreviewed
YEAR_FROM_ID_CONF = 0.85  # a year of birth read from the ID number: sure as the number, yet for the reviewer
ROW_WORDS = 10  # words at most in a row of values with no label's colon, nor figure: more are a sentence
ORDER_DOUBT = 0.5  # confidence factor for a card's value found by its place, its label unreadable
SURNAME_LETTERS_OFF = 1  # letters a name in capitals may open a listed surname's letters off by
DIGIT_DROPPED_CONF = 0.5  # an ID read a digit too long, the one digit its holder's birth year says to drop
ID_DIGIT_DROPPED = "id_number_digit_dropped"
_LEADERS = re.compile(r"[.…_·•]{2,}|[_]+")
# A dotted line: longer than any abbreviation's or ellipsis's dots, or three standing alone between words (what
# OCR kept of a faint one: "Quách Tiến Khang ... Âu và 1e"; an ellipsis follows its word).
_DOTTED = re.compile(r"[.…_·•]{4,}|(?<=\s)[.…_·•]{3}(?=\s)")
_EDGE = " :;,.-–—=*|/\\¡¦„‚_\"'“”‘’"  # separators, specks a cell's corner and its ruled bottom leave, and quotes


@dataclass
class LabelHit:
    line: int  # index into the document's lines
    start: int
    end: int
    score: float
    key: str
    heading: bool = False  # a heading that opens the key's block (FieldDef.headings), not its label


@dataclass
class FieldValue:
    value: str | None
    raw: str
    confidence: float
    page: int | None
    box: list[int] | None
    valid: bool
    problems: list[str]
    ocr_value: str | None = None  # what OCR read where a more reliable source (the card's QR) differs

    def to_json(self) -> dict:
        d = {"value": self.value, "confidence": self.confidence, "page": self.page, "box": self.box,
             "valid": self.valid}  # fmt: skip
        if self.problems:
            d["problems"] = self.problems
        if self.ocr_value is not None:
            d["ocr_value"] = self.ocr_value
        return d


def _label_hit(target: str, line: Line, loose: bool = True) -> tuple[float, int, int] | None:
    """Where a label (`target`, folded) stands in line, and how well it matches; `loose` also tries _label_alone
    (field labels, not boilerplate: a garbled label is worth finding, a garbled stop phrase is too like other
    words)."""
    if len(target) > len(line.folded) + 3:  # too short to hold the label, unless garbled where only a label stands
        return _label_alone(target, line) if loose else None
    al = fuzz.partial_ratio_alignment(target, line.folded, score_cutoff=LABEL_MIN_SCORE)
    if al is None:
        return _label_alone(target, line) if loose else None
    start, end = al.dest_start, al.dest_end
    score = al.score
    if al.src_end - al.src_start < len(target):
        # A line shorter than the label is matched inside it ("Họ và tên" in "Họ và tên mẹ" scores 100): the
        # whole label is scored against it instead, so the exact shorter label of another field wins there.
        score = fuzz.ratio(target, line.folded[start:end])
        if score < LABEL_MIN_SCORE:
            return _label_alone(target, line) if loose else None
    # A label starts a word: "Số" must not match inside "Số định danh" of another label or inside a value. A
    # garbled first letter ("lân tộc") aligns the label past it: that line may still be all label.
    if start > 0 and line.folded[start - 1].isalnum():
        return _label_alone(target, line) if loose else None
    # After other words on its line a label is followed by its colon ("Giới tính: Nam Dân tộc: Kinh"), or read
    # exactly before a capital: the same words inside a sentence ("nếu không có nơi thường trú thì…", a form's
    # footnote) are no label. A number printed before it ("1.Họ và tên") is no other word.
    closed = _label_punctuation(line.folded[end:], line.text[start])
    capital = _capital_to_capital(line.text, start, end)
    opening = not any(c.isalnum() for c in line.folded[:start]) or _MARK_ALONE.fullmatch(line.folded[:start])
    if not opening and not (closed or capital and score >= EXACT_SCORE):
        return _label_before_colon(target, line) if loose and len(target) >= ALONE_MIN_CHARS else None
    if len(target) <= 4 and (score < 99 or not (closed or capital)):
        return None
    if score < EXACT_SCORE and not closed and _values_only(line.text[start:end]):
        return None
    end = _garbled_tail(line.text, start, _word_end(line.folded, end), target)
    return score, start, _before_capitals(line.text, start, end, target)


def _values_only(text: str) -> bool:
    """Words each a value as printed, a sex, an ethnic group or a country: "Nam Kinh" under a row of cells
    "Giới tính  Dân tộc" is a near miss of "Năm sinh" but no label."""
    words = [w.strip(_EDGE) for w in text.split()]
    return bool(words) and all(
        w and (normalize.sex(w) == w or any(vocab.listed_in(k, w) == w for k in ("ethnicity", "nationality")))
        for w in words
    )


def _word_end(folded: str, end: int) -> int:
    """A match that ends a letter or two short of its word's end ends there: a letter OCR added inside the label
    ("đệtm" for "đệm") shifts the label-long window of the alignment one short ("…, tê|n nQười mẹ"), and the cut
    word would stand between a short label and the longer one that holds it (_holds)."""
    m = re.match(r"\w{1,2}\b", folded[end:]) if 0 < end < len(folded) and folded[end - 1].isalnum() else None
    return end + m.end() if m else end


def _garbled_tail(text: str, start: int, end: int, label: str) -> int:
    """Where a label (folded) matched over text[start:end] ends when OCR garbled its last letters past the match
    ("Ho vũ tên tệ" for "Họ và tên mẹ", "…người chủ" for "…người cha"): over the fragment after it, when that is
    no longer than what the match left of the label, in small letters, and ends the line or meets the colon. Left
    as the value, it hid the name printed in the next cell."""
    m = _TAIL.match(text, end)
    if m is None or len(_RN.sub("m", m.group(1))) > len(label) - (end - start) or not m.group(1).islower():
        return end
    return m.end(1)


_TAIL = re.compile(r"\s*([^\W\d_]+)(?=\s*(?::|$))")
_RN = re.compile(r"rn")  # no Vietnamese word holds "rn": it is an "m" OCR split in two ("người rne")


def _before_capitals(text: str, start: int, end: int, target: str) -> int:
    """Where a label (`target`, folded) matched over text[start:end] really ends: before the words in capitals
    that close the match when it opened in small letters, unless they are the label's own ("Số CMND"). A label
    broken where its cell wraps ("Họ và tên mẹ/người nuôi" over "dưỡng") aligns its last word with the name
    printed after it ("HOÀNG")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    if not words or _shouted(words[0].group()):
        return end
    own = re.split(r"[\s/]+", target)
    cut = end
    for w in reversed(words[1:]):
        folded = normalize.fold(w.group())
        if not _shouted(w.group()) or any(fuzz.ratio(folded, o) >= LABEL_MIN_SCORE for o in own):
            break
        cut = start + w.start()
    return start + len(text[start:cut].rstrip()) if cut < end else end


def _shouted(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


_LABEL_END = re.compile(r":|\s/|/\s")  # a colon, or a slash set apart before the label's English
# A colon read as a full stop after a word, before a value's capital or digit ("2. Nơ thường tú. Số 50"); not the
# numbering's "2. ", nor a comma read as one inside a label ("lo câhŒ đệm. sêm ngưới yêu câu").
_STOP_FOR_COLON = re.compile(r"(?<=[^\W\d_])\.\s+(?=\w)")


def _clear_headings(loose: list[tuple[LabelHit, str]], found: list[tuple[LabelHit, str]]) -> list[tuple[LabelHit, str]]:
    """Of the headings found on a line only as a garbled label is ("Lhông tín vê người mẹ", its first letter
    misread), those that beat every other block's heading there by HEADING_AHEAD: "“Thông tên người vớn cần",
    the requester's heading, is near the father's too, and opens neither block."""
    heads = [h for h, _ in loose + found if h.heading]
    return [(h, t) for h, t in loose if all(g.key == h.key or h.score - g.score >= HEADING_AHEAD for g in heads)]


def _label_alone(target: str, line: Line) -> tuple[float, int, int] | None:
    """A label OCR garbled ("G3 tính", "Du tộc") where nothing but a label can stand: all of its line (a table's
    label cell), or all before the line's first colon (or a full stop read for it) or the slash before its
    English ("Nơi cư vú / Piace of …"). There the whole text is compared, with a looser bar."""
    if len(target) < ALONE_MIN_CHARS:
        return _short_label_alone(target, line)
    place = _alone_place(line.text, line.folded)
    if place is None:
        return None
    start, end = place
    score = fuzz.ratio(target, line.folded[start:end])
    return (score, start, end) if score >= ALONE_MIN_SCORE else _label_before_colon(target, line)


@lru_cache(maxsize=4096)
def _alone_place(text: str, folded: str) -> tuple[int, int] | None:
    """Where only a label can stand on a line (see _label_alone), or None where that text holds a value. Asked
    for every label of a type on every line: kept, not worked out again."""
    m = _LABEL_END.search(folded)
    end = m.start() if m else len(folded)
    stops = (s.start() for s in _STOP_FOR_COLON.finditer(text, 0, end) if _opens_value(text[s.end()]))
    piece = folded[: next(stops, end)].rstrip(_EDGE)
    mark = _MARK_ALONE.match(piece)  # the form's numbering ("1. 1o và tên người vêu cầu"): no part of the label
    start = mark.end() if mark and mark.end() < len(piece) else len(piece) - len(piece.lstrip(_EDGE))
    # A date or a number is a value; a digit or two in a long label may be misread letters ("11,chf đệm, tên").
    if sum(c.isdigit() for c in piece[start:]) > max(1, (len(piece) - start) // MISREAD_DIGIT_CHARS):
        return None
    return start, len(piece)


def _opens_value(c: str) -> bool:
    return c.isupper() or c.isdigit()


def _short_label_alone(target: str, line: Line) -> tuple[float, int, int] | None:
    """A short one-word label ("Tại") a letter off, all that stands before the colon opening its line ("Lại: Bệnh
    viện …"): too like any short word for the looser bar anywhere else."""
    colon = line.folded.find(":")
    if len(target) < SHORT_LABEL_CHARS or " " in target or colon < 0:
        return None
    piece = line.folded[:colon].strip(_EDGE)
    start = line.folded.find(piece)
    if len(piece) == len(target) and piece.isalpha() and Levenshtein.distance(piece, target) == 1:
        return ALONE_MIN_SCORE, start, start + len(piece)
    return None


def _label_before_colon(target: str, line: Line) -> tuple[float, int, int] | None:
    """A garbled label after a value on its line, its colon after it ("Dân tộc: Kinh Quốc tịclu: Việt Nam", or
    an empty block's "Dân tộc: Quốc tịclu:"): the words just before a colon, as many as the label has."""
    n = len(target.split())
    for colon, starts in _before_colons(line.folded):
        if len(starts) <= n:
            continue  # all of the line before it: compared whole above
        start = starts[-n]
        piece = line.folded[start:colon].rstrip(_EDGE)
        if not any(c.isdigit() for c in piece) and (score := fuzz.ratio(target, piece)) >= ALONE_MIN_SCORE:
            return score, start, start + len(piece)
    return None


def _opens_with_label(line: Line) -> bool:
    """A line that opens with a few words and their colon ("Mmsinh: 1996", a garbled "Năm sinh:") starts a field
    of its own, whether or not its label was recognised: no value above runs on into it. Its value follows the
    colon: "phố Hà Nội : _" is an address's rest with a speck after it."""
    colons = _before_colons(line.folded)
    if not colons:
        return False
    colon, starts = colons[0]
    head = line.folded[:colon]  # a word at least: "—: Lưu, Tỉnh Nghệ An" is an address's rest after a speck
    if not re.search(r"\w\w|\d", line.folded[colon + 1 :]):
        return False
    return 1 <= len(starts) <= LABEL_WORDS and not any(c.isdigit() for c in head) and bool(re.search(r"\w\w", head))


@lru_cache(maxsize=4096)
def _before_colons(folded: str) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """Each colon of a line, with where the words before it start: the same for every label looked for there."""
    return tuple(
        (m.start(), tuple(w.start() for w in re.finditer(r"\S+", folded[: m.start()])))
        for m in re.finditer(":", folded)
    )


def _capital_to_capital(text: str, start: int, end: int) -> bool:
    """A label printed with its capital before a value opening with one, its colon lost ("Tại Bệnh viện Trung ương
    Huế", "Năm sinh 1984 Dân tộc Mường"), or before the next field's number, its full stop lost too ("2 Năm sinh
    3 Dân tộc 4 Quốc tịch:", a row left blank). In a sentence the same words are in small letters or run on into
    them ("nếu không có nơi thường trú thì…", "Số con trong lần sinh")."""
    after = text[end:].lstrip()
    if end - start >= ALONE_MIN_CHARS and (number := _NEXT_NUMBER.match(after)):  # "Số 12 Phố Huế" is an address
        after = after[number.end() :]
    return text[start : start + 1].isupper() and after[:1].isupper()


_NEXT_NUMBER = re.compile(r"\d{1,2}[.,)]?\s+")  # a field's number after a label, as OCR may leave it: "3", "3."


def _label_punctuation(rest: str, first: str = "") -> bool:
    """A short label ("Số", "No") is followed by its colon or a slash to its translation, or ends the line: the
    same word inside a value ("Số 81, ngõ 110") is not a label. A colon read as a semicolon ("Dân tộc; Kinh")
    counts after a label printed with its capital (`first`): in a sentence the same words are in small letters
    ("… nơi đăng ký thường trú; nếu không có …")."""
    rest = rest.lstrip()
    return not rest or rest[0] in ":/." or (rest[0] == ";" and first.isupper())


def _phrases(doc_type: DocumentType) -> list[tuple[str, str, bool]]:
    """(key, folded phrase, whether a heading) for every label of the type's fields, their blocks' headings, then
    its boilerplate stops under the key STOP."""
    labels = [(f.key, label, False) for f in doc_type.fields for label in f.labels]
    headings = [(f.key, heading, True) for f in doc_type.fields for heading in f.headings]
    triples = labels + headings + [(STOP, p, False) for p in doc_type.stops]
    return [(key, normalize.fold(phrase), heading) for key, phrase, heading in triples]


def find_labels(doc_type: DocumentType, lines: list[Line]) -> list[LabelHit]:
    """Every place a label (or a stop phrase) of the type stands; where two overlap, the better match wins, then
    the longer. Two labels of one field side by side ("Quốc tịch / Nationality") count as one."""
    hits: list[LabelHit] = []
    phrases = _phrases(doc_type)
    for i, line in enumerate(lines):
        found: list[tuple[LabelHit, str]] = []
        loose: list[tuple[LabelHit, str]] = []  # headings found only as garbled labels are: see _clear_headings
        for key, target, heading in phrases:
            got = _label_hit(target, line, loose=key != STOP and not heading)  # boilerplate is matched strictly
            if got:
                found.append((LabelHit(i, got[1], got[2], got[0], key, heading), target))
            elif heading and (got := _label_hit(target, line)):
                loose.append((LabelHit(i, got[1], got[2], got[0], key, heading), target))
        found = _longer_read(found + _clear_headings(loose, found), line)
        found = [h for h in found if h.key != STOP or not _inside_a_label(h, found)]
        # Best match first, then the longest: on "Họ, chữ đệm, tên: …" the exact short label beats a near miss of
        # "Họ, chữ đệm, tên người mẹ", while on the mother's line both match exactly and the longer one wins.
        found.sort(key=lambda h: (-round(h.score / 2), -(h.end - h.start)))
        kept: list[LabelHit] = []
        for h in found:
            # The same label printed for several fields ("Dân tộc" of child, mother, father) stands for each of
            # them; a weaker near miss of another label on the same words does not.
            if all(h.end <= k.start or h.start >= k.end for k in kept) or any(
                k.key != h.key and (k.start, k.end) == (h.start, h.end) and k.score == h.score for k in kept
            ):
                kept.append(h)
        hits += _merge_pairs(sorted(kept, key=lambda h: h.start), line.text)
    return _near_misses_dropped(doc_type, hits)


def _near_misses_dropped(doc_type: DocumentType, hits: list[LabelHit]) -> list[LabelHit]:
    """A label the paper prints once, read well somewhere, is not also where a near miss of it stands ("An Giang"
    alone on its line, an address's wrap, is no "Cân nặng" when "Cân nặng:" reads further down)."""
    shared = _shared_labels(doc_type)
    exact = {h.key for h in hits if h.score >= EXACT_SCORE and h.key not in shared and not h.heading}
    return [h for h in hits if h.key == STOP or h.key not in exact or h.score >= LABEL_MIN_SCORE]


def _inside_a_label(stop: LabelHit, found: list[LabelHit]) -> bool:
    """A stop phrase inside a field's label is part of it ("người yêu cầu" of "Họ, chữ đệm, tên người yêu cầu"),
    where it would otherwise win for matching better than the longer, garbled label: one found as all of its line
    too ("lo câhŒ đệm. sêm ngưới yêu câu", ALONE_MIN_SCORE)."""
    return any(k.key != STOP and k.start <= stop.start and stop.end <= k.end and k.score >= ALONE_MIN_SCORE
               for k in found)  # fmt: skip


def _blocks_in_order(doc_type: DocumentType, lines: list[Line], hits: list[LabelHit]) -> list[LabelHit]:
    """The hits, with garbled block labels given the keys that put the blocks in the paper's order (the
    catalog's order of the fields other fields are `after`; forms.label_order) when the keys they have do not.
    A block's heading found stands in that order just before its label: a name label garbled to the child's
    short one ("Họ, chữ đấm, tên ngự frxy") under "Thông tin về người mẹ" is the mother's."""
    heads = [f.key for f in doc_type.fields if any(g.after == f.key for g in doc_type.fields)]
    ranks = [r for k in heads for r in (_HEADING_RANK + k, k)]
    places = sorted({(h.line, h.start, h.end) for h in hits if h.key in heads and not h.heading})
    had = {p: [h for h in hits if (h.line, h.start, h.end) == p and h.key in heads and not h.heading] for p in places}
    marks = {(h.line, h.start, h.end): _HEADING_RANK + h.key for h in hits if h.key in heads and h.heading}
    found = sorted([(p, had[p][0].key) for p in places if len(had[p]) == 1] + list(marks.items()))
    if label_order.in_order(ranks, [key for _, key in found]):
        return hits
    labels = {f.key: [normalize.fold(label) for label in f.labels] for f in doc_type.fields if f.key in heads}
    cells = {p: _label_cell(lines[p[0]], p[2]) for p in places}
    choices = {p: _label_choices(lines[p[0]], p, cells[p], had[p], labels) for p in places}
    for p, key in _first_under_headings(places, marks).items():  # the heading's block, however the label reads
        choices[p].setdefault(key, max(choices[p].values()))
    options = choices | {p: {rank: HEADING_WEIGHT} for p, rank in marks.items()}
    order = sorted(options)
    keys = label_order.reorder(ranks, [options[p] for p in order])
    taken = {p: (k, choices[p][k]) for p, k in zip(order, keys, strict=True) if k is not None and p in choices}
    out = []
    for h in hits:
        p = (h.line, h.start, h.end)
        if p not in taken or h.key not in heads or h.heading:
            out.append(h)
        elif h is had[p][0]:  # one hit for the place, under the key it takes, over that key's label
            field, text = taken[p][0], lines[h.line].folded[h.start :]
            label = max(labels[field], key=lambda lb: fuzz.ratio(lb, text[: len(lb)]))
            end = _garbled_tail(lines[h.line].text, h.start, h.end, label)
            out.append(LabelHit(h.line, h.start, end if field == h.key else max(end, cells[p]), taken[p][1], field))
    return out


LabelPlace = tuple[int, int, int]  # a label's line, start and end


def _first_under_headings(places: list[LabelPlace], marks: dict[LabelPlace, str]) -> dict[LabelPlace, str]:
    """The key of the block a heading opens, for the first block label found after it (before any other)."""
    out: dict[LabelPlace, str] = {}
    opened = None
    for p in sorted([*places, *marks]):
        if p in marks:
            opened = marks[p].removeprefix(_HEADING_RANK)
        elif opened is not None:
            out[p], opened = opened, None
    return out


def _label_choices(
    line: Line, p: LabelPlace, cell: int, had: list[LabelHit], labels: dict[str, list[str]]
) -> dict[str, float]:
    """The keys a block label found at `p` may take, with how well it reads as each."""
    own = {h.key: h.score for h in had}
    # A label read exactly keeps its key, unless small words after it end its cell: a longer one garbled.
    if max(own.values()) >= EXACT_SCORE and cell == p[2]:
        return own
    text = line.folded[p[1] : cell].strip(_EDGE)
    scores = {k: max(fuzz.ratio(label, text) for label in ls) for k, ls in labels.items()}
    return {k: s for k, s in scores.items() if s >= ALONE_MIN_SCORE} | own


# A few words that end a line or meet its colon; small print garbles a letter to a figure ("g1", "nyaf01"), but
# a number standing alone is a value.
_CELL_TAIL = re.compile(r"(?:\s+(?!\d+(?:\s|:|$))[^\s:]+){1,4}(?=\s*(?::|$))")


def _label_cell(line: Line, end: int) -> int:
    """Where a block label matched up to `end` ends its cell: past the few words in small letters (or specks)
    after it that end its line or meet its colon ("Họ và tên" and "người tre" or "p@vời te", a garbled "người
    mẹ"; "lọ, chữ đệm, tên" and "người vêu cầu:" or "g1 \\ êu cầu"), else at `end`."""
    m = _CELL_TAIL.match(line.text, end)
    return m.end() if m and m.group().islower() else end


def _longer_read(found: list[tuple[LabelHit, str]], line: Line) -> list[LabelHit]:
    """The hits, less each label that a longer one holds on this line ("Họ, chữ đệm, tên" inside "Họ, chữ đệm, tên
    người cha", "Năm sinh" inside "Ngày, tháng, năm sinh") when the longer label's own words are what the line has
    around it, however garbled ("ngưửi cha", "Ngày. thắng,"): the exact short label would otherwise beat the near
    miss of the long one. A value after the short label ("Họ, chữ đệm, tên: Nguyễn Thị Mai") does not read as the
    long label's words."""
    return [short for short, s_label in found if short.key == STOP or not any(
        _holds(long, l_label, short, s_label, line) or _explains_more(long, l_label, short, s_label, line)
        for long, l_label in found
    )]  # fmt: skip


def _explains_more(long: LabelHit, l_label: str, short: LabelHit, s_label: str, line: Line) -> bool:
    """Whether of two labels that open alike ("Họ, chữ đệm, tên người mẹ", "… người yêu cầu"), found at one place
    and about as well, the one found longer reads the longer text better: the shorter one's window ends on a near
    miss ("người v" as "người mẹ" in "người v êu cầu") and leaves the rest of the line unexplained."""
    if long.key == STOP or long.end <= short.end or abs(long.start - short.start) > 2 or s_label in l_label:
        return False
    # A label read as well or better, or closed by its colon ("Họ và tên người mẹ: Châu …"), is what it says.
    if long.score < short.score - EXPLAINS_MARGIN or _label_punctuation(line.folded[short.end :]):
        return False
    text = line.folded[long.start : long.end]
    return fuzz.ratio(l_label, text) > fuzz.ratio(s_label, text)


def _holds(long: LabelHit, l_label: str, short: LabelHit, s_label: str, line: Line) -> bool:
    """Whether the long hit spans the short one and its words besides the short label's are what the line has
    there: another field's label ("tên người cha" over "tên"), or a longer variant of the same field's whose
    rest is no value ("Họ và tên mẹ người nuôi dưỡng", its '/' lost)."""
    at = l_label.find(s_label)
    if long.key == STOP or len(l_label) <= len(s_label) or at < 0:
        return False
    if not (long.start <= short.start + 2 and long.end >= short.end - 2):
        return False
    own = (l_label[:at] + " " + l_label[at + len(s_label) :]).strip(_EDGE)
    there = (line.folded[long.start : short.start] + " " + line.folded[short.end : long.end]).strip(_EDGE)
    there = _RN.sub("m", there)
    # The long label may break where its cell wraps: two words or more on this line, read well, that start its
    # own ("người nuôi" of "người nuôi dưỡng"; "người" alone starts the requester's label as well as the mother's).
    wrapped = at == 0 and len(there.split()) >= 2 and fuzz.ratio(own[: len(there)], there) >= EXACT_SCORE
    # Its own words are few: the first read right and the rest two letters off is a garbled label still ("người
    # chíi" for "người cha"); "tên: Hồ Văn Tiến" is no "tên mẹ".
    first_right = len(own.split()) > 1 and own.split()[0] == (there.split() or [""])[0]
    near = first_right and Levenshtein.distance(own, there) <= OWN_WORDS_OFF
    return wrapped or near or fuzz.ratio(own, there) >= LABEL_MIN_SCORE


def _merge_pairs(hits: list[LabelHit], text: str) -> list[LabelHit]:
    """One hit for a field's labels printed side by side with only separators between (a bilingual card)."""
    out: list[LabelHit] = []
    for h in hits:
        prev = out[-1] if out else None
        if prev is not None and prev.key == h.key != STOP and not text[prev.end : h.start].strip(_EDGE):
            out[-1] = LabelHit(prev.line, prev.start, h.end, max(prev.score, h.score), h.key)
        else:
            out.append(h)
    return out


def _clean_value(text: str) -> str:
    return _LEADERS.sub(" ", text).strip(_EDGE).strip()


Span = tuple[Line, int, int]  # characters start:end of a line


def _right_margins(lines: list[Line]) -> list[float]:
    """Where typed text ends in each line's column: most full lines that start where it starts reach it (leader
    dots do not count). A two-column paper's left column ends mid-page, where its values wrap."""
    typed = [[w["box"] for w in ln.words if _clean_value(w["text"])] for ln in lines]
    ends = [
        (min(x for x, *_ in b), max(x + w for x, _, w, _ in b), max(h for *_, h in b)) if b else None for b in typed
    ]
    out = []
    for ln, end in zip(lines, ends, strict=True):
        if end is None:
            out.append(0.0)
            continue
        edges = sorted(e[1] for other, e in zip(lines, ends, strict=True)
                       if e and other.page == ln.page and abs(e[0] - end[0]) <= 2 * end[2])  # fmt: skip
        out.append(float(edges[int(0.9 * (len(edges) - 1))]))
    return out


def _runs_to_margin(words: list[dict], margin: float) -> bool:
    if not words or margin <= 0:
        return False
    last = max(w["box"][0] + w["box"][2] for w in words)
    height = max(w["box"][3] for w in words)
    return last >= margin - 2 * height


def _value_start(line: Line, start: int, end: int, labels: list[str]) -> int:
    """Where a value begins after a label that ends at `start`: past the rest of a longer variant of the label up
    to its colon ("/người nuôi dưỡng:"), past separators, and past the label printed again in English or garbled
    ("Nationality", "Ngtiondlity") that the label match did not cover."""
    colon = line.text.find(":", start, min(end, start + LABEL_TAIL_CHARS))
    if colon >= 0 and not any(c.isdigit() for c in line.text[start:colon]) and not _a_name(line.text[start:colon]):
        start = colon + 1
    start = _skip_edge(line.text, start, end)
    best, best_end = 0.0, start
    for _, b in [sp for sp in line.spans if sp[0] >= start][:4]:
        piece = line.folded[start:b].strip(_EDGE)
        after = line.text[b:end].lstrip(" ")[:1]
        for label in labels:
            # Only an English label, or one followed by its colon, is taken for an echo: "Hồ Văn Tiến" folds
            # close to "Họ và tên" and is a name, not a label.
            if len(piece) >= 4 and (label.isascii() or after in (":", "/")):
                score = fuzz.ratio(normalize.fold(label), piece)
                if score >= ECHO_MIN_SCORE and score > best:
                    best, best_end = score, b
    return _skip_edge(line.text, best_end, end)


def _a_name(text: str) -> bool:
    """A name of listed words, each with its capital ("Lê Phương Hạnh" under its label, a speck after it read as a
    colon): no rest of a label ("/người nuôi dưỡng", "Full name")."""
    words = text.split()
    return (
        2 <= len(words) <= in_order.LONGEST_NAME
        and all(w[:1].isupper() and w.isalpha() for w in words)
        and (not vocab.correct("name", text).suspicious)
    )


def _skip_edge(text: str, start: int, end: int) -> int:
    while start < end and text[start] in _EDGE:
        start += 1
    return start


# A number a numbered form prints before a field or heading ("4.", "4)", "b)", "IV."), its figure as OCR may read
# it ("%." or "$." for a 5, "1," for "1.", "HH." for "II.").
_MARK = r"(?:[\d%$§]{1,2}[.,)]|[a-zđ]\)|[IVXLH]{1,4}\.)"
_NUMBERED_LINE = re.compile(rf"\s*{_MARK}\s+[^\W\d_]")
_MARK_ALONE = re.compile(rf"\s*{_MARK}\s*")  # all that stands before a label that opens its line: "1.Họ và tên"
_NUMBERING = re.compile(rf"(?:^|\s){_MARK}\s*$")


def _numbered_line(text: str) -> bool:
    """A line that opens with a numbering mark before a capital: another field's ("2. Năm sinh", "II. THÔNG TIN").
    An address's wrap may open with a number and a comma ("71, phố Lý Thường Kiệt"): in small letters it goes on."""
    m = _NUMBERED_LINE.match(text)
    return bool(m) and text[m.end() - 1].isupper()


def _next_label(hit: LabelHit, line: Line, hits: list[LabelHit]) -> int:
    """Where the next label after `hit` starts on its line, with the number a numbered form prints before it
    ("Nam 4. Dân tộc:"; all there is between two labels, its full stop lost: "3 Dân tộc 4 Quốc tịch:"): the end
    of the line when none follows."""
    after = [h for h in hits if h.line == hit.line and h.start >= hit.end]
    if not after:
        return len(line.text)
    nxt = min(h.start for h in after)
    other = all(h.key != hit.key for h in after if h.start == nxt)  # not its English ("Quê quán 7 Place of origin")
    if other and _NEXT_NUMBER.fullmatch(line.text[hit.end : nxt].strip(_EDGE) + " "):
        return hit.end
    numbered = _NUMBERING.search(line.text, hit.end, nxt)
    return numbered.start() if numbered else nxt


def _value_after(
    hit: LabelHit, f: FieldDef, lines: list[Line], hits: list[LabelHit], margins: list[float]
) -> list[Span]:
    """Where the label's value is printed: after it on its line up to the next label, or on the next line when
    the label stands alone at its line's end (one followed by another label, its English echo or the next
    field's, has no value of its own there); a value that fills its line to the margin, breaks after a comma,
    or is an address that has not reached its province yet, goes on over the next label-free line."""
    labels = f.labels
    line = lines[hit.line]
    nxt = _next_label(hit, line, hits)
    start = _value_start(line, hit.end, nxt, labels)
    spans: list[Span] = []
    if _clean_value(line.text[start:nxt]):
        spans.append((line, start, _before_leaders(line.text, start, nxt)))
        at = hit.line
    elif nxt == len(line.text) and (at := _standalone_next(hit.line, lines, hits)) is not None:
        free = _free_start(at, lines, hits)
        begin = _value_start(lines[at], 0, free, labels)
        if f.kind == "name" and not _opens_with_surname(lines[at].text[begin:free]):
            return []  # the next row's label garbled ("Năm tên" under an empty "Họ và tên người cha"), no name
        spans.append((lines[at], begin, _before_leaders(lines[at].text, begin, free)))
    else:
        return []
    while (below := _line_below(at, lines)) is not None:
        last_line, a, b = spans[-1]
        if f.kind == "place" and _ends_at_a_kind(spans) and _opens_with_label(lines[below]):
            # A unit's kind with its name on the next line, past a label cell printed beside the wrap (a card's
            # "Có giá trị đến:" left of its residence's last line, "lÊ cógáư &n: Nghị Lộc, Nghệ An").
            colon = _before_colons(lines[below].folded)[0][0]
            spans.append(
                (lines[below], colon + 1, _before_leaders(lines[below].text, colon + 1, len(lines[below].text)))
            )
            break
        # A number opening the line under an address that stops at a unit's kind is that unit's name ("…, Quận" /
        # "3, Thành phố Hồ Chí Minh"), not the next field's number.
        numbered = _numbered_line(lines[below].text) and not (f.kind == "place" and _ends_at_a_kind(spans))
        if (_clean_value(last_line.text[b:]) or any(h.line == below for h in hits) or _opens_with_label(lines[below])
                or numbered or _heading_below(spans, lines[below])):  # fmt: skip
            break  # dots may fill a line's end; a line that opens with a label, known or garbled, is a field's own
        # A name goes on only in a name's words and case, even when it reached the margin: the line below may
        # hold the rest of its label ("Họ và tên mẹ/người nuôi" over "dưỡng"). An ethnic group or a country is
        # short: one at the margin ends a row of cells, and the line under it is the next field's.
        words = _value_words(last_line, a, b)
        if f.kind == "name":
            wraps = _name_goes_on(f, spans, lines[below])
        else:
            short = f.vocabulary in vocab.CLOSED_LISTS
            wraps = not short and (_runs_to_margin(words, margins[at]) or _unfinished(f, spans))
        if not wraps or not _close_below(lines[at], lines[below]):
            break
        at = below
        spans.append((lines[at], 0, _before_leaders(lines[at].text, 0, len(lines[at].text))))
    return spans


def _heading_below(spans: list[Span], below: Line) -> bool:
    """A line in capitals under a value that is not ("PHẦN THÔNG TIN VỀ CON" under an address): a heading."""
    words = [w for w in below.text.split() if sum(c.isalpha() for c in w) >= 2]
    so_far = [w for ln, a, b in spans for w in ln.text[a:b].split() if sum(c.isalpha() for c in w) >= 2]
    return len(words) >= 2 and all(_shouted(w) for w in words) and not all(_shouted(w) for w in so_far)


def _before_leaders(text: str, start: int, end: int) -> int:
    """Where a value typed on a dotted line ends: at the dots that run on after it (OCR reads the rest of a faint
    dotted line as letters, "Vũ Ngọc Diệp.........ccc nh HH"). Dots before the value do not end it."""
    for m in _DOTTED.finditer(text, start, end):
        if _clean_value(text[start : m.start()]):
            return m.start()
    return end


def _line_below(i: int, lines: list[Line]) -> int | None:
    """The line that stands next under line i, found on the page, not in Tesseract's reading order: that may put
    other blocks between a label and its value (the heading at the top right, read after the first cells of the
    left column), or lines of another column (a card's expiry under the photo, between an address and its wrap).
    Nearest is measured where their words stand over each other (_gap), which a slight skew does not change."""
    x0, _, x1, _ = _extent(lines[i])
    words = _letter_sized(lines[i].words)
    height = median(w["box"][3] for w in words)
    best: tuple[int, int] | None = None
    for j, other in enumerate(lines):
        if j == i or other.page != lines[i].page or other.card != lines[i].card:
            continue
        jx0, _, jx1, _ = _extent(other)
        if not (jx0 < x1 and x0 < jx1):
            continue
        gap = _gap(words, _letter_sized(other.words))
        if gap > -0.5 * height and (best is None or gap < best[0]):
            best = (gap, j)
    return best[1] if best else None


def _words_of(text: str) -> list[str]:
    """A line's words without the separators and specks at their edges; a speck alone ("._") is no word."""
    return [w for w in (w.strip(_EDGE) for w in text.split()) if w]


def _opens_with_surname(text: str) -> bool:
    """Whether a line under a name's label opens with a listed surname's letters, as a name does; a name in
    capitals, a letter off ("PHAẠM THANH DỤNG": an "A" read twice), too: a garbled label is in small letters."""
    words = _words_of(text)
    capitals = 2 <= len(words) <= in_order.LONGEST_NAME and all(w.isalpha() and w.isupper() for w in words)
    off = SURNAME_LETTERS_OFF if capitals and len(words[0]) > SURNAME_LETTERS_OFF + 1 else 0
    return bool(words) and vocab.name_spelt(words[0], surname=True, off=off)


def _standalone_next(i: int, lines: list[Line], hits: list[LabelHit]) -> int | None:
    """The line that carries the value of a label standing alone at the end of line i: the next one under it,
    close below, when it does not start with another label or boilerplate."""
    j = _line_below(i, lines)
    if j is None or not _close_below(lines[i], lines[j]):
        return None
    free = _free_start(j, lines, hits)
    word = lines[j].text[:free].strip()
    return j if free > 3 or len(word) >= 2 and word.isalpha() and word[0].isupper() else None  # "Mẹ", not a speck


def _extent(line: Line) -> tuple[int, int, int, int]:
    """x0, y0, x1, y1 of a line's words."""
    boxes = [w["box"] for w in line.words]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[0] + b[2] for b in boxes),
            max(b[1] + b[3] for b in boxes))  # fmt: skip


def _beside(hit: LabelHit, f: FieldDef, lines: list[Line], hits: list[LabelHit]) -> list[Span]:
    """The nearest line to the right of a label standing alone, on the same row: a value in the next cell of a
    ruled table, which Tesseract reads as a block of its own; an unfinished value goes on down its cell."""
    line = lines[hit.line]
    box = union_box(line.words_in(hit.start, hit.end))
    if box is None or _clean_value(line.text[hit.end :]):
        return []
    mid, right = box[1] + box[3] / 2, box[0] + box[2]
    found = [(_extent(ln)[0], j) for j, ln in enumerate(lines) if j != hit.line and _beside_row(ln, line, mid, right)]
    if not found:
        return []
    j = min(found)[1]
    free = _free_start(j, lines, hits)
    spans: list[Span] = [(lines[j], 0, free)] if free > 0 else []
    while spans and spans[-1][2] == len(lines[j].text) and _unfinished(f, spans):
        k = _cell_below(j, lines, hits)
        if k is None:
            break
        spans.append((lines[k], 0, len(lines[k].text)))
        j = k
    return spans


def _in_its_column(hit: LabelHit, lines: list[Line], hits: list[LabelHit]) -> list[Span]:
    """A label in a row of labels, each over its value in a cell of its own ("Giới tính  Dân tộc  Quốc tịch" over
    "Nam  Kinh  Việt Nam"), which Tesseract reads as two lines: the words of the line under the row that stand
    in the label's column, from its left edge to the next label's. A label after other text on its line, with
    none after it, is in such a row though OCR garbled the others ("Vâm shướt  Tiêm bóc  Quốc tịch")."""
    line = lines[hit.line]
    starts = sorted({h.start for h in hits if h.line == hit.line})
    in_a_row = len(starts) >= 2 or bool(_clean_value(line.text[: hit.start]))  # the others' labels may be garbled
    if not in_a_row or _clean_value(line.text[hit.end : _next_label(hit, line, hits)]):
        return []
    j = _standalone_next(hit.line, lines, hits)
    box = union_box(line.words_in(hit.start, hit.end))
    if j is None or box is None:
        return []
    later = [a for a in starts if a >= hit.end]
    nxt = union_box(line.words_in(later[0], later[0] + 1)) if later else None
    left, right = box[0] - box[3], nxt[0] if nxt else float("inf")
    below = lines[j]
    inside = [k for k, w in enumerate(below.words) if left <= w["box"][0] + w["box"][2] / 2 < right]
    if not inside:
        return []
    a, b = below.spans[inside[0]][0], min(below.spans[inside[-1]][1], _free_start(j, lines, hits))
    return [(below, a, b)] if b > a else []


def _beside_row(ln: Line, label_line: Line, mid: float, right: float) -> bool:
    """A line to the right of a label, across its middle, on its card (the other side of a copied card, set beside
    it, holds no value of this one)."""
    if ln.page != label_line.page or ln.card != label_line.card or not ln.words:
        return False
    x0, y0, x1, y1 = _extent(ln)
    return x0 >= right and y0 <= mid <= y1


def _cell_below(j: int, lines: list[Line], hits: list[LabelHit]) -> int | None:
    """The line just under line j starting where it starts, label-free, and on no labelled row of its own (else
    it is the next label's value)."""
    x0, y0, _, y1 = _extent(lines[j])
    height, page = y1 - y0, lines[j].page
    labelled = {h.line for h in hits}
    rows = [_extent(lines[i]) for i in labelled if lines[i].page == page and lines[i].words]
    for k, ln in enumerate(lines):
        if k == j or k in labelled or ln.page != page or not ln.words:
            continue
        a0, b0, _, b1 = _extent(ln)
        if abs(a0 - x0) <= height and -height / 3 <= b0 - y1 < height:  # a photo's lines may touch
            mid = (b0 + b1) / 2
            return None if any(r[1] <= mid <= r[3] and r[2] <= a0 for r in rows) else k
    return None


def _unfinished(f: FieldDef, spans: list[Span]) -> bool:
    """A value that breaks after a comma, or an address that has not reached its province yet."""
    so_far = _LEADERS.sub(" ", " ".join(ln.text[a:b] for ln, a, b in spans)).rstrip()
    return so_far.endswith(",") or (f.kind == "place" and not vocab.ends_at_a_province(_clean_value(so_far)))


_KIND_AT_END = re.compile(rf"(?i)(?:^|[\s,])(?:{normalize.UNIT_KINDS})[\s,]*$")


def _ends_at_a_kind(spans: list[Span]) -> bool:
    """An address broken between a unit's kind and its name ("…, Xã Nghi Phong, Huyện")."""
    return bool(_KIND_AT_END.search(" ".join(ln.text[a:b] for ln, a, b in spans)))


NAME_WRAP_WORDS = 2  # words of a name a narrow column carries over to the next line


def _name_goes_on(f: FieldDef, spans: list[Span], below: Line) -> bool:
    """A name whose last words the column carried over ("Họ, chữ đệm, tên người mẹ: NGÔ NGỌC" / "VÂN"): the line
    below holds only a word or two of a name, in the name's case, and the whole is no longer than a name. A value
    that stands alone on a line of its own (Nam, Việt Nam) is no name's end; an ethnic group's may be (Hoa, Thái)."""
    if f.kind != "name" or normalize.sex(below.text) or vocab.listed_in("nationality", below.text):
        return False
    so_far = [w.strip(_EDGE) for ln, a, b in spans for w in ln.text[a:b].split()]
    after = [w.strip(_EDGE) for w in below.text.split()]
    if not so_far or not 1 <= len(after) <= NAME_WRAP_WORDS or len(so_far) + len(after) > in_order.LONGEST_NAME:
        return False
    shouting = all(w.isupper() for w in so_far)
    return all(w.isalpha() and w[0].isupper() and (w.isupper() or not shouting) and vocab.is_syllable(w)
               for w in after)  # fmt: skip


def _below(hit: LabelHit, lines: list[Line], hits: list[LabelHit]) -> list[Span]:
    """Lines just under a label and overlapping it across, nearest first, each up to its first label: where an ID
    card prints a date under its label beside other text ("Có giá trị đến:" under the photo). Found by where they
    stand, not by reading order: Tesseract may read the date's block before the label's."""
    line = lines[hit.line]
    box = union_box(line.words_in(hit.start, hit.end))
    if box is None:
        return []
    x0, x1, bottom, height = box[0], box[0] + box[2], box[1] + box[3], box[3]
    under: list[tuple[int, int]] = []
    for j, ln in enumerate(lines):
        if j == hit.line or ln.page != line.page or ln.card != line.card or not ln.words:
            continue
        lx0, top, lx1, _ = _extent(ln)
        if 0 <= top - bottom <= (BELOW_LINES + 1) * height and lx0 < x1 and lx1 > x0:
            under.append((top, j))
    return [(lines[j], 0, _free_start(j, lines, hits)) for _, j in sorted(under)[:BELOW_LINES]]


def _close_below(line: Line, below: Line) -> bool:
    """The next line follows at ordinary line spacing: a wider gap starts another part of the paper. A word much
    taller than its line's others (a card's edge or a rule read as "|") is left out: it would make lines overlap."""
    line_words, below_words = _letter_sized(line.words), _letter_sized(below.words)
    if not line_words or not below_words:
        return False
    # The larger print sets the spacing: a small label over a value written large stands as far above it.
    height = max(w["box"][3] for w in line_words + below_words)
    gap = _gap(line_words, below_words)
    return -0.5 * height < gap < CLOSE_GAP * height  # a line above (the next block of a table) is not below


def _gap(upper: list[dict], lower: list[dict]) -> int:
    """The narrowest space between two lines where their words stand over each other: a skewed line's ends lie at
    other heights, so its highest and lowest points, far apart, say nothing of the space between the lines."""
    gaps = [b["box"][1] - (a["box"][1] + a["box"][3]) for a in upper for b in lower
            if a["box"][0] < b["box"][0] + b["box"][2] and b["box"][0] < a["box"][0] + a["box"][2]]  # fmt: skip
    if gaps:
        return min(gaps)
    return min(w["box"][1] for w in lower) - max(w["box"][1] + w["box"][3] for w in upper)


def _letter_sized(words: list[dict]) -> list[dict]:
    """A line's words without those over 1.5 times its median height."""
    if not words:
        return []
    tall = 1.5 * median(w["box"][3] for w in words)
    return [w for w in words if w["box"][3] <= tall]


def _free_start(i: int, lines: list[Line], hits: list[LabelHit]) -> int:
    """Where the first label on line i starts (the line's length when it has none)."""
    return min((h.start for h in hits if h.line == i), default=len(lines[i].text))


def _value_words(line: Line, a: int, b: int) -> list[dict]:
    return [w for w in line.words_in(a, b) if _clean_value(w["text"])]  # leader dots say nothing


def _score(label_score: float, words: list[dict], value: str | None) -> float:
    """Confidence that predicts correctness: OCR certainty of the value's weakest word and how well the label
    matched; nothing for a value that did not parse. Failed validation halves it later."""
    if value is None:
        return 0.0
    ocr = min((w["conf"] for w in words), default=0.0)
    return round(ocr * (0.6 + 0.4 * label_score / 100.0), 3)


Position = tuple[int, int]  # (line, character) of a label on the document's lines
END: Position = (1 << 30, 0)


def _shared_labels(doc_type: DocumentType) -> set[str]:
    """Fields whose label another field prints too ("Năm sinh" of the mother and of the father)."""
    folded = {f.key: {normalize.fold(label) for label in f.labels} for f in doc_type.fields}
    return {k for k, ls in folded.items() if any(ls & o for j, o in folded.items() if j != k)}


def _window(
    f: FieldDef, hits: list[LabelHit], where: dict[str, Position], anchors: set[str], shared: set[str]
) -> tuple[Position, Position] | None:
    """Where a field's label may stand: inside its person's block, from the block's own label (`after`) to the
    next block's. None when the block's label is not on the page and the field's label is printed in other blocks
    too: better no value than another person's. A block's name whose `after` is not found starts at its own
    heading, when that is (the child's, its relationship row garbled)."""
    if not f.after:
        return (0, 0), END
    heading = min(((h.line, h.start) for h in hits if h.key == f.key and h.heading), default=None)
    lo = _block_start(f.after, hits, where, anchors) or heading
    if lo is None:
        return ((0, 0), END) if f.key not in shared else None
    return lo, _next_block(lo, {f.after, f.key}, hits, anchors)


def _next_block(lo: Position, own: set[str], hits: list[LabelHit], anchors: set[str]) -> Position:
    """Where the next block after `lo` opens: the first label or heading of a block not among `own`."""
    return min(((h.line, h.start) for h in hits if h.key in anchors - own and (h.line, h.start) > lo), default=END)


def _block_start(key: str, hits: list[LabelHit], where: dict[str, Position], anchors: set[str]) -> Position | None:
    """Where the block the field `key` opens starts: at its heading when that stands before its label with no other
    block's heading or label between (a clean scan's "Đã sinh con vào lúc" read after the rows under it, "Tại",
    "Cân nặng"; not the father's heading beside the mother's, over her block), else at its label."""
    at = where.get(key)
    if at is None:
        return None
    heads = [(h.line, h.start) for h in hits if h.key == key and h.heading and (h.line, h.start) <= at]
    if not heads:
        return at
    others = [(h.line, h.start) for h in hits if h.key in anchors - {key} and max(heads) < (h.line, h.start) < at]
    return at if others else max(heads)


def _checked(f: FieldDef, value: str | None) -> tuple[str | None, str | None, float]:
    """(value, OCR's reading where the vocabulary corrected it, confidence factor): a misread with one close
    listed spelling is corrected; a value no list knows and none corrects is doubted, for the reviewer."""
    if value is None or f.vocabulary is None:
        return value, None, 1.0
    if not any(c.isalpha() for c in value):
        return None, value, 1.0  # a speck or a leader's mark ("#", "..,") in a blank cell: no name, place or group
    c = vocab.correct(f.vocabulary, value)
    if c.unmatched and f.vocabulary in vocab.CLOSED_LISTS and (listed := vocab.listed_in(f.vocabulary, value)):
        # A row's labels garbled past knowing run into the value ("Quốc tr» Nam Kinh 'Việt Nam Nơi vọn" after
        # "Dân tộc"): the first listed entry in it, as whole words, is the value; doubted, for the reviewer.
        return listed, value, VOCAB_DOUBT
    doubt = VOCAB_DOUBT if c.suspicious else 1.0  # a correction the vocabulary is unsure of stays doubted too
    return (c.value, value, doubt) if c.changed else (value, None, doubt)


def _reading(f: FieldDef, hit: LabelHit, spans: list[Span]) -> FieldValue:
    # Edges are trimmed off the whole: the comma that ended a wrapped line stays between its parts.
    # A "|" at a line's end is a rule or a card's edge, never part of a value.
    text = _clean_value(" ".join(_LEADERS.sub(" ", ln.text[a:b]).strip(" |") for ln, a, b in spans))
    words = [w for ln, a, b in spans for w in _value_words(ln, a, b)]
    value, ocr_value, doubt = _checked(f, normalize.NORMALISERS[f.kind](text))
    problems = [] if value is not None else [f"unreadable_{f.kind}"]
    words = _carrying(f, value, words)
    conf = round(_score(hit.score, words, value) * doubt * _mended(f, value, text), 3)
    return FieldValue(value, text, conf, spans[0][0].page, union_box(words), not problems, problems, ocr_value)


def _carrying(f: FieldDef, value: str | None, words: list[dict]) -> list[dict]:
    """The words that carry a number's digits, when some do: an ID's confidence and box are its own, not those of
    the words around it ("Căn cước công dân sế 079091825497, cấp ngày …")."""
    if value is None or f.kind not in MENDED_KINDS:
        return words
    own = [w for w in words if (d := re.sub(r"\D", "", w["text"])) and d in value]
    return own or words


def _mended(f: FieldDef, value: str | None, text: str) -> float:
    """Confidence factor for a number whose digits normalising mended ("Năm sinh: 7997" read as 1997, an ID's 9
    before its province code read as 0): its digits are not all as OCR read them, so the reviewer looks."""
    if value is None or f.kind not in MENDED_KINDS or value in re.sub(r"\D", "", text):
        return 1.0
    return VOCAB_DOUBT


MENDED_KINDS = ("year", "id_number")


def _wrapped(hit: LabelHit, f: FieldDef, lines: list[Line], hits: list[LabelHit]) -> LabelHit:
    """The hit grown over the rest of its line when that is the start of a longer variant of its label, broken
    off where its cell wraps ("Họ và tên mẹ/người nuôi" over "dưỡng"): that rest is no value."""
    line = lines[hit.line]
    nxt = _next_label(hit, line, hits)
    matched, rest = line.folded[hit.start : hit.end], line.folded[hit.end : nxt].strip(_EDGE)
    for label in map(normalize.fold, f.labels):
        tail = label[len(matched) :].strip(_EDGE)
        if not 3 <= len(rest) < len(tail) or fuzz.ratio(label[: len(matched)], matched) < LABEL_MIN_SCORE:
            continue
        if fuzz.ratio(rest, tail[: len(rest)]) >= LABEL_MIN_SCORE:
            return LabelHit(hit.line, hit.start, nxt, hit.score, hit.key)
    return hit


def _read_field(
    f: FieldDef, candidates: list[LabelHit], lines: list[Line], hits: list[LabelHit], margins: list[float]
) -> tuple[LabelHit, FieldValue] | None:
    """The first reading that parses as the field's kind, over its labels in order: in the cell beside a label
    that stands alone (before the line under it: in a table that is the next label's cell), in its column under a
    row of labels, after the label, then, for typed kinds, under it. Failing that, the first reading found, marked
    unreadable."""
    first: tuple[LabelHit, FieldValue] | None = None
    readings = _readings(f, candidates, lines, hits, margins)
    for hit, _, fv in readings:
        if fv.value is None and f.kind == "id_number" and _number_misread(fv.raw):
            return hit, fv  # the number stands here, a digit or two off: a line below holds another field's digits
        if fv.value is None:
            first = first or (hit, fv)
            continue
        if f.kind == "date":  # a date printed again in words ("ghi bằng chữ"): the next reading on another line
            later = next((r for r in readings if r[0].line != hit.line and r[2].value is not None), None)
            return _figures_or_words(hit, fv, later, lines)
        return hit, fv
    return first


def _number_misread(raw: str) -> bool:
    """Whether text holds an ID number with a digit or two read in or lost (10 to 14 digits in a run)."""
    return any(10 <= len(run) <= 14 for run in normalize.digit_runs(raw or ""))


def _readings(
    f: FieldDef, candidates: list[LabelHit], lines: list[Line], hits: list[LabelHit], margins: list[float]
) -> Iterator[tuple[LabelHit, list[Span], FieldValue]]:
    """Each reading of the field over its labels in order: in the cell beside a label that stands alone, in its
    column under a row of labels, after the label, then, for typed kinds, under it."""
    for hit in (_wrapped(h, f, lines, hits) for h in candidates):
        options = [
            _beside(hit, f, lines, hits),
            _in_its_column(hit, lines, hits),
            _value_after(hit, f, lines, hits, margins),
        ]
        if f.kind in TYPED_KINDS:
            options += [[span] for span in _below(hit, lines, hits)]
        yield from ((hit, spans, _reading(f, hit, spans)) for spans in options if spans)


def _figures_or_words(
    hit: LabelHit, figures: FieldValue, words: tuple[LabelHit, list[Span], FieldValue] | None, lines: list[Line]
) -> tuple[LabelHit, FieldValue]:
    """A date read in figures, or the same date written out in words when that reads otherwise and every number
    word of it was read exactly: a misread figure changes a date silently ("27/03/2024" read "27032023" in a
    face whose 4 looks like a 3), a misread word seldom makes another number word. Words wrapped to the next line
    ("… hai mươi" / "lăm") are read whole first. The figures stay as `ocr_value`; the reviewer is asked to look.
    Words that agree with the figures on their own line are not run on into the next: the child's sex "Nam"
    under a whole date is no "năm" (five) making 2025 2030."""
    if words is None:
        return hit, figures
    own = normalize.fold(words[2].raw)
    text = normalize.fold(" ".join([words[2].raw, _wrapped_words(words[1][-1][0], lines)]))
    said = number_words.date(text, exact=True)
    if said is None or figures.value in (said, number_words.date(text), number_words.date(own)):
        return hit, figures
    fv = words[2]
    fv.value, fv.ocr_value, fv.problems = said, figures.value, [*fv.problems, "figures_disagree_with_words"]
    fv.confidence = round(min(fv.confidence, DISAGREE_CONF), 3)
    return words[0], fv


def _wrapped_words(last: Line, lines: list[Line]) -> str:
    """The next line after `last` when it holds number words only: the rest of a date written out."""
    at = next((i for i, ln in enumerate(lines) if ln is last), None)
    after = lines[at + 1] if at is not None and at + 1 < len(lines) else None
    if after is None or after.page != last.page:
        return ""
    return after.text if number_words.all_number_words(normalize.fold(after.text)) else ""


def extract_fields(doc_type: DocumentType, lines: list[Line], back: int | None = None) -> dict[str, FieldValue]:
    """Values of the type's fields found in the document's lines (in page order; a card's `back` side from that
    line, forms.in_order.sides_in_order)."""
    hits = _blocks_in_order(doc_type, lines, find_labels(doc_type, lines))
    margins = _right_margins(lines)
    anchors = {f.after for f in doc_type.fields if f.after}
    shared = _shared_labels(doc_type)
    out: dict[str, FieldValue] = {}
    where: dict[str, Position] = {}  # field -> where its label was found, with a value or not
    for f in doc_type.fields:
        window = _window(f, hits, where, anchors, shared)
        if window is None:
            continue
        inside = [h for h in hits if h.key == f.key and window[0] <= (h.line, h.start) < window[1]]
        candidates = [h for h in inside if not h.heading]
        if first := (candidates or inside)[:1]:  # a block whose label OCR lost starts at its heading
            where[f.key] = (first[0].line, first[0].start)
        got = _read_field(f, candidates, lines, hits, margins)
        if got is not None:
            hit, out[f.key] = got
            where[f.key] = (hit.line, hit.start)
    if doc_type.card:
        _names_in_capitals(doc_type, out)
        _places_from_their_start(doc_type, out)
        _fill_in_order(doc_type, lines, hits, where, out, back)
    else:
        _unlabelled_rows(doc_type, lines, hits, where, out)
        _names_under_headings(doc_type, lines, hits, out)
        _kinds_in_blocks(doc_type, lines, hits, where, out)
    _ids_a_digit_over(doc_type, out)
    _years_from_ids(doc_type, out)
    _validate(doc_type, out)
    return out


def _unlabelled_rows(
    doc_type: DocumentType, lines: list[Line], hits: list[LabelHit], where: dict[str, Position],
    out: dict[str, FieldValue],
) -> None:  # fmt: skip
    """A table's row whose label OCR garbled past knowing ("Giốt tới" for "Giới tính", "lại" for "Tại"): when it is
    the one row without a label between the rows of the fields printed before and after a field not read, the
    value in the cell beside it is that field's, if it reads as the field's kind. No label vouches for it: for
    the reviewer (ORDER_DOUBT)."""
    labelled = {h.line for h in hits}
    for f, before, after in _neighbours(doc_type):
        if (f.key in out and out[f.key].value is not None) or f.kind == "name":
            continue
        if before.key not in where or after.key not in where:
            continue
        lo, hi = where[before.key][0], where[after.key][0]
        gap = [j for j in range(lo + 1, hi) if j not in labelled and _in_column(lines[j], lines[lo])]
        if len(gap) != 1:
            continue
        row = LabelHit(gap[0], 0, len(lines[gap[0]].text), ALONE_MIN_SCORE, f.key)
        spans = _beside(row, f, lines, hits)
        fv = _reading(f, row, spans) if spans else None
        if fv is not None and fv.value is not None:
            fv.confidence = round(fv.confidence * ORDER_DOUBT, 3)
            out[f.key], where[f.key] = fv, (gap[0], 0)


def _names_under_headings(
    doc_type: DocumentType, lines: list[Line], hits: list[LabelHit], out: dict[str, FieldValue]
) -> None:
    """A person's name whose label OCR garbled past knowing ("H1" under "Thông tin về người mẹ"): the one line
    between the block's heading and the block's next label that reads as a name is the name. No label vouches for
    it: for the reviewer (ORDER_DOUBT)."""
    for f in doc_type.fields:
        heading = next((h for h in hits if h.key == f.key and h.heading), None)
        if f.kind != "name" or heading is None or f.key in out:
            continue
        nxt = min((h.line for h in hits if h.line > heading.line), default=len(lines))
        if any(h.key == f.key and not h.heading and h.line == nxt for h in hits):
            continue  # a name whose label opens its block keeps that label's reading, or none
        page = lines[heading.line].page
        names = [j for j in range(heading.line + 1, nxt) if lines[j].page == page and _reads_as_name(lines[j].text)]
        if len(names) != 1:
            continue
        line = lines[names[0]]
        fv = _reading(f, LabelHit(names[0], 0, 0, ALONE_MIN_SCORE, f.key), [(line, 0, len(line.text))])
        if fv.value is not None:
            fv.confidence = round(fv.confidence * ORDER_DOUBT, 3)
            out[f.key] = fv


def _kinds_in_blocks(
    doc_type: DocumentType, lines: list[Line], hits: list[LabelHit], where: dict[str, Position],
    out: dict[str, FieldValue],
) -> None:  # fmt: skip
    """Values of a telling kind (a date, a year, Nam/Nữ, an ID number, a listed ethnicity or nationality, an
    address that ends at a province) whose labels OCR garbled past knowing ("Ngờa ng, ầm e4" for "Ngày, tháng, năm
    sinh", the 6-pt labels of a form in ruled cells copied at 70 dpi): when the person's block, from its label or
    heading to the next block's or a boilerplate sentence, holds as many such values, not taken by a field, as the
    block has fields of that kind not read, they are those fields' in the order printed (a child's place of birth
    before the hometown). A block's own first field is looked for so too when its block opens at a heading (a
    giấy chứng sinh's birth time under "PHẦN THÔNG TIN VỀ CON"). No label vouches for them: for the reviewer
    (ORDER_DOUBT)."""
    anchors = {f.after for f in doc_type.fields if f.after}
    read = {f.key for f in doc_type.fields if not _unread(f, out.get(f.key))}
    groups: dict[tuple, list[FieldDef]] = {}
    for f in doc_type.fields:
        in_block = f.after or (f.key in anchors and f.headings)
        if in_block and f.kind != "name" and in_order.picker(f) and f.key not in read:
            groups.setdefault(_group(f), []).append(f)
    names = [fv.box for f in doc_type.fields if f.kind == "name" and (fv := out.get(f.key)) and fv.box]
    for group, unread in groups.items():
        mates = [out[g.key] for g in doc_type.fields if _group(g) == group and g.key in read]
        got = _kind_in_block(unread[0], lines, hits, where, anchors, mates, names)
        if got is not None and len(got) == len(unread):
            for f, (value, first, last) in zip(unread, got, strict=True):
                out[f.key] = _by_place(f, value, lines[first : last + 1])


def _group(f: FieldDef) -> tuple[str, str, str | None]:
    """A field's block (the field it is `after`, or its own when it opens one), kind and word list."""
    return f.after or f.key, f.kind, f.vocabulary


def _unread(f: FieldDef, fv: FieldValue | None) -> bool:
    """Whether a field has no value, or one its closed list does not know ("Quốc Sch" for an ethnicity: the
    garbled label of the next cell)."""
    if fv is None or fv.value is None:
        return True
    return f.vocabulary in vocab.CLOSED_LISTS and vocab.correct(f.vocabulary, fv.value).unmatched


def _kind_in_block(
    f: FieldDef, lines: list[Line], hits: list[LabelHit], where: dict[str, Position], anchors: set[str],
    mates: list[FieldValue], names: list[list[int]],
) -> list[tuple[str, int, int]] | None:  # fmt: skip
    """(value, first line, last line) of each value of the field's kind in its person's block, in the order
    printed, but for those the `mates` (the block's fields of that kind read) hold; None when the block is not
    found."""
    head = f.after or f.key
    lo = _block_start(head, hits, where, anchors)
    if lo is None:
        return None
    window = lo, _next_block(lo, {head}, hits, anchors)
    stops = [(h.line, h.start) for h in hits if h.key == STOP and (h.line, h.start) > window[0]]
    lo, hi = window[0][0], min([window[1], *stops])[0]
    pick, got, seen = in_order.picker(f), [], set()
    for n in range(lo, min(hi, len(lines))):
        if not _in_block(lines, n, lo, hi) or (f.kind == "place" and not _opens_with_place(lines[n].text, f)):
            continue
        if _reads_as_name(lines[n].text) or any(_inside(lines[n], box) for box in names):
            continue  # a person's name holds no other value ("Mỹ" in "Nguyễn Mỹ Hiền" is no country)
        if any(h.line == n and not _clean_value(lines[n].text[: h.start] + lines[n].text[h.end :]) for h in hits):
            continue  # a label alone: an empty block's "Ngày, tháng, năm sinh:" is no place ("Nam Định")
        if f.vocabulary in vocab.CLOSED_LISTS and _sentence(lines[n].text):
            continue  # "… chịu trách nhiệm trước pháp luật", its "Tôi cam đoan" garbled: no country
        if (found := pick(lines, n)) and found[0] not in seen and not _taken(found, lines, mates):
            seen.add(found[0])
            got.append((found[0], n, found[1]))
    if f.kind == "date" and any(_in_figures(lines[n].text) for _, n, _ in got):
        # The date written out ("ghi bằng chữ: Ngày mười hai tháng hai năm …") echoes the one in figures above
        # it: no other field's, and its last word lost on a photo ("… hai mươi / bạ") made it 2020.
        got = [g for g in got if _in_figures(lines[g[1]].text)]
    return got


def _in_figures(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _sentence(text: str) -> bool:
    """A line of running text: more words than a row of values holds, and neither a label's colon nor a figure."""
    return len(text.split()) > ROW_WORDS and not re.search(r"[:\d]", text)


def _in_block(lines: list[Line], n: int, lo: int, hi: int) -> bool:
    """Whether line n, read between a block's first line lo and the next block's hi, stands between them on the
    page too: a table's column of values read after its column of labels stands beside the blocks above."""
    page, top = lines[lo].page, _extent(lines[lo])[1]
    bottom = _extent(lines[hi])[1] if hi < len(lines) and lines[hi].page == page else float("inf")
    return lines[n].page == page and top <= _extent(lines[n])[1] < bottom


def _opens_with_place(text: str, f: FieldDef) -> bool:
    """A line an address opens, but for specks, nor an address after a label OCR garbled (no label vouches for
    it); a hospital's name that ends at its province ("Bệnh viện Trung ương Huế, tỉnh Thừa Thiên Huế") only for
    a place that may be a facility (a place of birth)."""
    if f.facility and vocab.opens_with_facility(text.strip(_EDGE)):
        return True
    start = vocab.place_start(text)
    return start is not None and not re.search(r"[^\W\d_]{2}", text[:start])


def _taken(found: tuple[str, int], lines: list[Line], mates: list[FieldValue]) -> bool:
    """Whether a value found by its kind is one a field of the same kind in its block already holds (the place of
    birth beside the hometown): the same value, or read from the same words."""
    value, last = found
    return any(fv.value == value or (fv.box and fv.page == lines[last].page and _inside(lines[last], fv.box))
               for fv in mates)  # fmt: skip


def _inside(line: Line, box: list[int]) -> bool:
    """Whether a word of the line stands inside the box."""
    return any(centre_inside(w["box"], box) for w in line.words)


def _reads_as_name(text: str) -> bool:
    """A line that is a person's name as printed: a listed surname's letters first, then capitalised words, as
    many as a name has."""
    words = _words_of(text)
    return (2 <= len(words) <= in_order.LONGEST_NAME and _opens_with_surname(text)
            and all(w.isalpha() and w[0].isupper() for w in words))  # fmt: skip


def _in_column(line: Line, label: Line) -> bool:
    """A line of the label's page that starts where the label's line does (a letter's height off at most): a row
    of the labels' column, not a value read between them."""
    if line.page != label.page or not line.words or not label.words:
        return False
    x0, y0, _, y1 = _extent(label)
    return abs(_extent(line)[0] - x0) <= y1 - y0


def _neighbours(doc_type: DocumentType) -> Iterator[tuple[FieldDef, FieldDef, FieldDef]]:
    """Each field printed between two others, in the catalog's order (the paper's): (field, the one before, the
    one after). The last of a person's block has the next block's first after it ("Tại" between the birth's
    time and "Giới tính của con")."""
    fields = doc_type.fields
    yield from zip(fields[1:-1], fields[:-2], fields[2:], strict=True)


def _names_in_capitals(doc_type: DocumentType, out: dict[str, FieldValue]) -> None:
    """A card prints its holder's name in capitals: words in small letters before or after them are the rest of
    the label's English ("Họ và tên / Full name", read "Họ và lên /Fsll sa"), no name. They are dropped, and a
    value with no word in capitals with them, so the name may still be found by its place (forms.in_order). A
    word whose mark OCR read as a small letter ("VĂn", written "Văn") stays inside the name."""
    for f in doc_type.fields:
        fv = out.get(f.key)
        if f.kind != "name" or fv is None or fv.value is None:
            continue
        words = fv.value.split()
        capitals = [i for i, w in enumerate(words) if w.isupper()]
        if not capitals:
            out[f.key] = FieldValue(None, fv.raw, 0.0, fv.page, fv.box, False, ["unreadable_name"], None)
        elif len(capitals) > 1 or len(words) == 1:
            fv.value = " ".join(words[capitals[0] : capitals[-1] + 1])


def _places_from_their_start(doc_type: DocumentType, out: dict[str, FieldValue]) -> None:
    """A card's address begins at a unit's kind, a house's or a hamlet's word, or a unit's name: what was read
    before it is its label's English garbled ("P(ece oforgi Điện Biên, …" for "Place of origin: Điện Biên"). It
    is cut off, and the rest checked against the units again."""
    for f in doc_type.fields:
        fv = out.get(f.key)
        start = vocab.place_start(fv.value) if f.kind == "place" and fv and fv.value else None
        if start:
            fv.value, ocr_value, doubt = _checked(f, fv.value[start:])
            fv.ocr_value = fv.ocr_value or ocr_value
            fv.confidence = round(fv.confidence * doubt, 3)


def _years_from_ids(doc_type: DocumentType, out: dict[str, FieldValue]) -> None:
    """A year of birth that did not read ("Năm sinh: 19§S"), or a birth date's year no one living was born in
    ("23/01/1094"), taken from the same person's ID number when that is well formed (its digits carry the year):
    for the reviewer to confirm. OCR's date stays as `ocr_value`."""
    for f in doc_type.fields:
        if f.kind not in ("year", "date"):
            continue
        fv = out.get(f.key)
        ids = [g.key for g in doc_type.fields if g.kind == "id_number" and g.after == f.after and g.key in out]
        got = out[ids[0]] if ids else None
        year = validate.birth_year(got.value) if got and got.value and got.valid else None
        if got is None or year is None:
            continue
        conf = round(min(got.confidence, YEAR_FROM_ID_CONF), 3)
        if f.kind == "year" and (fv is None or fv.value is None):
            out[f.key] = FieldValue(year, got.raw, conf, got.page, got.box, True, [], None)
        elif f.kind == "date" and "date_of_birth" in f.key and fv and fv.value and _year_unborn(fv.value):
            fv.ocr_value, fv.value = fv.value, year + fv.value[4:]
            fv.confidence = min(fv.confidence, conf)


def _ids_a_digit_over(doc_type: DocumentType, out: dict[str, FieldValue]) -> None:
    """An ID number read with a digit too many ("0561794227425": a digit read twice, a speck read as one), where
    the same person's year of birth is read: the one digit whose removal leaves a well-formed number of that year
    (its province code, its century digit, the year's last two digits) is dropped. Two removals that both fit
    leave it unread. For the reviewer (ID_DIGIT_DROPPED); OCR's digits stay as `ocr_value`."""
    for f in doc_type.fields:
        fv = out.get(f.key)
        year = _birth_year(doc_type, f, out) if f.kind == "id_number" and fv and fv.value is None else None
        if year is None:
            continue
        over = [d for d in normalize.digit_runs(fv.raw) if len(d) == 13]
        fits = {n for d in over for i in range(len(d)) if validate.birth_year(n := d[:i] + d[i + 1 :]) == year}
        if len(fits) == 1:
            out[f.key] = FieldValue(fits.pop(), fv.raw, DIGIT_DROPPED_CONF, fv.page, fv.box, True,
                                    [ID_DIGIT_DROPPED], over[0])  # fmt: skip


def _birth_year(doc_type: DocumentType, f: FieldDef, out: dict[str, FieldValue]) -> str | None:
    """The year of birth read for the person whose field `f` is (a year or a date of birth in the same block)."""
    for g in doc_type.fields:
        got = out.get(g.key)
        if g.after != f.after or got is None or not got.value or got.problems:
            continue
        if g.kind == "year" or (g.kind == "date" and "date_of_birth" in g.key):
            return got.value[:4]
    return None


def _year_unborn(iso: str) -> bool:
    """A birth date that exists but in a year no one living was born in (before 1900, or to come)."""
    return validate.date(iso) in (["date_too_old"], ["date_in_future"])


def _fill_in_order(
    doc_type: DocumentType, lines: list[Line], hits: list[LabelHit], where: dict[str, Position],
    out: dict[str, FieldValue], back: int | None,
) -> None:  # fmt: skip
    """The card's values whose labels OCR garbled, found by their place in the card's order (forms.in_order),
    from the card's `back` too when a field opens it."""
    found = {k: where[k][0] for k, fv in out.items() if fv.value is not None and k in where}
    title = in_order.title_line(lines, doc_type.titles)
    # A label with no value above the card's title is its heading misread ("… SGIÉA VI † Nợ": "No."): no field.
    labelled = {k: pos[0] for k, pos in where.items() if title is None or pos[0] > title or k in found}
    stops = sorted({h.line for h in hits if h.key == STOP})
    defs = {f.key: f for f in doc_type.fields}
    fields = in_order.printed_order(doc_type.fields, lines)
    opens = in_order.back_opens_with(doc_type.fields, lines) if back is not None else None
    back_start = (opens, back) if opens and back is not None else None
    values = {k: fv.value for k, fv in out.items() if fv.value is not None}
    got = in_order.by_order(fields, lines, found, labelled, stops, title, back_start, values)
    for key, (text, first, last) in got.items():
        out[key] = _by_place(defs[key], text, lines[first : last + 1])


def _by_place(f: FieldDef, text: str, span: list[Line]) -> FieldValue:
    """A value found by its kind where its field is printed, its label unreadable: doubted (ORDER_DOUBT)."""
    value, ocr_value, doubt = _checked(f, text)
    words = [w for line in span for w in line.words]
    conf = round(sum(w["conf"] for w in words) / max(len(words), 1) * ORDER_DOUBT * doubt, 3)
    raw = " ".join(line.text for line in span)
    return FieldValue(value, raw, conf, span[0].page, union_box(words), True, [], ocr_value)


def _validate(doc_type: DocumentType, values: dict[str, FieldValue]) -> None:
    """Run each field's validators; ID numbers are checked against the same document's birth date and sex."""
    plain = {k: v.value for k, v in values.items()}
    for f in doc_type.fields:
        fv = values.get(f.key)
        if fv is None or fv.value is None:
            continue
        problems = field_problems(doc_type, f.key, fv.value, plain)
        if problems:
            fv.problems += problems
            fv.valid = False
            fv.confidence = round(fv.confidence * 0.5, 3)


def field_problems(doc_type: DocumentType, key: str, value: str, values: dict[str, str | None]) -> list[str]:
    """What the field's validators say of `value`, given the document's other values."""
    f = doc_type.field(key)
    if f is None:
        return []
    dob = next((v for k, v in values.items() if "date_of_birth" in k and v), None)
    sex = next((v for k, v in values.items() if k.endswith("sex") and v), None)
    problems: list[str] = []
    for name in f.validators:
        if name == "id_number":
            # Only the document's own holder: a requester's ID is not the child's birth date.
            same_person = key == "id_number"
            problems += validate.id_number(value, dob if same_person else None, sex if same_person else None)
        elif name == "card_expiry":  # on the card's birth date and expiry: each checked against the other
            expiry = values.get("date_of_expiry") if key == "date_of_birth" else value
            problems += validate.card_expiry(expiry, value if key == "date_of_birth" else dob)
        else:
            problems += validate.VALIDATORS[name](value)
    return problems


def revise(doc_type: DocumentType, key: str, text: str, values: dict[str, str | None]) -> tuple[str | None, list[str]]:
    """A reviewer's value for a field, normalised as extraction would: (value, problems); ("", []) clears it.

    Raises ValueError when the text cannot be read as the field's kind (a date that is no date).
    """
    f = doc_type.field(key)
    if f is None:
        raise KeyError(key)
    text = " ".join((text or "").split())
    if not text:
        return None, []
    value = normalize.NORMALISERS[f.kind](text)
    if value is None:
        raise ValueError(f"unreadable_{f.kind}")
    return value, field_problems(doc_type, key, value, {**values, key: value})
