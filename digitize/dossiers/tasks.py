"""Celery tasks on Redis, for the scale-out: the API stores originals and enqueues; `digitize worker` processes
take the scans of a dossier one task each, across machines; each, once its scan is read, numbers into the dossier
every page that upload order allows, and the last one finishes the dossier.

Delivery is at least once: a task runs again after its worker died (late acknowledgement, requeued on worker
loss, or after `task_visibility_seconds` if the whole machine vanished). Every step is idempotent: a scan already
read is skipped, its output is an object written whole under a fixed key, and numbering pages happens once under
the dossier's lock.
"""

from __future__ import annotations

import logging
import os
import socket

from celery import Celery
from celery.signals import worker_process_init

from digitize.core.config import Settings, get_settings
from digitize.dossiers.service import DossierService, open_service
from digitize.scan.pagepool import CRASHED, CRASHED_REASON
from digitize.scan.pipeline import ScanOutput, worker_init
from digitize.scan.readers import page_reader

log = logging.getLogger("digitize.dossiers.tasks")
QUEUE = "digitize"
MAX_ATTEMPTS = 3  # deliveries of one scan before it counts as one that kills its worker

app = Celery("digitize")
_service: DossierService | None = None


def configure(settings: Settings) -> Celery:
    app.conf.update(
        broker_url=settings.redis_url,
        task_default_queue=QUEUE,
        task_ignore_result=True,
        task_acks_late=True,  # acknowledged after the work, so a worker killed mid-page loses nothing
        task_reject_on_worker_lost=True,  # ...and its task goes back to the queue at once
        worker_prefetch_multiplier=1,  # a page is seconds of work: no worker hoards tasks others could take
        broker_transport_options={"visibility_timeout": settings.task_visibility_seconds},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return app


def service() -> DossierService:
    """One service per worker process, made after the fork (database connections do not survive a fork)."""
    global _service
    if _service is None:
        _service = open_service(get_settings())
    return _service


@worker_process_init.connect
def _child_started(**_: object) -> None:
    worker_init()


@app.task(name="digitize.read_scan")
def read_scan(scan_id: int) -> str:
    svc = service()
    claim = svc.reading.claim_scan(scan_id, f"{socket.gethostname()}:{os.getpid()}")
    if claim is None:
        return "already read"
    dossier_id, ref, sha, attempts = claim
    if attempts > MAX_ATTEMPTS:
        # Its earlier deliveries each ended with their worker gone (a task that fails in Python still returns an
        # output): the page kills whoever reads it. Marked failed, so it cannot take worker after worker down.
        out = ScanOutput(error=CRASHED, reason=CRASHED_REASON)
    else:
        with svc.reading.original_file(sha) as path:
            out = page_reader(svc.ctx.settings.page_reader)(path, ref, svc.ctx.settings.ocr_lang)
    svc.reading.stage_scan(scan_id, dossier_id, out)
    svc.reading.commit_read_scans(dossier_id)  # its pages (and any waiting behind it) go into the dossier now
    return "read"


@app.task(name="digitize.finish_dossier")
def finish_dossier(dossier_id: str) -> str:
    return "finished" if service().reading.commit_read_scans(dossier_id) else "waiting"


def dispatch(svc: DossierService, dossier_id: str) -> int:
    """Send the dossier's pending scans to the workers (or, with none, its finishing); returns tasks sent."""
    scans = svc.reading.pending_scans(dossier_id)
    for scan_id in scans:
        read_scan.delay(scan_id)
    if not scans:
        finish_dossier.delay(dossier_id)
    return max(1, len(scans))


def run_worker(settings: Settings, concurrency: int, loglevel: str = "INFO") -> None:
    configure(settings)
    name = f"digitize-{os.getpid()}@%h"
    app.worker_main(["worker", "-Q", QUEUE, f"--concurrency={concurrency}", f"--loglevel={loglevel}",
                     "--pool=prefork", "--without-gossip", "--without-mingle", "-n", name])  # fmt: skip
