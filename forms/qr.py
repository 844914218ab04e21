"""The chip căn cước's QR code: `ID|old CMND|full name|DDMMYYYY birth|sex|residence|DDMMYYYY issue date`."""

from __future__ import annotations

import datetime as dt

from . import normalize


def parse_cccd(payload: str) -> dict[str, str] | None:
    """The card fields a QR payload carries, normalised like OCR values; None when it is not a card's code."""
    parts = payload.split("|")
    if len(parts) < 6 or not (len(parts[0]) == 12 and parts[0].isdigit()):
        return None
    try:
        born = dt.datetime.strptime(parts[3], "%d%m%Y").date().isoformat()
    except ValueError:
        return None
    fields = {"id_number": parts[0], "full_name": normalize.name(parts[2]) or "", "date_of_birth": born}
    sex = normalize.sex(parts[4])
    if sex:
        fields["sex"] = sex
    residence = normalize.place(parts[5])
    if residence:
        fields["place_of_residence"] = residence
    return fields
