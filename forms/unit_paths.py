"""An address's administrative units matched as one path of the official list: ward, district, province.

vocab corrects each unit against every unit of its level, the larger ones narrowing the search: a name OCR
garbled beyond one close neighbour there ("Buận Mẹ Thuột", "tỉnh Đổi Lề", "Án Mới Bắc") stays as read. Read
together the units are few: a province has some ten districts, a district some fifteen wards. Here the address's
last words are aligned with the units of the list, each name a run of words a third of its letters off at most,
the province after its district after its ward, a kind ("Phường", "thành phố") or a speck between them. The path
found with the most units and then the fewest edits, clearly ahead of any other, is written over the words it
was found in: each name as listed, each kind as the paper printed it (or the unit's own when OCR garbled it),
specks between them dropped. A province garbled past reading after its kind is its district's, when one province
alone has a district so named and its kind is the one printed. Nothing clear, nothing changed (`snap`).
`paths_in` finds such paths anywhere in a text, a garbled label before them: a card's line (forms.card_origins).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .admin_units import FORMER_DISTRICTS, PROVINCE_ALIASES, unit_rows
from .normalize import fold

MAX_GAP = 3  # words between two units' names: a kind of two words and a speck
SPECK_LETTERS = 2  # letters and digits of a speck OCR read between two units ("CC", "x4"): more make a word
_WORD = re.compile(r"\w+")
_KINDS = {
    "ward": ("phường", "xã", "thị trấn", "đặc khu"),
    "district": ("quận", "huyện", "thị xã", "thành phố"),
    "province": ("tỉnh", "thành phố"),
}  # fmt: skip
_SEPARATOR = re.compile(r"[,;]")
_ABBREVIATED = frozenset({"tp", "q", "p", "h", "tx", "tt"})  # kinds printed short: the address is left alone


@dataclass(frozen=True)
class Unit:
    kind: str  # as the list gives it: "Phường", "Thành phố"
    name: str  # "Kim Liên"
    level: str  # "ward", "district" or "province"

    @property
    def letters(self) -> str:
        return _letters(self.name)


@dataclass(frozen=True)
class Found:
    unit: Unit
    start: int  # the run of the address's words its name was found in
    end: int
    edits: int
    printed: str | None = None  # the name it was printed as, when another than the list's (an alias)


@dataclass(frozen=True)
class PathMatch:
    units: tuple[Found, ...]  # larger units last
    guessed: bool  # the province was garbled past reading: its district's
    odd_gaps: int  # words between two units that spell no kind: a name's word read into its neighbour's
    mark_edits: int  # edits of the names with their marks: tells "Hoằng Lộc" from "Hoằng Lưu" in "Hoàng l ụC"

    @property
    def edits(self) -> int:
        return sum(f.edits for f in self.units)

    def names(self) -> tuple[str, ...]:
        return tuple(f.unit.name for f in self.units)


@dataclass(frozen=True)
class Snapped:
    value: str
    sure: bool  # only marks were put right: no letter, kind or unit was taken from the list


@lru_cache(maxsize=1 << 16)  # the same names and kinds, asked for again and again: most of the time spent here
def _letters(text: str) -> str:
    return "".join(fold(text).split()).replace("-", "")


def allowed(letters: str, level: str = "") -> int:
    """Edits a name of these letters may be read with: none for a number ("1", "12"); a third of them, a quarter
    for a ward's (a district has some fifteen, and their names share words: "Quỳnh Lương", "Minh Lương")."""
    if letters.isdigit() or len(letters) <= 2:
        return 0
    return max(1, len(letters) // (4 if level == "ward" else 3))


@dataclass(frozen=True)
class _Index:
    provinces: tuple[tuple[Unit, str], ...]  # each province with each name it is printed under
    districts: dict[str, tuple[Unit, ...]]  # province name → its districts (before 2025, and FORMER_DISTRICTS)
    wards: dict[tuple[str, str | None], tuple[Unit, ...]]  # (province, district or None after 2025) → wards
    district_provinces: dict[str, frozenset[str]]  # a district's letters → the provinces with one so named


def _unit(full: str, level: str) -> Unit:
    for kind in sorted((k for lv in _KINDS.values() for k in lv), key=len, reverse=True):
        if full.lower().startswith(kind + " "):
            return Unit(full[: len(kind)], full[len(kind) + 1 :], level)
    return Unit("", full, level)


@cache
def _index() -> _Index:
    provinces: dict[str, Unit] = {}
    districts: dict[str, set[Unit]] = defaultdict(set)
    wards: dict[tuple[str, str | None], set[Unit]] = defaultdict(set)
    for p, d, w in unit_rows():
        prov = provinces.setdefault(p, _unit(p, "province"))
        dist = _unit(d, "district") if d else None
        if dist:
            districts[prov.name].add(dist)
        if w:
            wards[(prov.name, dist.name if dist else None)].add(_unit(w, "ward"))
    for (province, full), successors in FORMER_DISTRICTS.items():
        former = _unit(full, "district")
        districts[province].add(former)
        wards[(province, former.name)] = {w for d in successors for w in wards[(province, d)]}
    spelt = [(u, u.name) for u in provinces.values()]
    spelt += [(u, alias) for alias, name in PROVINCE_ALIASES.items() for u in provinces.values() if u.name == name]
    by_district: dict[str, set[str]] = defaultdict(set)
    for p, ds in districts.items():
        for d in ds:
            by_district[d.letters].add(p)
    return _Index(
        tuple(spelt),
        {p: tuple(sorted(ds, key=lambda u: u.name)) for p, ds in districts.items()},
        {s: tuple(sorted(ws, key=lambda u: u.name)) for s, ws in wards.items()},
        {d: frozenset(ps) for d, ps in by_district.items()},
    )


@dataclass(frozen=True)
class _Words:
    """An address's words (runs of letters and digits) and what stands between them."""

    spans: list[tuple[int, int]]
    letters: list[str]  # each word `fold`ed
    marked: list[str]  # and in lower case with its marks (NFD)
    parted: list[bool]  # a comma or a semicolon before the word: it starts a part of the address
    length: int  # of the address: where a word after its last would start

    @classmethod
    def of(cls, address: str) -> _Words:
        spans = [m.span() for m in _WORD.finditer(address)]
        between = [address[b:c] for (_, b), (c, _) in zip([(0, 0), *spans], spans, strict=False)]
        return cls(spans, [_letters(address[a:b]) for a, b in spans], [_marked(address[a:b]) for a, b in spans],
                   [i == 0 or bool(_SEPARATOR.search(t)) for i, t in enumerate(between)], len(address))  # fmt: skip

    def __len__(self) -> int:
        return len(self.letters)

    def start_of(self, at: int) -> int:
        """Where the word at `at` starts in the address; the address's end for one after its last (a province
        whose name OCR lost after its kind: _guessed)."""
        return self.spans[at][0] if at < len(self.spans) else self.length

    def part_start(self, at: int) -> int:
        """The first word of the part the word at `at` (or one after the last) stands in."""
        at = min(at, len(self.parted) - 1)
        while at > 0 and not self.parted[at]:
            at -= 1
        return at


def _spans(words: _Words, end: int, lo: int, level: str, longest: int, reach: int, free: bool) -> list[tuple[int, int]]:
    """(start, end) of each run of words that may be the name of a unit of `level`: ending at `end` or at most
    `reach` words before, starting at `lo` or after, of `longest` words at most, within one part of the address
    and opening it or after a kind of the level (or anywhere, `free`: a garbled label before it)."""
    return [(start, stop) for stop in range(end, max(lo, end - reach) - 1, -1)
            for start in range(stop - 1, max(lo, stop - longest) - 1, -1)
            if not any(words.parted[start + 1 : stop]) and (free or _opens(words, start, level))]  # fmt: skip


def _opens(words: _Words, at: int, level: str) -> bool:
    """Whether a unit's name may start at the word `at`: it opens a part of the address, or its kind stands just
    before it (the comma before the kind OCR may have lost), or a word that opens a part and reads half like one
    ("pluưừng"), or the last word of a kind of two ("phố" of a "Thánh 521` - phố"). No kind opens a name."""
    if words.marked[at] in _MARKED_KINDS or "".join(words.letters[at : at + 2]) in _TWO_WORD_KINDS:
        return False
    if words.parted[at] or _kind_before(words.letters[max(0, at - 2) : at], level):
        return True
    if at > 0 and words.letters[at - 1] in _KIND_ENDS[level]:
        return True
    return at > 0 and words.parted[at - 1] and _kind_of(words.letters[at - 1 : at], level, loose=True) is not None


def _best(words: _Words, found: list[tuple[int, int, int, Unit, str]]) -> list[Found]:
    """The finds of the fewest edits, one per unit (its latest run). A name is never taken for another that is
    listed: a run that spells a listed unit, of any level, marks and all, is that unit or none."""
    out: dict[Unit, Found] = {}
    for start, stop, edits, unit, printed in found:
        read = "".join(words.marked[start:stop])
        if read != _marked(printed) and read in _listed():
            continue
        known = out.get(unit)
        if known is None or (edits, -stop, start) < (known.edits, -known.end, known.start):
            out[unit] = Found(unit, start, stop, edits, printed if printed != unit.name else None)
    return list(out.values())


@cache
def _listed() -> frozenset[str]:
    """Every unit's name, and every name a province is printed under (`_marked`)."""
    index = _index()
    units = [*index.districts.values(), *index.wards.values()]
    return frozenset(_marked(u.name) for us in units for u in us) | {_marked(spelt) for _, spelt in index.provinces}


@cache
def _spelt_provinces() -> tuple[tuple[Unit, ...], dict[Unit, Unit]]:
    """Each name a province is printed under as a unit of its own, and the province each such unit is."""
    spelt = _index().provinces
    units = tuple(Unit(u.kind, name, "province") for u, name in spelt)
    province: dict[Unit, Unit] = {}
    for unit, (u, _) in zip(units, spelt, strict=True):
        province.setdefault(unit, u)
    return units, province


def _provinces(words: _Words, reach: int) -> list[Found]:
    units, province = _spelt_provinces()
    return [replace(f, unit=province[f.unit], printed=f.unit.name)
            for f in _below(words, len(words), units, reach=reach)]  # fmt: skip


def _below(
    words: _Words, end: int, units: tuple[Unit, ...], lo: int = 0, reach: int = MAX_GAP, free: bool = False
) -> list[Found]:
    """The units among `units` found in a run of words ending at most `reach` words before `end`, each within
    allowed() edits of its name."""
    if not units:
        return []
    targets, most, words_in = _targets(units)
    spans = _spans(words, end, lo, units[0].level, max(words_in) + 1, reach, free)
    if not spans:
        return []
    runs = ["".join(words.letters[a:b]) for a, b in spans]
    edits = process.cdist(runs, targets, scorer=Levenshtein.distance, dtype=np.int32, workers=1)
    rows, cols = np.nonzero(edits <= most)
    found = [(*spans[i], int(edits[i, j]), units[j], units[j].name) for i, j in zip(rows, cols, strict=True)
             if spans[i][1] - spans[i][0] <= words_in[j] + 1]  # fmt: skip
    return _best(words, found)


def _targets(units: tuple[Unit, ...]) -> tuple[list[str], np.ndarray, list[int]]:
    """The units' names' letters, the edits each may be read with, and the words in each: the same few lists of
    units (_index's, kept for the process) are searched for every address, and working these out each time was a
    third of `correct`'s time. Known by identity: hashing the units each time cost as much again."""
    known = _TARGETS.get(id(units))
    if known is None or known[0] is not units:
        targets = [u.letters for u in units]
        most = np.array([allowed(t, u.level) for t, u in zip(targets, units, strict=True)])
        known = _TARGETS[id(units)] = (units, targets, most, [len(u.name.split()) for u in units])
    return known[1:]


_TARGETS: dict[int, tuple[tuple[Unit, ...], list[str], np.ndarray, list[int]]] = {}


def _paths(words: _Words, reach: int = MAX_GAP) -> Iterator[PathMatch]:
    """The paths whose province ends at most `reach` words before the words' end. Searched in a text rather than
    at an address's end, the first unit may follow anything: a label garbled past knowing ("Quá so» Mỹ Long")."""
    index = _index()
    provinces = _provinces(words, reach)
    free = reach > MAX_GAP
    for province in provinces:
        name = province.unit.name
        for district in _below(words, province.start, index.districts.get(name, ())):
            wards = _below(words, district.start, index.wards.get((name, district.unit.name), ()), free=free)
            for ward in wards or [None]:
                yield from _path(words, (ward, district, province))
        for ward in _below(words, province.start, index.wards.get((name, None), ()), free=free):
            yield from _path(words, (ward, province))
    if not any(p.end == len(words) for p in provinces):
        yield from _guessed(words, free)


def _guessed(words: _Words, free: bool) -> Iterator[PathMatch]:
    """Paths whose province OCR garbled past reading ("tỉnh Đổi Lề"): the address ends at a district that one
    province alone has, that province's kind and a few words. A province the paper did not print is not added."""
    index = _index()
    n = len(words)
    for kind_at in range(max(0, n - 5), n):
        for size in (1, 2):
            kind = _kind_of(words.letters[kind_at : kind_at + size], "province") if kind_at + size <= n else None
            if kind is None or n - kind_at - size > MAX_GAP:
                continue
            for name, districts in index.districts.items():
                province = next(u for u, spelt in index.provinces if u.name == name and spelt == name)
                if province.kind.lower() != kind:
                    continue
                for district in _below(words, kind_at, districts, lo=max(0, kind_at - 5)):
                    if district.end != kind_at or len(index.district_provinces.get(district.unit.letters, ())) != 1:
                        continue
                    garbled = Found(province, kind_at + size, n, 0)
                    wards = _below(words, district.start, index.wards.get((name, district.unit.name), ()), free=free)
                    for ward in wards or [None]:
                        yield from _path(words, (ward, district, garbled), guessed=True)


def _path(words: _Words, finds: tuple[Found | None, ...], guessed: bool = False) -> Iterator[PathMatch]:
    """The path of these finds, unless a kind of another level stands just before one of them ("tỉnh Đết Lắk":
    that "Lắk" is no district)."""
    units = tuple(f for f in finds if f)
    printed = units[: len(units) - guessed]
    if any(_foreign_kind(words.marked[max(0, f.start - 2) : f.start], f.unit.level) for f in printed):
        return
    gaps = [words.letters[prev.end : _kind_start(words, f)] for prev, f in zip(printed, printed[1:], strict=False)]
    gaps = [gap for gap in gaps if gap]
    if any(len("".join(gap)) > SPECK_LETTERS for gap in gaps):
        return  # a word between two units, no kind: one of them is no unit of the path ("Phú Hội, Huế, Thừa …")
    odd = len(gaps)
    marks = sum(Levenshtein.distance("".join(words.marked[f.start : f.end]), _marked(f.printed or f.unit.name))
                for f in printed)  # fmt: skip
    yield PathMatch(units, guessed, odd, marks)


def _foreign_kind(before: list[str], level: str) -> bool:
    """Whether the words just before a name (marked) hold a kind of another level, as printed, and none of its
    own: "tỉnh" before a district."""
    own = {_marked(k) for k in _KINDS[level]}
    if "".join(before[-2:]) in own or "".join(before[-1:]) in own:
        return False
    return any(w in _MARKED_KINDS and w not in own for w in before)


def _kind_before(gap: list[str], level: str) -> str | None:
    """The kind of `level` the last one or two words of a gap spell."""
    return next((k for size in (2, 1) if len(gap) >= size and (k := _kind_of(gap[-size:], level))), None)


def _kind_of(words: list[str], level: str, loose: bool = False) -> str | None:
    """The kind of `level` the words spell, a third of its letters off at most (half, `loose`)."""
    return _kind_spelt("".join(words), level, loose)


@lru_cache(maxsize=1 << 16)  # asked of the same few words at every place a name may start
def _kind_spelt(letters: str, level: str, loose: bool) -> str | None:
    edits, kind = min((Levenshtein.distance(letters, _letters(k)), k) for k in _KINDS[level])
    most = len(_letters(kind)) // 2 if loose else allowed(_letters(kind))
    return kind if letters and edits <= most else None


def _kind_edits(words: list[str], level: str) -> int | None:
    """The edits with which the words spell a kind of `level`, if they do (`_kind_of`)."""
    kind = _kind_of(words, level)
    return None if kind is None else Levenshtein.distance("".join(words), _letters(kind))


@lru_cache(maxsize=1 << 16)
def _marked(text: str) -> str:
    """Lower case with its marks (NFD), without spaces or hyphens: "Bà Rịa - Vũng Tàu" is "Bà Rịa-Vũng Tàu"."""
    return "".join(unicodedata.normalize("NFD", text.lower()).replace("-", " ").split())


_MARKED_KINDS = frozenset(_marked(k) for kinds in _KINDS.values() for k in kinds if " " not in k)
_TWO_WORD_KINDS = frozenset(_letters(k) for kinds in _KINDS.values() for k in kinds if " " in k)
_KIND_ENDS = {level: frozenset(_letters(k.split()[-1]) for k in kinds if " " in k) for level, kinds in _KINDS.items()}


def _rank(path: PathMatch) -> tuple[int, int, int, int]:
    return (-len(path.units), path.edits + path.odd_gaps + path.guessed, path.mark_edits, -path.units[-1].end)


def match(address: str) -> tuple[PathMatch, _Words] | None:
    """The one path of two units or more that the address ends with, and its words; None when none is found or
    another is as good."""
    words = _Words.of(address)
    if any(w in _ABBREVIATED for w in words.letters):
        return None
    paths = sorted((p for p in _paths(words) if len(p.units) >= 2), key=_rank)
    if not paths:
        return None
    best = paths[0]
    rival = next((p for p in paths[1:] if p.names() != best.names()), None)
    if rival is not None and _rank(rival)[:3] == _rank(best)[:3]:
        return None
    return best, words


def paths_in(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Where in a text (a card's garbled line) addresses of a ward, its district and its province stand, from the
    first unit's kind to the province's name, with the units' names: for each province found, its one best path,
    if clearly the best."""
    words = _Words.of(text)
    if any(w in _ABBREVIATED for w in words.letters):
        return []
    by_province: dict[tuple[int, int], list[PathMatch]] = defaultdict(list)
    for path in _paths(words, reach=len(words)):
        if len(path.units) == 3:
            by_province[(path.units[-1].start, path.units[-1].end)].append(path)
    out = []
    for paths in by_province.values():
        paths.sort(key=_rank)
        rival = next((p for p in paths[1:] if p.names() != paths[0].names()), None)
        if rival is None or _rank(rival)[:3] != _rank(paths[0])[:3]:
            first, last = paths[0].units[0], paths[0].units[-1]
            out.append((words.spans[_kind_start(words, first)][0], words.spans[last.end - 1][1], paths[0].names()))
    return sorted(out)


def snap(address: str, parted: bool = False) -> Snapped | None:
    """The address with its units written as the one listed path its words end with (module doc), or None when
    none is clear or nothing would change. What stood between two units stays, unless specks stood there too, or
    `parted`: then a comma parts every two."""
    found = match(address)
    if found is None:
        return None
    path, words = found
    spans = words.spans
    printed = path.units
    starts = [_kind_start(words, f) for f in printed]
    kinds = [address[spans[k][0] : words.start_of(f.start)] for k, f in zip(starts, printed, strict=True)]
    parts = [_written(f, address, words) for f in printed]
    kinded = [k for k, f in zip(kinds, printed, strict=True) if k and not f.unit.letters.isdigit()]
    if kinded and not kinds[0] and printed[0].unit.level == "ward":
        parts[0] = _with_kind(printed[0].unit, parts[0], kinded[0])  # a card prints every kind or none
    out = address[: spans[starts[0]][0]] + parts[0]
    for prev, start, part in zip(printed, starts[1:], parts[1:], strict=False):
        out += address[spans[prev.end - 1][1] : spans[start][0]] if start == prev.end and not parted else ", "
        out += part
    out += address[spans[printed[-1].end - 1][1] :]
    if out == address:
        return None
    return Snapped(out, not (path.edits or path.odd_gaps or path.guessed or fold(out) != fold(address)))


def _kind_start(words: _Words, found: Found) -> int:
    """Where a unit's kind starts: the words just before its name, in its part, that spell one of its level's
    kinds; the word opening the part that reads half like one; or the part's start when the word before the name
    is a kind's last ("Thánh 521` - phố")."""
    part = words.part_start(found.start)
    near = [
        (edits, size)
        for size in (1, 2)
        if found.start - size >= part
        and (edits := _kind_edits(words.letters[found.start - size : found.start], found.unit.level)) is not None
    ]
    if near:  # the closer spelling: "Phường" of "g Phường"
        return found.start - min(near)[1]
    if found.start - 1 == part and _kind_of(words.letters[part : found.start], found.unit.level, loose=True):
        return part
    if found.start > part and words.letters[found.start - 1] in _KIND_ENDS[found.unit.level]:
        return part
    return found.start


def _written(found: Found, address: str, words: _Words) -> str:
    """A unit as its path writes it: its name as listed ("khánh Hòa" lost a capital), in capitals or small letters
    if printed all so; after its kind where the paper printed one (as printed, where it spelt one of the level's;
    else the unit's own) or the name is a number."""
    spans = words.spans
    read = address[words.start_of(found.start) : spans[found.end - 1][1]]
    name = found.printed or found.unit.name
    if len(read) > 1 and (read.isupper() or read.islower()):
        name = name.upper() if read.isupper() else name.lower()
    at = _kind_start(words, found)
    if at == found.start and not found.unit.letters.isdigit():
        return name
    printed = address[spans[at][0] : words.start_of(found.start)].strip() if at < found.start else ""
    kind = _kind_of(words.letters[at : found.start], found.unit.level) if printed else None
    if kind is not None and _marked(printed) == _marked(kind):
        return f"{printed} {name}"
    return _with_kind(found.unit, name, printed, kind)


def _with_kind(unit: Unit, name: str, like: str, kind: str | None = None) -> str:
    """The name after its kind (`kind`, else the unit's own), in the case the kind printed `like` is in."""
    kind = kind or unit.kind.lower()
    letters = [c for c in like if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return f"{kind.upper()} {name}"
    capital = (letters or [unit.kind[:1]])[0].isupper()
    return f"{kind[0].upper() + kind[1:] if capital else kind} {name}"
