"""Whether a scan holds colour: a grey scan is worked on, stored and shown in one channel."""

from __future__ import annotations

import numpy as np

from .resize import shrink_by


def is_colour(rgb: np.ndarray, tolerance: float = 6.0) -> bool:
    """True when the channels differ visibly somewhere: stamps, signatures in blue ink, coloured paper."""
    if rgb.ndim == 2:
        return False
    s = shrink_by(rgb, 8).astype(np.int16)
    spread = np.max(s, axis=2) - np.min(s, axis=2)
    return float(np.percentile(spread, 99.5)) > tolerance * 3
