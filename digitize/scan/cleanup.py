"""Page cleanup: pure functions on numpy arrays, from a raw scan to upright, straight, cropped pages.

Most decisions are taken on a small ink mask (about 100 dpi) so that a 300-dpi A4 page costs tens of milliseconds;
only the final rotation and crop touch the full-resolution image. Angles follow OpenCV: positive is
counter-clockwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr.colour import is_colour
from ocr.resize import resized

MAX_SKEW_DEG = 15.0
WORK_DPI = 100  # resolution of the mask used to measure skew and orientation
BLANK_INK_FRACTION = 0.0004  # share of the page covered by real ink components below which a page is blank
BLUR_WARN_EDGE_PX = 3.2  # edge width at 300 dpi past which OCR degrades visibly
SHARPEN_SIGMA = 0.3  # of the edge width: the blur unsharp masking takes away
SHARPEN_AMOUNT = 2.0
CUT_MIN_GLYPHS = 4  # text-sized ink pieces touching one edge of the page that make it "cut off"


@dataclass
class Orientation:
    rotation: int  # how far the content is turned clockwise on the scan: 0/90/180/270
    skew_deg: float  # residual angle after the quarter turn, counter-clockwise positive
    confident: bool  # False when up/down could not be told from the line shapes


@dataclass
class CleanPage:
    """One logical page after cleanup: a colour image for the PDF and a whitened grey image for OCR."""

    color: np.ndarray  # H x W x 3 RGB; of a scan with no colour, its grey H x W (unwhitened)
    gray: np.ndarray  # H x W, background whitened
    rotation: int = 0
    skew_deg: float = 0.0
    blank: bool = False
    blur_px: float = 0.0
    warnings: list[str] = field(default_factory=list)


# --- small helpers ----------------------------------------------------------------------------------------------


def to_gray(img: np.ndarray) -> np.ndarray:
    if img.ndim == 2:
        return img
    return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)


def ink_mask(gray: np.ndarray, block: int, c: int = 25) -> np.ndarray:
    """1 where a pixel is clearly darker than its surroundings: text and lines, not shadows or bleed-through."""
    block = max(3, block | 1)
    mask = cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, c)
    return mask


def work_mask(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, float]:
    """The ink mask at about WORK_DPI, and the factor from full resolution to it."""
    factor = min(1.0, WORK_DPI / max(dpi, 1))
    small = resized(gray, factor)
    return ink_mask(small, block=int(WORK_DPI * 0.4)), factor


def strip_frame(mask: np.ndarray) -> np.ndarray:
    """Drop ink components that touch the edge: scanner borders and page edges would swamp the text lines."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h, w = mask.shape
    x, y, bw, bh = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    touching = (x == 0) | (y == 0) | (x + bw >= w) | (y + bh >= h)
    huge = (bw > 0.6 * w) & (bh > 0.6 * h)
    drop = touching | huge
    drop[0] = True
    keep = ~drop
    return keep[labels].astype(np.uint8)


# --- skew and quarter turns -------------------------------------------------------------------------------------


def _profile_score(ys: np.ndarray) -> float:
    """How strongly ink gathers into lines along one axis: squared-count sum over the uniform expectation."""
    ys = ys - ys.min()
    hist = np.bincount(ys.astype(np.int64))
    n = hist.sum()
    if n == 0:
        return 0.0
    return float((hist.astype(np.float64) ** 2).sum() * len(hist) / (n * n))


def _best_angle(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray) -> tuple[float, float]:
    best_a, best_s = 0.0, -1.0
    for a in angles:
        t = np.deg2rad(a)
        # Row of each ink pixel once the page is turned by `a` counter-clockwise.
        proj = np.round(ys * np.cos(t) + xs * np.sin(t))
        s = _profile_score(proj)
        if s > best_s:
            best_a, best_s = float(a), s
    return best_a, best_s


