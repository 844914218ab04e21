"""One spelling for what a dossier's papers print alike: a name or an address read on several papers (the
mother's name on the tờ khai, the giấy chứng sinh and her card) where OCR misread a mark on one of them; one ID
number where a paper's reading is a digit off a number the dossier reads surely elsewhere; and what one paper did
not read, where another reads it surely for the same person or under the same key (a card's number or name, a
year or date of birth, a sex).

A name may differ in its marks (and case) only: one letter more or less may be another person ("Trần Văn Bình",
"Trần Văn Minh"), unless a word of the doubted reading is no listed name ("Bùi Diệu Ay", "Bời Diệu My"): then by
one letter too. An address, long and printed alike for a family, may differ in up to PLACE_LETTERS letters too
("phế" for "phố"), never in its numbers (another house) or its number of words. A doubted reading takes a better
attested spelling, in its own paper's case; the reading stays as `ocr_value`, and the value is marked for the
reviewer, never changed silently.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

from rapidfuzz.distance import Levenshtein

from . import validate, vocab
from .catalog import Catalog, FieldDef
from .extract import FieldValue
from .normalize import UNIT_KINDS, unmarked

SURE = 0.9  # the confidence from which a value is taken as read (`digitize eval` counts those apart)
AGREED = 0.85  # a value whose marks came from another paper: below sure, so the reviewer still sees it
KINDS = ("name", "place")  # text values whose misreads are marks; dates and numbers have their own checks
PLACE_LETTERS = 2  # letters an address may differ by beyond marks ("phế" for "phố": ê and ô are two letters)
NAME_LETTERS = 1  # letters a name with an unlisted word may differ by beyond marks ("Ay" for "My")
PROBLEM = "spelling_from_dossier"
DISPUTED = "spelling_disputed"  # two papers read one name or address surely, with other marks
ID_PROBLEM = "id_number_from_dossier"
HOLDER_ID = "id_number_from_holder"  # a card's number, past reading, from the paper that names its holder
HOLDER_NAME = "name_from_holder"  # a card's name, past reading, from the paper that gives its number
_DIGIT_RUN = re.compile(r"\d(?: ?\d){10,12}")  # eleven to thirteen digits, a space OCR set between two allowed
_PUNCT = re.compile(r"[^\w\s]")
_UNIT_KIND = re.compile(rf"(?i)\b({UNIT_KINDS})\b")


class HasFields(Protocol):
    type: str
    fields: dict[str, FieldValue]


def _word_case(word: str, like: str, others: list[str]) -> str:
    """`word` in the case `like` was printed in: lower or capitalised. A word whose letters were misread ("tê" for
    "Lê") had its case misread too: in a name it takes the case all the name's `others` words share (a card's
    capitals beside a tờ khai's title case: "Bùi Diệu Ay" takes "My", not "MY"), else the spelling's."""
    if unmarked(word) != unmarked(like):
        shared = {_case(w) for w in others}
        if shared == {"lower"}:
            return word.lower()
        return word[:1].upper() + word[1:].lower() if shared == {"title"} else word
    letters = [c for c in like if c.isalpha()]
    if letters and all(c.islower() for c in letters):
        return word.lower()
    return word[:1].upper() + word[1:].lower() if letters and letters[0].isupper() else word


def _case(word: str) -> str | None:
    """ "lower" or "title" for a word of letters printed so; None for any other."""
    letters = [c for c in word if c.isalpha()]
    if letters and all(c.islower() for c in letters):
        return "lower"
    return "title" if letters and letters[0].isupper() and all(c.islower() for c in letters[1:]) else None


def recased(spelling: str, like: str, name: bool = False) -> str:
    """`spelling`'s words in the case of `like`'s (same words, other marks): a card prints names in capitals and
    units' kinds capitalised ("Phường"), a tờ khai in title case and lower ("phường"). In a place a misread word
    keeps the spelling's case: its words are of both cases ("phố Lê Duẩn")."""
    letters = [c for c in like if c.isalpha()]
    shouting = len(letters) > 1 and all(c.isupper() for c in letters)
    if shouting:
        return spelling.upper()
    words, likes = spelling.split(), like.split()
    if len(words) != len(likes):
        return _kinds_cased(spelling, like, lambda at: True)
    paired = [unmarked(w) == unmarked(lk) for w, lk in zip(words, likes, strict=True)]
    others = [lk for lk, same in zip(likes, paired, strict=True) if same] if name else []
    spelling = " ".join(_word_case(w, lk, others) for w, lk in zip(words, likes, strict=True))
    starts = [m.start() for m in re.finditer(r"\S+", spelling)]
    return _kinds_cased(spelling, like, lambda at: not paired[bisect_right(starts, at) - 1])


