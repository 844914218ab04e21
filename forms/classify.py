"""Which document type a page is: its title among the first lines, and the type's keywords anywhere on it, both
matched with diacritics folded and a fuzzy score so OCR's missed tone marks do not matter. A page whose title was
not read is still typed by its keywords when it carries enough of one type's, or by its labels when it carries
many more of one type's than of any other; and a card found by its shape on the page is a card type when anything
on it says so (a keyword, its ID number, its QR code)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .catalog import KHAC, Catalog, DocumentType
from .extract import find_labels
from .lines import Line
from .normalize import fold

TITLE_LINES = 18  # titles sit in the upper part, under the national header
TITLE_MIN = 85.0
TITLE_NEAR = 78.0  # a garbled title ("TỜ KHAI ĐĂNG KÝ KILVISIXH") still counts, its keywords settle which
TITLE_OWNED = 10.0  # points by which another title reads a whole line better, that make it that title's line
KEYWORD_MIN = 88.0
KEYWORD_TYPE_SHARE = 0.5  # share of a type's keywords that types a page whose title was not read
LABELS_TYPE_MIN = 6  # a type's labels, told apart, that type a page with neither title nor keywords read
LABELS_LEAD = 2.0  # times as many as any other type's: forms share their labels ("Họ, chữ đệm, tên", "Dân tộc")
LABELS_CONFIDENCE = 0.5  # a type told by labels alone: the reviewer confirms it
_ID_NUMBER = re.compile(r"(?<!\d)(\d{12}|\d{9})(?!\d)")


@dataclass
class PageType:
    type: str
    confidence: float
    titled: bool  # the page carries its type's title (a first page), not just its keywords
    keyword_share: dict[str, float]


def _title_score(title: str, lines: list[Line], owners: list[float]) -> float:
    """How well the title reads on one of the first lines. `owners`: each line's best whole match with any type's
    title; a title found inside a line (partial_ratio) counts only where no other title reads as that whole line
    much better ("GIẤY KHAI SINH" inside "TỜ KHAI ĐĂNG KỶ KHAI SINH" is the tờ khai's title's end)."""
    t = fold(title)
    best = 0.0
    for line, owner in zip(lines[:TITLE_LINES], owners, strict=False):
        f = line.folded.strip()
        if not f:
            continue
        # A title is a line of its own (perhaps with an English subtitle beside it); a body line that merely
        # mentions "căn cước" must not count.
        # A line much shorter than the title ("ai") would be found inside it: compare such lines whole.
        whole = fuzz.ratio(t, f)
        near = 0.7 * len(t) <= len(f) <= len(t) * 1.6 + 4 and whole + TITLE_OWNED > owner
        # partial_ratio aligns the title's own length: a garbled title of about its length compares better whole.
        score = max(fuzz.partial_ratio(t, f), whole) if near else whole
        best = max(best, score, _opening_title(t, line))
    return best


def _opening_title(t: str, line: Line) -> float:
    """A title that opens a line, another column's words read on after it ("CĂN CƯỚC CÔNG DÂN —ˆ Một uờiC 1ơn
    dưới…", the card's marks beside it): the line's opening, in capitals as titles are printed, compared whole.
    A sentence naming the paper ("Căn cước công dân số …") is no title: it is in small letters."""
    text = line.text.strip()
    head = text[: len(t)]
    return fuzz.ratio(t, fold(head)) if len(text) > len(t) and head.isupper() else 0.0


def _keyword_share(dt: DocumentType, page_text: str) -> float:
    if not dt.keywords:
        return 0.0
    found = sum(fuzz.partial_ratio(fold(k), page_text) >= KEYWORD_MIN for k in dt.keywords)
    return found / len(dt.keywords)


def classify_page(
    lines: list[Line], catalog: Catalog, card: bool = False, card_code: bool = False, both_sides: bool = False
) -> PageType:
    """The page's type. `card`: a card-sized block was found on the page (a photocopied ID card); `card_code`: a
    card's QR code or machine-readable zone was read on it, which only a card carries; `both_sides`: two such
    blocks hold the page's ink, a card's front and back copied together."""
    text = " ".join(line.folded for line in lines)
    best_type, best_score, titled = KHAC, 0.0, False
    shares, near_titles, titles = {}, set(), {}
    owners = [max((fuzz.ratio(fold(t), ln.folded.strip()) for dt in catalog.document_types.values() for t in dt.titles),
                  default=0.0) for ln in lines[:TITLE_LINES]]  # fmt: skip
    for dt in catalog.document_types.values():
        title = titles[dt.code] = max(_title_score(t, lines, owners) for t in dt.titles)
        share = _keyword_share(dt, text)
        shares[dt.code] = share
        # A near title ("GIẤY KHAI SINH" against "TỜ KHAI ĐĂNG KÝ KHAI SINH") scores below the exact one, and the
        # keywords settle what is left. So does a garbled title: "TỜ KHAI ĐĂNG KÝ KILVISIXH" is as near to the
        # title of the tờ khai kết hôn as to its own, and only its keywords tell it is a tờ khai khai sinh.
        near = title >= TITLE_NEAR
        if near:
            near_titles.add(dt.code)
        has_title = title >= TITLE_MIN or (near and share >= KEYWORD_TYPE_SHARE)
        score = (0.75 * title / 100.0 if near else 0.0) + 0.25 * share
        if score > best_score + 1e-9:
            best_type, best_score, titled = dt.code, score, has_title
    if titled:
        return PageType(best_type, round(min(1.0, best_score + 0.05), 3), True, shares)
    out = _untitled(catalog, shares, near_titles, titles, text, card, card_sure=card_code or both_sides)
    labelled = _type_by_labels(catalog, lines) if out.type == KHAC else None
    return PageType(labelled, LABELS_CONFIDENCE, False, shares) if labelled else out


def _type_by_labels(catalog: Catalog, lines: list[Line]) -> str | None:
    """The paper type whose labels a page carries, however garbled its title and keywords read ("LƠ kH W ĐÁ NG KÝ
    ÁHI VI SIXH" over a tờ khai's fields): at least LABELS_TYPE_MIN of them, LABELS_LEAD times another type's."""
    found = {dt.code: len({h.key for h in find_labels(dt, lines) if h.key})
             for dt in catalog.document_types.values() if not dt.card}  # fmt: skip
    ranked = sorted(found.items(), key=lambda kv: -kv[1]) + [(KHAC, 0)]
    (code, most), (_, next_most) = ranked[0], ranked[1]
    return code if most >= LABELS_TYPE_MIN and most >= LABELS_LEAD * next_most else None


def _untitled(
    catalog: Catalog, shares: dict[str, float], near_titles: set[str], titles: dict[str, float], text: str,
    card: bool, card_sure: bool,
) -> PageType:  # fmt: skip
    """A page whose title was not read (or only garbled, `near_titles`): a card by its shape and what it says,
    or by what only a card shows (`card_sure`: its code, or both its sides side by side); or, of the types most
    of whose keywords it carries, the one its garbled title is nearest, weighed as a title is (papers share
    keywords: a tờ khai khai sinh's "đăng ký khai sinh" is a giấy khai sinh's too); else none of the catalog's."""
    if card or card_sure:
        cards = [dt.code for dt in catalog.document_types.values() if dt.card]
        best = max(cards, key=lambda c: (c in near_titles, shares.get(c, 0.0)), default=None)
        said = best in near_titles or shares.get(best, 0.0) > 0 or _ID_NUMBER.search(text.replace(" ", ""))
        if best is not None and (card_sure or said):
            return PageType(best, round(0.6 + 0.3 * shares.get(best, 0.0), 3), True, shares)
    keyworded = [c for c, share in shares.items() if share >= KEYWORD_TYPE_SHARE]
    if keyworded:
        code = max(keyworded, key=lambda c: 0.75 * titles.get(c, 0.0) / 100.0 + 0.25 * shares[c])
        return PageType(code, round(0.5 + 0.4 * shares[code], 3), False, shares)
    return PageType(KHAC, round(1.0 - 0.25 * max(shares.values(), default=0.0), 3), False, shares)
