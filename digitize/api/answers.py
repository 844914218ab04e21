"""The main answers of the API as models: the dossier as in docs/scan-json.md, its status at the counter, a page.

They document the answers in /docs and hold the service to them: a key the service sends that a model does not
name is refused (`extra="forbid"`: the suite, which calls these routes, fails on it), and a key it leaves out is
left out of the answer too (routes use `response_model_exclude_unset`). Field values, the checklist, the form and
the warnings stay open dictionaries: their keys are the catalog's and docs/scan-json.md's.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PageAnswer(_Answer):
    index: int
    source: str
    paper: str
    dpi: int
    rotation: int
    skew_deg: float
    blank: bool
    warnings: list[str]
    text: str
    confidence: float
    reading: str
    scale: float


class PageDetail(PageAnswer):
    width_px: int
    height_px: int
    blur_px: float


class DocumentAnswer(_Answer):
    type: str
    pages: list[int]
    confidence: float
    fields: dict[str, dict]


class Report(_Answer):
    """The dossier as `digitize scan --json` prints it (docs/scan-json.md)."""

    dossier: str
    procedure: str | None
    pages: list[PageAnswer]
    documents: list[DocumentAnswer]
    checklist: list[dict]
    form: dict[str, dict]
    warnings: list[dict]


class StatusDocument(DocumentAnswer):
    id: int
    name: str
    state: str
    is_result: bool
    owner_id: str | None
    component: str | None
    grouped_by: str | None  # the officer who set its pages or type by hand


class FileAnswer(_Answer):
    seq: int
    name: str
    sha256: str
    kind: str
    pages: int
    error: str | None = None  # a refused file: why (it stays stored under its SHA-256)
    reason: str | None = None


class ReusedPaper(_Answer):
    document: int
    type: str
    name: str
    component: str | None
    from_dossier: str
    at: str


class ResultAnswer(_Answer):
    id: int
    document_type: str | None
    name: str | None
    digitized: bool
    file_seq: int | None
    issued_by: str
    issued_at: str
    replaced_by: int | None  # the result recorded in its place
    collector: dict | None  # {"name", "id_number"} of who collected the paper


class Handling(_Answer):
    """Who handed the dossier in, what was received, the counter's decision, a new date (docs/forms.md)."""

    applicant: dict  # {"name", "address", "phone", "email"}, each None until typed, and "consent" to be told
    handed_in: dict  # per component key: {"originals", "copies", "presented"}
    outcome: str | None  # None (received), "supplement" or "refused"
    outcome_reason: str | None
    outcome_at: str | None
    due_date: str | None
    new_due_date: str | None  # the apology's new date of a late dossier
    delay_reason: str | None
    components: list[dict] = []  # in the status: each component as the receipt prints it (counts, state)


class Status(Report):
    """The report plus what the counter follows: state, files, reused papers, results, the officer's page order."""

    documents: list[StatusDocument]  # type: ignore[assignment]
    code: str | None
    agency: str
    citizen_id: str | None
    status: str
    error: str | None
    created_at: str
    finished_at: str | None
    due_date: str | None
    archive: bool
    scans: dict[str, int]
    page_order: list[int]
    excluded_pages: list[int]
    result_pages: list[int]  # pages scanned from the issued result, not handed in
    rereading: list[int]  # pages being read again (turned by an officer)
    files: list[FileAnswer]
    searchable_pdf: bool
    reused: list[ReusedPaper]
    results: list[ResultAnswer]
    handling: Handling
    rating: dict | None  # the citizen's rating given at the counter: {"score", "moment", "complaint", "at"}


class OpenedDossier(Status):
    offers: list[dict]  # the citizen's papers offered for reuse (the vault's paper JSON)


class PublicStatus(_Answer):
    """A dossier's status as /tra-cuu shows it to whoever holds its receipt, and nothing else."""

    code: str
    state: str  # in_progress | supplement | refused | ready (a result issued) | returned (handed to someone)
    state_vi: str
    due_date: str | None  # the date promised on the receipt; none once more papers are asked for or it is refused
    new_due_date: str | None  # the apology's new date of a late dossier


class CopyVerified(_Answer):
    """A certified e-copy of ours whose paper is approved now; what is not is a 422 `not_verified` saying why."""

    verified: bool
    checked: str  # "file": the file itself; "qr": the text of its QR code only
    proves_unaltered: bool  # only the file proves that the copy in hand is the one issued
    state: str
    document_type: str
    document_name: str  # the type's Vietnamese name in the catalog
    agency: str  # the full name of the agency that digitized it
    signed_on: str | None  # the local day of signing
    signed_at: str | None  # the moment, with its offset
    sha256: str | None = None  # file: the file's digest
    signer: str | None = None  # file: the officer's name as the signature states it
    note: str | None = None  # qr: what a QR text does not prove
    note_vi: str | None = None
