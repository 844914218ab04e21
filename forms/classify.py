"""Which document type a page is: its title among the first lines, and the type's keywords anywhere on it, both
matched with diacritics folded and a fuzzy score so OCR's missed tone marks do not matter."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from .catalog import KHAC, Catalog, DocumentType
from .lines import Line
from .normalize import fold

TITLE_LINES = 18  # titles sit in the upper part, under the national header
TITLE_MIN = 85.0
KEYWORD_MIN = 88.0


@dataclass
class PageType:
    type: str
    confidence: float
    titled: bool  # the page carries its type's title (a first page), not just its keywords
    keyword_share: dict[str, float]


def _title_score(title: str, lines: list[Line]) -> float:
    t = fold(title)
    best = 0.0
    for line in lines[:TITLE_LINES]:
        f = line.folded.strip()
        if not f:
            continue
        # A title is a line of its own (perhaps with an English subtitle beside it); a body line that merely
        # mentions "căn cước" must not count.
        # A line much shorter than the title ("ai") would be found inside it: compare such lines whole.
        near = 0.7 * len(t) <= len(f) <= len(t) * 1.6 + 4
        score = fuzz.partial_ratio(t, f) if near else fuzz.ratio(t, f)
        best = max(best, score)
    return best


def _keyword_share(dt: DocumentType, page_text: str) -> float:
    if not dt.keywords:
        return 0.0
    found = sum(fuzz.partial_ratio(fold(k), page_text) >= KEYWORD_MIN for k in dt.keywords)
    return found / len(dt.keywords)


def classify_page(lines: list[Line], catalog: Catalog) -> PageType:
    text = " ".join(line.folded for line in lines)
    best_type, best_score, titled = KHAC, 0.0, False
    shares = {}
    for dt in catalog.document_types.values():
        title = max(_title_score(t, lines) for t in dt.titles)
        share = _keyword_share(dt, text)
        shares[dt.code] = share
        has_title = title >= TITLE_MIN
        # A near title ("GIẤY KHAI SINH" against "TỜ KHAI ĐĂNG KÝ KHAI SINH") scores below the exact one, and the
        # keywords settle what is left.
        score = (0.75 * title / 100.0 if has_title else 0.0) + 0.25 * share
        if score > best_score + 1e-9:
            best_type, best_score, titled = dt.code, score, has_title
    if not titled:
        return PageType(KHAC, round(1.0 - best_score, 3), False, shares)
    return PageType(best_type, round(min(1.0, best_score + 0.05), 3), True, shares)
