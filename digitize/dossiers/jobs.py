"""Where the pipeline runs. The embedded default: a few threads take dossiers from a queue and fan their pages out
over the service's process pool; every run is a Job record with its state."""

from __future__ import annotations

import logging
import queue
import threading

from sqlalchemy import update

from digitize.dossiers.service import DossierService
from storage.records import Job, WorkState, now

log = logging.getLogger("digitize.dossiers.jobs")


def new_job(service: DossierService, dossier_id: str) -> str:
    """A Job record for one request to read a dossier's pending pages, pending until its run ends."""
    with service.ctx.session() as s:
        job = Job(dossier_id=dossier_id)
        s.add(job)
        s.flush()
        return job.id


INTERRUPTED = "interrupted: the service stopped before this run ended; its dossier was queued again at start"


def close_interrupted(service: DossierService) -> int:
    """Runs a stopped service left pending or running, marked failed: on one machine no other process runs them,
    and the dossiers they were reading are queued again (DossierService.unfinished). Returns how many."""
    with service.ctx.session() as s:
        stale = Job.state.in_((WorkState.PENDING, WorkState.RUNNING))
        done = s.execute(update(Job).where(stale).values(state=WorkState.FAILED, error=INTERRUPTED, finished_at=now()))
        return done.rowcount


class JobRunner:
    def __init__(self, service: DossierService, threads: int = 2):
        self.service = service
        close_interrupted(service)
        self.queue: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._queued: set[str] = set()
        self._guard = threading.Lock()
        self._threads = [threading.Thread(target=self._work, daemon=True, name=f"job-{i}") for i in range(threads)]
        for t in self._threads:
            t.start()

    def enqueue(self, dossier_id: str) -> str | None:
        """Queue the dossier's pending pages; None when a run for it is already waiting (it will take them)."""
        with self._guard:
            if dossier_id in self._queued:
                return None
            self._queued.add(dossier_id)
        job_id = new_job(self.service, dossier_id)
        self.queue.put((dossier_id, job_id))
        return job_id

    def _work(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            dossier_id, job_id = item
            with self._guard:
                self._queued.discard(dossier_id)
            self._set(job_id, WorkState.RUNNING)
            try:
                self.service.reading.process(dossier_id)
                self._set(job_id, WorkState.DONE)
            except Exception as exc:
                log.exception("job %s for dossier %s failed", job_id, dossier_id)
                self._set(job_id, WorkState.FAILED, f"{type(exc).__name__}: {exc}")
            finally:
                self.queue.task_done()

    def _set(self, job_id: str, state: str, error: str | None = None) -> None:
        with self.service.ctx.session() as s:
            job = s.get(Job, job_id)
            job.state, job.error = state, error
            if state == WorkState.RUNNING:
                job.started_at = now()
            else:
                job.finished_at = now()

    def join(self) -> None:
        self.queue.join()

    def stop(self) -> None:
        for _ in self._threads:
            self.queue.put(None)
        for t in self._threads:
            t.join(timeout=30)


class CeleryRunner:
    """The same interface on Celery workers: a Job record per request, the dossier's scans sent as tasks."""

    def __init__(self, service: DossierService):
        from digitize.dossiers.tasks import configure

        self.service = service
        configure(service.ctx.settings)

    def enqueue(self, dossier_id: str) -> str:
        from digitize.dossiers.tasks import dispatch

        job_id = new_job(self.service, dossier_id)  # done when a worker finishes the dossier (commit_read_scans)
        dispatch(self.service, dossier_id)
        return job_id

    def join(self) -> None:
        pass

    def stop(self) -> None:
        pass


def make_runner(service: DossierService) -> JobRunner | CeleryRunner:
    return CeleryRunner(service) if service.ctx.settings.redis_url else JobRunner(service, threads=2)
