"""Characters a name or an address typed or sent to us must not carry."""

from __future__ import annotations


def is_control(ch: str) -> bool:
    """A C0 control character or DEL: PostgreSQL refuses a NUL in a string, and browsers drop tabs and newlines
    from an address, so none of them is kept in a name or followed in a path."""
    return ch < " " or ch == "\x7f"


def masked_id(id_number: str | None) -> str | None:
    """A citizen's 12-digit ID number as a list or a log may show it: the first three and last two digits (the
    province and a check a person can compare with the paper), the rest starred. Anything else is shown as is."""
    if not id_number or len(id_number) != 12 or not id_number.isdigit():
        return id_number
    return id_number[:3] + "*" * 7 + id_number[-2:]
