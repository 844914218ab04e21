"""Characters a name or an address typed or sent to us must not carry."""

from __future__ import annotations


def is_control(ch: str) -> bool:
    """A C0 control character or DEL: PostgreSQL refuses a NUL in a string, and browsers drop tabs and newlines
    from an address, so none of them is kept in a name or followed in a path."""
    return ch < " " or ch == "\x7f"
