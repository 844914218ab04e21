"""The procedure catalog: YAML files of procedures and document types, validated on load.

Adding a procedure or a document type is a YAML edit. A mistake in a file is reported with the file's name and
the line of the offending entry, e.g. `procedures.yaml:14: components.0.document_types: unknown type 'to_kai'`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CATALOG_DIR = Path(__file__).parent / "catalog"
KHAC = "khac"  # the type of any page that is none of the catalog's

Kind = Literal["text", "name", "place", "date", "year", "sex", "id_number", "grams", "expiry"]
Validator = Literal["id_number", "date", "year", "grams", "whole_address", "card_expiry"]


class CatalogError(ValueError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldDef(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    labels: list[str] = Field(min_length=1)
    kind: Kind = "text"
    validators: list[Validator] = []
    after: str | None = None
    headings: list[str] = []  # section headings that open the block this field heads: where OCR lost its label
    facility: bool = False  # a place that may be a health facility's name (where a birth took place)
    by_law: str | None = None  # the one value the law allows this field on its paper (forms.dossier.values_by_law)
    units_only: bool = False  # a place of administrative units alone, no house or street (forms.card_origins)
    citizen_if_both: list[str] = []  # Việt Nam where these both are (parents: agree.nationalities_of_people)
    vocab: Literal["name", "place", "ethnicity", "nationality", "relationship"] | None = (
        None  # names and places: by their kind
    )

    @property
    def vocabulary(self) -> str | None:
        """The word list the field's values are checked against (forms/vocab.py), if any."""
        return self.vocab or (self.kind if self.kind in ("name", "place") else None)


# Whose value a field holds, from its key's prefix: a form prints "Họ, chữ đệm, tên" for the child, the mother
# and the father alike, so a screen listing the fields names the person first.
PERSON_PREFIXES = {"child_": "Con", "mother_": "Mẹ", "father_": "Cha", "requester_": "Người yêu cầu",
                   "wife_": "Vợ", "husband_": "Chồng", "applicant_": "Người đề nghị"}  # fmt: skip


def person_of_key(key: str) -> str | None:
    """The person ("Mẹ") a field's key names by its prefix, if any."""
    return next((who for prefix, who in PERSON_PREFIXES.items() if key.startswith(prefix)), None)


def field_title(f: FieldDef) -> str:
    label = f.labels[0]
    person = person_of_key(f.key)
    words = label.lower().replace(",", " ").split()
    if person is None or person.lower() in label.lower() or person.lower().split()[-1] in words:
        return label  # the label names the person already: "Họ, chữ đệm, tên người mẹ"
    return f"{person}: {label[0].lower()}{label[1:]}"


