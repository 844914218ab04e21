"""Made-up ID cards for the tests: a card's picture, its machine-readable zone, OCR lines of its text."""

from __future__ import annotations

import random

from digitize.devtools import synth
from digitize.devtools.synth_forms import can_cuoc, fake_person
from forms.mrz import check_digit


def card_png(seed: int) -> tuple[bytes, str, str]:
    """A generated card as PNG, its holder's ID number and name."""
    rng = random.Random(seed)
    person = fake_person(rng, year=(1990, 2000))
    idn = person.id_number(rng.randint(0, 999999))
    return synth.encode(can_cuoc(rng, holder=(person, idn, "Phường Mẫu, Thành phố Huế")).image), idn, person.name


def card_zone(ident: str, born: str, sex: str, expiry: str, name: str) -> list[str]:
    """A Vietnamese card's TD1 zone built by the standard's rules (ID's last nine digits as document number)."""
    doc = ident[3:]
    one = f"IDVNM{doc}{check_digit(doc)}{ident}<<"
    one += check_digit(one[5:])
    two = f"{born}{check_digit(born)}{sex}{expiry}{check_digit(expiry)}VNM".ljust(29, "<")
    two += check_digit(one[5:] + two[:7] + two[8:15] + two[18:29])
    return [one, two, name.ljust(30, "<")]


def card_lines(texts: list[str], page: int = 1, top: int = 0):
    """OCR lines of a card's garbled text, one per string, as forms.lines builds them: words 60 px apart, lines
    40 px apart from `top`."""
    from forms.lines import page_lines

    words = [{"text": t, "conf": 0.5, "box": [60 * k, 40 * n + top, 50, 30], "line": [1, 1, n]}
             for n, text in enumerate(texts) for k, t in enumerate(text.split())]  # fmt: skip
    return page_lines(words, page=page)
