"""The server's access log without what it must not keep: download links and citizens' ID numbers.

A download link is the permission itself for its few minutes, and an ID number is personal data; both stood in
the paths the log printed ("GET /api/download/eyJr…", "/api/citizens/001099000123/papers"). The log keeps the
route and the status, which is what an operator reads it for; who saw which citizen is on the audit trail.
"""

from __future__ import annotations

import logging
import re

from digitize.core.text import masked_id

_TOKEN = re.compile(r"(/api/download/)[^/?\s]+")
_ID_NUMBER = re.compile(r"(?<!\d)\d{12}(?!\d)")  # masked as masked_id says


def masked(path: str) -> str:
    """A request's path and query as the log may keep them."""
    return _ID_NUMBER.sub(lambda m: masked_id(m.group()) or "", _TOKEN.sub(r"\1…", path))


class MaskedPaths(logging.Filter):
    """Rewrites uvicorn's access records (client, method, path, HTTP version, status) in place."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], masked(args[2]), args[3], args[4])
        return True


def mask_access_log() -> None:
    """Install the filter on uvicorn's access logger, once."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, MaskedPaths) for f in logger.filters):
        logger.addFilter(MaskedPaths())
