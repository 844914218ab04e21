"""Rebuild the real set (docs/realset.md) from bare git mirrors of its public sources.

    python scripts/build_realset.py --mirrors /work/.mirror --out /work/realset

Each source repository is read from MIRRORS/OWNER+NAME/repo at the pinned commit (`git show COMMIT:PATH`); no
network. Every image's SHA-256 is checked against the table below (the one in docs/realset.md), then written as
KIND/NAME.<ext> beside KIND/NAME.json with the labels its source gives, and PROVENANCE.md lists where each came
from. Only paths, hashes and the rules for picking labels live here: no image and no label text is in the repo.
Standard library only, so it runs before the project's venv exists.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class Repo:
    name: str  # owner/name on GitHub; the mirror is MIRRORS/owner+name/repo
    commit: str
    licence: str = ""  # short licence of the images taken from it (LICENCES has the full wording)


MANHPH = Repo("manhph2211/MC-OCR", "f0e4278baf44d503dd69ce6d77336a68fc0324a2", "MC-OCR research-only")
KAYLODE = Repo(
    "kaylode/vietnamese-ocr-toolbox",
    "ef8744b9ee3fc4a6b53eb29f48c74ebcfbec8f4e",
    "MC-OCR research-only (repo Apache-2.0)",
)
LETTERS = Repo(
    "ailabteam/VietAdmin-OCR-LLM-RAG",
    "cb819e2a4a701c2d18be2616c4497575a04a442e",
    "none stated; public administrative document",
)
BOOKS = Repo(
    "PhanNgocVyMSSV2212499/OCR_Libraly", "20372bb5cd1f4be6b515c0fde55bcf64c1552cd2", "none stated; copyrighted book"
)
FORMS = Repo("zzhunght/VN-cccd-OCR", "ebd955d2dee6a0e270bb991de41dceeeddab02f7", "none stated; blank form template")
# The MC-OCR organisers' training labels, kept in a repository of one of the challenge's teams.
MCOCR_LABELS = Repo("ndcuong91/MC_OCR", "a2b555a34f3abf223468f7085d56ff85c9226cae")
MCOCR_CSV = "mc_ocr/data/mcocr_train_df.csv"
BOOK_TRUTH = "ground_truth.json"

LICENCES = {
    "MC-OCR research-only": "MC-OCR 2021 dataset (RIVF2021 challenge, VNDAG/vietnlp.com): research purposes only, "
    "under the organisers' user agreement; hosting repo states no licence",
    "MC-OCR research-only (repo Apache-2.0)": "MC-OCR 2021 dataset (RIVF2021 challenge, VNDAG/vietnlp.com): research "
    "purposes only, under the organisers' user agreement; hosting repo is Apache-2.0 (its code; the photo is MC-OCR "
    "data)",
    "none stated; public administrative document": "none stated by the repo; a public official letter of Sở GD&ĐT "
    "Đà Nẵng (2020) — administrative documents are not protected by copyright in Vietnam (Luật SHTT, Điều 15)",
    "none stated; copyrighted book": "none stated; imprint pages of copyrighted books: private evaluation only, never "
    "redistributed",
    "none stated; blank form template": "none stated; screenshots of blank public administrative form templates",
}

# The set: KIND/NAME.<ext> -> (source, path in it at its commit). docs/realset.md's table, not a glob: a file
# added upstream must not slip in unseen.
SOURCES: dict[str, tuple[Repo, str]] = {
    "book_page/BucThu.jpg": (BOOKS, "Bia_sach/BucThu.jpg"),
    "book_page/FriendAndLove.jpg": (BOOKS, "Bia_sach/FriendAndLove.jpg"),
    "book_page/NguVAn6.jpg": (BOOKS, "Bia_sach/NguVAn6.jpg"),
    "book_page/ToMauConhCHua.jpg": (BOOKS, "Bia_sach/ToMauConhCHua.jpg"),
    "book_page/TotVaXauBiaTrong.jpg": (BOOKS, "Bia_sach/TotVaXauBiaTrong.jpg"),
    "book_page/chuvitxam.jpg": (BOOKS, "Bia_sach/chuvitxam.jpg"),
    "form_screenshot/donxindangkytamtru.jpg": (FORMS, "frontend/public/Form/donxindangkytamtru.jpg"),
    "form_screenshot/donxintamtrutamvang.jpg": (FORMS, "frontend/public/Form/donxintamtrutamvang.jpg"),
    "form_screenshot/soyeulilich.jpg": (FORMS, "frontend/public/Form/soyeulilich.jpg"),
    "letter/congvan_4_1.jpg": (LETTERS, "data/4_1.jpg"),
    "letter/congvan_4_2.jpg": (LETTERS, "data/4_2.jpg"),
    "letter_degraded/congvan_4_1_v1_noisy.jpg": (LETTERS, "data/augmented/4_1_v1_noisy.jpg"),
    "letter_degraded/congvan_4_1_v2_blur.jpg": (LETTERS, "data/augmented/4_1_v2_blur.jpg"),
    "letter_degraded/congvan_4_1_v3_dark.jpg": (LETTERS, "data/augmented/4_1_v3_dark.jpg"),
    "letter_degraded/congvan_4_1_v4_rotated.jpg": (LETTERS, "data/augmented/4_1_v4_rotated.jpg"),
    "letter_degraded/congvan_4_2_v1_noisy.jpg": (LETTERS, "data/augmented/4_2_v1_noisy.jpg"),
    "letter_degraded/congvan_4_2_v2_blur.jpg": (LETTERS, "data/augmented/4_2_v2_blur.jpg"),
    "letter_degraded/congvan_4_2_v3_dark.jpg": (LETTERS, "data/augmented/4_2_v3_dark.jpg"),
    "letter_degraded/congvan_4_2_v4_rotated.jpg": (LETTERS, "data/augmented/4_2_v4_rotated.jpg"),
    "receipt_photo/mcocr_145013aaprl.jpg": (MANHPH, "data/demo/rotation/mcocr_public_145013aaprl.jpg"),
    "receipt_photo/mcocr_145013acjke.jpg": (MANHPH, "data/demo/rotation/mcocr_public_145013acjke.jpg"),
    "receipt_photo/mcocr_145013arxqp.jpg": (MANHPH, "data/demo/rotation/mcocr_public_145013arxqp.jpg"),
    "receipt_photo/mcocr_145013atlmq.jpg": (KAYLODE, "demo/data samples/mcocr_public_145013atlmq.jpg"),
    "receipt_photo/mcocr_145013bcovr.jpg": (MANHPH, "data/demo/rotation/mcocr_public_145013bcovr.jpg"),
    "receipt_photo/mcocr_145013bcovr_asshot.jpg": (KAYLODE, "demo/data samples/mcocr_public_145013bcovr.jpg"),
    "receipt_photo/mcocr_145013blbqm.jpg": (MANHPH, "data/demo/original/mcocr_public_145013blbqm.jpg"),
    "receipt_photo/mcocr_145013bpcpt.jpg": (MANHPH, "data/demo/original/mcocr_public_145013bpcpt.jpg"),
    "receipt_photo/mcocr_145013cawuf.jpg": (MANHPH, "data/demo/rotation/mcocr_public_145013cawuf.jpg"),
    "receipt_photo/mcocr_145013crgek.jpg": (MANHPH, "data/demo/original/mcocr_public_145013crgek.jpg"),
    "receipt_photo/mcocr_145013dkgbh.jpg": (MANHPH, "data/demo/original/mcocr_public_145013dkgbh.jpg"),
    "receipt_photo/mcocr_145014ckynq.jpg": (KAYLODE, "demo/data samples/mcocr_public_145014ckynq.jpg"),
}

SHA256 = {
    "book_page/BucThu.jpg": "2ae915e9be83db448bd22773d5f91fdd4d8c92307301159687d3caa06262c434",
    "book_page/FriendAndLove.jpg": "50838289fcfad53fb9e6e3d0b7cd923105a6b79cd3d5405c78053a8e33ce54e4",
    "book_page/NguVAn6.jpg": "3d580344818f74e3f6843f03a76643b7977fdeb04fdaa61daabcd996141c8774",
    "book_page/ToMauConhCHua.jpg": "9421754e4044fc4ee660af6e19f76cacef79263185b3c7345eb0bd8342b56d17",
    "book_page/TotVaXauBiaTrong.jpg": "f8f04fcce0a40a087ba0c536176f8de7cae0d5481b8349c507de005be99ff4dd",
    "book_page/chuvitxam.jpg": "8dc4b504a0ddb4253a83f478072ecab89028272cf15f79e9d22a600f46f2e260",
    "form_screenshot/donxindangkytamtru.jpg": "6bb35843a986b7e9119b6e80a94993d321d97c8c5924b3d5953092d20cc71990",
    "form_screenshot/donxintamtrutamvang.jpg": "169d062cc6e7c961a9d854a9db6835a05d4f985d87b73696075b0696e018a637",
    "form_screenshot/soyeulilich.jpg": "063cfe4561d409fa30b41a39106958aec8c6bbe6a9adacd1c932ce1bd3ad862d",
    "letter/congvan_4_1.jpg": "f89bc2896c9571da99ade922270c594344ab2fb18d11d3d3ce3ddea572961a60",
    "letter/congvan_4_2.jpg": "7a91491fe4c25ea6e862b27608056b614f1fe7b76d563ce5a63f01da24ee5274",
    "letter_degraded/congvan_4_1_v1_noisy.jpg": "c77e26b5b3260848bbb6eb9c33c88246dce9baaaef6659e6bdd335f1b5c1bbdf",
    "letter_degraded/congvan_4_1_v2_blur.jpg": "92cb34888befce54057fe6a2ba5bf0588145dd8fe8f62cbc31e9197c530f5830",
    "letter_degraded/congvan_4_1_v3_dark.jpg": "9adf5b06dc651f36e53a324b0cd70fc00850e4950630005c902f18a58ff5bbba",
    "letter_degraded/congvan_4_1_v4_rotated.jpg": "5ead76b4f48058d0507a88a1b8686d99e95785a616c30b3d32bc3e7dfdf17093",
    "letter_degraded/congvan_4_2_v1_noisy.jpg": "6b2cf54f7a68aa4f3c145f8788899cdeff5efd5a7584c91e412f3366be27194e",
    "letter_degraded/congvan_4_2_v2_blur.jpg": "42935675c28c924ef1fea81a2866b56e85e9f6f18849b2b7bb2c0ae27f7371e8",
    "letter_degraded/congvan_4_2_v3_dark.jpg": "4a34a05cccb16695e0e6468ed7f3653ff9bdd1d735fb51ce52d7eb12204eac10",
    "letter_degraded/congvan_4_2_v4_rotated.jpg": "20c4b8ef1edb3486cfc5c6e6d115b72ea33b96493d56c69ff6853fb346998fc8",
    "receipt_photo/mcocr_145013aaprl.jpg": "711e223d1d8ad6959e53aaccb143574fb4352717d69dcbab4ad1d462e3e11b51",
    "receipt_photo/mcocr_145013acjke.jpg": "5f6462c4206dae9972c7cf6e52546c154c16ce78c9e3344aaa054616072dde3e",
    "receipt_photo/mcocr_145013arxqp.jpg": "664231fa68d88146adad04f21bed4622171b22f209175932850a3f3564a3825e",
    "receipt_photo/mcocr_145013atlmq.jpg": "c50f33ca891ce3789662764eda3d9d52fbd53dda09a3e01c0dd54037a8e1aa47",
    "receipt_photo/mcocr_145013bcovr.jpg": "6dc70b46d9f6df2507bb95fe0d3bdaf4a3c63b21fe4fa6b18ae2e2483c6d24e1",
    "receipt_photo/mcocr_145013bcovr_asshot.jpg": "33f0210bce522431de14c237497704ee4826a8550471876a028fa1ed09d9becf",
    "receipt_photo/mcocr_145013blbqm.jpg": "cc279639f3983584df4dc3f0d3a656cad5bea332e76fb749e5c00e096f2cc3e6",
    "receipt_photo/mcocr_145013bpcpt.jpg": "31aed844a415ed49e49859adf4b196134761e690704a9f26d59474b8d5736e6f",
    "receipt_photo/mcocr_145013cawuf.jpg": "87f769c5b3793f318e431903dca158ce2cb6fc436d73c3411587798e95d9f536",
    "receipt_photo/mcocr_145013crgek.jpg": "a47b0bc7cc8221e5149fb6a4017ae858b3b48c0ab43c39f7f9a1b5851990162a",
    "receipt_photo/mcocr_145013dkgbh.jpg": "ac26b66de7266ed27ecb7f496ee67f5c7275862156bfe527a622a18008fe0e6e",
    "receipt_photo/mcocr_145014ckynq.jpg": "fde298be12a2d7da12ac2c045c565fdd58bccc4c71cec014231396c91c0d8ca1",
}

# Clockwise turn of the content as stored, found by looking at the photos; every other image is upright (the
# letter's v4_rotated copy is a 1° skew, not a quarter turn).
ROTATION = {
    "receipt_photo/mcocr_145013bcovr_asshot.jpg": 270,  # shot sideways: the receipt's top is at the left edge
    "receipt_photo/mcocr_145014ckynq.jpg": 180,  # upside down (the camera's watermark is upright)
}


@dataclass(frozen=True)
class FormRule:
    docx: str  # the blank template the screenshot shows, in FORMS
    first: int  # first and last paragraph (document order, table cells included) wholly inside the screenshot
    last: int
    expect: int  # how many paragraphs the rule keeps: a changed template fails loudly


# Screenshot -> template; the window was read off each screenshot. don_xin_dk_tam_tru.docx, not DonDangKiTamTru.docx:
# the latter is filled in (a name, a CMND number) while the screenshot is blank and says "Số CCCD".
FORM_RULES = {
    "form_screenshot/donxindangkytamtru.jpg": FormRule("app/handle/word_form/don_xin_dk_tam_tru.docx", 2, 16, 5),
    "form_screenshot/donxintamtrutamvang.jpg": FormRule("app/handle/word_form/don_xin_tam_vang.docx", 3, 17, 3),
    "form_screenshot/soyeulilich.jpg": FormRule("app/handle/word_form/so-yeu-ly-lich.docx", 3, 21, 4),
}

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOTS = re.compile(r"\.{2,}|…")  # a typed run of dots: a blank to fill in, not text anyone prints


class BuildError(RuntimeError):
    pass


@dataclass(frozen=True)
class Mirrors:
    root: Path

    def show(self, repo: Repo, path: str) -> bytes:
        return _git_show(self.root / repo.name.replace("/", "+") / "repo", repo.commit, path)


@cache
def _git_show(git_dir: Path, commit: str, path: str) -> bytes:
    if not git_dir.is_dir():
        raise BuildError(f"no mirror at {git_dir}")
    done = subprocess.run(["git", "-C", str(git_dir), "show", f"{commit}:{path}"], capture_output=True)
    if done.returncode:
        raise BuildError(f"{git_dir}: git show {commit}:{path}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def source_of(repo: Repo, path: str) -> dict:
    return {"repo": repo.name, "commit": repo.commit, "path": path}


# --- labels, one rule a kind ---------------------------------------------------------------------------------------


@cache
def _mcocr_rows(mirrors: Mirrors) -> dict[str, dict]:
    text = mirrors.show(MCOCR_LABELS, MCOCR_CSV).decode("utf-8-sig")
    return {row["img_id"]: row for row in csv.DictReader(io.StringIO(text))}


def receipt_labels(mirrors: Mirrors, path: str) -> dict:
    """The organisers' annotated lines (typos kept) and their field labels, by the photo's MC-OCR file name."""
    img_id = PurePosixPath(path).name
    row = _mcocr_rows(mirrors).get(img_id)
    if row is None:
        raise BuildError(f"{img_id}: not in {MCOCR_LABELS.name}:{MCOCR_CSV}")
    texts, labels = row["anno_texts"].split("|||"), row["anno_labels"].split("|||")
    if len(texts) != len(labels) or len(texts) != int(row["anno_num"]):
        raise BuildError(f"{img_id}: {len(texts)} texts, {len(labels)} labels, anno_num {row['anno_num']}")
    return {
        "labels_source": source_of(MCOCR_LABELS, MCOCR_CSV),
        "lines": texts,
        "fields": [{"label": label, "text": text} for label, text in zip(labels, texts, strict=True)],
    }


def letter_labels(mirrors: Mirrors, path: str) -> dict:
    """The page's ground truth (data/4_1_gt.txt for 4_1.jpg and its degraded copies 4_1_v*.jpg)."""
    page = re.match(r"\d+_\d+", PurePosixPath(path).name)
    if page is None:
        raise BuildError(f"{path}: no page number in the name")
    gt = f"data/{page.group()}_gt.txt"
    text = mirrors.show(LETTERS, gt).decode("utf-8-sig")
    return {"labels_source": source_of(LETTERS, gt), "lines": [s.strip() for s in text.splitlines() if s.strip()],
            "text": text}  # fmt: skip


