"""The digitization figures leaders report (Decision 766/QĐ-TTg), per agency, procedure and period.

Definitions (dossiers and results are counted in the period by their local date of receipt or issue):
- received: dossiers opened that hold something handed in: an accepted file or a paper reused from the citizen's
  repository (one left empty, or whose every file was refused, received nothing);
- digitized at reception: received dossiers with at least one page scanned and read (not blank, not failed) or
  one paper attached from the citizen's repository, whose procedure's required components are all satisfied (the
  dossier's checklist, checks.refresh_checks: a rejected paper satisfies none); a dossier missing one is not
  digitized, whatever it holds;
- results issued / digitized: results recorded, and those handed in with a scan of the issued paper;
- synced to the repository: results whose scanned paper was approved into the citizen's repository;
- on time: results issued no later than the date the dossier's receipt promised, of the results whose dossier had
  one (procedures with a processing time in the catalog);
- overdue: received dossiers whose promised date has passed (today, local) with no result recorded yet; listed
  one by one too (code, procedure, the citizen's ID masked, the promised date, days late);
- reuse rate: received dossiers that reused at least one digitized paper ÷ dossiers received;
- review backlog: documents of the agency still waiting for a decision (now, whatever the period), their age;
- correction rate: of the fields of documents decided in the period, the share a reviewer changed;
- archives: dossiers opened to digitize an archive (`digitize batch`) and the results recorded from them; such
  dossiers and results count in none of the figures above but pages and review, as nobody handed them in;
- pages per day: pages read from the period's dossiers, archives included ÷ days in the period;
- per officer (staff account): dossiers received and pages read (of the dossiers the account opened in the
  period), results recorded, documents approved and rejected in the period, and of the documents decided in the
  period those whose fields the account corrected (as the correction rate counts them);
- rejections: documents rejected in the period per document type, of those decided, with each reason's count
  (reasons compared with their spaces collapsed);
- satisfaction (digitize/dossiers/satisfaction.py): the citizens' ratings given at the counter in the period (by
  their local date), one per dossier, of the agency's dossiers (of the procedure); archives are never rated.
  Ratings: their count; mean score: the mean of scores from 1 (rất không hài lòng) to 5 (rất hài lòng), to two
  decimals; satisfied: ratings scoring 4 (hài lòng) or 5, and their share of the ratings; each aspect's mean
  (hướng dẫn, thái độ, thời gian giải quyết, kết quả) over the ratings that rated it, and how many did; scores:
  ratings per score; complaints: ratings whose comment the citizen marked as a complaint or whose words say so
  (phản ánh, kiến nghị, khiếu nại, bức xúc, with or without diacritics); open complaints: of the agency (and
  procedure) not answered yet, now, whatever the period. The same per procedure, per officer (the account whose
  counter the rating was given at: the session that recorded it), per moment (reception, hand-over) and per bucket
  of the series.

The series splits the period into buckets by the same local dates: days, ISO weeks (Monday to Sunday) when the
period is longer than 62 days, calendar months when longer than 400 days. Every bucket is listed, empty ones with
zeros; the first and last are cut to the period, so a bucket's `start` is the later of its natural start and the
period's, and its rates and pages per day are over its own dossiers, results and days.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.errors import DigitizeError
from digitize.core.text import masked_id
from digitize.dossiers import satisfaction
from digitize.dossiers.checks import type_name
from digitize.dossiers.lookup import of_agency_and_procedure
from digitize.outbox import queue
from digitize.people import audit
from digitize.people.auth import Principal
from forms.catalog import KHAC, Catalog
from storage.records import (
    OPEN_STATES,
    Correction,
    DocState,
    Document,
    Dossier,
    DossierFile,
    Page,
    Result,
    Reuse,
    Role,
    Scan,
    User,
    now,
)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)  # local midnights this far stay within datetime's range
LONGEST = timedelta(days=3661)  # ten years, in months


def check_period(start: date, end: date) -> None:
    """A period the figures can be counted over, else a refusal saying why (0001-01-01 to 9999-12-31 overflowed
    the local midnights and answered 500)."""
    if start > end:
        raise DigitizeError("bad_period", "from is after to", "Khoảng thời gian không hợp lệ: từ ngày sau đến ngày.",
                            status=422)  # fmt: skip
    if start < EARLIEST or end > LATEST or end - start > LONGEST:
        raise DigitizeError("bad_period", f"a period lies between {EARLIEST} and {LATEST} and spans ten years at most",
                            f"Khoảng thời gian phải nằm trong {EARLIEST:%d/%m/%Y}–{LATEST:%d/%m/%Y} và không quá "
                            "mười năm.", status=422)  # fmt: skip


def for_leader(ctx: Context, actor: Principal, start: date | None, end: date | None, procedure: str | None) -> dict:
    """The figures of the leader's (or admin's) agency over a period, the last 30 days by default, with the
    Vietnamese names of the codes in them (procedures, document types, their fields) for the page; audited."""
    actor.require(Role.LEADER, Role.ADMIN)
    end = end or ctx.today()
    start = start or end - timedelta(days=29)
    check_period(start, end)
    with ctx.session() as s:
        out = compute(s, start, end, ctx.zone, actor.agency, procedure, ctx.today())
        out["delivery"] = queue.counts(s, actor.agency)  # the outbox now, per channel: pending, sent, dead
        audit.record(s, actor, "figures.read", "agency", actor.agency)
    out["names"] = names(ctx.catalog)
    return out


def names(catalog: Catalog) -> dict:
    """The Vietnamese names of the codes the figures hold: procedures, document types, their fields, and whose
    each field of a family paper is ("Con", "Mẹ", "Cha"), for the corrections' rows."""
    types = catalog.document_types
    return {
        "procedures": {code: p.name for code, p in catalog.procedures.items()},
        "document_types": {KHAC: type_name(catalog, KHAC), **{code: t.name for code, t in types.items()}},
        "fields": {code: {f.key: f.labels[0] for f in t.fields} for code, t in types.items()},
        "people": {code: {f.key: who for f in t.fields if (who := t.person(f.key))} for code, t in types.items()},
    }


