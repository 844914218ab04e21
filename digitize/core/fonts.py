"""Finding installed fonts that draw Vietnamese: the e-copy's stamp and the generated test papers both need one."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = ("/usr/share/fonts/truetype", "/usr/share/fonts/opentype", "/usr/local/share/fonts")
VIETNAMESE_PROBE = "ỦỘỆỮặẫờ"


def covers_vietnamese(path: str) -> bool:
    """True when the font draws every probe letter with a glyph of its own, not the missing-glyph box.

    Old Liberation 1.x (Debian's fonts-liberation, pulled in by Chromium) lacks the Vietnamese letters while
    Liberation 2 has them, under the same file names.
    """
    font = ImageFont.truetype(path, 40)

    def drawn(ch: str) -> bytes:
        img = Image.new("L", (80, 80), 0)
        ImageDraw.Draw(img).text((10, 10), ch, font=font, fill=255)
        return img.tobytes()

    missing = drawn("\U0010fffd")
    return all(drawn(ch) != missing for ch in VIETNAMESE_PROBE)


@cache
def font_file(name: str) -> Path | None:
    """The installed font file of that name that draws every Vietnamese letter, if any."""
    for base in map(Path, FONT_DIRS):
        for hit in sorted(base.rglob(name)) if base.is_dir() else []:
            if covers_vietnamese(str(hit)):
                return hit
    return None


def first_font(names: tuple[str, ...]) -> Path | None:
    """The first of these font files that is installed and draws Vietnamese."""
    return next(filter(None, map(font_file, names)), None)