class DocumentType(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    titles: list[str] = Field(min_length=1)
    keywords: list[str] = []
    valid_until: str | None = None
    reusable: bool = False  # offered from the citizen's repository to later dossiers
    card: bool = False  # an ID-1 card (85.6 × 54 mm) photocopied on a page: recognised by its shape too
    stops: list[str] = []  # boilerplate that ends a value as a label does
    fields: list[FieldDef] = []

    @field_validator("stops", mode="before")
    @classmethod
    def _flatten(cls, v: object) -> object:
        """`[*common_stops, "Người đỡ đẻ"]` in YAML nests the shared list: one list of phrases either way."""
        if isinstance(v, list):
            return [x for item in v for x in (item if isinstance(item, list) else [item])]
        return v

    def field(self, key: str) -> FieldDef | None:
        return next((f for f in self.fields if f.key == key), None)

    def person(self, key: str) -> str | None:
        """Whose value the field holds ("Con", "Mẹ", "Cha"…): its key's prefix says, else the field its block
        follows (a giấy chứng sinh's place of birth comes after the child's date of birth); None: the paper's one
        person (a card's holder) or nobody's."""
        seen: set[str] = set()
        while key not in seen:
            seen.add(key)
            if who := person_of_key(key):
                return who
            f = self.field(key)
            if f is None or f.after is None:
                return None
            key = f.after
        return None

    def people(self) -> list[tuple[FieldDef, list[FieldDef]]]:
        """Each person the paper names: the field of their name, with the fields of the block it heads (those
        `after` it); on a card, all the card's other fields (its holder's)."""
        return [(f, [g for g in self.fields if g is not f and (g.after == f.key or self.card)])
                for f in self.fields if f.kind == "name"]  # fmt: skip


class Component(_Strict):
    key: str
    name: str
    document_types: list[str] = Field(min_length=1)
    required: bool = True
    form: Literal["original", "copy", "present"] = "original"


class Procedure(_Strict):
    code: str = Field(pattern=r"^\d\.\d{6}$")
    name: str
    level: Literal["xa", "huyen", "tinh"]
    agency_kind: str
    components: list[Component] = Field(min_length=1)
    result: str | None = None
    processing_days: int | None = Field(default=None, ge=0)  # working days to the result; 0: the same day
    form_fields: dict[str, list[str]] = {}


class Catalog(BaseModel):
    document_types: dict[str, DocumentType]
    procedures: dict[str, Procedure]

    def procedure(self, code: str) -> Procedure | None:
        return self.procedures.get(code)


# --- loading with line numbers ------------------------------------------------------------------------------------


def _to_python(node: yaml.Node, path: tuple, lines: dict[tuple, int]):
    """Plain data from a composed YAML node, noting the line of every mapping key and list item."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for k, v in node.value:
            key = k.value
            lines[(*path, key)] = k.start_mark.line + 1
            out[key] = _to_python(v, (*path, key), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(v, (*path, i), lines) for i, v in enumerate(node.value)]
    return yaml.constructor.SafeConstructor().construct_object(node)  # numbers, booleans, null by YAML's rules


def _line(lines: dict[tuple, int], path: tuple) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _read(path: Path, section: str) -> tuple[list[dict], dict[tuple, int]]:
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name}:{mark.line + 1}" if mark else path.name
        raise CatalogError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    lines: dict[tuple, int] = {}
    data = _to_python(node, (), lines) if node is not None else {}
    if not isinstance(data, dict) or not isinstance(data.get(section), list):
        raise CatalogError(f"{path.name}:1: expected a list under '{section}:'")
    return data[section], lines


def _build(model: type[BaseModel], items: list[dict], section: str, path: Path, lines: dict) -> list:
    out = []
    for i, item in enumerate(items):
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            e = exc.errors()[0]
            loc = (section, i, *e["loc"])
            field = ".".join(str(x) for x in e["loc"])
            raise CatalogError(f"{path.name}:{_line(lines, loc)}: {field}: {e['msg']}") from exc
    return out


def load_catalog(folder: str | Path | None = None) -> Catalog:
    folder = Path(folder) if folder else CATALOG_DIR
    types: dict[str, DocumentType] = {}
    procedures: dict[str, Procedure] = {}
    type_files = sorted(folder.glob("document_types*.yaml"))
    proc_files = sorted(folder.glob("procedures*.yaml"))
    if not type_files or not proc_files:
        raise CatalogError(f"{folder}: needs document_types*.yaml and procedures*.yaml files")
    for path in type_files:
        items, lines = _read(path, "document_types")
        for i, dt in enumerate(_build(DocumentType, items, "document_types", path, lines)):
            where = f"{path.name}:{_line(lines, ('document_types', i))}"
            if dt.code in types or dt.code == KHAC:
                raise CatalogError(f"{where}: document type '{dt.code}' defined twice (or reserved)")
            keys = [f.key for f in dt.fields]
            for j, f in enumerate(dt.fields):
                if keys.count(f.key) > 1:
                    raise CatalogError(f"{where}: field '{f.key}' defined twice")
                if f.after is not None and f.after not in keys[:j]:
                    line = _line(lines, ("document_types", i, "fields", j))
                    raise CatalogError(f"{path.name}:{line}: after: '{f.after}' is not a field defined before")
            if dt.valid_until and dt.valid_until not in keys:
                raise CatalogError(f"{where}: valid_until names no field of '{dt.code}'")
            types[dt.code] = dt
    known = {*types, KHAC}
    for path in proc_files:
        items, lines = _read(path, "procedures")
        for i, p in enumerate(_build(Procedure, items, "procedures", path, lines)):
            if p.code in procedures:
                raise CatalogError(f"{path.name}:{_line(lines, ('procedures', i))}: procedure {p.code} defined twice")
            for j, c in enumerate(p.components):
                for t in c.document_types:
                    if t not in known:
                        line = _line(lines, ("procedures", i, "components", j))
                        raise CatalogError(f"{path.name}:{line}: components.{j}.document_types: unknown type '{t}'")
            if p.result is not None and p.result not in types:
                line = _line(lines, ("procedures", i, "result"))
                raise CatalogError(f"{path.name}:{line}: result: unknown type '{p.result}'")
            for form_key, sources in p.form_fields.items():
                for src in sources:
                    t, _, f = src.partition(".")
                    if t not in types or types[t].field(f) is None:
                        line = _line(lines, ("procedures", i, "form_fields", form_key))
                        raise CatalogError(f"{path.name}:{line}: form_fields.{form_key}: unknown field '{src}'")
            procedures[p.code] = p
    return Catalog(document_types=types, procedures=procedures)


@cache
def default_catalog() -> Catalog:
    return load_catalog()