def estimate_skew(mask: np.ndarray, max_deg: float = MAX_SKEW_DEG, max_points: int = 80_000) -> tuple[float, float]:
    """(skew, score) of the text lines in an ink mask: the lines are turned `skew` degrees counter-clockwise."""
    ys, xs = np.nonzero(mask)
    if len(xs) < 50:
        return 0.0, 0.0
    if len(xs) > max_points:
        pick = np.random.default_rng(0).choice(len(xs), max_points, replace=False)
        xs, ys = xs[pick], ys[pick]
    xs = xs.astype(np.float64)
    ys = ys.astype(np.float64)
    a, _ = _best_angle(xs, ys, np.arange(-max_deg, max_deg + 1e-9, 1.0))
    a, _ = _best_angle(xs, ys, np.arange(a - 0.8, a + 0.8 + 1e-9, 0.2))
    a, s = _best_angle(xs, ys, np.arange(a - 0.15, a + 0.15 + 1e-9, 0.05))
    return a, s


def rotate_quarter(img: np.ndarray, rotation: int) -> np.ndarray:
    """Undo a clockwise turn of `rotation` degrees (numpy.rot90 with k = rotation // 90)."""
    k = (rotation // 90) % 4
    return np.ascontiguousarray(np.rot90(img, k=k)) if k else img


def rotate_small(img: np.ndarray, deg: float, border: int | tuple[int, ...] = 0) -> np.ndarray:
    """Rotate about the centre keeping the size (corners are cut, edges filled with `border`)."""
    if abs(deg) < 1e-3:
        return img
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def updown_ratio(mask: np.ndarray) -> tuple[float, int]:
    """Ink above the x-height band over ink below it, summed over text lines, and the number of lines seen.

    Latin-script lines carry more above their core (ascenders, capitals) than below (descenders); Vietnamese
    adds tone marks above nearly every syllable. So the ratio is well above 1 on an upright page and well
    below 1 upside down.
    """
    prof = mask.sum(axis=1).astype(np.float64)
    if prof.max() <= 0:
        return 1.0, 0
    on = prof > 0.02 * prof.max()
    above = below = 0.0
    lines = 0
    y, n = 0, len(prof)
    heights = []
    runs = []
    while y < n:
        if on[y]:
            start = y
            while y < n and on[y]:
                y += 1
            runs.append((start, y))
            heights.append(y - start)
        else:
            y += 1
    if not runs:
        return 1.0, 0
    typical = float(np.median(heights))
    for start, end in runs:
        if end - start < 4 or end - start > 2.5 * typical:
            continue  # specks, or several lines stuck together by ruling
        p = prof[start:end]
        core = np.nonzero(p >= 0.5 * p.max())[0]
        top, bot = core[0], core[-1]
        above += p[:top].sum()
        below += p[bot + 1 :].sum()
        lines += 1
    return (above + 1.0) / (below + 1.0), lines


def detect_orientation(mask: np.ndarray, max_deg: float = MAX_SKEW_DEG) -> Orientation:
    """Quarter turn and skew of a page from its ink mask (text lines, frame stripped)."""
    angle, s0 = estimate_skew(mask, max_deg)
    turned = rotate_quarter(mask, 90)
    a1, s1 = estimate_skew(turned, max_deg)
    candidates = (0, 180)
    upright = mask
    if s1 > s0 * 1.15:
        # Lines run vertically: the content was turned 90 or 270 degrees.
        upright, angle, candidates = turned, a1, (90, 270)
    # A half turn keeps the sense of the residual angle, so only up/down is left to decide.
    straight = rotate_small(upright, -angle)
    ratio, lines = updown_ratio(straight)
    rotation = candidates[0] if ratio >= 1.0 else candidates[1]
    confident = lines >= 3 and (ratio > 1.25 or ratio < 0.8)
    return Orientation(rotation=rotation, skew_deg=round(angle, 2), confident=confident)


# --- crop, split, blank, blur -----------------------------------------------------------------------------------


def paper_box(gray: np.ndarray, factor: float) -> tuple[int, int, int, int]:
    """(x, y, w, h) of the paper in a scan, trimming dark scanner bed from the edges inwards only."""
    small = resized(gray, factor)
    # Paper is bright even in shadow; a scanner bed is near black.
    bright = small > max(60, min(130, int(np.percentile(small, 90)) // 2))
    rows, cols = bright.mean(axis=1), bright.mean(axis=0)

    def span(frac: np.ndarray) -> tuple[int, int]:
        lo, hi = 0, len(frac)
        while lo < hi and frac[lo] < 0.5:
            lo += 1
        while hi > lo and frac[hi - 1] < 0.5:
            hi -= 1
        return lo, hi

    y0, y1 = span(rows)
    x0, x1 = span(cols)
    if x1 - x0 < 0.3 * len(cols) or y1 - y0 < 0.3 * len(rows):
        return 0, 0, gray.shape[1], gray.shape[0]  # no clear paper: keep all
    inv = 1.0 / factor
    pad = 2  # small pixels, to clear the blurred edge of the paper
    x0, y0 = int((x0 + pad) * inv) if x0 else 0, int((y0 + pad) * inv) if y0 else 0
    x1 = int((x1 - pad) * inv) if x1 < len(cols) else gray.shape[1]
    y1 = int((y1 - pad) * inv) if y1 < len(rows) else gray.shape[0]
    return x0, y0, max(1, x1 - x0), max(1, y1 - y0)


def whiten(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Divide by a smooth background estimate: shadows, tinted paper and dark corners become white."""
    factor = min(1.0, 50 / max(dpi, 1))
    small = resized(gray, factor)
    k = max(3, int(50 * 0.12) | 1)
    bg = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.medianBlur(bg, 5)
    bg = cv2.resize(bg, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    out = cv2.divide(gray, np.maximum(bg, 1), scale=255)
    return out


def fill_dark_edges(gray: np.ndarray, color: np.ndarray | None, factor: float) -> None:
    """Paint white the dark regions connected to the edge (corners left by deskewing a bordered scan), and the
    paper's colour over them in `color` if given."""
    small = resized(gray, factor)
    dark = (small < 80).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=4)
    h, w = dark.shape
    fill = np.zeros_like(dark)
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        if (x == 0 or y == 0 or x + bw >= w or y + bh >= h) and area > 0.002 * h * w:
            fill[labels == i] = 1
    if not fill.any():
        return
    fill = cv2.dilate(fill, np.ones((3, 3), np.uint8))
    big = cv2.resize(fill, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_NEAREST).astype(bool)
    gray[big] = 255
    if color is None:
        return
    # Paper colour from a thumbnail: a median over millions of pixels would cost more than the whole cleanup.
    thumb = resized(color, factor)
    keep = ~cv2.resize(fill, (thumb.shape[1], thumb.shape[0]), interpolation=cv2.INTER_NEAREST).astype(bool)
    paper = np.median(thumb[keep].reshape(-1, 3), axis=0) if keep.any() else np.array([255, 255, 255])
    color[big] = paper.astype(np.uint8)


def spread_split_x(gray: np.ndarray, dpi: int) -> int | None:
    """Column of the gutter of an A3 two-page spread, or None when the page is not one."""
    h, w = gray.shape[:2]
    width_mm = w / max(dpi, 1) * 25.4
    if w <= h or not 1.2 <= w / h <= 1.65 or width_mm < 370:
        return None
    mask, factor = work_mask(gray, dpi)
    mask = strip_frame(mask)
    cols = mask.sum(axis=0).astype(np.float64)
    sw = mask.shape[1]
    cols = np.convolve(cols, np.ones(5) / 5, mode="same")
    lo, hi = int(sw * 0.42), int(sw * 0.58)
    centre = cols[lo:hi]
    left, right = cols[: int(sw * 0.4)], cols[int(sw * 0.6) :]
    if left.sum() == 0 or right.sum() == 0:
        return None  # content on one side only: a single landscape page
    if centre.min() > 0.1 * max(left.mean(), right.mean()):
        return None  # text runs across the middle
    quiet = np.nonzero(centre <= centre.min() + 0.05 * max(left.mean(), right.mean()))[0]
    mid = lo + int(quiet[np.argmin(np.abs(quiet + lo - sw / 2))])
    return int(round(mid / factor))


def blur_edge_px(gray: np.ndarray, dpi: int) -> float:
    """Estimated width in pixels at 300 dpi of the text's edges: about 1.5 when sharp, rising with blur."""
    factor = min(1.0, 300 / max(dpi, 1))
    h, w = gray.shape[:2]
    # The middle of the page holds the body text; measuring there costs a third of the whole page.
    width = edge_width(resized(gray[h // 5 : h - h // 5, w // 5 : w - w // 5], factor))
    return round(width * 300 / min(dpi, 300) if dpi < 300 else width, 2)


def edge_width(gray: np.ndarray) -> float:
    """Width in pixels of the text's edges, 0.0 where too few edges to tell: contrast over the steepest
    gradients is an edge width whatever the ink's darkness."""
    g = gray.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    mag = cv2.magnitude(gx, gy)
    edges = mag[mag > 8]
    if edges.size < 500:
        return 0.0
    steep = float(np.percentile(edges, 99))
    lo, hi = np.percentile(g[::3, ::3], [0.5, 90])  # a sample is plenty for two grey levels
    contrast = float(hi - lo)
    if steep <= 0 or contrast < 40:
        return 0.0
    return contrast / steep


def sharpened(gray: np.ndarray, edge_px: float) -> np.ndarray:
    """Unsharp masking scaled to the measured edge width: a blurred stroke's edges steepened, its tone marks parted
    from the letters. On 27 card pages of studied photo and low-resolution families (card values found in the
    reading, fuzzy match) it took 144 to 155 of 216 at 600 dpi and 150 to 160 at 375; a sigma of 0.2 or 0.5 edge
    widths, or an amount of 1, 1.5 or 3, did no better."""
    soft = cv2.GaussianBlur(gray, (0, 0), SHARPEN_SIGMA * edge_px)
    return cv2.addWeighted(gray, 1 + SHARPEN_AMOUNT, soft, -SHARPEN_AMOUNT, 0)


DEBLUR_ROUNDS = 20  # Richardson-Lucy rounds: on 48 blurred cards 20 read their addresses a little better than 10


def deblurred(gray: np.ndarray, edge_px: float, rounds: int = DEBLUR_ROUNDS) -> np.ndarray:
    """The image as it was before a Gaussian blur whose edges (edge_width) are edge_px wide, estimated by
    Richardson-Lucy deconvolution. A blur of sigma s makes a step's edge s * sqrt(2 pi) wide. On 48 blurred cards
    of photo and low-resolution families (each read at three sizes, the surest kept) their addresses' text read
    80 and 81 % alike (fuzzy partial ratio) against 79 and 77 % unsharp-masked (sharpened)."""
    sigma = edge_px / math.sqrt(2 * math.pi)
    observed = gray.astype(np.float32) + 1.0  # no black pixel to divide by
    estimate = observed.copy()
    for _ in range(rounds):
        # A Gaussian is its own mirror image: the same blur carries the ratio back.
        ratio = observed / np.maximum(cv2.GaussianBlur(estimate, (0, 0), sigma), 1e-3)
        estimate *= cv2.GaussianBlur(ratio, (0, 0), sigma)
    return np.clip(estimate - 1.0, 0, 255).astype(np.uint8)


def cut_edges(gray: np.ndarray, dpi: int) -> list[str]:
    """Edges ("top", "bottom", "left", "right") where writing runs off the page: the scan missed part of it.

    A page has margins; letters touching the image's border mean the paper was placed askew or the scan area was
    too small. Only text-sized pieces count (1.2–12 mm tall, under 40 mm wide), so specks along a paper edge, a
    ruled frame, a fold shadow or a dark border left by the scanner do not.
    """
    factor = min(1.0, WORK_DPI / max(dpi, 1))
    small = resized(gray, factor)
    mask = ink_mask(small, block=25, c=30)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    px_mm = WORK_DPI / 25.4 if factor < 1.0 else dpi / 25.4
    h, w = mask.shape
    counts = {"top": 0, "bottom": 0, "left": 0, "right": 0}
    for x, y, bw, bh, area in stats[1:]:
        if not (1.2 * px_mm <= bh <= 12 * px_mm and bw <= 40 * px_mm and area >= 4):
            continue
        if y <= 0:
            counts["top"] += 1
        if y + bh >= h:
            counts["bottom"] += 1
        if x <= 0:
            counts["left"] += 1
        if x + bw >= w:
            counts["right"] += 1
    return [edge for edge, k in counts.items() if k >= CUT_MIN_GLYPHS]


def is_blank(gray: np.ndarray, dpi: int) -> bool:
    """No real ink: faint bleed-through from the other side, dust and scanner noise do not count."""
    factor = min(1.0, 150 / max(dpi, 1))
    small = resized(gray, factor)
    h, w = small.shape
    m = int(0.03 * min(h, w))
    inner = small[m : h - m, m : w - m]
    mask = ink_mask(inner, block=31, c=40)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    areas = stats[1:, 4]
    min_area = 6  # a full stop at 150 dpi is about 3 x 3
    ink = areas[areas >= min_area].sum()
    return bool(ink < BLANK_INK_FRACTION * inner.size)


# --- the stage ----------------------------------------------------------------------------------------------------


def clean_scan(
    rgb: np.ndarray,
    dpi: int,
    orientation: Orientation | None = None,
    split_spreads: bool = True,
) -> list[CleanPage]:
    """Turn, straighten, crop and (for A3 spreads) split one scanned image into logical pages.

    `orientation` may be given (e.g. from Tesseract OSD) to override the measured one.
    """
    gray = to_gray(rgb)
    # A scan with no colour is turned and cropped in grey only: warping three channels costs a tenth of cleanup.
    colour: np.ndarray | None = rgb if is_colour(rgb) else None
    mask, factor = work_mask(gray, dpi)
    mask = strip_frame(mask)
    if orientation is None:
        orientation = detect_orientation(mask)
    warnings: list[str] = []
    if not orientation.confident and mask.sum() > 0.002 * mask.size:
        warnings.append("orientation_uncertain")

    gray = rotate_quarter(gray, orientation.rotation)
    if colour is not None:
        colour = rotate_quarter(colour, orientation.rotation)
    if abs(orientation.skew_deg) >= 0.05:
        # Edge pixels come from the scan's own border, so dark scanner beds stay dark and get cropped.
        h, w = gray.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), -orientation.skew_deg, 1.0)
        if colour is not None:
            colour = cv2.warpAffine(colour, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
            gray = to_gray(colour)  # cheaper than a second warp, and the same pixels
        else:
            gray = cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

    x, y, w, h = paper_box(gray, factor)
    gray = gray[y : y + h, x : x + w].copy()
    colour = None if colour is None else colour[y : y + h, x : x + w].copy()
    fill_dark_edges(gray, colour, factor)
    shown = gray if colour is None else colour

    halves: list[tuple[np.ndarray, np.ndarray]] = [(shown, gray)]
    if split_spreads:
        sx = spread_split_x(gray, dpi)
        if sx is not None:
            halves = [(shown[:, :sx], gray[:, :sx]), (shown[:, sx:], gray[:, sx:])]

    pages = []
    for color, g in halves:
        page = CleanPage(
            color=np.ascontiguousarray(color),
            gray=whiten(np.ascontiguousarray(g), dpi),
            rotation=orientation.rotation,
            skew_deg=orientation.skew_deg,
            warnings=list(warnings),
        )
        page.blank = is_blank(page.gray, dpi)
        if not page.blank:
            page.blur_px = blur_edge_px(page.gray, dpi)
            if page.blur_px > BLUR_WARN_EDGE_PX:
                page.warnings.append("blurred")
            if cut_edges(page.gray, dpi):
                page.warnings.append("cut_off")
        else:
            page.warnings = [w for w in page.warnings if w != "orientation_uncertain"]
        pages.append(page)
    return pages
