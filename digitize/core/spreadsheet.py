"""Tables as CSV that Excel opens right: UTF-8 with a byte-order mark (without it Excel reads Vietnamese as
Windows-1252 mojibake), Vietnamese headers, CRLF line ends, fields quoted when they hold a separator or quote."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

BOM = "\ufeff"


def excel_csv(columns: Sequence[tuple[str, str]], rows: Iterable[Mapping[str, object]]) -> bytes:
    """`columns` as (key, header) pairs; each row's values by key, missing ones empty."""
    out = io.StringIO()
    out.write(BOM)
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([header for _, header in columns])
    for row in rows:
        w.writerow(["" if row.get(key) is None else row.get(key) for key, _ in columns])
    return out.getvalue().encode("utf-8")
