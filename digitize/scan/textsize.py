"""Text size measured from the pixels: x-height and stroke width of the body text, whatever the file says its dpi is.

Phone photos and web images carry no resolution (or 72, or 1×1), so scale has to come from the content. Letters
without ascenders or descenders (a c e m n o r s u v x z, and most Vietnamese vowels once their marks, which are
separate pieces of ink, are set apart) share one height: the x-height. Among the letter-sized ink components of a
binarised page that height is the most common one, and it tells the resolution the page was captured at. Letters
must stand in lines (a photo's blobs do not), in rows or, on a page lying turned by a quarter, in columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.resize import resized, shrink_by

# Reference: 13-pt Times New Roman, the body size Decree 30/2020/NĐ-CP prescribes for official letters (13–14 pt)
# and the middle of what printed forms use (12–14 pt): its x-height is 0.46 em, 6 pt. So a page whose x-height is
# 25 px reads like an ordinary document scanned at 300 dpi; 12-pt Times comes out 8 % low, 14-pt 8 % high, 12-pt
# Arial (x-height 0.52 em) 4 % high.
REF_X_HEIGHT_IN = 6.0 / 72
FIRST_LONG_SIDE = 2000  # px at most of the first look, shrunk by a whole factor: a 300-dpi A4 page by two
MAX_UPSCALE = 3.0  # the most a copy is enlarged to measure strokes
STROKE_X_HEIGHT = 24.0  # px of x-height at which stroke widths (3-5 px there) are measured
MIN_LETTERS = 40  # letter-like components agreeing on one height below which the measure is not trusted
MIN_TEXT_SHARE = 0.3  # share of letter-like components at x-height or ascender height (text, not a photo's blobs)


@dataclass(frozen=True)
class TextSize:
    """Body text size in pixels of the image it was measured on."""

    x_height: float  # 0.0 when nothing letter-like was found
    stroke: float  # mean stroke width
    letters: int  # letters of x-height or ascender height found standing in lines
    reliable: bool  # enough of them, most in lines, the x-height group well attested: text, to act on


NO_TEXT = TextSize(0.0, 0.0, 0, False)


def _to_gray(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) if img.ndim == 3 else img


def binarise(gray: np.ndarray) -> np.ndarray:
    """Ink mask (1 = ink) after dividing by a background estimate whose kernel follows the image's size.

    The kernel is a twenty-fifth of the short side: wider than any body letter on a page that fills the picture,
    narrow enough to follow a shadow. The evened image is then cut between its ink and its paper, whatever
    contrast the capture left (blurred low-resolution strokes are grey, not black).
    """
    h, w = gray.shape
    # The background is smooth: estimate it on a quarter-size copy, four times cheaper per step.
    q = 4 if min(h, w) >= 200 else 1
    small = shrink_by(gray, q)
    k = max(5, (min(h, w) // 25 // q) | 1)
    bg = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.blur(bg, (k, k))
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR) if q > 1 else bg
    even = cv2.divide(gray, np.maximum(bg, 1), scale=255)
    return _ink_below_midpoint(even)


def _ink_below_midpoint(even: np.ndarray) -> np.ndarray:
    """Ink mask of an image whose paper is even: pixels darker than halfway between the ink and the paper.

    Halfway keeps a blurred edge where it was; Otsu's cut alone sits nearer the paper on a mostly white page and
    fattens blurred letters until tone marks join them. Otsu still bounds it: on a near-blank page it splits the
    paper's own noise, and the ink found must be well below the paper's white.
    """
    otsu, _ = cv2.threshold(even, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    otsu = min(float(otsu), 200.0)
    sample = even[::2, ::2]
    dark = sample[sample < otsu]
    t = (float(np.median(dark)) + float(np.median(sample))) / 2 if dark.size else otsu
    return (even < min(t, otsu)).astype(np.uint8)


def _letter_like(stats: np.ndarray, min_h: int) -> np.ndarray:
    """Indices of components shaped like letters: not specks, rules, blocks or pictures, nor the dots of the
    dotted leaders forms are full of (round and solid: they fill about π/4 of their box, where letters, hollow or
    open, fill 0.3–0.65)."""
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    fill = area / np.maximum(w * h, 1)
    dot = (fill > 0.7) & (w <= 1.6 * h) & (h <= 1.6 * w)
    ok = (h >= min_h) & (w >= 2) & (w <= 3.0 * h) & (h <= 4.0 * w) & (fill >= 0.12) & (fill <= 0.85) & ~dot
    ok[0] = False  # the background
    return np.nonzero(ok)[0]


LEADER_RUN = 5  # dots alike in a row, evenly spaced, that make a dotted leader rather than letters


def _leaders(stats: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Which of the components `idx` are the dots of a dotted leader ("Họ và tên: ……"), forms' every blank: a run
    of LEADER_RUN or more blobs about as wide as tall, of one size, each the same pitch after the last and on its
    baseline (give or take a pixel: a skewed page's rows drift). Shrunk to a few pixels a dot is no longer round and
    solid (a 2 x 3 box, 4 pixels of ink); a form's leaders outnumber its letters of any one height, and taken for
    them they made a 200-dpi tờ khai's x-height 4.6 pixels, not 13. A number's digits, alike and evenly spaced
    too, are taller than wide and closer together than their width."""
    x, y, w, h = (stats[idx, i].astype(np.int64) for i in range(4))
    square = np.abs(w - h) <= np.maximum(1, h // 4)
    open_runs: dict[int, list[int]] = {}  # the baseline of each run's last dot -> the run
    runs: list[list[int]] = []
    for k in (int(k) for k in np.argsort(x, kind="stable") if square[k]):
        base = int(y[k] + h[k])
        run = next(
            (r for b in (base, base - 1, base + 1) if (r := open_runs.get(b)) and _next_dot(r, k, x, w, h)), None
        )
        if run is None:
            run = [k]
            runs.append(run)
        else:
            del open_runs[int(y[run[-1]] + h[run[-1]])]
            run.append(k)
        open_runs[base] = run
    dots = np.zeros(len(idx), bool)
    for run in runs:
        if len(run) >= LEADER_RUN:
            dots[run] = True
    return dots


def _next_dot(run: list[int], k: int, x: np.ndarray, w: np.ndarray, h: np.ndarray) -> bool:
    """Whether component k follows a run of dots: its size, at least its width (less a pixel) and at most twice
    its size after the last, at the run's pitch."""
    last = run[-1]
    gap = x[k] - (x[last] + w[last])
    alike = abs(w[k] - w[last]) <= 1 and abs(h[k] - h[last]) <= 1 and w[k] - 1 <= gap <= 2 * max(w[k], h[k])
    return bool(alike and (len(run) < 2 or abs((x[k] - x[last]) - (x[last] - x[run[-2]])) <= 1))


def _beside(stats: np.ndarray, labels: np.ndarray, idx: np.ndarray, down: bool, reach: np.ndarray) -> np.ndarray:
    """Which components `idx` have a component at least 1/0.7 times their height within `reach` pixels straight
    below (or above) three points of their base (or top)."""
    x, y, w, h = (stats[idx, i].astype(np.int64) for i in range(4))
    steps = np.arange(1, int(reach.max()) + 1)
    cols = np.stack([x + w // 4, x + w // 2, x + (3 * w) // 4], axis=1)  # k x 3
    rows = (y + h - 1)[:, None] + steps[None, :] if down else y[:, None] - steps[None, :]  # k x reach
    rows = np.clip(rows, 0, labels.shape[0] - 1)
    found = labels[rows[:, None, :], cols[:, :, None]]  # k x 3 x reach
    near = (steps[None, :] <= reach[:, None])[:, None, :]
    other = (found != 0) & (found != idx[:, None, None]) & near & (h[:, None, None] <= 0.7 * stats[found, 3])
    return other.any(axis=(1, 2))


def _marks(stats: np.ndarray, labels: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Which of the components `idx` sit on (or, on a page upside down, under) a taller one: tone marks,
    circumflexes, the dots of i. Vietnamese puts a mark on most syllables, so marks are as many as the letters.

    Looking down one mark height finds the letter a mark sits on; looking up only half as far (a dot below sits
    close) keeps the letters of a line that stands under another line's descenders.
    """
    h = stats[idx, 3].astype(np.int64)
    cap = int(np.percentile(h, 95)) + 1  # marks are small: no need to look as far as the largest blob's height
    down = np.minimum(h + 1, cap)
    up = np.minimum(h // 2 + 1, cap)
    return _beside(stats, labels, idx, True, down) | _beside(stats, labels, idx, False, up)


def _x_height(heights: np.ndarray) -> tuple[float, np.ndarray]:
    """(x-height, which heights are in its peak) from the heights of letter-like components other than marks.

    Text has two groups of heights: the x-height and, about 1.45 times taller, capitals, ascenders, descenders
    (and, once blur has joined them, letters with their marks). The most common height is one of the two. If it
    is the x-height, the taller group shows above it; if it is the taller group (blurred text, capitals), the
    x-height group shows below it, at 0.55–0.8 of it, and hardly anything above. The mean over the chosen peak
    (± 10 %) resolves fractions of a pixel.
    """
    counts = np.bincount(heights, minlength=2 * int(heights.max()) + 2).astype(np.float64)
    mode = int(np.argmax(np.convolve(counts, (0.25, 0.5, 0.25), mode="same")))

    def between(lo: float, hi: float) -> float:
        return float(counts[int(np.ceil(lo * mode)) : int(hi * mode) + 1].sum())

    peak = max(1.0, between(0.9, 1.1))
    below, above = between(0.55, 0.8) / peak, between(1.3, 1.65) / peak
    if mode >= 4 and (below > above or (below >= 0.1 and above < 0.2)):
        lo, hi = int(np.ceil(0.55 * mode)), int(0.8 * mode) + 1
        mode = lo + int(np.argmax(counts[lo:hi]))
    window = np.abs(heights - mode) <= max(1.0, 0.1 * mode)
    return float(heights[window].mean()), window


def _outline_width(mask: np.ndarray, labels: np.ndarray, stats: np.ndarray, keep: np.ndarray) -> float:
    """Mean stroke width of the components `keep`: ink area over half the outline's length (a stroke w pixels
    wide and L long has area wL and an outline 2L long). The outline runs through the border pixels' centres,
    so a one-pixel stroke measures one pixel, not two as a count of border pixels would say."""
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return 0.0
    chosen = np.zeros(len(stats), bool)
    chosen[keep] = True
    # Every contour, outer or around a hole, runs over pixels of the component it belongs to.
    starts = np.array([c[0, 0] for c in contours], dtype=np.intp).reshape(-1, 2)
    mine = chosen[labels[starts[:, 1], starts[:, 0]]]
    outline = sum(cv2.arcLength(c, True) for c, m in zip(contours, mine, strict=True) if m)
    return 2.0 * float(stats[keep, 4].sum()) / outline if outline else 0.0


def _stroke(gray: np.ndarray, box: tuple[int, int, int, int], xh: float) -> float:
    """Mean stroke width of the text in `box` (x, y, w, h of `gray`), measured on a copy where the x-height is
    STROKE_X_HEIGHT pixels: at the work scale strokes are one or two pixels, too few to tell widths apart."""
    x, y, w, h = box
    factor = min(MAX_UPSCALE, STROKE_X_HEIGHT / xh)
    crop = resized(np.ascontiguousarray(gray[y : y + h, x : x + w]), factor)
    paper = float(np.percentile(crop, 90))
    ink = _ink_below_midpoint(cv2.convertScaleAbs(crop, alpha=255.0 / max(paper, 1.0)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    letters = _letter_like(stats, min_h=max(3, int(0.5 * STROKE_X_HEIGHT)))
    letters = letters[stats[letters, 3] <= 2.5 * STROKE_X_HEIGHT]
    return _outline_width(ink, labels, stats, letters) / factor


def _text_box(stats: np.ndarray, lined: np.ndarray, xh: float) -> tuple[int, int, int, int]:
    """A few lines' worth of text around the middle letter: enough letters for a stroke width, cheap to enlarge."""
    mid = lined[np.argsort(stats[lined, 1])[len(lined) // 2]]
    cx, cy = stats[mid, 0] + stats[mid, 2] // 2, stats[mid, 1] + stats[mid, 3] // 2
    half_w, half_h = int(30 * xh), int(4 * xh)
    return int(max(0, cx - half_w)), int(max(0, cy - half_h)), 2 * half_w, 2 * half_h


def _in_lines(
    stats: np.ndarray, letters: np.ndarray, others: np.ndarray, shape: tuple[int, int], xh: float
) -> np.ndarray:
    """Which of the components `letters` have a letter-like component (`others`) on their baseline just to
    their right: letters stand in lines, a picture's blobs of one size mostly do not. The tolerance allows the
    tilt of a page not yet deskewed (15° over one letter's pitch)."""
    ox, oy, oh = stats[others, 0], stats[others, 1], stats[others, 3]
    starts = np.zeros(shape, np.uint8)
    starts[oy + oh - 1, ox] = 1
    table = cv2.integral(starts, sdepth=cv2.CV_32S)  # (H+1) x (W+1) running sums: a box's count in four look-ups
    x, y, w, h = (stats[letters, i].astype(np.int64) for i in range(4))
    tol, reach = max(1, int(round(0.3 * xh))), int(round(1.5 * xh))
    y0, y1 = np.clip(y + h - 1 - tol, 0, shape[0]), np.clip(y + h + tol, 0, shape[0])
    x0, x1 = np.clip(x + w // 2, 0, shape[1]), np.clip(x + w + reach, 0, shape[1])
    count = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
    return count > 0


@dataclass(frozen=True)
class _Look:
    """What one look at a scaled copy found, in that copy's pixels."""

    size: TextSize
    pieces: int  # pieces of ink: a blank page has few, tiny text many
    box: tuple[int, int, int, int] = (0, 0, 0, 0)  # the lined letters, for the stroke width (transposed if across)
    across: bool = False  # the lines run down the image: the page lies turned by a quarter


def _measure_mask(mask: np.ndarray) -> _Look:
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    idx = _letter_like(stats, min_h=3)
    idx = idx[~_leaders(stats, idx)]
    if len(idx) >= MIN_LETTERS:
        idx = idx[~_marks(stats, labels, idx)]
    if len(idx) < MIN_LETTERS:
        return _Look(NO_TEXT, n - 1)
    heights = stats[idx, 3]
    xh, window = _x_height(heights)
    # The text's letters: the x-height group and the taller one; most of them must stand in lines.
    text = idx[window | ((heights >= 1.25 * xh) & (heights <= 1.7 * xh))]
    lined = text[_in_lines(stats, text, idx, mask.shape, xh)]
    letters = len(lined)
    reliable = bool(
        letters >= MIN_LETTERS
        and window.sum() >= MIN_LETTERS // 4
        and len(text) >= MIN_TEXT_SHARE * len(idx)
        and letters >= 0.5 * len(text)
    )
    box = _text_box(stats, lined, xh) if letters else (0, 0, 0, 0)
    # Blur and a generous threshold widen every stroke, and so every letter's box, by the same amount: taking
    # half the stroke width measured on the same mask off the box height takes most of it back.
    xh -= 0.5 * _outline_width(mask, labels, stats, idx[window])
    return _Look(TextSize(xh, 0.0, letters, reliable), n - 1, box)


def _measure(gray: np.ndarray) -> _Look:
    """One look at a scaled copy. A page turned by a quarter (not yet set upright) is read across: its lines run
    down the image."""
    mask = binarise(gray)
    look = _measure_mask(mask)
    if not look.size.reliable and look.pieces >= MIN_LETTERS:
        across = _measure_mask(np.ascontiguousarray(mask.T))
        if across.size.reliable:
            return _Look(across.size, look.pieces, across.box, across=True)
    return look


def measure_text(gray: np.ndarray) -> TextSize:
    """The body text's x-height and stroke width in pixels of `gray` (or RGB).

    One look at a copy at most FIRST_LONG_SIDE pixels long settles most pages: ordinary text shows there at five
    pixels of x-height or more, and the mean over hundreds of letters resolves fractions of a pixel (enlarging
    small text first does not help: thresholding an interpolated copy joins more marks to their letters). Only a
    large image (shrunk three times or more) with ink but no lines of letters is looked at again at double the
    resolution: its text may be too small for the first look. Text under three pixels of x-height at the first
    look is under six in a 12-megapixel photo or a 300-dpi page, too small to read anyway."""
    gray = _to_gray(gray)
    shrink = int(np.ceil(max(gray.shape) / FIRST_LONG_SIDE))
    factor = 1.0 / shrink
    look = _measure(resized(gray, factor))
    if not look.size.reliable and look.pieces >= MIN_LETTERS and shrink >= 3:
        factor = 1.0 / (shrink // 2)
        look = _measure(resized(gray, factor))
    if not look.size.letters:
        return NO_TEXT
    xh = look.size.x_height / factor
    box = tuple(int(round(v / factor)) for v in look.box)
    stroke = _stroke(gray.T if look.across else gray, box, xh)
    return TextSize(round(xh, 2), round(stroke, 2), look.size.letters, look.size.reliable)


def effective_dpi(size: TextSize) -> int | None:
    """The resolution at which this page's text would be ordinary document print (x-height of 6 pt), or None when
    the measure is not reliable. A pipeline rescales by 300 / effective_dpi to see the page as a 300-dpi scan."""
    if not size.reliable or size.x_height <= 0:
        return None
    return int(round(size.x_height / REF_X_HEIGHT_IN))
