"""The satisfaction figures of a period: the citizens' ratings given at the counter, in total and per procedure,
officer, moment and bucket of the series. Defined with the other figures at the top of figures.py, which calls
this with the period's buckets (so both split time alike)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digitize.dossiers.lookup import of_agency_and_procedure
from digitize.dossiers.ratings import ASPECTS, SATISFIED, SCORES
from storage.records import Dossier, Rating, User


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def summary(ratings: Iterable[Rating]) -> dict:
    """Count, mean score, satisfied (score ≥ 4) and their share, complaints, and each aspect's mean over the
    ratings that gave it."""
    rs = list(ratings)
    satisfied = sum(r.score >= SATISFIED for r in rs)
    out = {"ratings": len(rs), "mean_score": _mean([r.score for r in rs]), "satisfied": satisfied,
           "share_satisfied": _share(satisfied, len(rs)), "complaints": sum(r.complaint for r in rs)}  # fmt: skip
    for a in ASPECTS:
        out[f"mean_{a}"] = _mean([v for r in rs if (v := getattr(r, f"aspect_{a}")) is not None])
    return out


def compute(s: Session, t0: datetime, t1: datetime, agency: str | None, procedure: str | None,
            spans: list[tuple[date, date]], bucket: Callable[[datetime], date], kind: str) -> dict:  # fmt: skip
    """The ratings given from `t0` to `t1` (UTC), grouped; `spans` are the series' buckets and `bucket` the one
    holding a moment."""
    q = select(Rating, Dossier.agency_code, Dossier.procedure).join(Dossier, Rating.dossier_id == Dossier.id)
    rows = s.execute(of_agency_and_procedure(q.where(Rating.at >= t0, Rating.at < t1), agency, procedure)).all()
    by_procedure: dict[tuple[str, str], list[Rating]] = defaultdict(list)
    by_officer: dict[str, list[Rating]] = defaultdict(list)
    by_bucket: dict[date, list[Rating]] = {b: [] for b, _ in spans}
    by_moment: dict[str, list[Rating]] = defaultdict(list)
    for r, agency_code, proc in rows:
        by_procedure[(agency_code, proc or "")].append(r)
        by_officer[r.recorded_by].append(r)
        by_bucket[bucket(r.at)].append(r)
        by_moment[r.moment].append(r)
    ratings = [r for r, *_ in rows]
    points = [{"start": b.isoformat(), "end": e.isoformat(), "days": (e - b).days + 1, **summary(by_bucket[b])}
              for b, e in spans]  # fmt: skip
    return {
        **summary(ratings),
        "scores": {str(n): sum(r.score == n for r in ratings) for n in SCORES},
        "aspect_ratings": {a: sum(getattr(r, f"aspect_{a}") is not None for r in ratings) for a in ASPECTS},
        "open_complaints": open_complaints(s, agency, procedure),
        "moments": {m: summary(rs) for m, rs in sorted(by_moment.items())},
        "procedures": [
            {"agency": a, "procedure": p or None, **summary(rs)} for (a, p), rs in sorted(by_procedure.items())
        ],
        "officers": officers(s, by_officer),
        "series": {"bucket": kind, "points": points},
    }


def officers(s: Session, by_officer: dict[str, list[Rating]]) -> list[dict]:
    """Each officer's ratings (given at their counter), with their full name, the most rated first."""
    names = dict(s.execute(select(User.username, User.full_name).where(User.username.in_(list(by_officer)))).all())
    rows = [{"username": u, "full_name": names.get(u), **summary(rs)} for u, rs in by_officer.items()]
    return sorted(rows, key=lambda r: (-r["ratings"], r["username"]))


def open_complaints(s: Session, agency: str | None, procedure: str | None) -> int:
    """Complaints of the agency (and procedure) not answered yet: now, whatever the period, like the review
    backlog."""
    q = select(func.count()).select_from(Rating).join(Dossier, Rating.dossier_id == Dossier.id)
    q = q.where(Rating.complaint.is_(True), Rating.answered_at.is_(None))
    return s.scalar(of_agency_and_procedure(q, agency, procedure)) or 0