@cache
def _book_truths(mirrors: Mirrors) -> dict[str, list[str]]:
    truths: dict[str, list[str]] = {}
    for entry in json.loads(mirrors.show(BOOKS, BOOK_TRUTH))["images"]:
        truths.setdefault(entry["filename"], []).append(entry["ground_truth"])
    return truths


def book_labels(mirrors: Mirrors, path: str) -> dict:
    """The source's ground_truth.json entry: one run-on string, so `text` only."""
    name = PurePosixPath(path).name
    found = set(_book_truths(mirrors).get(name, []))
    if len(found) != 1:  # listed twice is fine (FriendAndLove, NguVAn6) as long as both agree
        raise BuildError(f"{name}: {len(found)} different ground truths in {BOOKS.name}:{BOOK_TRUTH}")
    return {"labels_source": source_of(BOOKS, BOOK_TRUTH), "lines": [], "text": found.pop()}


def _runs_text(node: ET.Element) -> tuple[str, bool]:
    """A paragraph's text and whether it holds a tab, not descending into nested paragraphs; the tab stops of
    w:pPr are definitions, not characters."""
    text, tab = [], False
    for child in node:
        if child.tag in (W + "p", W + "pPr"):
            continue
        if child.tag == W + "t":
            text.append(child.text or "")
        elif child.tag == W + "tab":
            text.append("\t")
            tab = True
        elif child.tag in (W + "br", W + "cr"):
            text.append("\n")
        else:
            sub, sub_tab = _runs_text(child)
            text.append(sub)
            tab = tab or sub_tab
    return "".join(text), tab


