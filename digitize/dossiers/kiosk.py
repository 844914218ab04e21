"""The rating screen of an officer's counter (the page /danh-gia, turned towards the citizen): which dossier it
offers to rate. The counter page publishes the dossier the officer has open, and the officer's "Mời đánh giá"
invites the rating at reception or hand-over; the screen polls. The server keeps it, one row per officer, so the
screen may be a tab of the same browser or a tablet logged in as the officer, and a reloaded screen finds it again.

The screen is told the dossier's code and procedure only: it faces the queue, and nothing of the citizen (their
name, ID number, address) may show there.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from digitize.core.context import Context
from digitize.core.errors import Conflict, DigitizeError
from digitize.dossiers.lookup import dossier_in_scope, procedure_of, result_recorded
from digitize.dossiers.ratings import MOMENTS, rating_brief
from digitize.people.auth import Principal
from storage.records import Dossier, Kiosk, Role, insert_ignore

# A dossier left open at a counter nobody touched for this long is no longer offered (the officer went home).
KIOSK_TTL = timedelta(hours=2)
NOTHING = {"dossier": None, "invited": False, "moment": None, "rated": False}


class Kiosks:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def publish(self, actor: Principal, dossier_id: str | None, invite: bool = False,
                moment: str | None = None) -> dict:  # fmt: skip
        """The dossier the officer has open (None: none), and with `invite` the invitation to rate it at `moment`
        (the hand-over once a result was recorded, else the reception, unless given). The same dossier published
        again keeps its invitation; another one drops it."""
        actor.require(Role.COUNTER)
        if moment is not None and moment not in MOMENTS:
            raise DigitizeError("bad_moment", f"moment must be one of {MOMENTS}", "Thời điểm đánh giá không hợp lệ.",
                                status=422)  # fmt: skip
        if invite and dossier_id is None:
            raise DigitizeError("nothing_to_rate", "invite to rate which dossier?", "Chưa mở hồ sơ để mời đánh giá.",
                                status=422)  # fmt: skip
        now = self.ctx.now()
        with self.ctx.session() as s:
            d = dossier_in_scope(s, dossier_id, actor) if dossier_id is not None else None
            if invite:
                refuse_invitation(s, d)
            insert_ignore(s, Kiosk, username=actor.subject, updated_at=now)  # two tabs at once: one row
            k = s.get(Kiosk, actor.subject)
            if invite:
                k.moment = moment or ("handover" if result_recorded(s, d.id) else "reception")
                k.invited_at = now
            elif k.dossier_id != dossier_id:
                k.moment = k.invited_at = None
            k.dossier_id, k.updated_at = dossier_id, now
            return self._view(s, k, actor)

    def current(self, actor: Principal) -> dict:
        """What the officer's rating screen shows now: the dossier (code and procedure), whether the officer invited
        the rating and for which moment, and whether it was rated already."""
        actor.require(Role.COUNTER)
        with self.ctx.session() as s:
            return self._view(s, s.get(Kiosk, actor.subject), actor)

    def _view(self, s: Session, k: Kiosk | None, actor: Principal) -> dict:
        fresh = k is not None and k.dossier_id is not None and self.ctx.now() - k.updated_at < KIOSK_TTL
        d = s.get(Dossier, k.dossier_id) if fresh else None
        if d is None or not actor.sees_agency(d.agency_code):
            return dict(NOTHING)
        proc = procedure_of(self.ctx.catalog, d)
        return {
            "dossier": {
                "id": d.id,
                "code": d.code,
                "procedure": d.procedure,
                "procedure_name": proc.name if proc else None,
            },
            "invited": k.invited_at is not None,
            "moment": k.moment,
            "rated": rating_brief(s, d.id) is not None,
        }


def refuse_invitation(s: Session, d: Dossier) -> None:
    """A dossier rated already, or from the archive, is not offered for rating: 409, the counter says why."""
    if rating_brief(s, d.id) is not None:
        raise Conflict("already_rated", "the dossier was rated already", "Hồ sơ này đã được đánh giá.")
    if d.archive:
        raise Conflict("archive_dossier", "a dossier from the archive is not rated",
                       "Hồ sơ lưu trữ không được đánh giá.")  # fmt: skip
