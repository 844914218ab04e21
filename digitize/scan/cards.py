"""ID cards photocopied onto an A4 page: find each card, straighten it and enlarge it for OCR, and decode QR codes.

Full-page OCR returns almost nothing for about half of such pages: the card's print is small and tilted. A card is
found as a compact block of ink of a card's physical size (85.6 × 54 mm, ISO/IEC 7810 ID-1) on an otherwise
empty page. Pure functions on arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

from digitize.scan.cleanup import ink_mask
from ocr.resize import resized

CARD_MM = (85.6, 54.0)
UPSCALE = 2.0
CARD_INK_SHARE = 0.7  # share of the page's ink that its card-sized blocks must hold (notes, a stamp may be beside)
SPECK_SHARE = 0.1  # of a card block's fullest row (or column) below which an edge row is a speck's, not the card's
FRAME_FILL = 0.2  # most of a block's bounding box a scanner's border around the page leaves empty


@dataclass
class CardCrop:
    image: np.ndarray  # straightened, enlarged grey card
    to_page: np.ndarray  # 2x3 affine from crop pixels to page pixels

    def box_to_page(self, box: list[int]) -> list[int]:
        x, y, w, h = box
        pts = np.array([[x, y, 1], [x + w, y, 1], [x, y + h, 1], [x + w, y + h, 1]], np.float64)
        p = pts @ self.to_page.T
        x0, y0 = p.min(axis=0)
        x1, y1 = p.max(axis=0)
        return [int(round(x0)), int(round(y0)), int(round(x1 - x0)), int(round(y1 - y0))]


def _tilt(box_pts: np.ndarray) -> float:
    """How far in degrees (counter-clockwise positive, within ±45) the rectangle's long side is turned from the
    nearer axis: the turn that levels it, whether it lies flat or stands upright.

    Computed from the corner points rather than minAreaRect's angle, whose range differs across OpenCV versions.
    """
    edges = [box_pts[(i + 1) % 4] - box_pts[i] for i in range(4)]
    dx, dy = max(edges, key=lambda e: float(np.hypot(*e)))
    a = -math.degrees(math.atan2(dy, dx))  # image y points down
    while a > 45:
        a -= 180
    while a <= -45:
        a += 180
    if a > 45:
        a -= 90
    return a


def find_cards(gray: np.ndarray, dpi: int) -> list[CardCrop]:
    """Card-sized blocks of content on a page, each straightened and enlarged; [] for an ordinary page."""
    factor = min(1.0, 50 / max(dpi, 1))
    small = resized(gray, factor)
    mask = ink_mask(small, block=15, c=12)
    # Join a card's text, photo and border into one block: about 4 mm.
    k = max(3, int(round(4 / 25.4 * 50)) | 1)
    blocks = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(blocks, connectivity=8)
    page_area = small.shape[0] * small.shape[1]
    px_per_mm = 50 / 25.4
    cards: list[CardCrop] = []
    card_ink = 0
    for i in range(1, n):
        if stats[i, 4] < 0.01 * page_area:
            continue
        pts = np.column_stack(np.nonzero(labels == i)[::-1]).astype(np.float32)
        rect = cv2.minAreaRect(pts)
        corners = cv2.boxPoints(rect)
        angle = _tilt(corners)
        (cx, cy), (w, h) = rect[0], _levelled_sides(corners, angle)
        halves = _halves(max(w, h) / px_per_mm, min(w, h) / px_per_mm)
        if halves is None:  # too big for a card, or specks of the paper joined to one by the closing
            cx, cy, w, h = _levelled_box(pts, angle)
            halves = _halves(max(w, h) / px_per_mm, min(w, h) / px_per_mm)
        if halves is None:
            continue
        rects = _split(cx, cy, w, h, angle) if halves else [(cx, cy, w, h, angle)]
        if any(r[3] > r[2] for r in rects):
            # A card's print runs along its long side, and the page is turned so that its print is level: a
            # block that would stand upright is a column of a form's text (a body two "cards" side by side).
            continue
        cards += [_crop(gray, x / factor, y / factor, a / factor, b / factor, g) for x, y, a, b, g in rects]
        card_ink += int(mask[labels == i].sum())
    # A card copy stands on an otherwise empty page: a card-sized block of text among a page of text (a book's
    # imprint, a letter's table) is no card.
    if cards and card_ink < CARD_INK_SHARE * (int(mask.sum()) - _frame_ink(mask, labels, stats)):
        return []
    return cards


def _frame_ink(mask: np.ndarray, labels: np.ndarray, stats: np.ndarray) -> int:
    """Ink of the dark border a scanner leaves around the page: a block that touches the image's edge, spans most
    of it both ways and is hollow. It is no content: counted, it halved a card copy's share of the ink."""
    h, w = mask.shape
    x, y, bw, bh, area = (stats[:, i] for i in range(5))
    frame = (x == 0) | (y == 0) | (x + bw >= w) | (y + bh >= h)
    frame &= (bw > 0.6 * w) & (bh > 0.6 * h) & (area < FRAME_FILL * bw * bh)
    frame[0] = False  # the background
    return int(mask[frame[labels]].sum()) if frame.any() else 0


def _fits(long_mm: float, short_mm: float) -> bool:
    return 0.8 * CARD_MM[0] <= long_mm <= 1.25 * CARD_MM[0] and 0.8 * CARD_MM[1] <= short_mm <= 1.25 * CARD_MM[1]


