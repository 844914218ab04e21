"""Tables as CSV files a spreadsheet opens right: one table per file, UTF-8 with a byte-order mark (without it Excel
reads the bytes in the PC's ANSI code page and Vietnamese turns to mojibake), RFC 4180 quoting only where a field
holds a comma, a quote or a line break, lines ending CRLF. Text that begins like a formula (=, +, -, @) is written
after an apostrophe: a reason typed "=HYPERLINK(…)" must stay text. Dates are best given ISO (YYYY-MM-DD), which
Excel reads as dates whatever the PC's regional settings."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence


def cell(value: object) -> str:
    """A value as Excel should read it: nothing for none, text never taken for a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if isinstance(value, str) and text[:1] in ("=", "+", "-", "@") else text


def excel_csv(columns: Sequence[tuple[str, str]], rows: Iterable[Mapping[str, object]]) -> bytes:
    """`columns` as (header, key) pairs; each row's values by key, missing ones empty."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([header for header, _ in columns])
    for row in rows:
        w.writerow([cell(row.get(key)) for _, key in columns])
    return out.getvalue().encode("utf-8-sig")