def period_bounds(start: date, end: date, zone) -> tuple[datetime, datetime]:
    """The period's local midnights, in UTC as every time is stored: SQLite keeps no zone and would compare a
    Vietnamese midnight's wall-clock digits with UTC ones, losing the dossiers of 00:00-07:00 to the day before."""
    t0 = datetime.combine(start, time(), zone).astimezone(UTC)
    return t0, datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC)


class Fact(NamedTuple):
    key: tuple[str, str]  # (agency, procedure)
    at: datetime
    counts: dict  # what it adds to the counts
    by: str | None  # the staff account that received the dossier or recorded the result


def compute(s: Session, start: date, end: date, zone, agency: str | None = None,
            procedure: str | None = None, today: date | None = None) -> dict:  # fmt: skip
    """The figures of the period (local dates `start` to `end`), per agency and procedure, in total and as a series;
    `today` (local) decides what is overdue."""
    t0, t1 = period_bounds(start, end, zone)
    days = (end - start).days + 1
    today = today or now().astimezone(zone).date()
    received, late = dossier_facts(s, t0, t1, agency, procedure, today)
    facts = [*received, *result_facts(s, t0, t1, zone, agency, procedure)]
    # Each dossier's and result's facts, counted once, then added up by agency and procedure, by bucket and by
    # the staff account behind them.
    kind = bucket_kind(days)
    spans = buckets(start, end, kind)
    rows: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(int))
    by_bucket: dict[date, dict] = {b: defaultdict(int) for b, _ in spans}
    by_officer: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    total: dict = defaultdict(int)
    for key, at, counts, by in facts:
        bucket = by_bucket[bucket_of(at.astimezone(zone).date(), start, kind)]
        for k, v in counts.items():
            rows[key][k] += v
            bucket[k] += v
            total[k] += v
            if by:
                by_officer[by][k] += v

    def finish(agency_code: str | None, proc: str | None, r: dict) -> dict:
        return {"agency": agency_code, "procedure": proc, **measures(r, days)}

    series = [{"start": b.isoformat(), "end": e.isoformat(), "days": (e - b).days + 1,
               **measures(by_bucket[b], (e - b).days + 1)} for b, e in spans]  # fmt: skip
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "days": days,
        "agency": agency,
        "procedure": procedure,
        "rows": [finish(a, p or None, r) for (a, p), r in sorted(rows.items())],
        "total": finish(agency, procedure, total),
        "review_backlog": backlog(s, agency, procedure),
        "correction_rate": correction_rates(s, t0, t1, agency, procedure),
        "series": {"bucket": kind, "points": series},
        "officers": officers(s, t0, t1, agency, procedure, by_officer),
        "rejections": rejections(s, t0, t1, agency, procedure),
        "overdue": late,
        "satisfaction": satisfaction.compute(
            s, t0, t1, agency, procedure, spans, lambda at: bucket_of(at.astimezone(zone).date(), start, kind), kind
        ),
    }