def _halves(long_mm: float, short_mm: float) -> bool | None:
    """False for a block of one card's size; True for two cards copied side by side or one above the other
    (front and back on one page, often close enough to join into one block); None for anything else."""
    if _fits(long_mm, short_mm):
        return False
    side_by_side = _fits(long_mm / 2, short_mm)
    stacked = _fits(short_mm, long_mm / 2)
    return True if side_by_side or stacked else None


def _levelled_sides(corners: np.ndarray, angle: float) -> tuple[float, float]:
    """Width and height of a rectangle once turned by `angle` to level: a block whose long side stands upright
    (a card above another) is taller than wide, whatever minAreaRect calls its width."""
    ux, uy = _axes(angle)
    return float(np.ptp(corners @ ux)), float(np.ptp(corners @ uy))


def _levelled_box(pts: np.ndarray, angle: float) -> tuple[float, float, float, float]:
    """Centre, width and height of a block's pixels in the frame turned by `angle` to level, without the thin
    rows or columns at its edges that hold under SPECK_SHARE of its fullest one: a speck of the paper joined to a
    card by the closing (a photo's grain) would make it too big to be a card, while a text block's ragged edges
    still count. Width runs along the levelled x, whether the block lies flat or stands upright."""
    ux, uy = _axes(angle)
    x0, x1 = _extent(pts @ ux)
    y0, y1 = _extent(pts @ uy)
    cx, cy = ux * (x0 + x1) / 2 + uy * (y0 + y1) / 2  # back from the levelled frame (ux, uy are orthonormal)
    return float(cx), float(cy), float(x1 - x0), float(y1 - y0)


def _extent(along: np.ndarray) -> tuple[float, float]:
    """First and last one-pixel slice of the projections whose count reaches SPECK_SHARE of the fullest's."""
    lo = float(np.floor(along.min()))
    counts = np.bincount((along - lo).astype(np.int64))
    full = np.nonzero(counts >= SPECK_SHARE * counts.max())[0]
    return lo + float(full[0]), lo + float(full[-1]) + 1.0


def _axes(angle: float) -> tuple[np.ndarray, np.ndarray]:
    """The levelled frame's x and y (downward) directions in page pixels, for a tilt of `angle` degrees
    counter-clockwise."""
    rad = math.radians(angle)
    return np.array([math.cos(rad), -math.sin(rad)]), np.array([math.sin(rad), math.cos(rad)])


def _split(cx: float, cy: float, w: float, h: float, angle: float) -> list[tuple]:
    """The two halves of a block across its long side, as (centre x, centre y, width, height, angle) in the
    block's levelled frame: two cards side by side, or one above the other."""
    ux, uy = _axes(angle)
    step, half = (ux * w / 4, (w / 2, h)) if w >= h else (uy * h / 4, (w, h / 2))
    return [(cx - step[0], cy - step[1], *half, angle), (cx + step[0], cy + step[1], *half, angle)]


def _crop(gray: np.ndarray, cx: float, cy: float, w: float, h: float, angle: float) -> CardCrop:
    margin = 1.08
    out_w, out_h = int(w * margin * UPSCALE), int(h * margin * UPSCALE)
    # Page → crop: rotate about the card's centre to level it, scale up, move the centre to the crop's centre.
    m = cv2.getRotationMatrix2D((cx, cy), -angle, UPSCALE)
    m[0, 2] += out_w / 2 - cx
    m[1, 2] += out_h / 2 - cy
    crop = cv2.warpAffine(gray, m, (out_w, out_h), flags=cv2.INTER_CUBIC, borderValue=255)
    return CardCrop(crop, cv2.invertAffineTransform(m))


def find_qr(gray: np.ndarray) -> tuple[list[str], list[np.ndarray]]:
    """Texts of the QR codes on the image (the chip card's holds the holder's data) and their corner points.

    zxing-cpp rather than OpenCV's detectors: on 40 degraded card copies like `digitize eval`'s it decoded all 40
    in 7 ms each, OpenCV's two detectors 28 in 286 ms; on harder copies OpenCV never decoded one zxing missed."""
    texts, corners = [], []
    for code in zxingcpp.read_barcodes(np.ascontiguousarray(gray), formats=zxingcpp.BarcodeFormat.QRCode):
        if not code.valid:
            continue
        texts.append(_payload(code))
        p = code.position
        corners.append(np.array([[q.x, q.y] for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)],
                                dtype=np.float32))  # fmt: skip
    return texts, corners


def _payload(code: zxingcpp.Barcode) -> str:
    # Card codes are UTF-8 bytes without a charset marker (ECI): zxing's guess of the charset is not relied on.
    try:
        return bytes(code.bytes).decode("utf-8")
    except UnicodeDecodeError:
        return code.text


def blank_out(gray: np.ndarray, corners: list[np.ndarray]) -> np.ndarray:
    """The image with each QR code painted white: OCR reads its modules as garbage words."""
    out = gray.copy()
    for c in corners:
        cv2.fillConvexPoly(out, cv2.convexHull(c.astype(np.int32)), 255)
        cx, cy = c.mean(axis=0)
        grown = ((c - (cx, cy)) * 1.15 + (cx, cy)).astype(np.int32)  # and its quiet zone
        cv2.fillConvexPoly(out, cv2.convexHull(grown), 255)
    return out
