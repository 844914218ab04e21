"""A second reading of a long number the page's OCR broke (an ID number written out, not in boxes).

Read as Vietnamese text, a blurred or low-resolution number loses or gains digits and takes letters: a table's
"038187676544" came out "038180:", a photo's "046191028876" "(H6191028876". The word's box still spans the
number's ink; read again as digits only (as digitize.scan.digit_boxes reads a row of boxes), it usually gives the
number. The second reading replaces the word only when it is a whole 12-digit ID number, well formed (a known
province code, a century digit), and keeps most of the first reading's digits in their order, so a year, an
amount or a date is never made an ID.
"""

from __future__ import annotations

from difflib import SequenceMatcher

import numpy as np

from digitize.scan.digit_boxes import digits_in, read_digits
from forms.validate import id_number
from ocr.layout import centre_inside
from ocr.tesseract import OcrPage, Word

ID_LENGTH = 12  # the one number read again: a 9-digit CMND has no structure to check a reading by
LEAST_DIGITS = 4  # a word with fewer digits is no broken number
LEAST_CHARS = 6  # nor a shorter one ("1985.", "3.200")
DATE_MARKS = set("/⁄")  # a date read with a slash misread is no number ("19/10/19%." read again "197107199")
SURE = 0.9  # a word read this confidently is left as read
KEPT = 0.6  # share of the first reading's digits the second keeps in their order


def reread_broken_numbers(image: np.ndarray, ocr: OcrPage, skip: list[list[int]]) -> OcrPage:
    """The page's reading with each word that looks like a broken long number read again as digits from
    `image` (the page read), where that gives a whole number; words over the `skip` boxes (the cards, read from
    their own crops) are left."""
    words = list(ocr.words)
    for i, word in enumerate(words):
        if not _broken_number(word) or any(centre_inside(word.box, box) for box in skip):
            continue
        digits, conf = read_digits(image, word.box)
        if _whole_and_kept(digits, digits_in(word.text)):
            words[i] = Word(digits, conf, word.box, word.block, word.par, word.line)
    return ocr.with_words(words) if words != ocr.words else ocr


def _broken_number(word: Word) -> bool:
    digits = digits_in(word.text)
    return (
        word.conf < SURE
        and len(word.text) >= LEAST_CHARS
        and len(digits) >= max(LEAST_DIGITS, len(word.text) / 2)
        and (digits != word.text or len(digits) != ID_LENGTH)
        and not DATE_MARKS & set(word.text)
    )


def _whole_and_kept(digits: str, first: str) -> bool:
    if len(digits) != ID_LENGTH or digits == first or id_number(digits):
        return False
    kept = sum(b.size for b in SequenceMatcher(None, first, digits, autojunk=False).get_matching_blocks())
    return kept >= KEPT * len(first)
