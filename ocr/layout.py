"""Reading order of a page's words.

Tesseract reads the official two-column blocks (agency | national motto at the top, recipients | signature at
the bottom) row by row across both columns. Here lines are cut at wide gaps, and a run of consecutive lines that
share one gutter is read column by column: left column top to bottom, then the right one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median
from typing import Protocol


class HasBox(Protocol):
    text: str
    box: tuple[int, int, int, int]
    block: int
    par: int
    line: int


GAP_FACTOR = 2.5  # a gap wider than this many line heights separates columns, not words
PART_GAP = 1.5  # a gap between lines wider than this many line heights, and
PART_SPACING = 2.0  # this many times the page's usual space between lines, starts another part of the page
ROW_GAP = 2.0  # times that gap between two rows that go on in the same two columns
COLUMN_JUMP = 8  # line heights the text may go back up to the top of a column beside the one just read
TABLE_ROWS = 3  # labels read apart from the values beside them, at least, that make a table read row by row
LABEL_VALUE = re.compile(r"\w\s*:\s*\w")  # a piece that holds a label and its value ("Năm sinh: 1988")


@dataclass
class Segment:
    words: list
    x0: int
    x1: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Line:
    key: tuple[int, int, int]
    segments: list[Segment]
    top: int
    height: int

    @property
    def gaps(self) -> list[tuple[int, int]]:
        return [(a.x1, b.x0) for a, b in zip(self.segments, self.segments[1:], strict=False)]


def group_lines(words: list[HasBox]) -> list[Line]:
    """Tesseract's lines in its order, each cut into segments at column-wide gaps."""
    by_key: dict[tuple[int, int, int], list] = {}
    for w in words:
        by_key.setdefault((w.block, w.par, w.line), []).append(w)
    lines = []
    for key, ws in by_key.items():
        ws = sorted(ws, key=lambda w: w.box[0])
        height = max(1, int(median(w.box[3] for w in ws)))
        segs: list[Segment] = []
        for w in ws:
            x0, x1 = w.box[0], w.box[0] + w.box[2]
            if segs and x0 - segs[-1].x1 <= GAP_FACTOR * height:
                segs[-1].words.append(w)
                segs[-1].x1 = max(segs[-1].x1, x1)
            else:
                segs.append(Segment([w], x0, x1))
        lines.append(Line(key, segs, min(w.box[1] for w in ws), height))
    return lines


