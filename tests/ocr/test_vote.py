"""Two readings of a page's words voted word by word (ocr.vote)."""

import pytest

from ocr.tesseract import Word
from ocr.vote import voted

pytestmark = pytest.mark.reading  # no database: run once, on SQLite (conftest)


def word(text: str, conf: float, x: int, w: int = 60, y: int = 100, h: int = 30) -> Word:
    return Word(text, conf, (x, y, w, h), 1, 1, 1)


def test_the_surer_reading_of_each_word_stands_in_the_enlarged_ones_box():
    enlarged = [word("Nêu", 0.95, 300), word("tôi", 0.96, 400), word("vi", 0.60, 500)]
    own = [word("Nếu", 0.96, 200, 40, 67, 20), word("tôi", 0.97, 267, 40, 67, 20), word("vì", 0.40, 333, 40, 67, 20)]
    out = voted(enlarged, own, 1.5)
    assert [(w.text, w.conf) for w in out] == [("Nếu", 0.96), ("tôi", 0.96), ("vi", 0.60)]
    assert [w.box for w in out] == [w.box for w in enlarged]  # the page's boxes stay the enlarged reading's


def test_a_word_one_reading_split_or_joined_keeps_the_enlarged_reading():
    enlarged = [word("Hà", 0.50, 300, 40), word("Nội", 0.50, 345, 45)]
    joined = [word("HàNội", 0.99, 200, 60, 67, 20)]  # one box over both: neither is that word
    assert [w.text for w in voted(enlarged, joined, 1.5)] == ["Hà", "Nội"]
    split = [word("Thành", 0.99, 200, 25, 67, 20), word("phố", 0.99, 227, 25, 67, 20)]
    assert [w.text for w in voted([word("Thànhphố", 0.5, 300, 80)], split, 1.5)] == ["Thànhphố"]


def test_a_word_the_other_reading_missed_is_kept():
    enlarged = [word("Kinh", 0.7, 300), word("Việt", 0.7, 900)]
    assert voted(enlarged, [word("Kính", 0.9, 100, 40, 67, 20)], 1.5) == enlarged
