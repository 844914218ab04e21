"""The outbox's table as a queue: `enqueue` in the transaction of the change a message tells of, `claim` what is due
for one sender, `settle` each delivery (sent, retried later, or dead with its reason), `retry` a dead one by hand.

A claimed message is leased: its due time moves LEASE ahead, so a sender that dies mid-delivery leaves it to be
claimed again, never lost; a delivery that might have happened before the crash happens again, which is why every
channel sends the message's key for the receiver to drop a repeat (docs/outbox.md). On PostgreSQL senders on many
machines claim with SKIP LOCKED, each its own messages; on SQLite, one machine, a lock orders them.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.text import masked_id
from storage.records import OutboxMessage, insert_ignore

LEASE = timedelta(minutes=2)
LAST_RETRY = timedelta(hours=6)
MAX_ATTEMPTS = 12  # about a day and a half of retries, then dead: a person looks at it
PENDING, SENT, DEAD = "pending", "sent", "dead"


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    channel: str
    recipient: str
    subject: str | None
    body: str
    attempts: int


def enqueue(s: Session, now: datetime, channel: str, key: str, recipient: str, body: str, *,
            subject: str | None = None, agency: str | None = None, dossier_id: str | None = None) -> None:  # fmt: skip
    """Write a message in the caller's transaction, due `now`; a key already written is left as it is (the same
    event told twice, or a paper approved again with the same copy, sends once)."""
    insert_ignore(s, OutboxMessage, key=key, channel=channel, recipient=recipient, subject=subject, body=body,
                  agency_code=agency, dossier_id=dossier_id, state=PENDING, attempts=0, due_at=now,
                  created_at=now)  # fmt: skip


def claim(ctx: Context, channels: set[str], limit: int = 20) -> list[Claimed]:
    """Up to `limit` messages due now on these channels, leased to the caller."""
    now = ctx.now()
    with ctx.lock("outbox") if _sqlite(ctx) else nullcontext(), ctx.session() as s:
        q = select(OutboxMessage).where(OutboxMessage.state == PENDING, OutboxMessage.due_at <= now,
                                        OutboxMessage.channel.in_(channels))  # fmt: skip
        q = q.order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit)
        if not _sqlite(ctx):
            q = q.with_for_update(skip_locked=True)
        taken = list(s.scalars(q))
        for m in taken:
            m.attempts += 1
            m.due_at = now + LEASE
        return [Claimed(m.id, m.key, m.channel, m.recipient, m.subject, m.body, m.attempts) for m in taken]


def settle(ctx: Context, message: Claimed, error: str | None, permanent: bool = False) -> str:
    """After a delivery: sent; or, failed, due again after a backoff doubling from the settings' first retry
    (`outbox_retry_seconds`), or dead (a permanent refusal, or MAX_ATTEMPTS spent). Returns the new state."""
    now = ctx.now()
    if error is None:
        values: dict = {"state": SENT, "sent_at": now, "last_error": None}
    elif permanent or message.attempts >= MAX_ATTEMPTS:
        values = {"state": DEAD, "last_error": error[:2000]}
    else:
        first = timedelta(seconds=ctx.settings.outbox_retry_seconds)
        values = {"due_at": now + backoff(message.attempts, first), "last_error": error[:2000]}
    with ctx.session() as s:
        s.execute(update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values))
    return values.get("state", PENDING)


def cancel(s: Session, key: str, reason: str) -> None:
    """A message not to send after all, if it still waits: dead with the reason (kept, like every message)."""
    s.execute(update(OutboxMessage).where(OutboxMessage.key == key, OutboxMessage.state == PENDING)
              .values(state=DEAD, last_error=reason))  # fmt: skip


def backoff(attempts: int, first: timedelta) -> timedelta:
    return min(LAST_RETRY, first * 2 ** max(0, attempts - 1))


def retry(ctx: Context, message_id: int, agency: str | None) -> bool:
    """A dead message (of this agency) due again now, its attempts counted afresh; False if there is none."""
    with ctx.session() as s:
        q = update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.state == DEAD)
        if agency is not None:
            q = q.where(OutboxMessage.agency_code == agency)
        done = s.execute(q.values(state=PENDING, attempts=0, due_at=ctx.now(), last_error=None))
        return done.rowcount == 1


def counts(s: Session, agency: str | None, since: datetime | None = None) -> dict[str, dict[str, int]]:
    """Per channel, how many messages are pending, sent, dead (of the agency; since a moment, if given)."""
    q = select(OutboxMessage.channel, OutboxMessage.state, func.count()).group_by(
        OutboxMessage.channel, OutboxMessage.state
    )
    if agency is not None:
        q = q.where(OutboxMessage.agency_code == agency)
    if since is not None:
        q = q.where(OutboxMessage.created_at >= since)
    out: dict[str, dict[str, int]] = {}
    for channel, state, n in s.execute(q):
        out.setdefault(channel, {PENDING: 0, SENT: 0, DEAD: 0})[state] = n
    return out


def listing(s: Session, agency: str | None, state: str | None, limit: int = 50, offset: int = 0) -> list[dict]:
    """The agency's messages, the latest first (a state's only, if given), as the admin's page lists them: the
    recipient's ID number masked, the message's text left out."""
    q = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(max(1, min(limit, 200))).offset(max(0, offset))
    if agency is not None:
        q = q.where(OutboxMessage.agency_code == agency)
    if state:
        q = q.where(OutboxMessage.state == state)
    return [{"id": m.id, "key": m.key, "channel": m.channel, "recipient": masked_id(m.recipient),
             "subject": m.subject, "dossier_id": m.dossier_id, "state": m.state, "attempts": m.attempts,
             "due_at": m.due_at.isoformat(), "last_error": m.last_error, "created_at": m.created_at.isoformat(),
             "sent_at": m.sent_at.isoformat() if m.sent_at else None} for m in s.scalars(q)]  # fmt: skip


def _sqlite(ctx: Context) -> bool:
    return ctx.sessions.kw["bind"].dialect.name == "sqlite"
