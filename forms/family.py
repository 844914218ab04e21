"""What one tờ khai says of one family: its requester, who may be the child's father or mother; its child, who
bears a parent's surname.

The requester. The relationship row ("Quan hệ với người được khai sinh: Cha đẻ") says the requester is a parent;
the requester's name and residence are then printed again in that parent's block. Two readings of one print differ
only by what OCR misread in one of them ("Số 5+3" and "Số 54" on a 200-dpi scan, "Dương Kim Hóa" and "Dương Kim
Hoa" on a 70-dpi copy, "Quách Tiền" with its last word lost beside "Quách Tiến Khang"). The two are made one: a
reading that is the other's first or last words only, two or more (words lost), takes the other's; else one takes
the reading that has more numbers in figures ("Số 90" beside "Số sợ"), or the surer one's, for the reviewer to
confirm, its own reading kept as `ocr_value`. Only readings alike enough to be one print (LETTERS_OFF): a
relationship misread as a parent ("Bố" for "Bà") must not make the grandmother her son-in-law. An empty field
stays empty: the parent's block of an unknown father is left blank, and so would a misread one be. Run once the
papers have agreed their spellings (forms.dossier.across_papers): a name's marks are better settled by its readings
on the other papers than by the surer of its two on one ("Châu Khánh Văn" surer on the tờ khai, "Vân" on the card
and the giấy chứng sinh).

The relationship row. Its short word ("Mẹ") in a small cell is what a photo loses first: read "A6", "Mợ" or not at
all. Where the requester's name reads as one parent's only, the requester is that parent, and the row takes that
parent's word, for the reviewer (relationship_from_names); the requester and the parent are then made one.

The child. A child takes its father's surname, or its mother's: a child's name whose first word is no surname
as spelt ("Tên Phương Huyền"; "Lượng Văn Quân", whose letters two surnames share, Lương and Lường, so vocab cannot
mend it) a letter off one parent's surname, marks aside ("Tôn Xuân Quân", "Lương Quang Bảo"), takes it, for the
reviewer.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from . import vocab
from .agree import AGREED, SURE, HasFields
from .catalog import Catalog
from .extract import FieldValue
from .normalize import unmarked

PROBLEM = "same_person_as_requester"
RELATION_PROBLEM = "relationship_from_names"
NAMES_SAY = 0.6  # a relationship the names give, its row misread: for the reviewer to confirm
SURNAME_PROBLEM = "surname_from_parent"
CHILD, PARENT_NAMES = "child_name", ("father_name", "mother_name")
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
    if _words_lost(wb, wa):
        doc.fields[b] = _taken(fb, fa)
    elif _words_lost(wa, wb):
        doc.fields[a] = _taken(fa, fb)
    elif _alike(" ".join(wa), " ".join(wb)) and (kept := _kept(fa, fb)) is not None:
        loser = b if kept is fa else a
        doc.fields[loser] = _taken(doc.fields[loser], kept)


def _kept(a: FieldValue, b: FieldValue) -> FieldValue | None:
    """Of two alike readings of one print, the one the other takes: the one that read more numbers in figures (a
    house's "90" read "sợ", its "1" read "†": OCR reads a number as letters, hardly ever letters as a number), else
    the surer one; None on a tie."""
    figures = [sum(any(c.isdigit() for c in w) for w in (fv.value or "").split()) for fv in (a, b)]
    if figures[0] != figures[1]:
        return a if figures[0] > figures[1] else b
    return None if a.confidence == b.confidence else max(a, b, key=lambda fv: fv.confidence)


def _one_print(a: str, b: str) -> bool:
    """Whether two readings may be one print (_one_of would make them one)."""
    wa, wb = unmarked(a).split(), unmarked(b).split()
    return _words_lost(wa, wb) or _words_lost(wb, wa) or _alike(" ".join(wa), " ".join(wb))


def relationship_from_names(doc: HasFields, catalog: Catalog) -> None:
    """The relationship row misread past any parent's word ("A6", "Âfe đẻ", the short "Mẹ" read "Mợ") and not
    read surely, or lost, where the requester's name reads as one parent's and not the other's: the requester is
    that parent, and the row says so in the parent's word nearest the reading (the first listed, none read), "… đẻ"
    where "đẻ" was read. For the reviewer: the reading kept as `ocr_value`. Run before requester_as_parent, which
    needs the row."""
    dt = catalog.document_types.get(doc.type)
    requester, relation = doc.fields.get(REQUESTER + "name"), doc.fields.get(RELATIONSHIP)
    if dt is None or dt.field(RELATIONSHIP) is None or requester is None or not requester.value:
        return
    read = relation.value if relation is not None and relation.value else None
    said = " ".join(read.lower().split()) if read else ""
    if any(said in words for words in PARENTS.values()) or (relation is not None and relation.confidence >= SURE):
        return  # a parent's word, or a word read surely ("Bà"): the row stands
    named = [p for p in PARENTS if (fv := doc.fields.get(p + "name")) is not None and fv.value
             and _one_print(requester.value, fv.value)]  # fmt: skip
    if len(named) != 1:
        return
    raw, page, box = (relation.raw, relation.page, relation.box) if relation else ("", requester.page, None)
    doc.fields[RELATIONSHIP] = FieldValue(_parent_word(named[0], said), raw, NAMES_SAY, page, box, True,
                                          [RELATION_PROBLEM], read)  # fmt: skip


def _parent_word(parent: str, said: str) -> str:
    """The parent's word nearest what was read, the first listed on a tie or none read (Mẹ, Cha); a "… đẻ" one
    where the reading ends in "đẻ"."""
    born = bool(said) and unmarked(said).split()[-1] == "de"
    words = [w for w in PARENTS[parent] if w.endswith(" đẻ") == born]
    word = min(words, key=lambda w: Levenshtein.distance(unmarked(w), unmarked(said))) if said else words[0]
    return word[:1].upper() + word[1:]


def _words_lost(short: list[str], long: list[str]) -> bool:
    """Whether a reading is the other's first or last words, two or more (a surname alone is too little to call
    one person): words lost at its end, or at its start (a house's number "Số 37," read on a line of its own)."""
    n = len(short)
    return len(long) > n >= 2 and short in (long[:n], long[-n:])


def _alike(a: str, b: str) -> bool:
    most = max(2, int(LETTERS_OFF * max(len(a), len(b))))
    return Levenshtein.distance(a, b, score_cutoff=most) <= most


def _taken(read: FieldValue, source: FieldValue) -> FieldValue:
    """`read` with the other reading's value, doubted (AGREED at most) and no surer than that reading."""
    return FieldValue(source.value, read.raw, min(AGREED, source.confidence), read.page, read.box, source.valid,
                      [*read.problems, PROBLEM], read.ocr_value or read.value)  # fmt: skip


def child_surname_from_parents(doc: HasFields) -> None:
    """The child's surname, misread past any surname, as the one parent's it is a letter off (module doc)."""
    child = doc.fields.get(CHILD)
    if child is None or not child.value:
        return
    words = child.value.split()
    if len(words) < 2 or vocab.surname_listed(words[0]):
        return
    parents = [p.value.split() for key in PARENT_NAMES if (p := doc.fields.get(key)) is not None and p.value]
    near = {name[0] for name in parents if len(name) >= 2 and _one_letter_off(name[0], words[0])}
    if len(near) != 1:
        return
    surname = near.pop()
    value = " ".join([surname.upper() if words[0].isupper() else surname.capitalize(), *words[1:]])
    doc.fields[CHILD] = FieldValue(value, child.raw, min(AGREED, child.confidence), child.page, child.box, child.valid,
                                   [*child.problems, SURNAME_PROBLEM], child.ocr_value or child.value)  # fmt: skip


def _one_letter_off(surname: str, word: str) -> bool:
    """A listed surname whose letters are a letter at most off the word's, marks aside."""
    return vocab.name_spelt(surname, surname=True) and Levenshtein.distance(unmarked(surname), unmarked(word)) <= 1
