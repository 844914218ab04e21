"""Garbled block labels put back in the order the paper prints its blocks.

A tờ khai prints its people's blocks in one order: the requester, the child, the mother, the father; a giấy chứng
sinh the mother before the child. Each block opens with a name label, and these labels differ by a word or two
("Họ, chữ đệm, tên người yêu cầu", "… người cha"). On a blurred copy OCR garbles that word ("tên ngafời vêu cần"),
and the fuzzy match may take the requester's label for the father's and the father's for the requester's: every
field of both blocks is then looked for in the wrong place. When the labels found are out of order, the keys are
chosen again, the best total match whose order is the paper's; a label read exactly keeps its key.
"""

from __future__ import annotations


def in_order(keys: list[str], chosen: list[str]) -> bool:
    """Whether the chosen keys stand in the order of `keys` (the paper's), each once."""
    ranks = [keys.index(k) for k in chosen]
    return all(a < b for a, b in zip(ranks, ranks[1:], strict=False))


def reorder(keys: list[str], found: list[dict[str, float]]) -> list[str | None]:
    """For each place a block label was found (in reading order, with how well it matched each key it may be),
    the key it takes in the best-matching assignment whose keys follow the order of `keys`; None for a place left
    out of that order (it keeps what it had)."""
    # best[i][r]: (total, keys) of the best chain over the first i places whose last key has rank < r.
    n, m = len(found), len(keys)
    best: list[list[tuple[float, list[str | None]]]] = [[(0.0, [])] * (m + 1)]
    for choice in found:
        row = [(0.0, [])] * (m + 1)
        prev = best[-1]
        for r in range(m + 1):
            skip = (prev[r][0], prev[r][1] + [None])
            options = [skip]
            for key, score in choice.items():
                k = keys.index(key)
                if k < r:
                    total, chain = prev[k]
                    options.append((total + score, chain + [key]))
            row[r] = max(options, key=lambda o: o[0])
        best.append(row)
    return best[n][m][1]