def _kinds_cased(spelling: str, like: str, unpaired: Callable[[int], bool]) -> str:
    """`spelling` with the units' kinds that found no word of `like` to take their case from (`unpaired`, by
    where they start) cased as `like`'s kinds mostly are: a card capitalises them ("Phường Lạch Tray, Quận Ngô
    Quyền"), a tờ khai not; a misread word beside a kind may have left it, or all words, unpaired."""
    kinds = [m.group() for m in _UNIT_KIND.finditer(like)]
    if not kinds:
        return spelling
    capital = 2 * sum(k[0].isupper() for k in kinds) > len(kinds)

    def cased(m: re.Match) -> str:
        if not unpaired(m.start()):
            return m.group()
        return m.group()[0].upper() + m.group()[1:].lower() if capital else m.group().lower()

    return _UNIT_KIND.sub(cased, spelling)


def _alike(kind: str, a: str, b: str, misread: bool = False) -> bool:
    """Two readings (as `unmarked`) of one text: the same letters, or for an address (long, and printed alike
    for a family) up to PLACE_LETTERS more, for a name `misread` (a word of `b` no listed name) NAME_LETTERS
    more, with the same words and numbers."""
    if a == b:
        return True
    off = PLACE_LETTERS if kind == "place" else NAME_LETTERS if kind == "name" and misread else 0
    if not off or re.findall(r"\d+", a) != re.findall(r"\d+", b) or len(a.split()) != len(b.split()):
        return False
    return Levenshtein.distance(a, b, score_cutoff=off) <= off


def _spelling(value: str) -> str:
    """A reading with its marks, whatever case and punctuation OCR gave it."""
    return " ".join(_PUNCT.sub(" ", value).lower().split())


def _weight(group: list[tuple[int, FieldValue]]) -> tuple[bool, int]:
    """How well a spelling is attested: read with confidence somewhere, then by how many papers. Two readings on
    one paper count once: one print, one font, one blur misread alike."""
    return any(fv.confidence >= SURE for _, fv in group), len({paper for paper, _ in group})


def agree_across_papers(docs: Sequence[HasFields], catalog: Catalog) -> None:
    """Each doubted name or place (below SURE) whose letters the dossier reads elsewhere with other marks, better
    attested (read confidently, or by more papers), takes that spelling in its own case (`recased`). So does a
    confident reading on one paper only, not machine-verified, whose letters two other papers read alike with
    other marks, one of them surely ("CHÂU HẢI YÊN" at 0.91 against the card's and the tờ khai's Yến): `_outvoted`.
    A doubted reading of the same words and marks as a sure one on another paper takes its punctuation."""
    readings: list[tuple[HasFields, str, str, FieldValue]] = []  # document, field, kind, value
    for doc in docs:
        for key, fv in doc.fields.items():
            f = _field(catalog, doc.type, key)
            if f is not None and f.kind in KINDS and fv.value:
                readings.append((doc, key, f.kind, fv))
    spellings: dict[tuple[str, str], list[tuple[int, FieldValue]]] = {}  # the papers that read each spelling
    for doc, _, kind, fv in readings:
        spellings.setdefault((kind, _spelling(fv.value)), []).append((id(doc), fv))
    for doc, key, kind, fv in readings:
        own, letters = spellings[(kind, _spelling(fv.value))], unmarked(fv.value)
        if fv.confidence >= SURE:
            rivals = _outvoted(own, letters, kind, spellings) if fv.confidence < 1.0 else []
        else:
            misread = kind == "name" and not all(vocab.name_spelt(w, surname=i == 0)
                                                 for i, w in enumerate(letters.split()))  # fmt: skip
            rivals = [g for (k, sp), g in spellings.items()
                      if k == kind and g is not own and _alike(kind, unmarked(sp), letters, misread)]  # fmt: skip
        best = max(rivals, key=_weight, default=None)
        if best is not None and _weight(best) > _weight(own):  # one doubted paper never wins
            source = max(best, key=lambda o: o[1].confidence)[1]
        elif (source := _surely_printed(own, id(doc), fv)) is None:
            if SURE <= fv.confidence < 1.0 and _disputed(own, id(doc), letters, kind, spellings):
                doc.fields[key] = replace(fv, confidence=AGREED, problems=[*fv.problems, DISPUTED])
            continue
        value = recased(source.value, fv.value, name=kind == "name")
        if value == fv.value:
            continue
        confidence = AGREED if fv.confidence >= SURE else max(AGREED, fv.confidence)
        doc.fields[key] = FieldValue(value, fv.raw, confidence, fv.page, fv.box, fv.valid,
                                     [*fv.problems, PROBLEM], fv.ocr_value or fv.value)  # fmt: skip


