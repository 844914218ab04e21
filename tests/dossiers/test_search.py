"""Full-text search on the suite's database (SQLite's FTS5, PostgreSQL's GIN index in the second run): typed without
diacritics, within the caller's scope, kept in step with every change in the same transaction, rebuilt the same.

The records are written as the reading and the review write them (ORM objects in a session): the index follows
them by itself. Reading real pages and searching them over HTTP is tests/api/test_search.py.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from digitize.core.config import Settings
from digitize.core.errors import DigitizeError
from digitize.dossiers import search_index
from digitize.dossiers.search import CANDIDATES, DossierFilters, query_words, snippet
from digitize.dossiers.service import open_service
from digitize.people.auth import SYSTEM, Principal
from digitize.people.demo import AGENCIES
from storage.records import Agency, DocState, Document, Dossier, DossierFile, Original, Page, Reuse, Scan, SearchEntry

HERE, THERE = "000.00.31.H29", "000.00.32.H29"
COUNTER = Principal("staff", "quay1", "counter", HERE)
OTHER = Principal("staff", "quay2", "counter", THERE)
CITIZEN_ID = "001099000123"
CITIZEN = Principal("citizen", CITIZEN_ID, "citizen")
BIRTH = "1.001193"  # đăng ký khai sinh


@pytest.fixture
def svc(tmp_path):
    service = open_service(Settings(data_dir=tmp_path / "data", workers=1))
    with service.ctx.session() as s:  # the demo's agencies (their accounts are not needed here)
        s.add_all([Agency(code=code, name=name) for code, name in AGENCIES.items()])
    yield service
    service.close()


def add_dossier(svc, agency: str, code: str, citizen: str | None = CITIZEN_ID, **kw) -> str:
    with svc.ctx.session() as s:
        d = Dossier(code=code, agency_code=agency, citizen_id=citizen, procedure=kw.pop("procedure", BIRTH),
                    created_by=kw.pop("created_by", "quay1"), **kw)  # fmt: skip
        s.add(d)
        s.flush()
        return d.id


def add_pages(svc, dossier_id: str, *texts: str) -> list[int]:
    """Pages as the reading stores them: an original, its file, a scan per page, the page with its text."""
    with svc.ctx.session() as s:
        sha = f"{dossier_id:0<64}"[:64]
        if s.get(Original, sha) is None:
            s.add(Original(sha256=sha, size=1, kind="pdf", key=f"originals/{sha}"))
            s.flush()
        f = DossierFile(dossier_id=dossier_id, seq=1, name="scan.pdf", sha256=sha, kind="pdf")
        s.add(f)
        s.flush()
        ids = []
        for i, text in enumerate(texts):
            scan = Scan(dossier_id=dossier_id, file_id=f.id, number=i + 1, ref={}, state="done")
            s.add(scan)
            s.flush()
            p = Page(dossier_id=dossier_id, scan_id=scan.id, index=i, source=f"scan.pdf#{i + 1}", paper="A4", dpi=300,
                     text=text)  # fmt: skip
            s.add(p)
            s.flush()
            ids.append(p.id)
        return ids


def add_document(svc, dossier_id: str, pages: list[int], doc_type: str = "giay_chung_sinh", **fields: str) -> int:
    with svc.ctx.session() as s:
        x = Document(dossier_id=dossier_id, type=doc_type, pages=pages, owner_id=CITIZEN_ID,
                     fields={k: {"value": v, "confidence": 0.9} for k, v in fields.items()})  # fmt: skip
        s.add(x)
        s.flush()
        return x.id


def codes(result: dict) -> list[str]:
    return [h["dossier_code"] for h in result["hits"]]


LETTER = "Tôi tên là Nguyễn Văn Khoa, cư trú tại đường Đống Đa, phường Quang Trung, đề nghị đăng ký khai sinh cho con."


def test_words_typed_without_diacritics_find_the_page_and_its_paper(svc):
    d = add_dossier(svc, HERE, "H29-261207-0001")
    add_pages(svc, d, "UBND PHƯỜNG QUANG TRUNG", LETTER)
    add_document(svc, d, [1], child_name="Nguyễn Thị Mai")
    for typed in ("nguyen van khoa", "NGUYEN VAN KHOA", "Nguyễn Văn Khoa", "duong dong da", "dong da", "nguyen van kh"):
        found = svc.search.find(COUNTER, typed)
        assert found["total"] >= 1 and codes(found)[0] == "H29-261207-0001", typed
        hit = next(h for h in found["hits"] if h["kind"] == "page")
        assert hit["page_index"] == 1 and hit["document_type"] == "giay_chung_sinh"
        assert hit["document_name"] == "Giấy chứng sinh"
    # the snippet shows the page's own words, those found marked
    hit = svc.search.find(COUNTER, "duong dong")["hits"][0]
    assert [seg["text"] for seg in hit["snippet"] if seg["hit"]] == ["đường", "Đống"]
    assert "".join(seg["text"] for seg in hit["snippet"]) == LETTER  # the whole (short) page, as read
    # a field's value finds its document; every word must be there
    doc_hit = svc.search.find(COUNTER, "thi mai")["hits"]
    assert [h["kind"] for h in doc_hit] == ["document"] and "Mai" in "".join(x["text"] for x in doc_hit[0]["snippet"])
    assert svc.search.find(COUNTER, "nguyen van khoa mai")["total"] == 0
    # the dossier itself by its code (as typed or scanned from the receipt's QR) and by the citizen's number
    assert codes(svc.search.find(COUNTER, "H29-261207-0001")) == ["H29-261207-0001"]
    assert "H29-261207-0001" in codes(svc.search.find(COUNTER, CITIZEN_ID))


def test_another_agency_finds_nothing_but_the_papers_reused_there(svc):
    d = add_dossier(svc, HERE, "H29-261207-0002")
    pages = add_pages(svc, d, LETTER)
    assert pages
    doc = add_document(svc, d, [0], child_name="Nguyễn Thị Mai")
    assert svc.search.find(OTHER, "nguyen van khoa")["total"] == 0
    assert svc.search.find(OTHER, "H29-261207-0002")["total"] == 0

    theirs = add_dossier(svc, THERE, "H29-261207-0900", created_by="quay2")
    with svc.ctx.session() as s:
        s.add(Reuse(dossier_id=theirs, document_id=doc, by="quay2"))
    found = svc.search.find(OTHER, "nguyen van khoa")
    assert found["total"] == 1
    hit = found["hits"][0]
    assert hit["dossier_code"] == "H29-261207-0900" and hit["reused"] and hit["document_id"] == doc
    assert svc.search.find(OTHER, "H29-261207-0002")["total"] == 0  # the other agency's dossier is not theirs


def test_the_index_follows_every_change_in_the_same_transaction(svc):
    d = add_dossier(svc, HERE, "H29-261207-0003")
    (page,) = add_pages(svc, d, "Giấy xác nhận cư trú tại thôn Phú Lâm")
    doc = add_document(svc, d, [0], child_name="Trần Văn Bình")
    assert svc.search.find(COUNTER, "phu lam")["total"] == 1

    with svc.ctx.session() as s:  # read again: the old words go, the new ones come
        s.get(Page, page).text = "Giấy xác nhận cư trú tại thôn Hòa Bình"
    assert svc.search.find(COUNTER, "phu lam")["total"] == 0
    assert svc.search.find(COUNTER, "thon hoa binh")["total"] == 1

    with svc.ctx.session() as s:  # a reviewer's correction
        x = s.get(Document, doc)
        x.fields = {**x.fields, "child_name": {"value": "Trần Văn Bảo", "corrected": True}}
    assert svc.search.find(COUNTER, "tran van bao")["total"] == 1
    assert svc.search.find(COUNTER, "tran van binh")["total"] == 0

    with pytest.raises(RuntimeError), svc.ctx.session() as s:  # a change rolled back leaves the index as it was
        s.get(Page, page).text = "Chữ viết sai"
        s.flush()
        raise RuntimeError("the transaction fails after the flush")
    assert svc.search.find(COUNTER, "chu viet sai")["total"] == 0 and svc.search.find(COUNTER, "hoa binh")["total"]

    with svc.ctx.session() as s:  # regrouped: the page's hit names its new document
        s.delete(s.get(Document, doc))
    assert svc.search.find(COUNTER, "hoa binh")["hits"][0]["document_id"] is None
    other = add_document(svc, d, [0], doc_type="khac")
    assert svc.search.find(COUNTER, "hoa binh")["hits"][0]["document_id"] == other

    with svc.ctx.session() as s:  # left out at the counter: nothing finds it
        s.get(Page, page).excluded = True
    assert svc.search.find(COUNTER, "hoa binh")["total"] == 0


def test_rebuild_gives_the_same_index_and_an_empty_one_is_filled_at_start(svc, tmp_path):
    d = add_dossier(svc, HERE, "H29-261207-0004")
    add_pages(svc, d, LETTER, "Trang hai: bản sao giấy chứng sinh")
    add_document(svc, d, [0, 1], child_name="Lê Thu Hà")
    before = {q: svc.search.find(COUNTER, q)["total"] for q in ("nguyen", "ban sao", "le thu ha", "H29-261207-0004")}
    assert all(before.values())
    with svc.ctx.session() as s:
        n = s.scalar(select(func.count()).select_from(SearchEntry))
    assert search_index.rebuild(svc.ctx) == n == 4  # the dossier, its document, its two pages
    assert {q: svc.search.find(COUNTER, q)["total"] for q in before} == before

    with svc.ctx.session() as s:  # a database from before the index
        s.execute(SearchEntry.__table__.delete())
        if s.get_bind().dialect.name == "sqlite":
            s.execute(search_index.fulltext.text("DELETE FROM search_fts"))
    assert svc.search.find(COUNTER, "nguyen")["total"] == 0
    again = open_service(svc.ctx.settings)
    try:
        assert again.search.find(COUNTER, "nguyen")["total"] == before["nguyen"]
    finally:
        again.close()


def test_a_citizen_finds_their_own_dossiers_and_approved_papers_only(svc):
    mine = add_dossier(svc, HERE, "H29-261207-0005")
    pages = add_pages(svc, mine, LETTER)
    assert pages
    doc = add_document(svc, mine, [0], child_name="Nguyễn Thị Mai")
    someone = add_dossier(svc, HERE, "H29-261207-0006", citizen="001099000999")
    add_pages(svc, someone, LETTER)
    assert codes(svc.search.find(CITIZEN, "H29-261207")) == ["H29-261207-0005"]
    assert svc.search.find(CITIZEN, "nguyen van khoa")["total"] == 0  # not approved yet: not theirs to see
    with svc.ctx.session() as s:
        s.get(Document, doc).state = DocState.APPROVED
    found = svc.search.find(CITIZEN, "nguyen van khoa")
    assert codes(found) == ["H29-261207-0005"] and found["hits"][0]["document_id"] == doc


def test_filters_narrow_the_hits_and_the_dossier_list(svc):
    today = svc.ctx.today()
    late = add_dossier(svc, HERE, "H29-261201-0001", due_date=today - timedelta(days=2))
    fresh = add_dossier(svc, HERE, "H29-261207-0007", due_date=today + timedelta(days=3), created_by="quay9",
                        procedure="1.000656")  # fmt: skip
    for d in (late, fresh):
        add_pages(svc, d, LETTER)
    with svc.ctx.session() as s:  # received a week ago, at 06:30 in Hà Nội: the day before in UTC
        s.get(Dossier, late).created_at = datetime(2026, 11, 30, 23, 30, tzinfo=svc.ctx.zone) - timedelta(hours=0)
    find = lambda **kw: codes(svc.search.find(COUNTER, "khoa", DossierFilters(**kw)))  # noqa: E731
    assert sorted(find()) == ["H29-261201-0001", "H29-261207-0007"]
    assert find(overdue=True) == ["H29-261201-0001"]
    assert find(officer="quay9") == ["H29-261207-0007"]
    assert find(procedure=BIRTH) == ["H29-261201-0001"]
    assert find(received_from=date(2026, 11, 30), received_to=date(2026, 11, 30)) == ["H29-261201-0001"]
    assert find(stage="returned") == []
    listed = svc.queries.dossiers(COUNTER, DossierFilters(overdue=True))
    assert [x["code"] for x in listed] == ["H29-261201-0001"]
    with pytest.raises(DigitizeError) as bad:
        DossierFilters(stage="lost")
    assert bad.value.status == 422
    with pytest.raises(DigitizeError):
        svc.search.find(COUNTER, " -- ")


def test_pages_of_hits_and_a_word_too_common_to_rank_everything(svc, monkeypatch):
    d = add_dossier(svc, HERE, "H29-261207-0008")
    add_pages(svc, d, *[f"Trang {i}: Nguyễn Văn Khoa" for i in range(7)])
    first, second = (svc.search.find(COUNTER, "khoa", page=n, per_page=5) for n in (1, 2))
    assert first["total"] == second["total"] == 7 and not first["more"]
    assert len(first["hits"]) == 5 and len(second["hits"]) == 2
    assert {h["page_index"] for h in first["hits"] + second["hits"]} == set(range(7))
    monkeypatch.setattr("digitize.dossiers.search.CANDIDATES", 3)
    capped = svc.search.find(COUNTER, "khoa")
    assert capped["total"] == 3 and capped["more"] and CANDIDATES > 3


@pytest.mark.reading
def test_snippet_marks_the_words_in_the_original_text():
    body = "Họ và tên: NGUYỄN VĂN KHOA; nơi cư trú: số 12 đường Đống Đa"
    segs = snippet(body, ["nguyen", "dong"])
    assert "".join(x["text"] for x in segs) == body
    assert [x["text"] for x in segs if x["hit"]] == ["NGUYỄN", "Đống"]
    long = "mở đầu " * 60 + "Đống Đa" + " kết thúc" * 60
    segs = snippet(long, ["dong"], width=60)
    text = "".join(x["text"] for x in segs)
    assert text.startswith("…") and text.endswith("…") and "Đống" in text and len(text) <= 62
    assert snippet("không có gì", ["xyz"]) == [{"text": "không có gì", "hit": False}]


def test_the_system_sees_everything_and_the_counter_list_still_works(svc):
    add_dossier(svc, THERE, "H29-261207-0010", created_by="quay2")
    assert codes(svc.search.find(SYSTEM, "H29-261207-0010")) == ["H29-261207-0010"]
    assert [x["code"] for x in svc.queries.dossiers(OTHER)] == ["H29-261207-0010"]
    assert svc.queries.dossiers(COUNTER) == []
    assert CANDIDATES >= 1000


def test_the_reindex_command_writes_every_entry_again(svc, monkeypatch, capsys):
    from digitize.cli.main import main
    from digitize.core.config import get_settings

    d = add_dossier(svc, HERE, "H29-261207-0011")
    add_pages(svc, d, LETTER)
    with svc.ctx.session() as s:  # an index gone wrong: a word no page holds
        s.execute(SearchEntry.__table__.update().values(body="sai"))
    monkeypatch.setenv("DIGITIZE_DATA_DIR", str(svc.ctx.settings.data_dir))
    get_settings.cache_clear()
    try:
        assert main(["reindex"]) == 0
    finally:
        get_settings.cache_clear()
    assert "2 entries" in capsys.readouterr().out
    with svc.ctx.session() as s:
        assert "sai" not in set(s.scalars(select(SearchEntry.body)))


@pytest.mark.reading
def test_a_last_letter_alone_waits_for_the_next():
    assert query_words("Nguyễn Văn K") == ["nguyen", "van"]
    assert query_words("nguyen van kh") == ["nguyen", "van", "kh"]
    assert query_words("đ") == ["d"]
