"""What the commands share: how they report a refusal, and the service they work with."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from digitize.core.config import Settings, get_settings
from digitize.core.errors import DigitizeError

if TYPE_CHECKING:
    from digitize.dossiers.service import DossierService


def fail(message: str, code: int = 2) -> int:
    """A refusal on stderr, as every command words it; returns the exit code (2: bad arguments or input)."""
    print(f"digitize: {message}", file=sys.stderr)
    return code


def refused(exc: DigitizeError) -> int:
    return fail(f"{exc.code}: {exc.reason}")


def settings_with_workers(workers: int) -> Settings:
    """The settings, with `workers` page workers when given: a copy, since the cached settings are everyone's in
    this process."""
    settings = get_settings()
    return settings.model_copy(update={"workers": workers}) if workers else settings


def service(settings: Settings, **kw: object) -> DossierService:
    """The service, its database migrated: imported here, so that `digitize --help` does not load it."""
    from digitize.dossiers.service import open_service

    return open_service(settings, **kw)