def dossier_facts(s: Session, t0: datetime, t1: datetime, agency: str | None, procedure: str | None,
                  today: date) -> tuple[list[Fact], list[dict]]:  # fmt: skip
    """What each dossier opened in the period and received adds: received, digitized, reuse, pages, overdue (an
    archive's dossier adds its pages only); and the overdue dossiers themselves, the latest promised first."""
    dq = select(
        Dossier.id, Dossier.code, Dossier.agency_code, Dossier.procedure, Dossier.citizen_id, Dossier.created_by,
        Dossier.created_at, Dossier.due_date, Dossier.new_due_date, Dossier.archive, Dossier.checks,
    ).where(Dossier.created_at >= t0, Dossier.created_at < t1)  # fmt: skip
    dq = of_agency_and_procedure(dq, agency, procedure)
    ids = select(dq.subquery().c.id)
    reused = set(s.scalars(select(Reuse.dossier_id).distinct().where(Reuse.dossier_id.in_(ids))))
    handed_in = (
        select(DossierFile.dossier_id).distinct().where(DossierFile.dossier_id.in_(ids), DossierFile.accepted.is_(True))
    )
    received = set(s.scalars(handed_in)) | reused
    scanned = set(
        s.scalars(
            select(Page.dossier_id)
            .distinct()
            .join(Scan, Page.scan_id == Scan.id)
            .join(DossierFile, Scan.file_id == DossierFile.id)
            .where(
                Page.dossier_id.in_(ids),
                Page.failed.is_(False),
                Page.blank.is_(False),
                DossierFile.purpose == "submission",
            )  # fmt: skip
        )
    )
    returned = set(s.scalars(select(Result.dossier_id).distinct().where(Result.dossier_id.in_(ids))))
    reuse_events = _counts(s, Reuse.dossier_id, Reuse.dossier_id.in_(ids))
    pages = _counts(s, Page.dossier_id, Page.dossier_id.in_(ids), Page.failed.is_(False))
    out: list[Fact] = []
    late: list[dict] = []
    for d in (d for d in s.execute(dq).all() if d.id in received):
        key = (d.agency_code, d.procedure or "")
        if d.archive:
            out.append(Fact(key, d.created_at, {"archive_dossiers": 1, "pages": pages.get(d.id, 0)}, d.created_by))
            continue
        overdue = d.due_date is not None and d.due_date < today and d.id not in returned
        out.append(Fact(key, d.created_at, {
            "received": 1,
            "digitized_at_reception": int((d.id in scanned or d.id in reused) and complete(d.checks)),
            "reused_dossiers": int(d.id in reused),
            "reuse_events": reuse_events.get(d.id, 0),
            "pages": pages.get(d.id, 0),
            "overdue": int(overdue),
        }, d.created_by))  # fmt: skip
        if overdue:
            late.append({"dossier_id": d.id, "code": d.code, "agency": d.agency_code, "procedure": d.procedure,
                         "citizen_id": masked_id(d.citizen_id), "received_at": d.created_at.isoformat(),
                         "due_date": d.due_date.isoformat(), "days_late": (today - d.due_date).days,
                         "new_due_date": d.new_due_date.isoformat() if d.new_due_date else None})  # fmt: skip
    return out, sorted(late, key=lambda x: (-x["days_late"], x["code"] or ""))


def complete(checks: dict | None) -> bool:
    """Every required component of the dossier's procedure satisfied, as its checklist last said; a dossier whose
    checklist was never drawn up (no procedure in the catalog) lacks nothing known."""
    return all(row.get("satisfied") or not row.get("required") for row in (checks or {}).get("checklist", []))


def _counts(s: Session, column, *where) -> dict:
    """Rows per value of `column` (a dossier id) among those matching `where`."""
    return dict(s.execute(select(column, func.count()).where(*where).group_by(column)).all())


