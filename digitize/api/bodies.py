"""Request bodies of the JSON routes: they document themselves in /docs, and a malformed one is refused by the
API's validation handler as `bad_request` with the field named."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, v: object) -> object:
        """A NUL character in any text: PostgreSQL refuses it in a string (a 500 on a user name or a login)."""
        if isinstance(v, str) and "\x00" in v:
            raise ValueError("a NUL character is not allowed")
        return v


NonEmpty = Field(min_length=1, max_length=200)


class Applicant(_Body):
    """Who hands the dossier in (the citizen, or someone on their behalf); printed on the one-stop forms."""

    name: str | None = Field(None, max_length=255, examples=["Nguyễn Văn Mẫu"])
    address: str | None = Field(None, max_length=500, examples=["Số 1, thôn Mẫu, xã Mẫu Một"])
    phone: str | None = Field(None, max_length=32, pattern=r"^[0-9 +().-]*$", examples=["0912 345 678"])
    email: str | None = Field(None, max_length=255, examples=["cong.dan@example.vn"])
    consent: bool | None = Field(None, description="the applicant agrees to be told of the dossier by SMS or e-mail")


class NewDossier(_Body):
    procedure: str | None = Field(None, examples=["1.001193"])
    citizen_id: str | None = Field(None, description="the citizen's 12-digit ID number", examples=["001099000123"])
    applicant: Applicant | None = None


class HandedIn(_Body):
    originals: int = Field(0, ge=0, le=99)
    copies: int = Field(0, ge=0, le=99)
    presented: bool = Field(False, description="only shown (xuất trình) and handed back: not received")


class DossierDetails(_Body):
    applicant: Applicant | None = None
    handed_in: dict[str, HandedIn] | None = Field(None, description="per component key of the procedure")


class OutcomeChoice(_Body):
    outcome: str = Field(examples=["supplement", "refused", "received"])
    reason: str | None = Field(None, max_length=2000)


class NewDate(_Body):
    new_due_date: date
    reason: str = Field(min_length=1, max_length=2000)


class StaffLogin(_Body):
    username: str = Field(min_length=1, max_length=64, examples=["quay1"])
    password: str = Field(min_length=1, max_length=200, examples=["demo2026"])


class CitizenLogin(_Body):
    id_number: str = Field(min_length=1, max_length=12, examples=["001099000123"])
    password: str | None = Field(None, max_length=200, examples=["demo2026"])
    code: str | None = Field(None, max_length=12, description="a one-time code from the counter instead")


class StatusQuery(_Body):
    """Checked by the service, which says in Vietnamese what to type (the limits here only bound the request)."""

    code: str = Field(
        max_length=200, description="the dossier code on the receipt", examples=["000.00.31.H29-261120-0001"]
    )
    id_last4: str = Field(max_length=50, description="the last 4 digits of the citizen's ID number", examples=["0123"])


class QrText(_Body):
    text: str = Field(
        max_length=2000,
        description="the text of a certified copy's QR code, as a scanner types it",
        examples=["v=1|dossier=…|proc=…|id=…|doc=…|sys=digitize|time=2026-11-20T09:15:00+07:00"],
    )


class NewUser(_Body):
    username: str = NonEmpty
    full_name: str = NonEmpty
    password: str = NonEmpty
    role: str = Field(examples=["counter", "reviewer", "leader", "admin"])


class AccountState(_Body):
    active: bool


class NewPassword(_Body):
    password: str = NonEmpty


class CitizenPassword(_Body):
    password: str = NonEmpty
    full_name: str | None = None


class FieldValue(_Body):
    value: str | None = Field(None, description="the corrected value; empty clears the field", max_length=500)


class Approval(_Body):
    accept_invalid: bool = Field(False, description="approve although some fields still fail validation")
    owner_id: str | None = Field(None, description="whose paper it is (12 digits), for a paper that names others")


class Rejection(_Body):
    code: str | None = Field(None, description="a reason from GET /api/review/reject-reasons", examples=["unreadable"])
    reason: str = Field("", max_length=1000, description="the reviewer's words (needed with code `other` or none)")


class DocumentGrouping(_Body):
    pages: list[int] = Field(min_length=1, description="page numbers that make one document, in its order")
    type: str = Field(min_length=1, max_length=64, description="its document type", examples=["can_cuoc"])


class DocumentTypeChoice(_Body):
    type: str = Field(min_length=1, max_length=64, examples=["giay_khai_sinh"])


class Rotation(_Body):
    degrees: int = Field(description="clockwise, as the page is shown: 90, 180 or 270", examples=[90])


class ReuseRequest(_Body):
    document_ids: list[int] = Field(min_length=1, description="papers from the dossier's offers")


class PageArrangement(_Body):
    order: list[int] | None = Field(None, description="every page number once, in the order wanted")
    excluded: list[int] | None = Field(None, description="page numbers left out of the dossier (e.g. rescanned)")


class ComponentChoice(_Body):
    component: str | None = Field(None, description="a component key of the procedure; null: let the reading decide")


Score = Field(None, strict=True, description="1 (rất không hài lòng) to 5 (rất hài lòng)", examples=[4])


class Aspects(_Body):
    """Each aspect rated like the score, each optional."""

    guidance: int | None = Score  # Hướng dẫn
    attitude: int | None = Score  # Thái độ của công chức
    time: int | None = Score  # Thời gian giải quyết
    result: int | None = Score  # Kết quả


class RatingBody(_Body):
    score: int = Field(strict=True, description="1 (rất không hài lòng) to 5 (rất hài lòng)", examples=[4])
    aspects: Aspects | None = None
    comment: str | None = Field(None, max_length=1000, examples=["Cán bộ hướng dẫn tận tình."])
    complaint: bool = Field(False, description="the citizen marks the comment as a complaint (phản ánh, kiến nghị)")
    moment: str | None = Field(None, description="reception or handover; by default handover once a result was "
                               "recorded, else reception", examples=["handover"])  # fmt: skip


class ComplaintAnswer(_Body):
    answer: str = Field(min_length=1, max_length=2000, examples=["Đơn vị đã nhắc nhở công chức và xin lỗi ông/bà."])


class KioskChoice(_Body):
    dossier_id: str | None = Field(description="the dossier open at the counter; null: none")
    invite: bool = Field(False, description="invite the citizen to rate it now")
    moment: str | None = Field(None, description="reception or handover, with invite", examples=["handover"])
