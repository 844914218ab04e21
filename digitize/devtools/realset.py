"""The real set: public images of Vietnamese papers with their sources' own labels, read by us and by plain
Tesseract on the same pixels (issue 10, point 6). docs/realset.md says what is in it and where it lives.

The folder holds one subfolder per kind (receipt_photo, letter, …); each image `NAME.<ext>` has `NAME.json`:
{"kind", "source": {"repo", "commit", "path"}, "licence", "upright", "rotation"?, "lines": [...], "text"?}.
`read(path) -> (text, rotation)` is handed in by the caller, so this module does not depend on the pipeline.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from ocr.tesseract import plain_read
from ocr.text import cer, nfc

Reader = Callable[[Path], tuple[str, int]]
TextReader = Callable[[Path], str]

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"}
QUARTER_TURNS = {0, 90, 180, 270}


@dataclass(frozen=True)
class RealItem:
    path: Path
    kind: str
    lines: list[str]
    text: str | None  # the full page text where the source gives one
    upright: bool
    rotation: int | None  # clockwise turn of the content as stored; None when not upright and not known
    source: dict
    licence: str = ""

    @property
    def name(self) -> str:
        return f"{self.kind}/{self.path.name}"


def default_folder() -> Path:
    """$DIGITIZE_REALSET, else ../shared/realset beside the repository."""
    given = os.environ.get("DIGITIZE_REALSET")
    return Path(given) if given else Path(__file__).resolve().parents[3] / "shared" / "realset"


def _image_for(meta_path: Path) -> Path:
    found = [p for p in meta_path.parent.glob(meta_path.stem + ".*") if p.suffix.lower() in IMAGE_SUFFIXES]
    if len(found) != 1:
        raise ValueError(f"{meta_path}: expected one image named {meta_path.stem}.<ext>, found {len(found)}")
    return found[0]


def parse_item(meta_path: Path) -> RealItem:
    """One labelled image; a malformed label file is an error, not a page to skip silently."""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    source = meta.get("source") or {}
    if not all(isinstance(source.get(k), str) and source[k] for k in ("repo", "commit", "path")):
        raise ValueError(f"{meta_path}: source needs repo, commit and path")
    lines, text = meta.get("lines", []), meta.get("text")
    if not isinstance(lines, list) or not all(isinstance(s, str) for s in lines):
        raise ValueError(f"{meta_path}: lines must be a list of strings")
    if text is not None and not isinstance(text, str):
        raise ValueError(f"{meta_path}: text must be a string")
    if not lines and not text:
        raise ValueError(f"{meta_path}: neither lines nor text: nothing to score")
    upright = meta.get("upright")
    if not isinstance(upright, bool) or not isinstance(meta.get("kind"), str):
        raise ValueError(f"{meta_path}: kind (string) and upright (true/false) are required")
    rotation = meta.get("rotation", 0 if upright else None)
    if rotation is not None and (rotation not in QUARTER_TURNS or (rotation == 0) != upright):
        raise ValueError(f"{meta_path}: rotation {rotation!r} disagrees with upright={upright}")
    return RealItem(
        path=_image_for(meta_path),
        kind=meta["kind"],
        lines=[nfc(s) for s in lines],
        text=nfc(text) if text else None,
        upright=upright,
        rotation=rotation,
        source=source,
        licence=str(meta.get("licence", "")),
    )


def load_realset(folder: Path) -> list[RealItem]:
    """Every labelled image under `folder` (one level of kind folders), in a stable order."""
    return [parse_item(p) for p in sorted(Path(folder).glob("*/*.json"))]


def load_rgb(path: Path) -> np.ndarray:
    """The pixels as stored (no EXIF turn, as intake does), RGB uint8."""
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def plain_tesseract(path: Path) -> str:
    """The baseline: plain Tesseract on the image as it came."""
    return plain_read(load_rgb(path)).text


def _flat(text: str, fold: bool) -> str:
    out = " ".join(nfc(text).split())
    return out.casefold() if fold else out


def lines_found(lines: Iterable[str], text: str, fold_case: bool = False) -> tuple[int, int]:
    """(found, total): labelled lines that occur verbatim in the page text, whitespace collapsed, NFC."""
    hay = _flat(text, fold_case)
    wanted = [_flat(s, fold_case) for s in lines if s.strip()]
    return sum(1 for s in wanted if s in hay), len(wanted)


@dataclass
class Summary:
    n: int = 0
    cers_ours: list[float] = field(default_factory=list)
    cers_plain: list[float] = field(default_factory=list)
    lines: int = 0
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("ours", "plain", "ours_ci", "plain_ci"), 0))
    upright: int = 0
    kept_upright: int = 0
    oriented: int = 0  # items whose true rotation is known
    oriented_right: int = 0

    def add(self, row: dict) -> None:
        self.n += 1
        if row["cer_ours"] is not None:
            self.cers_ours.append(row["cer_ours"])
            self.cers_plain.append(row["cer_plain"])
        self.lines += row["lines"]
        for key in self.found:
            self.found[key] += row[f"found_{key}"]
        if row["upright"]:
            self.upright += 1
            self.kept_upright += int(row["rotation_ours"] == 0)
        if row["rotation_true"] is not None:
            self.oriented += 1
            self.oriented_right += int(row["rotation_ours"] == row["rotation_true"])

    def as_dict(self) -> dict:
        def share(a: int, b: int) -> float | None:
            return a / b if b else None

        def mean(xs: list[float]) -> float | None:
            return sum(xs) / len(xs) if xs else None

        return {
            "n": self.n,
            "n_text": len(self.cers_ours),
            "cer_ours": mean(self.cers_ours),
            "cer_plain": mean(self.cers_plain),
            "lines": self.lines,
            **{f"found_{k}": v for k, v in self.found.items()},
            **{f"lines_found_{k}": share(v, self.lines) for k, v in self.found.items()},
            "upright": self.upright,
            "kept_upright": share(self.kept_upright, self.upright),
            "kept_upright_count": self.kept_upright,
            "oriented": self.oriented,
            "orientation_right": share(self.oriented_right, self.oriented),
        }


def score_item(item: RealItem, ours: tuple[str, int], plain: str) -> dict:
    text, rotation = ours
    row = {
        "name": item.name,
        "kind": item.kind,
        "upright": item.upright,
        "rotation_true": item.rotation,
        "rotation_ours": rotation,
        "cer_ours": cer(item.text, text) if item.text else None,
        "cer_plain": cer(item.text, plain) if item.text else None,
    }
    row["found_ours"], row["lines"] = lines_found(item.lines, text)
    row["found_plain"], _ = lines_found(item.lines, plain)
    row["found_ours_ci"], _ = lines_found(item.lines, text, fold_case=True)
    row["found_plain_ci"], _ = lines_found(item.lines, plain, fold_case=True)
    return row


def run_realset(folder: Path, read: Reader, plain: TextReader = plain_tesseract) -> dict:
    """Read every item with `read` (ours) and `plain` (plain Tesseract by default) and score both:
    {"kinds": {kind: summary}, "all": summary, "items": [one row per image]}."""
    rows = [score_item(item, read(item.path), plain(item.path)) for item in load_realset(folder)]
    kinds: dict[str, Summary] = {}
    overall = Summary()
    for row in rows:
        kinds.setdefault(row["kind"], Summary()).add(row)
        overall.add(row)
    return {"kinds": {k: s.as_dict() for k, s in sorted(kinds.items())}, "all": overall.as_dict(), "items": rows}


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f} %"


def _cer(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def table(results: dict) -> str:
    head = (
        "| kind | n | CER ours | CER plain | lines found ours | lines found plain | any case ours | any case plain "
        "| kept upright | orientation right |"
    )
    out = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, s in [*results["kinds"].items(), ("all", results["all"])]:
        found = [f"{_pct(s[f'lines_found_{k}'])} ({s[f'found_{k}']}/{s['lines']})" for k in ("ours", "plain")]
        found_ci = [_pct(s[f"lines_found_{k}"]) for k in ("ours_ci", "plain_ci")]
        upright = f"{_pct(s['kept_upright'])} ({s['kept_upright_count']}/{s['upright']})" if s["upright"] else "-"
        out.append(
            f"| {kind} | {s['n']} | {_cer(s['cer_ours'])} | {_cer(s['cer_plain'])} | {found[0]} | {found[1]} "
            f"| {found_ci[0]} | {found_ci[1]} | {upright} | {_pct(s['orientation_right'])} |"
        )
    return "\n".join(out)


def item_table(results: dict) -> str:
    """One row an image: which pages read worse than plain Tesseract, and by how much."""
    out = ["| image | CER ours | CER plain | lines found ours | lines found plain |", "|---|---:|---:|---:|---:|"]
    for row in results["items"]:
        out.append(f"| {row['name']} | {_cer(row['cer_ours'])} | {_cer(row['cer_plain'])} "
                   f"| {row['found_ours']}/{row['lines']} | {row['found_plain']}/{row['lines']} |")  # fmt: skip
    return "\n".join(out)


def print_realset(results: dict) -> None:
    print(table(results))
    print()
    print(item_table(results))
