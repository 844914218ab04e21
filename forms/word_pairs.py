"""A place's words whose marks OCR misread, put right by the word beside them.

"Bềnh viện", "Phu sản", "Trưng ương", "tính Khánh Hòa", "Sản Nhí": each misread word is a Vietnamese word, so
checking syllables alone passes it, but it never stands beside its neighbour in a place's name. Pairs of words
known to stand together (the words of hospitals and of addresses, forms/vocab/place_words.txt) tell it: a word in
no known pair with either neighbour that in exactly one spelling with other marks makes a known pair is taken in
that spelling. Failing that, a word that makes a known pair with a neighbour in exactly one known word a letter off
("Đệnh viện": Bệnh) is taken so: a word's first letter is the one OCR misreads most. A number stands as "#" in a
pair ("Tổ #", "Số #").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from itertools import accumulate

from rapidfuzz.distance import Levenshtein

from .normalize import fold

NUMBER = "#"


def _word(token: str) -> str:
    """How a word stands in a pair: lower case NFC, a number as NUMBER."""
    w = unicodedata.normalize("NFC", token.strip(",.;:()")).lower()
    return NUMBER if w and w[0].isdigit() else w


def pairs_of(phrases: Iterable[str]) -> set[tuple[str, str]]:
    """Every pair of neighbouring words in the phrases."""
    out = set()
    for phrase in phrases:
        words = [_word(t) for t in phrase.replace("-", " ").split()]
        out.update(zip(words, words[1:], strict=False))
    return out


def _recased(word: str, like: str) -> str:
    """The word in the case printed: its first letter's, or all capitals."""
    if len(like) > 1 and like.isupper():
        return word.upper()
    return word[0].upper() + word[1:] if like[:1].isupper() else word


def fix(
    value: str,
    known: set[tuple[str, str]],
    spellings: Callable[[str], list[str]],
    names: set[tuple[str, str]],
    unit_letters: frozenset[str] = frozenset(),
) -> str:
    """The value with each word that makes no known pair with a neighbour, and makes one in exactly one other
    spelling of its letters (`spellings`: the known words with the same letters, marks aside), spelt that way. A
    word in a pair of `names` (the units' names: "Thanh Hóa") stands as printed: "Phụ sản Thanh Hóa" is no
    misread "Phụ sản thành phố". A part (between commas) whose letters are a unit's name (`unit_letters`, marks
    aside) takes no word a letter off another: its marks misread ("An Dỗng": An Đồng, not An Dương) are for the
    units' list to put right, in its scope."""
    tokens = re.split(r"(\s+|,)", value)
    at = [i for i, t in enumerate(tokens) if any(c.isalnum() for c in t)]  # a dash between is no word of a pair
    words = [_word(tokens[i]) for i in at]
    # Whether each part (between commas) is a unit's name but for its marks, and the part each token is in.
    unit_part = [" ".join(fold(p).split()) in unit_letters for p in value.split(",")]
    part_of = list(accumulate((t == "," for t in tokens), initial=0))
    for n, i in enumerate(at):
        core = tokens[i].strip(",.;:()")
        if not (core.isalpha() or _a_symbol_for_a_letter(core) is not None):
            continue
        before = words[n - 1] if n and not _comma_between(tokens, at[n - 1], i) else None
        after = words[n + 1] if n + 1 < len(at) and not _comma_between(tokens, i, at[n + 1]) else None
        if any(pair in known or pair in names for pair in ((before, words[n]), (words[n], after))):
            continue
        fits = {s for s in spellings(words[n]) if s != words[n] and ((before, s) in known or (s, after) in known)}
        fits = fits or (set() if unit_part[part_of[i]] else _a_letter_off(words[n], before, after, known))
        if len(fits) == 1:
            words[n] = fits.pop()
            tokens[i] = tokens[i].replace(core, _recased(words[n], core))
    return "".join(tokens)


LETTER_OFF_SHORTEST = 4  # letters a word needs for a letter off it to be told from another word


def _a_letter_off(word: str, before: str | None, after: str | None, known: set[tuple[str, str]]) -> set[str]:
    """The known words a letter off the word (misread, lost or added), marks aside, that make a known pair with a
    neighbour ("Trung đương": ương); none for short words, too like others, unless a symbol stands for the letter
    ("Trung t&m": tâm): the letter off is that one."""
    partners = {b for a, b in known if a == before} | {a for a, b in known if b == after}
    letters = fold(word)
    at = _a_symbol_for_a_letter(word)
    if at is not None:
        rest = letters[:at] + letters[at + 1 :]
        return {s for s in partners if len(s) == len(word) and (f := fold(s))[:at] + f[at + 1 :] == rest}
    if len(word) < LETTER_OFF_SHORTEST:
        return set()
    near = (s for s in partners if len(s) >= LETTER_OFF_SHORTEST)
    return {s for s in near if Levenshtein.distance(fold(s), letters, score_cutoff=1) == 1}


def _a_symbol_for_a_letter(word: str) -> int | None:
    """Where OCR read a symbol for a letter in a word otherwise of letters ("t&m", "Ph@m"), or None."""
    odd = [k for k, c in enumerate(word) if not c.isalpha()]
    if len(word) < 3 or len(odd) != 1 or word[odd[0]].isdigit() or word[odd[0]] in "-'":
        return None
    return odd[0]


def _comma_between(tokens: list[str], i: int, j: int) -> bool:
    """Whether a comma parts two words: a pair never spans parts of an address."""
    return any("," in t for t in tokens[i:j])
