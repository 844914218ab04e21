"""Phone photos of papers: find the sheet in the picture, flatten it to an upright rectangle (its light is evened
out later, by cleanup's whiten(), as every page's is).

Pure functions on numpy arrays. A photo shows the paper lying on something (a table, a hand, a dark cloth) and
seen at an angle; a scan shows the paper alone, or on a dark bed, as a rectangle. Only photos are warped:
`find_paper` answers None for a scan, so that cleanup's crop and deskew (which do not resample) handle it.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr.resize import shrink_by

FIND_LONG_SIDE = 512  # px of the copy the paper is looked for on: its outline needs no more
MIN_PAPER_SHARE = 0.15  # of the picture: a receipt photographed whole covers a fifth of it; a label less
MIN_CORNER_DEG, MAX_CORNER_DEG = 45.0, 135.0  # a sheet seen at an angle keeps its corners within these
RECTANGLE_DEG = 2.0  # corners this close to square and opposite sides as long: a scan, or a photo taken square
BORDER = 0.03  # share of the sheet's outline that may lie on the picture's edge (a corner grazing it)
# Paper shapes a measured aspect (long side over short side) snaps to when within SNAP of it: ISO A sizes (A4,
# A5: √2; Decree 30/2020 prints official papers on them) and the ID-1 card (85.6 × 54 mm). Receipts have no
# fixed length and keep what was measured.
PAPER_ASPECTS = (np.sqrt(2.0), 85.6 / 54.0)
A4_SHORT_MM = 210.0
A4_LIKE = 0.06
SCAN_A4_LIKE = 0.02  # a whole image this close to A4's shape is an A4 scan; a phone's 4:3 frame is 6 % off
SNAP = 0.04
PHONE_FOCAL = 0.8  # focal length over the picture's long side of a phone's main camera (about 26 mm equivalent)


def _small(rgb: np.ndarray) -> tuple[np.ndarray, int]:
    """A copy at most about FIND_LONG_SIDE pixels long, shrunk by a whole factor (returned): OpenCV averages
    whole blocks several times faster than fractional ones, a fifth of the budget on a 12-megapixel photo."""
    h, w = rgb.shape[:2]
    n = max(1, int(np.ceil(max(h, w) / FIND_LONG_SIDE)))
    if n == 1:
        return rgb, 1
    return shrink_by(rgb, n), n


def _whiteness(rgb: np.ndarray) -> np.ndarray:
    """How paper-like each pixel is: bright and colourless. The weakest channel less the spread between the
    channels (2·min − max) stays high on white or grey paper even in a shadow, and falls on wood, skin and
    coloured cloth (whose channels differ) as on a dark desk."""
    if rgb.ndim == 2:
        white = rgb
    else:
        r, g, b = cv2.split(rgb)
        lo, hi = cv2.min(cv2.min(r, g), b), cv2.max(cv2.max(r, g), b)
        white = cv2.subtract(lo, cv2.subtract(hi, lo))  # saturates at 0
    return cv2.medianBlur(np.ascontiguousarray(white), 5)  # text and grain are gone at this size


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left (the order `flatten` and the tests use)."""
    pts = np.asarray(pts, np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise on screen, starting from the left
    start = int(np.argmin(pts.sum(axis=1)))  # top-left: smallest x + y
    return np.roll(pts, -start, axis=0)


def _quad(contour: np.ndarray) -> np.ndarray | None:
    """The four corners of a contour's convex hull, simplified until four are left, or None."""
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
        if len(approx) < 4:
            return None
    return None


def _refine(quad: np.ndarray, contour: np.ndarray) -> np.ndarray:
    """Corners as the crossings of lines fitted to each side's outline points (the middle of each side, away
    from corners rounded by blur and down-scaling): a fraction of a pixel of the small copy, not one."""
    pts = contour.reshape(-1, 2).astype(np.float32)
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        d = b - a
        length = float(np.hypot(*d))
        t = ((pts - a) @ d) / (length * length)
        dist = np.abs(d[0] * (pts[:, 1] - a[1]) - d[1] * (pts[:, 0] - a[0])) / length
        near = pts[(t > 0.1) & (t < 0.9) & (dist < 0.03 * length + 2)]
        if len(near) < 5:
            return quad
        vx, vy, x0, y0 = cv2.fitLine(near, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    out = []
    for i in range(4):
        (p, u), (q, v) = lines[i - 1], lines[i]
        det = u[0] * (-v[1]) - u[1] * (-v[0])
        if abs(det) < 1e-6:
            return quad
        s = ((q - p)[0] * (-v[1]) - (q - p)[1] * (-v[0])) / det
        out.append(p + s * u)
    return np.array(out, np.float32)


def _corner_angles(quad: np.ndarray) -> np.ndarray:
    prev, nxt = np.roll(quad, 1, axis=0) - quad, np.roll(quad, -1, axis=0) - quad
    cos = (prev * nxt).sum(axis=1) / (np.linalg.norm(prev, axis=1) * np.linalg.norm(nxt, axis=1) + 1e-9)
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


def is_rectangle(quad: np.ndarray) -> bool:
    """Corners square and opposite sides as long: a sheet on a scanner's bed (or photographed square on), which
    cleanup crops and deskews without resampling the page."""
    sides = np.linalg.norm(np.roll(quad, -1, axis=0) - quad, axis=1)
    square = np.all(np.abs(_corner_angles(quad) - 90.0) <= RECTANGLE_DEG)
    parallel = abs(sides[0] / sides[2] - 1) <= 0.02 and abs(sides[1] / sides[3] - 1) <= 0.02
    return bool(square and parallel)


def _cut_by_frame(outline: np.ndarray, shape: tuple[int, int]) -> bool:
    """Part of the bright region's outline runs along the picture's edge: the sheet goes on beyond the picture
    (or a shadow cut the lit part out of a sheet that fills it), so its true outline is not known."""
    h, w = shape
    pts = outline.reshape(-1, 2)
    edge = (pts[:, 0] <= 1) | (pts[:, 1] <= 1) | (pts[:, 0] >= w - 2) | (pts[:, 1] >= h - 2)
    return bool(edge.mean() > BORDER)


def _plausible(quad: np.ndarray, shape: tuple[int, int]) -> bool:
    """Convex, large enough, corners not too far from square: a sheet of paper seen at an angle."""
    h, w = shape
    if not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
        return False
    if cv2.contourArea(quad) < MIN_PAPER_SHARE * h * w:
        return False
    angles = _corner_angles(quad)
    return bool(np.all((angles >= MIN_CORNER_DEG) & (angles <= MAX_CORNER_DEG)))


def find_paper(rgb: np.ndarray) -> np.ndarray | None:
    """The paper's four corners (top-left, top-right, bottom-right, bottom-left; x, y in pixels of `rgb`) in a
    photo where the sheet lies on a darker or more colourful background, or None: no sheet found, a sheet not
    wholly in the picture, or a scan (the paper fills the picture, or is an exact rectangle on a dark bed)."""
    quad = paper_outline(rgb)
    return None if quad is None or is_rectangle(quad) else quad


def paper_outline(rgb: np.ndarray) -> np.ndarray | None:
    """The corners of the sheet in the picture, as find_paper's, an exact rectangle too; None for no sheet.

    The sheet is the largest bright, colourless region of a small copy; its outline's convex hull is simplified
    to four corners, which lines fitted along each side then place to a fraction of the copy's pixels."""
    small, shrink = _small(rgb)
    white = _whiteness(small)
    _, bright = cv2.threshold(white, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    k = max(3, (min(white.shape) // 60) | 1)
    # Close the text's holes; open away thin bright bridges to a bright patch of the background.
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    if _cut_by_frame(outline, white.shape):
        return None
    quad = _quad(outline)
    if quad is None:
        return None
    quad = order_corners(_refine(order_corners(quad), outline))
    return quad * shrink if _plausible(quad, white.shape) else None


def outline_dpi(corners: np.ndarray) -> int | None:
    """Pixels per inch of an A4 sheet lying square in the picture (a photo taken square on, a scan on its dark
    bed): the sheet's sides give its scale where the file gave none and the print is small (a card's copy)."""
    tl, tr, br, bl = order_corners(corners)
    width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    return sheet_dpi((int(round(height)), int(round(width))), like=SCAN_A4_LIKE)


def _aspect(corners: np.ndarray, shape: tuple[int, int]) -> float:
    """Height over width of the real sheet, from where its corners are in the picture.

    A pinhole camera with its axis through the picture's middle and square pixels sees a rectangle's corners in
    a way that fixes the focal length and, with it, the rectangle's true aspect (Zhang & He, "Whiteboard
    scanning and image enhancement", 2007). When one pair of sides is seen almost parallel the focal length is
    ill-determined and a phone's usual one (PHONE_FOCAL) stands in; seen square on, the side lengths say it.
    """
    tl, tr, br, bl = corners.astype(np.float64)
    naive = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl))
    # Homogeneous corners in the paper's order: m1 top-left, m2 top-right, m3 bottom-left, m4 bottom-right.
    m1, m2, m3, m4 = (np.array([p[0], p[1], 1.0]) for p in (tl, tr, bl, br))
    k2 = np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3)
    k3 = np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2)
    if max(abs(k2 - 1), abs(k3 - 1)) < 0.01:
        return naive  # no vanishing point: seen square on
    n2, n3 = k2 * m2 - m1, k3 * m3 - m1  # the sheet's width and height directions, up to the camera
    u0, v0, long_side = shape[1] / 2.0, shape[0] / 2.0, float(max(shape))
    f2 = (PHONE_FOCAL * long_side) ** 2
    if min(abs(k2 - 1), abs(k3 - 1)) >= 0.03:
        measured = -(
            (n2[0] * n3[0] - (n2[0] * n3[2] + n2[2] * n3[0]) * u0 + n2[2] * n3[2] * u0 * u0)
            + (n2[1] * n3[1] - (n2[1] * n3[2] + n2[2] * n3[1]) * v0 + n2[2] * n3[2] * v0 * v0)
        ) / (n2[2] * n3[2])
        if (0.4 * long_side) ** 2 <= measured <= (3.0 * long_side) ** 2:
            f2 = measured
    # The image of the absolute conic, (K Kᵀ)⁻¹, measures lengths along the sheet's two directions.
    omega = np.array([[1, 0, -u0], [0, 1, -v0], [-u0, -v0, u0 * u0 + v0 * v0 + f2]]) / f2
    w2, h2 = n2 @ omega @ n2, n3 @ omega @ n3
    return float(np.sqrt(h2 / w2)) if w2 > 0 and h2 > 0 else naive


def _snapped(aspect: float) -> float:
    """The aspect of a standard paper shape when the measured one is within SNAP of it (either way up)."""
    long_over_short = max(aspect, 1 / aspect)
    for ref in PAPER_ASPECTS:
        if abs(long_over_short / ref - 1) <= SNAP:
            return ref if aspect >= 1 else 1 / ref
    return aspect


def flatten(rgb: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The sheet inside `corners` warped to an upright rectangle as seen in the picture (its top edge the one
    nearest the picture's top), with the sheet's true aspect, at no fewer pixels than the picture gave it."""
    corners = order_corners(corners)
    tl, tr, br, bl = corners
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    aspect = _snapped(_aspect(corners, rgb.shape[:2]))
    # Keep the resolution: grow the side that is short for the aspect, never shrink the other.
    if height / width < aspect:
        height = width * aspect
    else:
        width = height / aspect
    out_w, out_h = int(round(width)), int(round(height))
    dst = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], np.float32)
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), dst)
    return cv2.warpPerspective(rgb, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def sheet_dpi(shape: tuple[int, ...], like: float = A4_LIKE) -> int | None:
    """Pixels per inch of a sheet of about A4's shape (within `like`: the aspect of a sheet flattened from a photo
    is a few per cent off): the paper's own scale, which a page of small print (a card copy) does not give by its
    text size. None for other shapes: a receipt, a card photographed alone."""
    short, long_ = sorted(shape[:2])
    if abs(long_ / short / PAPER_ASPECTS[0] - 1) > like:
        return None
    return int(round(short / (A4_SHORT_MM / 25.4)))