def _has_leader_tab(para: ET.Element) -> bool:
    stops = para.findall(f"{W}pPr/{W}tabs/{W}tab")
    return any(stop.get(W + "leader") not in (None, "none") for stop in stops)


def docx_paragraphs(data: bytes) -> list[tuple[str, bool]]:
    """Every paragraph of word/document.xml in order: (text, drawn with a dotted leader or typed dots)."""
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    out = []
    for para in root.iter(W + "p"):
        text, tab = _runs_text(para)
        out.append((text, bool(DOTS.search(text)) or (tab and _has_leader_tab(para))))
    return out


def form_labels(mirrors: Mirrors, name: str) -> dict:
    """Whole paragraphs of the template inside the screenshot's window, neither empty nor leadered: a label
    followed by dots is a blank to fill, and the dots are furniture."""
    rule = FORM_RULES[name]
    paras = docx_paragraphs(mirrors.show(FORMS, rule.docx))[rule.first : rule.last + 1]
    lines = [" ".join(text.split()) for text, leadered in paras if text.strip() and not leadered]
    if len(lines) != rule.expect:
        raise BuildError(f"{name}: {len(lines)} paragraphs kept from {rule.docx}, expected {rule.expect}")
    return {"labels_source": source_of(FORMS, rule.docx), "lines": lines}


