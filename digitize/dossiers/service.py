"""The dossier service: the parts that work on dossiers, over one context, as the app, the CLI and the workers
build them. Each part has one job:

- `reception` (reception.Reception): the counter opens dossiers, hands in files (originals first), arranges pages,
  assigns components, records the issued result;
- `reading` (reading.Reading): pending pages through the pipeline, pages numbered, the dossier finished;
- `grouping` (grouping.Grouping): split, merge and change of type by hand, kept by the reading;
- `queries` (queries.Queries): the JSON of docs/scan-json.md, statuses, pages, files, lists;
- `handling` (handling.Handling): who handed a dossier in, what was received, supplement or refusal, a new date;
- `slips` (slips.Slips): the one-stop counter's forms of a dossier (docs/forms.md);
- `search` (search.Search): full-text search in the caller's scope (the index: search_index.py);
- `ratings` (ratings.Ratings): the citizen's rating of a dossier at the counter, the complaints and their answers;
- `kiosks` (kiosk.Kiosks): which dossier an officer's rating screen offers, and the invitation to rate it;
- `certifier` (signing.certify.Certifier): certified e-copies;
- `copy_check` (signing.copycheck.CopyCheck): whether a copy someone holds (its file, or its QR text) is ours and
  valid, for anyone;
- `public_status` (public_status.PublicStatus): a dossier's state and date for whoever holds its receipt.

Constructing the service touches no schema: `open_service` (the start-up of every process) brings the database
to the newest revision first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from digitize.core.config import Settings
from digitize.core.context import Context, open_context
from digitize.dossiers import search_index
from digitize.dossiers.grouping import Grouping
from digitize.dossiers.handling import Handling
from digitize.dossiers.keys import page_key
from digitize.dossiers.kiosk import Kiosks
from digitize.dossiers.public_status import PublicStatus
from digitize.dossiers.queries import Queries
from digitize.dossiers.ratings import Ratings
from digitize.dossiers.reading import Reading
from digitize.dossiers.reception import Reception
from digitize.dossiers.search import Search
from digitize.dossiers.slips import Slips
from digitize.scan.intake import Limits
from digitize.scan.pagepool import PagePool
from digitize.scan.readers import page_reader
from digitize.signing.certify import Certifier
from digitize.signing.copycheck import CopyCheck
from storage.objects import ObjectStore
from storage.records import now


class DossierService:
    def __init__(self, ctx: Context, pool: PagePool | None = None):
        settings = ctx.settings
        self.ctx = ctx
        self.pool = pool or PagePool(settings.workers, reader=page_reader(settings.page_reader))
        self._own_pool = pool is None
        self.reception = Reception(ctx, Limits(settings.max_pages, settings.max_page_pixels, settings.default_dpi))
        self.reading = Reading(ctx, self.pool)
        self.grouping = Grouping(ctx, self.reading)
        self.queries = Queries(ctx)
        self.handling = Handling(ctx)
        self.slips = Slips(ctx)
        self.search = Search(ctx)
        self.ratings = Ratings(ctx)
        self.kiosks = Kiosks(ctx)
        self.certifier = Certifier(ctx, lambda d, i: page_key(d, i, "page.pdf"))
        self.copy_check = CopyCheck(ctx, self.certifier.ca_certificate)
        self.public_status = PublicStatus(ctx)

    def close(self) -> None:
        if self._own_pool:
            self.pool.close()


def open_service(
    settings: Settings,
    store: ObjectStore | None = None,
    pool: PagePool | None = None,
    clock: Callable[[], datetime] = now,
) -> DossierService:
    """The service of these settings, its database migrated to the newest schema first (a start-up step)."""
    ctx = open_context(settings, store, clock)
    ctx.migrate()
    search_index.keep_in_step(ctx)
    search_index.fill_if_empty(ctx)
    return DossierService(ctx, pool)
