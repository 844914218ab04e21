"""The seam through which a page is read (scan/readers.py): the pipeline by default, a named function otherwise,
and the named one is what the service's own page workers run, in their processes."""

from __future__ import annotations

import pytest

from digitize.core.config import Settings
from digitize.devtools import synth
from digitize.dossiers.service import open_service
from digitize.people.auth import SYSTEM
from digitize.scan.pipeline import process_scan
from digitize.scan.readers import page_reader
from tests.support.fake_reader import NAME, read_scan


def test_the_pipeline_unless_another_reader_is_named():
    assert page_reader("") is process_scan
    assert page_reader(NAME) is read_scan
    for wrong in ("tests.support.fake_reader:nothing", "no.such.module:read", "tests.support.fake_reader:NAME"):
        with pytest.raises(ValueError, match="DIGITIZE_PAGE_READER"):
            page_reader(wrong)


def test_the_service_s_page_workers_read_with_the_named_reader(tmp_path):
    """The fake engine reads no words: a page stored with no text shows it ran, in the pool's processes."""
    svc = open_service(Settings(data_dir=tmp_path / "data", workers=1, page_reader=NAME))
    try:
        d = svc.reception.create_dossier(None, SYSTEM)
        page = synth.render_page(seed=5, paragraphs=2).image
        assert svc.reception.add_file(d, "a.png", synth.encode(page), SYSTEM).error is None
        svc.reading.process(d)
        st = svc.queries.status(d, SYSTEM)
        assert st["status"] == "done" and len(st["pages"]) == 1
        assert st["pages"][0]["text"] == "" and st["pages"][0]["confidence"] == 0.0
        assert svc.queries.searchable_pdf(d, SYSTEM).startswith(b"%PDF")
    finally:
        svc.close()