def result_facts(s: Session, t0: datetime, t1: datetime, zone, agency: str | None, procedure: str | None) -> list[Fact]:
    """What each result issued in the period adds: issued, digitized (its scan accepted), synced (its paper
    approved into the citizen's vault), on time (issued no later than the receipt promised)."""
    rq = (
        select(Result.id, Result.dossier_id, Result.file_seq, Result.issued_at, Result.issued_by,
               Dossier.agency_code, Dossier.procedure, Dossier.due_date, Dossier.archive)
        .join(Dossier, Result.dossier_id == Dossier.id)
        .where(Result.issued_at >= t0, Result.issued_at < t1, Result.replaced_by.is_(None))
    )  # fmt: skip
    results = s.execute(of_agency_and_procedure(rq, agency, procedure)).all()
    dossiers = {r.dossier_id for r in results}
    scans = select(DossierFile.dossier_id, DossierFile.seq).where(
        DossierFile.dossier_id.in_(dossiers), DossierFile.purpose == "result", DossierFile.accepted.is_(True)
    )
    accepted = {(f.dossier_id, f.seq) for f in s.execute(scans)}
    approved = select(Document.dossier_id).where(
        Document.dossier_id.in_(dossiers), Document.is_result.is_(True), Document.state == DocState.APPROVED
    )
    synced = set(s.scalars(approved.distinct()))
    out: list[Fact] = []
    for res in results:
        key = (res.agency_code, res.procedure or "")
        if res.archive:
            out.append(Fact(key, res.issued_at, {"archive_results": 1}, res.issued_by))
            continue
        on_time = res.due_date is not None and res.issued_at.astimezone(zone).date() <= res.due_date
        out.append(Fact(key, res.issued_at, {
            "results_issued": 1,
            "results_digitized": int((res.dossier_id, res.file_seq) in accepted),
            "results_synced": int(res.dossier_id in synced),
            "results_with_due_date": int(res.due_date is not None),
            "results_on_time": int(on_time),
        }, res.issued_by))  # fmt: skip
    return out


def measures(r: dict, days: int) -> dict:
    """The counts of a row or a bucket with their shares; `r` may lack any count (it is then 0)."""
    r = defaultdict(int, r)
    received, issued = r["received"], r["results_issued"]
    return {
        "received": received,
        "digitized_at_reception": r["digitized_at_reception"],
        "share_digitized": _share(r["digitized_at_reception"], received),
        "results_issued": issued,
        "results_digitized": r["results_digitized"],
        "share_results_digitized": _share(r["results_digitized"], issued),
        "results_synced": r["results_synced"],
        "share_results_synced": _share(r["results_synced"], issued),
        "results_with_due_date": r["results_with_due_date"],
        "results_on_time": r["results_on_time"],
        "share_on_time": _share(r["results_on_time"], r["results_with_due_date"]),
        "overdue": r["overdue"],
        "reused_dossiers": r["reused_dossiers"],
        "reuse_events": r["reuse_events"],
        "reuse_rate": _share(r["reused_dossiers"], received),
        "archive_dossiers": r["archive_dossiers"],
        "archive_results": r["archive_results"],
        "pages": r["pages"],
        "pages_per_day": round(r["pages"] / days, 2),
    }


def bucket_kind(days: int) -> str:
    return "day" if days <= 62 else "week" if days <= 400 else "month"


def _natural_start(d: date, kind: str) -> date:
    if kind == "week":
        return d - timedelta(days=d.weekday())  # the Monday of its ISO week
    if kind == "month":
        return d.replace(day=1)
    return d


def bucket_of(d: date, start: date, kind: str) -> date:
    """The start of the bucket holding local date `d`, the first bucket cut to the period's start."""
    return max(_natural_start(d, kind), start)


