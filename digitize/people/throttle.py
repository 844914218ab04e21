"""Holding back whoever guesses: failures counted per subject (an account, a dossier code) and per client address
within a window, each kind of guessing (a `Guard`) apart from the others, so a citizen mistyping a dossier code
from the office's address does not hold the officers' logins there.

A failure is counted (`count`) in a transaction of its own, after the refused attempt's has rolled back with its
error: counted inside it, it was never written and the throttle never engaged in the running service. Failures of
every guard are rows of one table, told apart by the guard's prefix on their subject.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from digitize.core.errors import DigitizeError
from storage.records import LoginFailure, now

SUBJECT_MAX = 64  # the column's length


@dataclass(frozen=True)
class Guard:
    """One kind of guessing: at most `per_subject` failures on one subject and `per_ip` from one address within
    `window`. Logins have no prefix: no account name or ID number holds a ':', and one typed is written '_', so a
    login can never be counted as another guard's failure (nor hold a dossier code)."""

    prefix: str  # "" for logins, else ends with ':'
    per_subject: int
    per_ip: int
    window: timedelta
    what: str  # "failed logins"
    what_vi: str  # "Đăng nhập sai"

    def subject(self, key: str) -> str:
        key = key if self.prefix else key.replace(":", "_")
        return (self.prefix + key)[:SUBJECT_MAX]

    def rows(self):
        """The condition that picks this guard's failures."""
        if self.prefix:
            return LoginFailure.subject.startswith(self.prefix, autoescape=True)
        return ~LoginFailure.subject.contains(":")


def too_many(guard: Guard, retry_after: int) -> DigitizeError:
    return DigitizeError(
        "too_many_attempts",
        f"too many {guard.what}; try again in {retry_after} s",
        f"{guard.what_vi} quá nhiều lần; thử lại sau {-(-retry_after // 60)} phút.",  # minutes, rounded up
        status=429,
        retry_after=retry_after,
    )


def hold(s: Session, guard: Guard, key: str, ip: str | None) -> None:
    """429 (with Retry-After) when the subject or the address has failed too often within the window: checked
    before the attempt, so even the right answer waits."""
    since = now() - guard.window
    by_subject = select(func.count(), func.min(LoginFailure.at)).where(
        LoginFailure.subject == guard.subject(key), LoginFailure.at > since
    )
    n, first = s.execute(by_subject).one()
    by_ip = select(func.count(), func.min(LoginFailure.at)).where(
        LoginFailure.ip == ip, LoginFailure.at > since, guard.rows()
    )
    n_ip, first_ip = s.execute(by_ip).one() if ip else (0, None)
    counts = ((n, guard.per_subject, first), (n_ip, guard.per_ip, first_ip))
    held = [t for failed, limit, t in counts if failed >= limit]
    if held:  # free again, at the earliest, when the oldest failure of each count that holds has left the window
        until = max((t or now()) + guard.window for t in held)
        raise too_many(guard, max(1, int((until - now()).total_seconds())))


def count(s: Session, guard: Guard, key: str, ip: str | None) -> None:
    """One failure of `key` from `ip`; call it in a transaction of its own (see the module's docstring)."""
    s.add(LoginFailure(subject=guard.subject(key), ip=ip))


def forget(s: Session, guard: Guard, key: str) -> None:
    """The subject's failures, forgotten after a success (a login)."""
    s.execute(delete(LoginFailure).where(LoginFailure.subject == guard.subject(key)))