NOTES = {
    "receipt_photo": "MC-OCR 2021 training photo; labels are the organisers' annotation, typos kept",
    "letter": "page text made by the source with an AI tool (see docs/realset.md)",
    "letter_degraded": "the source's own degraded copy; labels are those of its page",
    "book_page": "the source's ground truth, one run-on string (its known faults: docs/realset.md)",
    "form_screenshot": "paragraphs of the blank template wholly visible, without dotted leaders",
}


def labels_for(mirrors: Mirrors, name: str, path: str) -> dict:
    kind = name.split("/")[0]
    if kind == "receipt_photo":
        return receipt_labels(mirrors, path)
    if kind in ("letter", "letter_degraded"):
        return letter_labels(mirrors, path)
    if kind == "book_page":
        return book_labels(mirrors, path)
    if kind == "form_screenshot":
        return form_labels(mirrors, name)
    raise BuildError(f"{name}: no label rule for kind {kind!r}")


# --- writing -------------------------------------------------------------------------------------------------------


def checked_image(mirrors: Mirrors, name: str) -> bytes:
    repo, path = SOURCES[name]
    data = mirrors.show(repo, path)
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256[name]:
        raise BuildError(f"{name}: {repo.name}@{repo.commit}:{path} has SHA-256 {digest}, expected {SHA256[name]}")
    return data