def buckets(start: date, end: date, kind: str) -> list[tuple[date, date]]:
    """Every bucket of the period, as first and last local date (both inside the period)."""
    out = []
    cur = start
    while cur <= end:
        if kind == "week":
            nxt = _natural_start(cur, kind) + timedelta(days=7)
        elif kind == "month":
            nxt = date(cur.year + cur.month // 12, cur.month % 12 + 1, 1)
        else:
            nxt = cur + timedelta(days=1)
        out.append((cur, min(nxt - timedelta(days=1), end)))
        cur = nxt
    return out


def backlog(s: Session, agency: str | None, procedure: str | None) -> dict:
    q = (
        select(Document.created_at)
        .join(Dossier, Document.dossier_id == Dossier.id)
        .where(Document.state.in_(OPEN_STATES))
    )
    q = of_agency_and_procedure(q, agency, procedure)
    t = now()
    ages = [(t - c).total_seconds() / 3600 for c in s.scalars(q)]
    return {
        "documents": len(ages),
        "oldest_hours": round(max(ages), 1) if ages else None,
        "mean_age_hours": round(sum(ages) / len(ages), 1) if ages else None,
    }


def correction_rates(s: Session, t0: datetime, t1: datetime, agency: str | None, procedure: str | None) -> dict:
    """Share of the extracted fields of decided documents that a reviewer changed, overall and per type and field.

    A field counts as extracted when the document had a value for it before review; a correction is a change of
    value (several changes of one field count once).
    """
    q = (
        select(Document.id, Document.type, Document.fields)
        .join(Dossier, Document.dossier_id == Dossier.id)
        .where(Document.state.in_((DocState.APPROVED, DocState.REJECTED)))
        .where(Document.decided_at >= t0, Document.decided_at < t1)
    )
    q = of_agency_and_procedure(q, agency, procedure)
    docs = s.execute(q).all()
    changed: dict[int, dict[str, str | None]] = defaultdict(dict)  # document -> field -> first old value
    for doc_id, field, old in s.execute(
        select(Correction.document_id, Correction.field, Correction.old_value)
        .where(Correction.document_id.in_([d.id for d in docs] or [-1]))
        .order_by(Correction.id)
    ):
        changed[doc_id].setdefault(field, old)
    per: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for doc_id, doc_type, fields in docs:
        for key, f in (fields or {}).items():
            original = changed[doc_id].get(key, f.get("value"))
            if original is None:
                continue  # nothing was extracted for this field
            per[(doc_type, key)][0] += 1
            per[(doc_type, key)][1] += key in changed[doc_id]
    rows = [{"type": t, "field": k, "extracted": n, "corrected": c, "rate": _share(c, n)}
            for (t, k), (n, c) in sorted(per.items())]  # fmt: skip
    n = sum(r["extracted"] for r in rows)
    c = sum(r["corrected"] for r in rows)
    return {"extracted": n, "corrected": c, "rate": _share(c, n), "fields": rows}


OFFICER_COUNTS = ("received", "pages", "results_issued", "approved", "rejected", "corrected")


def officers(s: Session, t0: datetime, t1: datetime, agency: str | None, procedure: str | None,
             received: dict[str, dict]) -> list[dict]:  # fmt: skip
    """Each staff account's work in the period, with its full name: from `received` (the dossier and result facts
    added up by account) what it received, read and recorded, and from the documents what it decided and
    corrected."""
    per: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for by, counts in received.items():
        for k in ("received", "pages", "results_issued"):
            per[by][k] += counts.get(k, 0)
    decided = (
        select(Document.decided_by, Document.state, func.count())
        .join(Dossier, Document.dossier_id == Dossier.id)
        .where(Document.state.in_((DocState.APPROVED, DocState.REJECTED)), Document.decided_by.is_not(None))
        .where(Document.decided_at >= t0, Document.decided_at < t1)
        .group_by(Document.decided_by, Document.state)
    )
    for by, state, n in s.execute(of_agency_and_procedure(decided, agency, procedure)):
        per[by][str(state)] += n
    corrected = (
        select(Correction.by, func.count(Correction.document_id.distinct()))
        .join(Document, Correction.document_id == Document.id)
        .join(Dossier, Document.dossier_id == Dossier.id)
        .where(Document.state.in_((DocState.APPROVED, DocState.REJECTED)))
        .where(Document.decided_at >= t0, Document.decided_at < t1)
        .group_by(Correction.by)
    )
    for by, n in s.execute(of_agency_and_procedure(corrected, agency, procedure)):
        per[by]["corrected"] += n
    names = dict(s.execute(select(User.username, User.full_name).where(User.username.in_(list(per)))).all())
    rows = [{"username": by, "full_name": names.get(by), **{k: c[k] for k in OFFICER_COUNTS}} for by, c in per.items()]
    return sorted(rows, key=lambda r: (-r["received"], -(r["approved"] + r["rejected"]), r["username"]))


def rejections(s: Session, t0: datetime, t1: datetime, agency: str | None, procedure: str | None) -> dict:
    """Documents rejected in the period per type, of those decided, with how often each reason was given."""
    q = (
        select(Document.type, Document.state, Document.reject_reason)
        .join(Dossier, Document.dossier_id == Dossier.id)
        .where(Document.state.in_((DocState.APPROVED, DocState.REJECTED)))
        .where(Document.decided_at >= t0, Document.decided_at < t1)
    )
    decided: Counter[str] = Counter()
    reasons: dict[str, Counter[str | None]] = defaultdict(Counter)
    for doc_type, state, reason in s.execute(of_agency_and_procedure(q, agency, procedure)):
        decided[doc_type] += 1
        if state == DocState.REJECTED:
            reasons[doc_type][" ".join((reason or "").split()) or None] += 1

    def often(r: Counter[str | None]) -> list[dict]:
        return [{"reason": why, "count": n} for why, n in sorted(r.items(), key=lambda x: (-x[1], x[0] or ""))]

    types = [{"type": t, "decided": decided[t], "rejected": r.total(), "rate": _share(r.total(), decided[t]),
              "reasons": often(r)} for t, r in reasons.items()]  # fmt: skip
    types.sort(key=lambda x: (-x["rejected"], x["type"]))
    n, rejected = sum(decided.values()), sum(x["rejected"] for x in types)
    return {"decided": n, "rejected": rejected, "rate": _share(rejected, n), "types": types}
