"""A tờ khai's requester who is the child's father or mother: one person, printed twice on the paper.

The relationship row ("Quan hệ với người được khai sinh: Cha đẻ") says the requester is a parent; the requester's
name and residence are then printed again in that parent's block. Two readings of one print differ only by what
OCR misread in one of them ("Số 5+3" and "Số 54" on a 200-dpi scan, "Dương Kim Hóa" and "Dương Kim Hoa" on a
70-dpi copy, "Quách Tiền" with its last word lost beside "Quách Tiến Khang"). The two are made one: a reading that
is the other's first words only (a word lost) takes the other's; else the less sure takes the surer one's, for the
reviewer to confirm, its own reading kept as `ocr_value`. Only readings alike enough to be one print (LETTERS_OFF):
a relationship misread as a parent ("Bố" for "Bà") must not make the grandmother her son-in-law. An empty field
stays empty: the parent's block of an unknown father is left blank, and so would a misread one be. Run once the
papers have agreed their spellings (forms.dossier.across_papers): a name's marks are better settled by its readings
on the other papers than by the surer of its two on one ("Châu Khánh Văn" surer on the tờ khai, "Vân" on the card
and the giấy chứng sinh).
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from .agree import AGREED, HasFields
from .catalog import Catalog
from .extract import FieldValue
from .normalize import unmarked

PROBLEM = "same_person_as_requester"
RELATIONSHIP = "relationship"
REQUESTER = "requester_"
PARENTS = {
    "father_": ("cha", "bố", "ba", "cha đẻ", "bố đẻ"),
    "mother_": ("mẹ", "má", "mẹ đẻ"),
}  # fmt: skip
LETTERS_OFF = 0.1  # of the longer reading's letters (2 at least) by which two readings of one print may differ


def requester_as_parent(doc: HasFields, catalog: Catalog) -> None:
    """The requester's fields and the parent's the relationship names, made one where both were read (module
    doc)."""
    dt = catalog.document_types.get(doc.type)
    relation = doc.fields.get(RELATIONSHIP)
    if dt is None or relation is None or not relation.value:
        return
    said = " ".join(relation.value.lower().split())
    parent = next((p for p, words in PARENTS.items() if said in words), None)
    if parent is None:
        return
    keys = {f.key for f in dt.fields}
    for key in sorted(keys):
        twin = parent + key.removeprefix(REQUESTER)
        if key.startswith(REQUESTER) and twin in keys:
            _one_of(doc, key, twin)


def _one_of(doc: HasFields, a: str, b: str) -> None:
    """The two fields' readings made one, where both were read and are alike (module doc)."""
    fa, fb = doc.fields.get(a), doc.fields.get(b)
    if fa is None or fb is None or not fa.value or not fb.value or fa.value == fb.value:
        return
    wa, wb = unmarked(fa.value).split(), unmarked(fb.value).split()
    if wa[: len(wb)] == wb and len(wa) > len(wb):
        doc.fields[b] = _taken(fb, fa)
    elif wb[: len(wa)] == wa and len(wb) > len(wa):
        doc.fields[a] = _taken(fa, fb)
    elif _alike(" ".join(wa), " ".join(wb)) and fa.confidence != fb.confidence:
        loser, winner = (a, fb) if fa.confidence < fb.confidence else (b, fa)
        doc.fields[loser] = _taken(doc.fields[loser], winner)


def _alike(a: str, b: str) -> bool:
    most = max(2, int(LETTERS_OFF * max(len(a), len(b))))
    return Levenshtein.distance(a, b, score_cutoff=most) <= most


def _taken(read: FieldValue, source: FieldValue) -> FieldValue:
    """`read` with the other reading's value, doubted (below AGREED) and no surer than that reading."""
    return FieldValue(source.value, read.raw, min(AGREED, source.confidence), read.page, read.box, source.valid,
                      [*read.problems, PROBLEM], read.ocr_value or read.value)  # fmt: skip