def _surely_printed(own: list[tuple[int, FieldValue]], paper: int, fv: FieldValue) -> FieldValue | None:
    """A doubted reading's own words and marks read surely on another paper, where their punctuation may differ:
    the commas OCR lost ("Số 8 ngõ 143 phố Quang Trung" beside the giấy chứng sinh's "Số 8, ngõ 143, phố …")."""
    if fv.confidence >= SURE:
        return None
    return next((o for p, o in own if p != paper and o.confidence >= SURE and o.value != fv.value), None)


def _disputed(own: list, paper: int, letters: str, kind: str, spellings: dict) -> bool:
    """Whether another paper reads the same letters with other marks as surely as `own` is read ("LƯƠNG NGỌC HIÊN"
    on a card at 0.99, "Lương Ngọc Hiền" on the tờ khai at 0.97): one of the two is misread, and nothing tells which
    (`_outvoted` settles it where a third paper reads one of them)."""
    return any(p != paper and o.confidence >= SURE for g in _other_marks(own, letters, kind, spellings) for p, o in g)


def _outvoted(own: list, letters: str, kind: str, spellings: dict) -> list[list[tuple[int, FieldValue]]]:
    """The spellings of the same letters, other marks, that two other papers read, one surely, where `own` is read
    on one paper only: a confident reading there is the misread one (its marks, which no check covers)."""
    if len({paper for paper, _ in own}) > 1:
        return []
    return [g for g in _other_marks(own, letters, kind, spellings)
            if len({paper for paper, _ in g}) > 1 and any(o.confidence >= SURE for _, o in g)]  # fmt: skip


def _other_marks(own: list, letters: str, kind: str, spellings: dict) -> list[list[tuple[int, FieldValue]]]:
    """The papers' readings of `own`'s letters with other marks, one list a spelling."""
    return [g for (k, sp), g in spellings.items() if k == kind and g is not own and unmarked(sp) == letters]