def _usual_spacing(lines: list[Line]) -> float:
    """The page's usual blank space between a line and the next below it (its lower quartile: the space inside a
    paragraph, not between parts): forms set wide apart keep their rows together by it, where a fixed share of
    the line height would cut them."""
    gaps = sorted(g for a, b in zip(lines, lines[1:], strict=False) if (g := b.top - (a.top + a.height)) > 0)
    return gaps[len(gaps) // 4] if gaps else 0.0


def _two_column_run(lines: list[Line], start: int, spacing: float = 0.0) -> tuple[int, int] | None:
    """End index and gutter x of the two-column run starting at `start`, or None."""
    first = lines[start]
    if len(first.segments) != 2:
        return None
    g0, g1 = first.gaps[0]
    edge = _starts_at(first.segments[1], g1)  # where the right column starts in the nearest row: a photo's drifts
    end = start + 1
    while end < len(lines):
        ln = lines[end]
        beside = len(ln.segments) == 2 and ln.gaps[0][1] > g0 and ln.gaps[0][0] < g1  # two columns, same gutter
        # Header and signature blocks are set close; a wider gap starts a new part of the page. Rows that go on
        # beside each other at the same gutter may stand farther apart: a form's blocks side by side (the mother's
        # and the father's) are set wide, and a photo's perspective spaces its rows unevenly.
        gap = ln.top - (lines[end - 1].top + lines[end - 1].height)
        if gap > max(PART_GAP * ln.height, PART_SPACING * spacing) * (ROW_GAP if beside else 1.0):
            break
        if len(ln.segments) == 2:
            a, b = ln.gaps[0]
            if not beside:
                break  # gutter moved
            g0, g1 = max(g0, a), min(g1, b)
        elif len(ln.segments) == 1:
            s = ln.segments[0]
            if not (s.x1 <= g1 or s.x0 >= g0 or _cut_at_column(ln, edge)):
                break  # spans the gutter: ordinary text again
        else:
            break
        if len(ln.segments) == 2:
            edge = _starts_at(ln.segments[1], edge)
        end += 1
    return (end, (g0 + g1) // 2) if end - start >= 2 else None


def _starts_at(seg: Segment, otherwise: int) -> int:
    """Where a piece's first letter or digit stands: a rule's or a speck's mark before it is no column's edge."""
    return next((w.box[0] for w in seg.words if any(c.isalnum() for c in w.text)), otherwise)


def _cut_at_column(line: Line, x: int) -> bool:
    """Cut a line that runs across the gutter in two where a word starts at the right column's edge `x` after a
    space wider than the line's others: two long values side by side (the mother's address, the father's) that
    Tesseract joined because the space between them is narrow. Ordinary text across the page is left whole.
    Marks with no letter or digit (a rule read as "—") neither narrow that space nor stay in the gutter."""
    words = line.segments[0].words
    letters = [w for w in words if any(c.isalnum() for c in w.text)]
    gaps = [b.box[0] - (a.box[0] + a.box[2]) for a, b in zip(letters, letters[1:], strict=False)]
    if len(gaps) < 2:
        return False
    usual = median(gaps)
    for k, gap in enumerate(gaps, start=1):
        w = letters[k]
        if abs(w.box[0] - x) <= max(4, line.height // 3) and gap >= 2 * usual:
            left, right = words[: words.index(letters[k - 1]) + 1], words[words.index(w) :]
            line.segments = [
                Segment(left, left[0].box[0], _right_edge(left)),
                Segment(right, w.box[0], _right_edge(right)),
            ]
            return True
    return False


def _right_edge(words: list) -> int:
    return max(w.box[0] + w.box[2] for w in words)


def _top(seg: Segment) -> int:
    return min(w.box[1] for w in seg.words)


def _height(seg: Segment) -> int:
    return max(1, int(median(w.box[3] for w in seg.words)))


def ordered_segments(words: list[HasBox], across_blocks: bool = False) -> list[tuple[int, Segment]]:
    """The page's text pieces in reading order, each with its block: an ordinary line is one piece; inside a
    two-column run each column's piece of each line, the left column first. With `across_blocks`, also the
    columns Tesseract cut into blocks it listed in turn (_columns_across_blocks): a form's fields need each
    person's block whole; a page's text keeps Tesseract's order there (a table of labels and values reads best
    row by row, and Tesseract often comes closer to that)."""
    lines = group_lines(words)
    spacing = _usual_spacing(lines)
    out: list[tuple[int, Segment]] = []
    alone: list[int] = []  # the pieces that are a line of their own: no column of a two-column run
    i = 0
    while i < len(lines):
        run = _two_column_run(lines, i, spacing)
        # A page's text reads a table row by row, each row whole as Tesseract read it.
        table = run is not None and not across_blocks and _labels_beside_values(lines[i : run[0]])
        if run and not table:
            end, gutter = run
            block = lines[i].key[0]
            # Top to bottom within each column: Tesseract may list a column's lines out of order.
            left = sorted((s for ln in lines[i:end] for s in ln.segments if s.x0 < gutter), key=_top)
            right = sorted((s for ln in lines[i:end] for s in ln.segments if s.x0 >= gutter), key=_top)
            out += [(block, s) for s in left + right]
            i = end
            continue
        for ln in lines[i : run[0] if run else i + 1]:
            alone.append(len(out))
            out.append((ln.key[0], Segment([w for s in ln.segments for w in s.words], ln.segments[0].x0,
                                           ln.segments[-1].x1)))  # fmt: skip
        i = run[0] if run else i + 1
    return _columns_across_blocks(out, spacing) if across_blocks else _rows_of_a_table(out, alone)


def _labels_beside_values(run: list[Line]) -> bool:
    """Whether a two-column run is a table of labels and values on its rows (a tờ khai's cells, their rules
    erased): TABLE_ROWS rows or more, each column starting at one left edge, the labels' ends ragged (two columns
    of justified text end alike). Not a form's two blocks side by side (the mother's, the father's): their pieces
    hold "label: value", or open alike on a row ("Dân tộc Kinh" beside "Dân tộc Kinh")."""
    rows = [ln.segments for ln in run if len(ln.segments) == 2]
    if len(rows) < TABLE_ROWS or any(LABEL_VALUE.search(s.text) for row in rows for s in row):
        return False
    if 2 * sum(a.words[0].text.lower() == b.words[0].text.lower() for a, b in rows) >= len(rows):
        return False
    labels, values = [row[0] for row in rows], [row[1] for row in rows]
    height = median(_height(s) for s in labels)
    shared = all(max(s.x0 for s in col) - min(s.x0 for s in col) <= height for col in (labels, values))
    return shared and max(s.x1 for s in labels) - min(s.x1 for s in labels) > 2 * height


def _columns_across_blocks(out: list[tuple[int, Segment]], spacing: float) -> list[tuple[int, Segment]]:
    """Two columns Tesseract cut into blocks it lists in turn (a tờ khai's mother's block beside the father's, in
    a photo: left, right, left, right). Where the text goes back up a few lines (COLUMN_JUMP at most: farther up
    is another part of the page, a signature block read before the text) beside the piece just read, the pieces on
    either side of that piece's left edge, up to one that runs across it or stands apart below them all (a wider
    gap starts another part of the page), are read column by column, the left one first (the mother's address
    may run on below the father's empty block: it stays in its column)."""
    i, floor = 1, 0  # a piece already read in a column's turn is not read again in another's
    while i < len(out):
        prev, seg = out[i - 1][1], out[i][1]
        height = _height(seg)
        back_up = _top(prev) - _top(seg)
        if not (height < back_up <= COLUMN_JUMP * height and seg.x0 >= prev.x1):
            i += 1
            continue
        edge, end = seg.x0, seg.x1

        def side(s: Segment, edge: int = edge, end: int = end, height: int = height) -> str | None:
            # A piece of the right column starts where that column does, not beyond it (a third column: the back
            # of a card copied beside its front).
            return "left" if s.x1 <= edge else "right" if edge - height <= s.x0 < end else None

        a = max(i - 1, floor)
        while a > floor and side(out[a - 1][1]) == "left" and _top(out[a - 1][1]) >= _top(seg) - height:
            a -= 1
        b, lowest = i, max(_top(s) + _height(s) for _, s in out[a : i + 1])
        while b < len(out) and side(piece := out[b][1]) is not None:
            if _top(piece) - lowest > max(PART_GAP * height, PART_SPACING * spacing):
                break
            lowest = max(lowest, _top(piece) + _height(piece))
            b += 1
        run = out[a:b]
        # Each column's pieces keep Tesseract's order: two blocks on one row ("Giới tính: Nam" and "Quốc tịch:
        # Việt Nam") stay as it read them.
        out[a:b] = [x for x in run if side(x[1]) == "left"] + [x for x in run if side(x[1]) == "right"]
        i = floor = b
    return out


def _rows_of_a_table(out: list[tuple[int, Segment]], alone: list[int]) -> list[tuple[int, Segment]]:
    """A table of labels and values (a giấy chứng sinh's cells, their rules erased) that Tesseract read a column at
    a time, every label then every value, read row by row: each value beside its label (_table_rows), the next
    lines of a wrapped value after it."""
    label_of = {i: j for j, i in _table_rows(out, alone).items()}  # a label's piece -> its value's
    if not label_of:
        return out
    singles, paired = set(alone), {*label_of, *label_of.values()}
    after: dict[int, list[int]] = {}  # a value's wrapped lines, as Tesseract listed them
    for j in label_of.values():
        k, after[j] = j + 1, []
        while k in singles and k not in paired and _under(out[k - 1][1], out[k][1]):
            after[j].append(k)
            k += 1
    moved = {k for j in after for k in (j, *after[j])}
    rows: list[tuple[int, Segment]] = []
    for n, (block, seg) in enumerate(out):
        if n in label_of:
            value = out[label_of[n]][1]
            rows.append((block, Segment(seg.words + value.words, seg.x0, value.x1)))
            rows += [(block, out[k][1]) for k in after[label_of[n]]]  # in the row's block: no break before it
        elif n not in moved:
            rows.append((block, seg))
    return rows


def _table_rows(out: list[tuple[int, Segment]], alone: list[int]) -> dict[int, int]:
    """{value's piece: its label's} of a table's rows, or none where fewer than TABLE_ROWS. A label is a piece
    holding no value of its own on the row of a value to its right that Tesseract listed later. Labels and values
    each stand in a column from one left edge: not two signature blocks, centred side by side (their lines start
    where their length puts them). Neither column holds "label: value" lines: a two-column form's do, and its
    headings and wrapped lines' ends would pair across its gutter."""
    values: dict[int, int] = {}
    for j in alone:
        value = out[j][1]
        if LABEL_VALUE.search(value.text):
            continue
        taken = set(values.values())
        labels = [i for i in alone if i < j - 1 and i not in taken and _beside(out[i][1], value)]
        if labels:
            values[j] = max(labels, key=lambda i: out[i][1].x1)  # the nearest to its left
    label_edges, value_edges = [out[i][1].x0 for i in values.values()], [out[j][1].x0 for j in values]
    pieces = [out[k][1] for k in alone]
    values = {j: i for j, i in values.items()
              if _edge_shared(out[i][1], label_edges) and _edge_shared(out[j][1], value_edges)
              and _no_labelled_values(out[i][1], pieces) and _no_labelled_values(out[j][1], pieces)}  # fmt: skip
    return values if len(values) >= TABLE_ROWS else {}


def _edge_shared(seg: Segment, edges: list[int]) -> bool:
    """Whether `seg` starts where TABLE_ROWS pieces of its kind do (itself among them, within a third of a line
    height): a column's edge, not the chance start of a centred line."""
    return sum(abs(seg.x0 - x) <= _height(seg) / 3 for x in edges) >= TABLE_ROWS


def _no_labelled_values(seg: Segment, pieces: list[Segment]) -> bool:
    """Whether most pieces starting at `seg`'s left edge (its column's) are no label with its value."""
    column = [p.text for p in pieces if abs(p.x0 - seg.x0) <= _height(seg) / 3]
    return 2 * sum(bool(LABEL_VALUE.search(t)) for t in column) < len(column)


def _beside(label: Segment, value: Segment) -> bool:
    """A label (words, no value of its own) on the row of a value to its right (overlapping by half a height)."""
    top, bottom = max(_top(label), _top(value)), min(_top(label) + _height(label), _top(value) + _height(value))
    alike = bottom - top >= min(_height(label), _height(value)) / 2
    worded = any(c.isalpha() for c in label.text)  # a card's edge read as "|" labels nothing
    return alike and worded and label.x1 < value.x0 and not LABEL_VALUE.search(label.text)


def _under(above: Segment, below: Segment) -> bool:
    """The next line of a wrapped value: just below it, from about its left edge."""
    height = _height(above)
    gap = _top(below) - (_top(above) + height)
    return 0 <= gap <= height and abs(below.x0 - above.x0) <= 2 * height


def reading_order(words: list[HasBox]) -> str:
    out: list[str] = []
    prev_block = None
    for block, seg in ordered_segments(words):
        if prev_block is not None and block != prev_block:
            out.append("")
        out.append(seg.text)
        prev_block = block
    return "\n".join(out).strip()


def centre_inside(box: tuple[int, int, int, int] | list[int], area: tuple[int, int, int, int] | list[int]) -> bool:
    """Whether the centre of an [x, y, w, h] box lies in an area given the same way: a word belongs to the part of
    the page its middle is in, whatever its edges touch."""
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    return area[0] <= cx <= area[0] + area[2] and area[1] <= cy <= area[1] + area[3]