def item_json(mirrors: Mirrors, name: str) -> dict:
    repo, path = SOURCES[name]
    labels = labels_for(mirrors, name, path)
    rotation = ROTATION.get(name, 0)
    meta = {
        "kind": name.split("/")[0],
        "source": source_of(repo, path),
        "labels_source": labels.pop("labels_source"),
        "licence": repo.licence,
        "upright": rotation == 0,
        "rotation": rotation,
        **labels,
    }
    meta["notes"] = NOTES[meta["kind"]] + (f"; as shot, content turned {rotation}° clockwise" if rotation else "")
    return meta


def provenance(metas: dict[str, dict]) -> str:
    out = [
        "# The real set: provenance",
        "",
        "Built by `scripts/build_realset.py` of the digitize repository from bare mirrors of the sources below; "
        "docs/realset.md says what the set is for. Every image's SHA-256 was checked.",
        "",
        "| file | source repo | commit | path | licence | SHA-256 |",
        "|---|---|---|---|---|---|",
    ]
    for name, meta in metas.items():
        src = meta["source"]
        out.append(f"| `{name}` | {src['repo']} | {src['commit']} | `{src['path']}` | {meta['licence']} "
                   f"| {SHA256[name]} |")  # fmt: skip
    out += ["", "| file | labels from | rotation |", "|---|---|---:|"]
    for name, meta in metas.items():
        lab = meta["labels_source"]
        out.append(f"| `{name}` | {lab['repo']} @ {lab['commit'][:12]} `{lab['path']}` | {meta['rotation']} |")
    out += ["", "Licences in full:", ""]
    out += [f"- **{short}**: {full}" for short, full in LICENCES.items()]
    return "\n".join(out) + "\n"


