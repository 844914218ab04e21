"""Which function reads a stored page: the pipeline (`scan.pipeline.process_scan`) unless the settings name another
as "module:function" (DIGITIZE_PAGE_READER). The service's own page workers and the Celery workers both ask here.

This is the seam through which tests of the service, the API and the pages run a fake engine where what they test
is not the reading (tests/support/fake_reader.py, as OCRmyPDF's tests do); tests of reading and accuracy never
name one, so they read with real Tesseract.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache

from digitize.scan.pipeline import ScanOutput, process_scan

# (path of the stored file, the page's reference from intake, OCR language) -> what was read
PageReader = Callable[[str, dict, str], ScanOutput]


@cache
def page_reader(name: str = "") -> PageReader:
    if not name:
        return process_scan
    module, _, function = name.partition(":")
    try:
        found = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"DIGITIZE_PAGE_READER {name!r} names no function (module:function)") from exc
    if not callable(found):
        raise ValueError(f"DIGITIZE_PAGE_READER {name!r} is not a function")
    return found
