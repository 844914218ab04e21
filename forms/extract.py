"""Field extraction anchored on printed labels.

Labels are matched in OCR lines with diacritics folded away and a fuzzy score, so "Ho, chu dem, ten" still finds
"Họ, chữ đệm, tên". The value is what follows the label on its line up to the next label (several pairs can share
a line), or the next line when the label stands alone. Dotted leaders and ruling left in the text are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from . import normalize, validate
from .catalog import DocumentType
from .lines import Line, union_box

LABEL_MIN_SCORE = 86.0
_LEADERS = re.compile(r"[.…_·•]{2,}|[_]+")
_EDGE = " :;,.-–—=*|/\\"


@dataclass
class LabelHit:
    line: int  # index into the document's lines
    start: int
    end: int
    score: float
    key: str


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


def _label_hit(label: str, line: Line) -> tuple[float, int, int] | None:
    target = normalize.fold(label)
    if len(target) > len(line.folded) + 3:
        return None
    al = fuzz.partial_ratio_alignment(target, line.folded, score_cutoff=LABEL_MIN_SCORE)
    if al is None:
        return None
    start, end = al.dest_start, al.dest_end
    # A label starts a word: "Số" must not match inside "Số định danh" of another label or inside a value.
    if start > 0 and line.folded[start - 1].isalnum():
        return None
    if len(target) <= 4 and (al.score < 99 or (end < len(line.folded) and line.folded[end].isalnum())):
        return None
    return al.score, start, end


def find_labels(doc_type: DocumentType, lines: list[Line]) -> list[LabelHit]:
    """Every place a label of the type stands; where two overlap, the better match wins, then the longer."""
    hits: list[LabelHit] = []
    for i, line in enumerate(lines):
        found: list[LabelHit] = []
        for f in doc_type.fields:
            for label in f.labels:
                got = _label_hit(label, line)
                if got:
                    found.append(LabelHit(i, got[1], got[2], got[0], f.key))
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
        hits += sorted(kept, key=lambda h: h.start)
    return hits


def _clean_value(text: str) -> str:
    return _LEADERS.sub(" ", text).strip(_EDGE).strip()


Span = tuple[Line, int, int]  # characters start:end of a line


def _right_margin(lines: list[Line], page: int) -> float:
    """Where typed text ends on a page: most full lines reach it (leader dots do not count)."""
    edges = sorted(
        max(w["box"][0] + w["box"][2] for w in ws)
        for ln in lines
        if ln.page == page and (ws := [w for w in ln.words if _clean_value(w["text"])])
    )
    return float(edges[int(0.9 * (len(edges) - 1))]) if edges else 0.0


def _runs_to_margin(words: list[dict], margin: float) -> bool:
    if not words or margin <= 0:
        return False
    last = max(w["box"][0] + w["box"][2] for w in words)
    height = max(w["box"][3] for w in words)
    return last >= margin - 2 * height


def _value_after(hit: LabelHit, lines: list[Line], hits: list[LabelHit], margins: dict[int, float]) -> list[Span]:
    """Where the label's value is printed: after it on its line up to the next label, or on the next line when
    the label stands alone; a value that fills its line to the margin goes on over the next label-free line."""
    line = lines[hit.line]
    nxt = min((h.start for h in hits if h.line == hit.line and h.start >= hit.end), default=len(line.text))
    raw = line.text[hit.end : nxt]
    spans: list[Span] = []
    if _clean_value(raw):
        spans.append((line, hit.end + len(raw) - len(raw.lstrip(_EDGE)), nxt))
        at = hit.line
    elif hit.line + 1 < len(lines) and (free := _free_start(hit.line + 1, lines, hits)) > 3:
        at = hit.line + 1
        spans.append((lines[at], 0, free))
    else:
        return []
    # Wrapped values (long addresses): the span ends at the margin and the next line carries no label at all.
    margin = margins[line.page]
    while at + 1 < len(lines) and lines[at + 1].page == line.page:
        last_line, a, b = spans[-1]
        if b < len(last_line.text) or not _runs_to_margin(_value_words(last_line, a, b), margin):
            break
        if any(h.line == at + 1 for h in hits) or not _close_below(lines[at], lines[at + 1]):
            break
        at += 1
        spans.append((lines[at], 0, len(lines[at].text)))
    return spans


def _close_below(line: Line, below: Line) -> bool:
    """The next line follows at ordinary line spacing: a wider gap starts another part of the paper."""
    if not line.words or not below.words:
        return False
    bottom = max(w["box"][1] + w["box"][3] for w in line.words)
    top = min(w["box"][1] for w in below.words)
    height = max(w["box"][3] for w in line.words)
    return top - bottom < 1.0 * height


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


def extract_fields(doc_type: DocumentType, lines: list[Line]) -> dict[str, FieldValue]:
    """Values of the type's fields found in the document's lines (in page order)."""
    hits = find_labels(doc_type, lines)
    margins = {page: _right_margin(lines, page) for page in {ln.page for ln in lines}}
    out: dict[str, FieldValue] = {}
    where: dict[str, tuple[int, int]] = {}  # field -> (line, char) where its label was found
    for f in doc_type.fields:
        start = where.get(f.after, (0, 0)) if f.after else (0, 0)
        candidates = [h for h in hits if h.key == f.key and (h.line, h.start) >= start]
        for hit in candidates:
            spans = _value_after(hit, lines, hits, margins)
            if not spans:
                continue
            text = " ".join(_clean_value(ln.text[a:b]) for ln, a, b in spans).strip()
            words = [w for ln, a, b in spans for w in _value_words(ln, a, b)]
            value = normalize.NORMALISERS[f.kind](text)
            problems = [] if value is not None else [f"unreadable_{f.kind}"]
            conf = _score(hit.score, words, value)
            page = spans[0][0].page
            out[f.key] = FieldValue(value, text, conf, page, union_box(words), not problems, problems)
            where[f.key] = (hit.line, hit.start)
            break
    _validate(doc_type, out)
    return out


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