def agree_id_numbers(docs: Sequence[HasFields], catalog: Catalog) -> None:
    """An ID number a paper reads doubtfully, or as a digit run that is no ID (a digit doubled, lost or misread:
    "0421904344607"), one edit from an ID the dossier reads surely on another paper (a card's zone or QR code, a
    confident print) is that ID: two people's numbers are never a digit apart by chance. So is a confident reading
    on one paper only, a digit off an ID two other papers read alike, one of them surely (a card's "4" read "1" at
    0.91 against the tờ khai's and the giấy chứng sinh's number). The reading stays as `ocr_value`, and the value
    is marked for the reviewer."""
    fields = [(doc, key, fv) for doc in docs for key, fv in doc.fields.items()
              if (f := _field(catalog, doc.type, key)) is not None and f.kind == "id_number"]  # fmt: skip
    papers: dict[str, set[int]] = {}  # each value read, and the papers that read it
    for doc, _, fv in fields:
        if fv.value:
            papers.setdefault(fv.value, set()).add(id(doc))
    agreed = {fv.value for _, _, fv in fields if _sure(fv) and len(papers[fv.value]) > 1}
    # Not a machine-verified number (a zone's or QR code's, 1.0): two papers may repeat one typing slip.
    lone = {fv.value for _, _, fv in fields if fv.value and fv.confidence < 1.0 and len(papers[fv.value]) == 1
            and any(_one_off(fv.value, a) for a in agreed)}  # fmt: skip
    sure = {fv.value for _, _, fv in fields if _sure(fv)} - lone
    for doc, key, fv in fields:
        if fv.value in sure or (fv.value and fv.confidence >= SURE and fv.value not in lone):
            continue
        read = [fv.value] if fv.value else [m.group().replace(" ", "") for m in _DIGIT_RUN.finditer(fv.raw or "")]
        pool = agreed if fv.value in lone else sure
        near = {s for s in pool for r in read if _one_off(r, s) or (not fv.value and _same_holder_two_off(r, s))}
        if len(near) == 1:
            ocr_value = fv.ocr_value or fv.value or (read[0] if read else None)
            doc.fields[key] = _from_dossier(near.pop(), fv, ID_PROBLEM, ocr_value)


def _one_off(a: str, b: str) -> bool:
    return Levenshtein.distance(a, b, score_cutoff=1) <= 1


HOLDER_DIGITS = 6  # an ID's first digits: the province of birth, the century and sex, the year of birth


def _same_holder_two_off(run: str, number: str) -> bool:
    """A digit run no ID (unread as one) that opens with the HOLDER_DIGITS of a sure ID and is two edits from it
    ("0310856280080": "89" read "080"): the same person's number, its random part misread twice; another's would
    share no such prefix by chance, and be more than two edits away."""
    return run[:HOLDER_DIGITS] == number[:HOLDER_DIGITS] and Levenshtein.distance(run, number, score_cutoff=2) <= 2


FACT_KINDS = ("date", "year", "sex")  # a fact two papers print under one key: the child's birth date and sex…
FACT_PROBLEM = "value_from_dossier"


def facts_across_papers(docs: Sequence[HasFields], catalog: Catalog) -> None:
    """A date, year or sex a paper gives under the key another paper gives it under (the child's birth date on the
    tờ khai and the giấy chứng sinh, the mother's year of birth) that did not read there, read as no valid one, or
    read doubtfully a digit off ("2023-03-11", handwritten, for 2023-03-14), takes the value the other paper reads
    surely: one value only, for the reviewer to confirm."""
    sure: dict[str, set[str]] = {}
    for doc in docs:
        for key, fv in doc.fields.items():
            f = _field(catalog, doc.type, key)
            if f is not None and f.kind in FACT_KINDS and _sure(fv):
                sure.setdefault(key, set()).add(fv.value)
    for doc in docs:
        for key, fv in list(doc.fields.items()):
            f = _field(catalog, doc.type, key)
            known = sure.get(key, set())
            if f is None or f.kind not in FACT_KINDS or len(known) != 1 or fv.value in known:
                continue
            value = next(iter(known))
            if fv.value and fv.valid and (fv.confidence >= SURE or Levenshtein.distance(fv.value, value) != 1):
                continue
            doc.fields[key] = _from_dossier(value, fv, FACT_PROBLEM, fv.value or fv.raw)


