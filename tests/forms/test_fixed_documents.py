"""Documents an officer made by hand (issue 13, item 7): extract_documents keeps them as set, reads them as their
type, and groups the other pages without them."""

from __future__ import annotations

import pytest

from forms.catalog import KHAC, default_catalog
from forms.dossier import PageWords, extract_documents

pytestmark = pytest.mark.reading  # no database


def test_an_officers_documents_stand_and_the_rest_is_grouped_without_their_pages():
    catalog = default_catalog()
    pages = [PageWords(i, blank=False, words=[]) for i in range(4)]
    assert [(d.type, d.pages) for d in extract_documents(pages, catalog)] == [(KHAC, [0, 1, 2, 3])]

    docs = extract_documents(pages, catalog, fixed=[("can_cuoc", [2, 1])])
    assert [(d.type, d.pages) for d in docs] == [(KHAC, [0, 3]), ("can_cuoc", [2, 1])]
    card = docs[1]
    assert set(card.fields) <= {f.key for f in catalog.document_types["can_cuoc"].fields}
