"""A page an officer turned by hand (issue 13, item 7): loaded turned as they said, and its orientation never
guessed again, so a person who looked at the page is not overruled. Real Tesseract reads a generated letter."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from digitize.devtools import synth
from digitize.scan import intake, pipeline
from ocr.text import cer

pytestmark = pytest.mark.reading  # no database


def test_a_page_turned_by_hand_is_read_upright_and_not_turned_again(tmp_path):
    letter = synth.render_page(seed=31, paragraphs=2)
    sideways = np.ascontiguousarray(np.rot90(letter.image, k=1))  # scanned lying on its side (turned anticlockwise)
    path = tmp_path / "sideways.png"
    path.write_bytes(synth.encode(sideways))
    (ref,) = intake.inspect(path.read_bytes(), path.name)

    turned = pipeline.process_scan(str(path), replace(ref, turn=90).to_dict())  # the officer: 90° clockwise
    assert turned.error is None, turned.reason
    page = turned.pages[0]
    assert page.height_px > page.width_px and page.rotation == 270
    assert cer(letter.text, page.text) < 0.05

    # Turned the wrong way by hand: kept as the person said (upside down), not turned back by a guess.
    wrong = pipeline.process_scan(str(path), replace(ref, turn=270).to_dict()).pages[0]
    assert wrong.height_px > wrong.width_px and wrong.rotation == 90
    assert cer(letter.text, wrong.text) > 0.5