def years_of_people(docs: Sequence[HasFields], catalog: Catalog) -> None:
    """A person's year of birth that did not read, or read a digit off ("1997", handwritten, for 1991), where
    another paper reads that person's year surely: the same name, letters alike whatever the marks (the father
    named on the tờ khai, his card's birth date verified by its zone). For the reviewer to confirm."""
    sure: dict[str, set[str]] = {}
    for doc in docs:
        for name, year in _births(doc, catalog):
            if _surely(year):
                sure.setdefault(unmarked(name.value), set()).add(year.value[:4])
    for doc in docs:
        dt = catalog.document_types.get(doc.type)
        for f in dt.fields if dt is not None and not dt.card else []:
            name = doc.fields.get(f.after) if f.kind == "year" and f.after else None
            known = sure.get(unmarked(name.value), set()) if name is not None and name.value else set()
            fv = doc.fields.get(f.key)
            if len(known) != 1 or (fv is not None and _surely(fv)):
                continue
            year = next(iter(known))
            if fv is None or not fv.value or Levenshtein.distance(fv.value, year, score_cutoff=1) == 1:
                doc.fields[f.key] = _from_dossier(year, fv, FACT_PROBLEM, fv.value if fv else None, at=name)


CITIZEN = "Việt Nam"
NATIONALITY_PROBLEM = "nationality_from_dossier"


def nationalities_of_people(docs: Sequence[HasFields], catalog: Catalog) -> None:
    """A person's nationality a form did not read, where another paper gives that person one surely: the same name,
    letters alike whatever the marks (the requester's card, a citizen's by law: Việt Nam). Then a child's, where
    the catalog's `citizen_if_both` fields both read Việt Nam: a child of two Vietnamese citizens is one (Luật Quốc
    tịch 2008, Điều 15). For the reviewer to confirm."""
    sure = _sure_by_name(docs, catalog, lambda g: g.vocab == "nationality")
    for doc in docs:
        dt = catalog.document_types.get(doc.type)
        fields = [f for f in dt.fields if f.vocab == "nationality"] if dt is not None and not dt.card else []
        for by_parents in (False, True):  # the parents' first: a child's follows theirs
            for f in (f for f in fields if bool(f.citizen_if_both) == by_parents):
                name, read = doc.fields.get(f.after or ""), doc.fields.get(f.key)
                if read is not None and read.value and read.valid:
                    continue
                known = sure.get(unmarked(name.value), set()) if name is not None and name.value else set()
                parents = [doc.fields.get(k) for k in f.citizen_if_both]
                if len(known) != 1 and parents and all(p is not None and p.value == CITIZEN for p in parents):
                    known = {CITIZEN}
                if len(known) == 1:
                    ocr = read.value if read else None
                    doc.fields[f.key] = _from_dossier(known.pop(), read, NATIONALITY_PROBLEM, ocr, at=name)


ID_DIGITS_OFF = 2  # digits a person's doubted ID may be off the one another paper gives that person surely


def ids_of_people(docs: Sequence[HasFields], catalog: Catalog) -> None:
    """A person's ID number a paper did not read, or read doubtfully at most ID_DIGITS_OFF edits off, is the one
    another paper gives the same person surely: a citizen has one số định danh cá nhân, printed on the tờ khai
    for the requester, on the giấy chứng sinh for the mother and on her card. The same person: the same name,
    letters alike whatever the marks ("Dương Kim Hóa", "DƯƠNG KIM HOA"); a name two sure numbers are given for
    gives none. A card's own number is given it only by `cards_from_holders`, which checks it against the card's
    birth date and sex too. For the reviewer to confirm (`id_number_from_dossier`)."""
    sure = _sure_by_name(docs, catalog, lambda g: g.kind == "id_number")
    for doc in docs:
        dt = catalog.document_types.get(doc.type)
        for f, block in dt.people() if dt is not None and not dt.card else []:
            name, keys = doc.fields.get(f.key), [g.key for g in block if g.kind == "id_number"]
            if name is None or not name.value or not keys:
                continue
            read = doc.fields.get(keys[0])
            if len(known := sure.get(unmarked(name.value), set())) != 1 or (read is not None and _sure(read)):
                continue
            (number,) = known
            doubted = read.value if read is not None else None
            if doubted and (
                doubted == number or Levenshtein.distance(doubted, number, score_cutoff=ID_DIGITS_OFF) > ID_DIGITS_OFF
            ):
                continue  # agreed already; or another number (an old CMND's)
            ocr = read.ocr_value or doubted if read is not None else None
            doc.fields[keys[0]] = _from_dossier(number, read, ID_PROBLEM, ocr, at=name)