def build(mirrors: Mirrors, into: Path) -> dict[str, dict]:
    metas = {}
    for name in sorted(SOURCES):
        image = checked_image(mirrors, name)
        metas[name] = item_json(mirrors, name)
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(image)
        meta = json.dumps(metas[name], ensure_ascii=False, indent=2) + "\n"
        target.with_suffix(".json").write_text(meta, encoding="utf-8")
    (into / "PROVENANCE.md").write_text(provenance(metas), encoding="utf-8")
    return metas


def replace_folder(built: Path, out: Path) -> None:
    """Put the new set in place of an old one; never over a folder that is not a real set."""
    if out.exists() and any(out.iterdir()) and not (out / "PROVENANCE.md").is_file():
        raise BuildError(f"{out} holds files but no PROVENANCE.md: not a real set, left alone")
    if out.exists():
        shutil.rmtree(out)
    shutil.move(str(built), str(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, required=True, help="folder of OWNER+NAME/repo bare git mirrors")
    parser.add_argument("--out", type=Path, required=True, help="the real set's folder (replaced whole)")
    args = parser.parse_args(argv)
    if set(SOURCES) != set(SHA256) or not set(ROTATION) <= set(SOURCES) or not set(FORM_RULES) <= set(SOURCES):
        raise BuildError("SOURCES, SHA256, ROTATION and FORM_RULES name different files")
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the target and moved in whole: a failed check leaves the old set as it was.
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as tmp:
        built = Path(tmp) / "set"
        metas = build(Mirrors(args.mirrors.resolve()), built)
        replace_folder(built, out)
    kinds: dict[str, int] = {}
    for meta in metas.values():
        kinds[meta["kind"]] = kinds.get(meta["kind"], 0) + 1
    print(f"{len(metas)} images in {out}: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BuildError as err:
        sys.exit(f"build_realset: {err}")
