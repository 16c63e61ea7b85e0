"""Importing registers (issue 15 item 6) on SQLite and PostgreSQL: the good rows taken in
through the intake's save, bad rows named, skipped lines silent, re-import adding nothing,
the row-level report next to the file, and no alert for deadlines passed before the import."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from pakn_desktop.data.models import Outbox, Reporter, Ticket, TicketEvent
from pakn_desktop.domain.office_time import OFFICE_ZONE
from pakn_desktop.reports.register_read import RegisterFileError
from pakn_desktop.services.alerts import AlertScanner
from pakn_desktop.services.database import Database
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.reports.register_import import import_register, preview
from tests.register_fixtures import (
    mac_register,
    merged_register,
    odd_register,
    plain_csv,
    tick_register,
)

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # 10:00 at the office


@pytest.fixture
def db(any_db: tuple[Database, Any]) -> Database:
    return any_db[0]


def _import(db: Database, path: Path, **kwargs: Any) -> Any:
    intake = IntakeService(db, clock=lambda: NOW)
    return import_register(db, intake, path, now=NOW, **kwargs)


def _tickets(db: Database) -> dict[str, Any]:
    with db.engine.connect() as conn:
        rows = conn.execute(select(Ticket).order_by(Ticket.received_at)).mappings().all()
    return {r["content"]: r for r in rows}


def test_merged_register(db: Database, tmp_path: Path) -> None:
    path = merged_register(tmp_path / "so-thang-12.xlsx")
    result = _import(db, path)
    assert (result.imported, result.already, result.skipped) == (4, 0, 3)
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (12, "Nội dung phản ánh, kiến nghị", "có ngày nhưng không có nội dung"),
        (13, "Thời gian tiếp nhận / Ngày", "“31/02/2026” không phải ngày có thật"),
    ]
    assert {(w.row, w.column) for w in result.warnings} == {
        (11, "Kênh tiếp nhận"),
        (11, "Lĩnh vực"),
        (11, "Kết quả xử lý"),
    }
    tickets = _tickets(db)
    assert len(tickets) == 4
    first = tickets["Lấn chiếm vỉa hè đường Trần Hưng Đạo"]
    assert first["received_at"].replace(tzinfo=UTC) == datetime(
        2026, 12, 1, 8, 15, tzinfo=OFFICE_ZONE
    )
    assert (first["channel_code"], first["category_code"], first["status"]) == (
        "hotline",
        "trat_tu_do_thi",
        "closed",
    )
    second = tickets["Rác thải ùn ứ tại chợ Long Xuyên"]
    assert (second["channel_code"], second["status"]) == ("email", "in_progress")
    assert second["received_at"].replace(tzinfo=UTC) == datetime(
        2026, 12, 2, 14, 30, tzinfo=OFFICE_ZONE
    )
    third = tickets["Ngập nước sau mưa tại phường Mỹ Bình"]
    assert (third["channel_code"], third["category_code"], third["status"]) == (
        "web",
        "ha_tang_do_thi.cap_thoat_nuoc",
        "new",
    )
    odd = tickets["Mất điện kéo dài khu dân cư Bình Khánh"]
    assert (odd["channel_code"], odd["category_code"], odd["status"]) == ("other", "khac", "new")
    assert "Hội nghị tiếp xúc cử tri" in odd["handling_note"]
    assert "Điện lực" in odd["handling_note"]
    assert odd["intake_meta"]["import"]["channel"] == "Hội nghị tiếp xúc cử tri"
    with db.engine.connect() as conn:
        phones = set(conn.scalars(select(Reporter.phone)))
        outbox = conn.scalar(select(func.count()).select_from(Outbox))
        events = conn.scalar(select(func.count()).select_from(TicketEvent))
    assert {"+84912345678", "+84912345679", "+84987654321"} <= phones
    assert outbox and events == 4 + 2  # "created" each, and the closed and in-progress steps
    assert "lan chiem via he" in first["search_text"]


def test_reimport_adds_nothing_same_file_or_another(db: Database, tmp_path: Path) -> None:
    path = merged_register(tmp_path / "so.xlsx")
    assert _import(db, path).imported == 4
    again = _import(db, path)
    assert (again.imported, again.already, len(again.errors)) == (0, 4, 2)
    # The first row typed into another register: text date, spaced phone, other spacing.
    other = tmp_path / "khac.csv"
    other.write_text(
        "Ngày tiếp nhận;SĐT;Nội dung\n"
        "01/12/2026 08:15;0912 345 678;Lấn chiếm  vỉa hè đường Trần Hưng Đạo \n",
        encoding="utf-8-sig",
    )
    assert (_import(db, other).imported, _import(db, other).already) == (0, 1)
    assert len(_tickets(db)) == 4


def test_report_next_to_the_file(db: Database, tmp_path: Path) -> None:
    path = merged_register(tmp_path / "so.xlsx")
    result = _import(db, path)
    assert result.report == tmp_path / "so.xlsx.ket-qua-nhap.csv"
    with result.report.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == ["Dòng", "Kết quả", "Cột", "Lý do", "Mã hồ sơ"]
    outcomes = [(int(line[0]), line[1]) for line in lines[1:]]
    taken, warned, error, skipped = "Đã nhập", "Cảnh báo", "Lỗi, không nhập", "Bỏ qua"
    assert outcomes == [
        (8, taken), (9, taken), (10, taken), (11, taken), (11, warned), (11, warned),
        (11, warned), (12, error), (13, error), (15, skipped), (17, skipped), (18, skipped),
    ]  # fmt: skip
    assert all(line[4] for line in lines[1:] if line[1] == "Đã nhập")  # the case codes
    assert "Nguyễn" not in result.report.read_text(encoding="utf-8-sig")  # no identities


def test_dry_run_stores_nothing(db: Database, tmp_path: Path) -> None:
    path = merged_register(tmp_path / "so.xlsx")
    result = _import(db, path, dry_run=True)
    assert (result.imported, len(result.errors), len(result.warnings)) == (4, 2, 3)
    assert _tickets(db) == {} and result.report is None
    assert not (tmp_path / "so.xlsx.ket-qua-nhap.csv").exists()


def test_no_alert_for_deadlines_passed_before_the_import(db: Database, tmp_path: Path) -> None:
    _import(db, merged_register(tmp_path / "so.xlsx"))
    for ticket in _tickets(db).values():
        for name in ("forward_due_at", "due_at", "at_risk_at", "forward_at_risk_at"):
            moment = ticket[name]
            assert moment is None or moment.replace(tzinfo=UTC) > NOW, (ticket["code"], name)
    scanner = AlertScanner(db, lambda: NOW, since=NOW - timedelta(days=30))
    found = scanner.scan(NOW + timedelta(minutes=1))
    assert found.alerts == () and found.escalations == ()


def test_csv_register_and_preview(db: Database, tmp_path: Path) -> None:
    path = plain_csv(tmp_path / "so.csv", encoding="cp1258", delimiter=",")
    shown = preview(path)
    assert [(c.header, c.label) for c in shown.columns][:2] == [
        ("Noi dung", "Nội dung"),
        ("So dien thoai", "Số điện thoại"),
    ]
    result = _import(db, path)
    assert (result.imported, result.errors) == (2, ())
    tickets = _tickets(db)
    assert tickets["Karaoke gây ồn sau 22 giờ"]["channel_code"] == "hotline"
    assert tickets["Đèn đường hỏng tại ngã tư Lê Lợi"]["category_code"] == (
        "ha_tang_do_thi.chieu_sang"
    )


def test_cancel_keeps_whole_reports_and_reimport_finishes(db: Database, tmp_path: Path) -> None:
    path = merged_register(tmp_path / "so.xlsx")
    result = _import(db, path, cancelled=lambda: True)
    assert result.cancelled and result.imported == 0
    assert _import(db, path).imported == 4


def test_bad_file_is_a_register_error(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "so.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(RegisterFileError):
        _import(db, path)


def test_odd_register_second_sheet_capitals_kinds_phones(
    database: Database, tmp_path: Path
) -> None:
    result = _import(database, odd_register(tmp_path / "bao-cao.xlsx"))
    assert result.preview.sheet == "Chi tiết"
    assert (result.imported, result.skipped) == (3, 4)
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (6, "NGAY NHAN", "có nội dung nhưng thiếu ngày")
    ]
    assert [(w.row, w.column) for w in result.warnings] == [(5, "DIEN THOAI")]
    tickets = _tickets(database)
    question = tickets["Hỏi thủ tục cấp lại giấy khai sinh"]
    assert (question["kind"], question["channel_code"], question["status"]) == (
        "hoi_dap",
        "hotline",
        "closed",
    )
    assert question["received_at"].replace(tzinfo=UTC) == datetime(2026, 12, 6, tzinfo=OFFICE_ZONE)
    light = tickets["Đề nghị lắp đèn tín hiệu giao thông tại ngã ba Bình Đức"]
    assert (light["kind"], light["channel_code"], light["category_code"], light["status"]) == (
        "kien_nghi",
        "zalo",
        "trat_tu_an_toan_giao_thong",
        "in_progress",
    )
    assert "Đã chuyển Sở GTVT" in light["handling_note"]
    dog = tickets["Chó thả rông không rọ mõm"]
    assert dog["channel_code"] == "fanpage"
    assert dog["received_at"].replace(tzinfo=UTC) == datetime(2026, 12, 6, 8, tzinfo=OFFICE_ZONE)
    with database.engine.connect() as conn:
        phones = set(conn.scalars(select(Reporter.phone)))
        raw = set(conn.scalars(select(Reporter.phone_raw)))
    assert {"+842838221234", "+84912345682"} <= phones  # the first of two numbers
    assert "không có" in raw  # kept as written, with a warning


def test_mac_1904_serials(database: Database, tmp_path: Path) -> None:
    result = _import(database, mac_register(tmp_path / "mac.xlsx"))
    assert result.imported == 1
    (ticket,) = _tickets(database).values()
    assert ticket["received_at"].replace(tzinfo=UTC) == datetime(2026, 12, 7, 8, tzinfo=OFFICE_ZONE)


def test_one_reporter_per_caller_within_a_batch(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "so.csv"
    path.write_text(
        "Ngày;Họ tên;SĐT;Nội dung\n"
        "01/12/2026 08:00;Trần Văn Tú;0912 345 690;Đèn đường tắt cả tuần\n"
        "02/12/2026 08:00;;0912345690;Vẫn chưa sửa đèn đường\n"
        "03/12/2026 08:00;Trần Thị Hoa;+84912345690;Con tôi gọi lại về đèn đường\n",
        encoding="utf-8",
    )
    assert _import(db, path).imported == 3
    with db.engine.connect() as conn:
        names = sorted(conn.scalars(select(Reporter.full_name)))
        linked = conn.scalar(select(func.count(func.distinct(Ticket.reporter_id))))
    assert names == ["Trần Thị Hoa", "Trần Văn Tú"]  # same phone, another name: a new row
    assert linked == 2


def test_result_as_ticks(database: Database, tmp_path: Path) -> None:
    path = tick_register(tmp_path / "so.xlsx")
    labels = [c.label for c in preview(path).columns]
    assert labels[2:] == [
        "Kết quả xử lý: đánh dấu là “Đã kết thúc”",
        "Kết quả xử lý: đánh dấu là “Đang xử lý”",
    ]
    result = _import(database, path)
    assert (result.imported, result.errors, result.warnings) == (3, (), ())
    statuses = {k: t["status"] for k, t in _tickets(database).items()}
    assert statuses == {
        "Ổ gà trên đường Nguyễn Huệ": "closed",
        "Cống thoát nước bị nghẹt": "in_progress",
        "Biển báo bị che khuất": "new",
    }


def test_batch_sees_the_database_and_itself(db: Database, tmp_path: Path) -> None:
    """A batch reads its callers' reporters and reserves its case numbers once (issue 15):
    a reporter already there is reused and its blank name filled by the first row that
    gives one, a row with another name gets a new reporter, and the day's numbering goes on
    from the earlier import."""
    first = tmp_path / "so-1.csv"
    first.write_text("Ngày;SĐT;Nội dung\n01/12/2026 08:00;0912 345 690;Đèn đường tắt\n")
    assert _import(db, first).imported == 1
    second = tmp_path / "so-2.csv"
    second.write_text(
        "Ngày;Họ tên;SĐT;Nội dung\n"
        "01/12/2026 09:00;Trần Văn Tú;0912345690;Đèn vẫn tắt\n"
        "01/12/2026 10:00;Trần Thị Hoa;0912345690;Con tôi gọi về đèn\n"
        "01/12/2026 11:00;;0912345690;Gọi lần nữa về đèn\n",
        encoding="utf-8",
    )
    assert _import(db, second).imported == 3
    with db.engine.connect() as conn:
        reporters = dict(conn.execute(select(Reporter.id, Reporter.full_name)).all())
    tickets = _tickets(db)
    owner = {k: reporters[t["reporter_id"]] for k, t in tickets.items()}
    assert owner == {
        "Đèn đường tắt": "Trần Văn Tú",  # the name filled in later
        "Đèn vẫn tắt": "Trần Văn Tú",
        "Con tôi gọi về đèn": "Trần Thị Hoa",
        "Gọi lần nữa về đèn": "Trần Thị Hoa",  # the batch's newest caller with that phone
    }
    assert len(reporters) == 2
    codes = sorted(t["code"][-4:] for t in tickets.values())
    assert codes == ["0001", "0002", "0003", "0004"]
    assert len({t["code"][:9] for t in tickets.values()}) == 1  # PA-261201


def test_old_objects_are_frozen_only_while_an_import_runs(
    database: Database, tmp_path: Path
) -> None:
    """The collector's full passes skip what was alive before the import (issue 15), and
    only during it: afterwards the process collects as before."""
    import gc

    frozen: list[int] = []
    before = gc.get_freeze_count()
    path = merged_register(tmp_path / "so.xlsx")
    result = _import(
        database, path, progress=lambda done, total: frozen.append(gc.get_freeze_count())
    )
    assert result.imported == 4
    assert frozen and min(frozen) > before
    assert gc.get_freeze_count() == before
