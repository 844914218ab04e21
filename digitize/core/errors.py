"""Errors a user can act on: a stable code, a reason in English for the API and one in Vietnamese for the UI."""

from __future__ import annotations


class DigitizeError(Exception):
    """A refusal with a reason. `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, code: str, reason: str, reason_vi: str, status: int | None = None, **detail: object):
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.reason_vi = reason_vi
        self.detail = detail
        if status is not None:
            self.status = status

    def to_json(self) -> dict[str, object]:
        return {"error": self.code, "reason": self.reason, "reason_vi": self.reason_vi, **self.detail}


class IntakeError(DigitizeError):
    """The uploaded file cannot be turned into pages."""

    status = 422


class NotFound(DigitizeError):
    status = 404


class Unauthorized(DigitizeError):
    """No valid session: log in first."""

    status = 401


class Forbidden(DigitizeError):
    """Logged in, but the role may not do this."""

    status = 403


class Conflict(DigitizeError):
    status = 409


def login_required() -> Unauthorized:
    return Unauthorized("login_required", "log in first", "Vui lòng đăng nhập.")


def not_allowed(role: str) -> Forbidden:
    return Forbidden(
        "role_not_allowed", f"the role {role} may not do this", "Tài khoản không có quyền thực hiện việc này."
    )


class OutOfScope(NotFound):
    """What exists but lies outside the caller's scope: the same answer as for nothing at all, and the API writes
    the try on the audit trail of the agency holding it (api.py), in a transaction of its own, as the request's
    own rolls back with the error."""

    def __init__(self, what: str, ident: object, what_vi: str, actor: object, agency: str | None, citizen: str | None):
        found = not_found(what, ident, what_vi)
        super().__init__(found.code, found.reason, found.reason_vi)
        self.what, self.ident, self.actor, self.agency, self.citizen = what, ident, actor, agency, citizen


def not_found(what: str, ident: object, what_vi: str) -> NotFound:
    """Also the answer for what exists but lies outside the caller's scope: nothing tells the two apart."""
    return NotFound(f"{what}_not_found", f"no {what} {ident}", f"Không tìm thấy {what_vi}.")