def _sure_by_name(
    docs: Sequence[HasFields], catalog: Catalog, wanted: Callable[[FieldDef], bool]
) -> dict[str, set[str]]:
    """The values each person (their name's letters, `unmarked`) is given surely by the dossier's papers, cards
    among them, in the field `wanted` picks: read valid and confident, or the one value the law allows it."""
    sure: dict[str, set[str]] = {}
    for doc in docs:
        dt = catalog.document_types.get(doc.type)
        by_law = {f.by_law for f in dt.fields if wanted(f) and f.by_law} if dt is not None else set()
        for name, value in _of_people(doc, catalog, wanted, cards=True):
            if value.value and value.valid and (value.confidence >= SURE or value.value in by_law):
                sure.setdefault(unmarked(name.value), set()).add(value.value)
    return sure


def _sure(fv: FieldValue) -> bool:
    """A value read, valid and confident: what another paper's doubted reading may take."""
    return bool(fv.value) and fv.valid and fv.confidence >= SURE


def _surely(year: FieldValue) -> bool:
    """A year (or a date's) read confidently as printed: not one whose digits normalising mended ("7997": 1997)."""
    return _sure(year) and year.value[:4] in (year.raw or "")


def _from_dossier(
    value: str, read: FieldValue | None, problem: str, ocr_value: str | None, at: FieldValue | None = None
) -> FieldValue:
    """`value`, which another paper of the dossier reads surely, in place of `read` (None where nothing was read;
    then shown where `at` was): as sure as AGREED, with `read`'s problems but its unreadable one, and `problem`."""
    if read is None:
        return FieldValue(value, "", AGREED, at.page if at else 0, None, True, [problem], ocr_value)
    kept = [p for p in read.problems if not p.startswith("unreadable")]
    return FieldValue(value, read.raw, AGREED, read.page, read.box, True, [*kept, problem], ocr_value)


def _births(doc: HasFields, catalog: Catalog) -> list[tuple[FieldValue, FieldValue]]:
    """(name, year or date of birth) of each person a paper gives both for."""
    return _of_people(doc, catalog, lambda g: g.kind in ("year", "date") and "birth" in g.key, cards=True)


def cards_from_holders(docs: Sequence[HasFields], catalog: Catalog) -> None:
    """A card whose number did not read takes the number another paper of the dossier gives its holder: the
    person of the same name, letters alike whatever the marks (a tờ khai's requester and the ID of the card they
    hand in), when that number is well formed and agrees with the card's birth date and sex as read. A card whose
    name did not read, or read doubtfully a few letters off, takes, the other way, the name of the person its
    number is given for, in capitals. For the reviewer to confirm; the card's own reading stays as `ocr_value`."""
    people = [pair for doc in docs for pair in _people(doc, catalog)]
    for doc in docs:
        dt = catalog.document_types.get(doc.type)
        if dt is None or not dt.card:
            continue
        got, name = doc.fields.get("id_number"), doc.fields.get("full_name")
        # Its number as another paper gives it: the two papers' agreement vouches for it, whatever else read.
        names = {_spelling(who.value): who for who, pid in people if got and pid.value == got.value}
        if len(names) == 1:
            holder = next(iter(names.values()))
            if not (name and name.value) or _misread_name(name, holder):
                doc.fields["full_name"] = _from_holder(holder.value.upper(), name, got, HOLDER_NAME)
        elif not (got is not None and got.value and got.valid) and name is not None and name.value:
            born, sex = (doc.fields[k].value if k in doc.fields else None for k in ("date_of_birth", "sex"))
            ids = {pid.value for who, pid in people if unmarked(who.value) == unmarked(name.value)
                   and not validate.id_number(pid.value, born, sex)}  # fmt: skip
            if len(ids) == 1:
                doc.fields["id_number"] = _from_holder(ids.pop(), got, name, HOLDER_ID)


HOLDER_LETTERS = 2  # letters a card's doubted name may be off the name its number is given for
WHOLE_PROBLEM = "name_from_dossier"  # a name read without its first words, whole as another paper gives it


