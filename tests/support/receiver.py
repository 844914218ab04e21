"""A local HTTP receiver of the outbox's JSON (an SMS gateway, the national portal), as docs/outbox.md asks of
one: it keeps each Idempotency-Key's first body. `script` says how the next requests go: "ok", "fail" (503),
"refuse" (400), "hang" (taken, answered after the sender stopped waiting). It can stop and start again on its port."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.net import free_port


class Receiver:
    def __init__(self, port: int | None = None, hang_seconds: float = 1.5):
        self.port = port or free_port()
        self.hang_seconds = hang_seconds
        self.script: list[str] = []
        self.calls: list[str] = []  # every request's key, repeats included
        self.kept: dict[str, dict] = {}  # key -> the first body with it
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/in"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers["Idempotency-Key"]
                receiver.calls.append(key)
                step = receiver.script.pop(0) if receiver.script else "ok"
                if step in ("fail", "refuse"):
                    self.send_response(503 if step == "fail" else 400)
                    self.end_headers()
                    return
                receiver.kept.setdefault(key, body)  # a repeat of a key it holds changes nothing
                if step == "hang":
                    time.sleep(receiver.hang_seconds)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
