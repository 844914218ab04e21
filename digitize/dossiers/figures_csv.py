"""The leaders' figures as CSV files a spreadsheet opens right (core/spreadsheet: BOM, quoting, no formulas): one
table per file, Vietnamese headers and names. Dates are written YYYY-MM-DD and times YYYY-MM-DD HH:MM in Vietnam:
Excel reads those as dates whatever the PC's regional settings, where 05/11/2026 is 11 May on a PC set to the
United States.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from digitize.core.errors import DigitizeError
from digitize.core.spreadsheet import excel_csv

Row = dict[str, object]


@dataclass(frozen=True)
class Table:
    file: str  # the file's name, without marks (a browser or a mail server may mangle them)
    columns: tuple[tuple[str, str], ...]  # (Vietnamese header, key of the row)
    rows: Callable[[dict, ZoneInfo], list[Row]]  # the figures as rows, names looked up


MEASURES = (
    ("Hồ sơ tiếp nhận", "received"),
    ("Số hóa khi tiếp nhận", "digitized_at_reception"),
    ("Tỷ lệ số hóa khi tiếp nhận", "share_digitized"),
    ("Kết quả đã trả", "results_issued"),
    ("Kết quả được số hóa", "results_digitized"),
    ("Tỷ lệ kết quả được số hóa", "share_results_digitized"),
    ("Kết quả đồng bộ kho", "results_synced"),
    ("Tỷ lệ kết quả đồng bộ kho", "share_results_synced"),
    ("Kết quả có ngày hẹn", "results_with_due_date"),
    ("Trả đúng hạn", "results_on_time"),
    ("Tỷ lệ trả đúng hạn", "share_on_time"),
    ("Quá hạn chưa trả", "overdue"),
    ("Hồ sơ tái sử dụng", "reused_dossiers"),
    ("Lượt tái sử dụng", "reuse_events"),
    ("Tỷ lệ tái sử dụng", "reuse_rate"),
    ("Hồ sơ lưu trữ", "archive_dossiers"),
    ("Kết quả lưu trữ", "archive_results"),
    ("Trang", "pages"),
    ("Trang/ngày", "pages_per_day"),
)
SATISFACTION = (
    ("Lượt đánh giá", "ratings"),
    ("Điểm trung bình", "mean_score"),
    ("Hài lòng và rất hài lòng", "satisfied"),
    ("Tỷ lệ hài lòng", "share_satisfied"),
    ("Phản ánh, kiến nghị", "complaints"),
    ("Hướng dẫn", "mean_guidance"),
    ("Thái độ của công chức", "mean_attitude"),
    ("Thời gian giải quyết", "mean_time"),
    ("Kết quả", "mean_result"),
)
BUCKETS_VI = {"day": "Ngày", "week": "Tuần", "month": "Tháng"}


def _procedure(f: dict, code: str | None) -> str:
    return f["names"]["procedures"].get(code, code or "Chưa chọn thủ tục") if code else "Chưa chọn thủ tục"


def _type(f: dict, code: str) -> str:
    return f["names"]["document_types"].get(code, code)


def procedure_rows(f: dict, zone: ZoneInfo) -> list[Row]:
    total = {**f["total"], "agency": f["total"]["agency"] or "Tất cả", "procedure_name": "Tổng cộng", "procedure": ""}
    return [*({**r, "procedure_name": _procedure(f, r["procedure"])} for r in f["rows"]), total]


def series_rows(f: dict, zone: ZoneInfo) -> list[Row]:
    return [{**p, "bucket": BUCKETS_VI[f["series"]["bucket"]]} for p in f["series"]["points"]]


def correction_rows(f: dict, zone: ZoneInfo) -> list[Row]:
    names = f["names"]
    return [{**r, "type_name": _type(f, r["type"]), "person": names["people"].get(r["type"], {}).get(r["field"], ""),
             "field_name": names["fields"].get(r["type"], {}).get(r["field"], r["field"])}
            for r in f["correction_rate"]["fields"]]  # fmt: skip


def officer_rows(f: dict, zone: ZoneInfo) -> list[Row]:
    return [{**r, "full_name": r["full_name"] or ""} for r in f["officers"]]


def rejection_rows(f: dict, zone: ZoneInfo) -> list[Row]:
    return [{"type_name": _type(f, t["type"]), "reason": why["reason"] or "Không ghi lý do", "count": why["count"],
             "rejected": t["rejected"], "decided": t["decided"], "rate": t["rate"]}
            for t in f["rejections"]["types"] for why in t["reasons"]]  # fmt: skip


def overdue_rows(f: dict, zone: ZoneInfo) -> list[Row]:
    def local(at: str) -> str:
        return datetime.fromisoformat(at).astimezone(zone).strftime("%Y-%m-%d %H:%M")

    return [{**r, "procedure_name": _procedure(f, r["procedure"]), "received_local": local(r["received_at"])}
            for r in f["overdue"]]  # fmt: skip


def satisfaction_rows(f: dict, zone: ZoneInfo) -> list[Row]:
    sat = f["satisfaction"]
    total = {**sat, "agency": f["agency"] or "Tất cả", "procedure": "", "procedure_name": "Tổng cộng"}
    return [*({**r, "procedure_name": _procedure(f, r["procedure"])} for r in sat["procedures"]), total]


def satisfaction_officer_rows(f: dict, zone: ZoneInfo) -> list[Row]:
    return [{**r, "full_name": r["full_name"] or ""} for r in f["satisfaction"]["officers"]]


def satisfaction_series_rows(f: dict, zone: ZoneInfo) -> list[Row]:
    series = f["satisfaction"]["series"]
    return [{**p, "bucket": BUCKETS_VI[series["bucket"]]} for p in series["points"]]


TABLES = {
    "procedures": Table("so-lieu-theo-thu-tuc", (("Cơ quan", "agency"), ("Mã thủ tục", "procedure"),
                                                 ("Thủ tục", "procedure_name"), *MEASURES), procedure_rows),
    "series": Table("so-lieu-theo-ky", (("Kỳ", "bucket"), ("Từ ngày", "start"), ("Đến ngày", "end"),
                                        ("Số ngày", "days"), *MEASURES), series_rows),
    "corrections": Table("ty-le-sua-du-lieu", (("Loại giấy tờ", "type_name"), ("Người", "person"),
                                               ("Trường dữ liệu", "field_name"), ("Trường đã đọc", "extracted"),
                                               ("Trường bị sửa", "corrected"), ("Tỷ lệ sửa", "rate")),
                         correction_rows),
    "officers": Table("so-lieu-theo-can-bo", (("Tài khoản", "username"), ("Họ và tên", "full_name"),
                                              ("Hồ sơ tiếp nhận", "received"), ("Trang", "pages"),
                                              ("Kết quả đã trả", "results_issued"), ("Tài liệu đã duyệt", "approved"),
                                              ("Tài liệu từ chối", "rejected"),
                                              ("Tài liệu đã sửa dữ liệu", "corrected")),
                      officer_rows),
    "rejections": Table("ly-do-tu-choi", (("Loại giấy tờ", "type_name"), ("Lý do từ chối", "reason"),
                                          ("Số tài liệu", "count"), ("Tài liệu từ chối của loại", "rejected"),
                                          ("Tài liệu đã quyết định của loại", "decided"), ("Tỷ lệ từ chối", "rate")),
                        rejection_rows),
    "overdue": Table("ho-so-qua-han", (("Mã hồ sơ", "code"), ("Thủ tục", "procedure_name"),
                                       ("Số định danh công dân", "citizen_id"), ("Tiếp nhận lúc", "received_local"),
                                       ("Ngày hẹn trả", "due_date"), ("Ngày hẹn lại", "new_due_date"),
                                       ("Số ngày quá hạn", "days_late")), overdue_rows),
    # Satisfaction: the aspects' columns are their mean scores (1-5).
    "satisfaction": Table("hai-long-theo-thu-tuc", (("Cơ quan", "agency"), ("Mã thủ tục", "procedure"),
                                                    ("Thủ tục", "procedure_name"), *SATISFACTION), satisfaction_rows),
    "satisfaction_officers": Table("hai-long-theo-can-bo", (("Tài khoản", "username"), ("Họ và tên", "full_name"),
                                                            *SATISFACTION), satisfaction_officer_rows),
    "satisfaction_series": Table("hai-long-theo-ky", (("Kỳ", "bucket"), ("Từ ngày", "start"), ("Đến ngày", "end"),
                                                      ("Số ngày", "days"), *SATISFACTION), satisfaction_series_rows),
}  # fmt: skip


def table(name: str) -> Table:
    """The table of that name, else a refusal naming those there are."""
    if name not in TABLES:
        known = ", ".join(TABLES)
        raise DigitizeError("bad_table", f"no table {name!r}; tables: {known}",
                            f"Không có bảng số liệu '{name}'; các bảng: {known}.", status=422)  # fmt: skip
    return TABLES[name]


def to_csv(figures: dict, name: str, zone: ZoneInfo) -> bytes:
    """One table of the figures as the bytes of a CSV file (core/spreadsheet)."""
    t = table(name)
    return excel_csv(t.columns, t.rows(figures, zone))


def file_name(figures: dict, name: str) -> str:
    """so-lieu-theo-thu-tuc_2026-11-01_2026-11-30[_1.001193].csv"""
    proc = f"_{figures['procedure']}" if figures.get("procedure") else ""
    return f"{table(name).file}_{figures['from']}_{figures['to']}{proc}.csv"