def names_whole_across_papers(docs: Sequence[HasFields], catalog: Catalog) -> None:
    """A person's name read without its first word ("Phương Yến", or a speck for it: "Š Gia Huy") where another
    paper gives the same person, by the same well-formed ID number, a longer name whose last words it reads,
    letters alike: that name, read at least as surely, in the case this paper prints names in. For the reviewer
    to confirm; the reading stays as `ocr_value`."""
    people = [(name, pid) for doc in docs
              for name, pid in _of_people(doc, catalog, lambda g: g.kind == "id_number", cards=True)
              if pid.value and pid.valid]  # fmt: skip
    for name, pid in people:
        words = unmarked(name.value).split()
        if len(words) > 1 and len(words[0]) == 1 and not vocab.name_spelt(words[0], surname=True):
            words = words[1:]  # a speck read where the surname stands
        longer = {_spelling(other.value): other for other, opid in people
                  if opid.value == pid.value and other is not name and other.confidence >= name.confidence
                  and len(unmarked(other.value).split()) > len(words)
                  and unmarked(other.value).split()[-len(words):] == words}  # fmt: skip
        if len(words) >= 2 and len(longer) == 1:
            whole = next(iter(longer.values())).value
            value = whole.upper() if name.value.isupper() else " ".join(w.capitalize() for w in whole.split())
            name.ocr_value, name.value = name.ocr_value or name.value, value
            name.confidence = min(name.confidence, AGREED)
            name.problems = [*name.problems, WHOLE_PROBLEM]


def _misread_name(name: FieldValue, holder: FieldValue) -> bool:
    """A card's name read doubtfully, its letters a few off the holder's, the person the dossier gives the card's
    number for ("CHÂU MAI YÊN" for Châu Hải Yến), when the holder's name was read surer than the card's: a giấy
    chứng sinh's "ƯƠNG THU NGA", its first letter lost and put back as Dương at 0.25, is no better than a card's
    LƯƠNG THU NGA at 0.8."""
    if name.confidence >= SURE or not name.value or holder.confidence <= name.confidence:
        return False
    a, b = unmarked(name.value), unmarked(holder.value)
    off = Levenshtein.distance(a, b, score_cutoff=HOLDER_LETTERS)
    return len(a.split()) == len(b.split()) and off <= HOLDER_LETTERS


def _from_holder(value: str, read: FieldValue | None, beside: FieldValue, problem: str) -> FieldValue:
    """A card's value from another paper: where it was read, if it was, else where the card's other value was."""
    page, box = (read.page, read.box) if read else (beside.page, None)
    return FieldValue(value, read.raw if read else "", AGREED, page, box, True, [problem], read.value if read else None)


def _people(doc: HasFields, catalog: Catalog) -> list[tuple[FieldValue, FieldValue]]:
    """(name, ID number) of each person a form gives both for, the number well formed."""
    pairs = _of_people(doc, catalog, lambda g: g.kind == "id_number", cards=False)
    return [(name, pid) for name, pid in pairs if pid.value and pid.valid]


def _of_people(
    doc: HasFields, catalog: Catalog, wanted: Callable[[FieldDef], bool], cards: bool
) -> list[tuple[FieldValue, FieldValue]]:
    """(name, value) of each person a paper names, with the field `wanted` picks among the fields of the block
    the name heads (on a card, with `cards`, among the card's: its holder's), where both were read."""
    dt = catalog.document_types.get(doc.type)
    if dt is None or (dt.card and not cards):
        return []
    out = []
    for f, block in dt.people():
        keys = [g.key for g in block if wanted(g)]
        name, value = doc.fields.get(f.key), doc.fields.get(keys[0]) if keys else None
        if name is not None and name.value and value is not None:
            out.append((name, value))
    return out


def _field(catalog: Catalog, doc_type: str, key: str) -> FieldDef | None:
    """The catalog's definition of a document's field, if its type and the field are known."""
    dt = catalog.document_types.get(doc_type)
    return dt.field(key) if dt is not None else None
