"""The sender: claims what is due, delivers each message on its channel, settles it. `run_once` is one pass (the
tests call it); `start` runs passes every `outbox_seconds` on a thread of the serving process, never in a request,
so a slow mail server or gateway never holds up the counter. Every API process runs one: claims are leased, so two
never deliver the same message at once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

from digitize.core.context import Context
from digitize.outbox import queue
from digitize.outbox.channels import Channel, Undelivered, configured

log = logging.getLogger("digitize.outbox")


class Sender:
    def __init__(self, ctx: Context, channels: Mapping[str, Channel] | None = None):
        self.ctx = ctx
        self.channels = dict(configured(ctx.settings, ctx.store) if channels is None else channels)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, limit: int = 20) -> dict[str, int]:
        """One pass over what is due; how many were sent, retried later, or given up."""
        done = {queue.SENT: 0, queue.PENDING: 0, queue.DEAD: 0}
        if not self.channels:
            return done
        for m in queue.claim(self.ctx, set(self.channels), limit):
            try:
                self.channels[m.channel](m)
            except Undelivered as exc:
                state = queue.settle(self.ctx, m, str(exc), exc.permanent)
                log.warning("outbox %s %s (attempt %d): %s -> %s", m.channel, m.key, m.attempts, exc, state)
            except Exception as exc:  # a channel's bug must not stop the sender: the message is retried
                state = queue.settle(self.ctx, m, f"{type(exc).__name__}: {exc}")
                log.exception("outbox %s %s failed unexpectedly", m.channel, m.key)
            else:
                state = queue.settle(self.ctx, m, None)
            done[state] += 1
        return done

    def start(self) -> None:
        if self.channels and self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="outbox-sender", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.ctx.settings.send_timeout + 5)

    def _loop(self) -> None:
        while not self._stop.wait(self.ctx.settings.outbox_seconds):
            try:
                while sum(self.run_once().values()):  # a backlog is drained pass after pass
                    if self._stop.is_set():
                        return
            except Exception:  # the database away for a moment: the next pass tries again
                log.exception("outbox pass failed")
