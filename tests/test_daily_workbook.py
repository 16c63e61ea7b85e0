"""The daily report's workbook: its figures, styles, print set-up and charts read back with
openpyxl, LibreOffice converting it to PDF, no protected identity in any part, the atomic
save, and the command line (``export daily``, ``stats --from/--to``)."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pakn_desktop.cli import main
from pakn_desktop.domain.daily_figures import daily_period
from pakn_desktop.reports import xlsx_style
from pakn_desktop.reports.daily_workbook import SHEETS, UNIT_COLOURS, Letterhead, write_daily
from pakn_desktop.services.database import Database
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.reports.daily import daily_figures
from tests.identity_scan import leaks
from tests.office import pdf_page_count, pdf_pages_to_png, to_pdf
from tests.protected_data import PROTECTED, QUYNH, save_protected
from tests.test_daily_report import DAY, NOW, hand_fixture

LOOK = Path(__file__).resolve().parents[1] / ".tmp" / "look"  # rendered pages to look at


def _book(database: Database, out: Path) -> Any:
    hand_fixture(database)
    figures = daily_figures(database, daily_period(DAY), now=NOW)
    head = Letterhead(issuer="Trung tâm 1022", place="Thành phố Hồ Chí Minh", number="12/BC-TT")
    write_daily(figures, out, head)
    return openpyxl.load_workbook(out)


def _row_of(sheet: Any, label: str) -> int:
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return int(row[0].row)
    raise AssertionError(f"no row {label!r}")


def test_figures_styles_print_setup_and_charts(database: Database, tmp_path: Path) -> None:
    book = _book(database, tmp_path / "daily.xlsx")
    assert book.sheetnames == list(SHEETS)
    summary, units, overdue, details = (book[name] for name in SHEETS)
    # heading (Decree 30 layout)
    assert summary["A1"].value == "TRUNG TÂM 1022"
    assert summary["A3"].value == "Số: 12/BC-TT"
    assert summary.cell(row=1, column=3).value == xlsx_style.NATION
    assert summary.cell(row=2, column=3).value == xlsx_style.MOTTO
    assert summary.cell(row=3, column=3).value == "Thành phố Hồ Chí Minh, ngày 7 tháng 12 năm 2026"
    assert summary["A5"].value == "BÁO CÁO TỔNG HỢP HẰNG NGÀY"
    # the hand-counted figures: this period, the previous day, the same day last week
    received = _row_of(summary, "Tổng số phản ánh, kiến nghị tiếp nhận")
    assert [c.value for c in summary[received][1:4]] == [4, 1, 1]
    rate = _row_of(summary, "Tỷ lệ có kết quả đúng hạn")
    assert summary.cell(row=rate, column=2).value == 0.5
    assert summary.cell(row=rate, column=2).number_format == xlsx_style.PERCENT_FORMAT
    hotline = _row_of(summary, "Đường dây nóng")
    assert summary.cell(row=hotline, column=2).value == 3
    # per unit, overdue and details
    top = _row_of(units, "STT")
    assert [c.value for c in units[top + 1][1:7]] == ["Phường A", 2, 1, 1, 0, 0]
    assert [c.value for c in units[top + 2][1:7]] == ["Phường B", 2, 0, 0, 1, 1]
    top = _row_of(overdue, "STT")
    assert [overdue.cell(row=top + i, column=2).value for i in (1, 2)] == ["T7", "T3"]
    assert overdue.cell(row=top + 2, column=9).value == "Chờ ý kiến Sở"
    assert overdue.cell(row=top + 2, column=10).value == 2
    top = _row_of(details, "STT")
    received_at = details.cell(row=top + 1, column=3)
    assert received_at.value == datetime(2026, 12, 6, 8, 0)  # a real date, office clock
    assert received_at.is_date and received_at.number_format == xlsx_style.DATE_TIME_FORMAT
    assert details.cell(row=top + 4, column=2).value == "T4"
    assert details.cell(row=top + 5, column=2).value is None
    # styles and print set-up
    for sheet in (summary, units, overdue, details):
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert "&P" in sheet.oddFooter.center.text
        assert sheet["A1"].font.name == xlsx_style.FONT_NAME
    for sheet in (units, overdue, details):
        top = _row_of(sheet, "STT")
        assert sheet.freeze_panes == f"A{top + 1}"
        assert sheet.print_title_rows == f"${top}:${top}"
        assert sheet.auto_filter.ref.startswith(f"A{top}:")
        assert sheet.cell(row=top + 1, column=2).font.name == xlsx_style.FONT_NAME
    assert len(summary._charts) == 1 and len(units._charts) == 1  # native charts
    for chart in (summary._charts[0], units._charts[0]):
        assert chart.x_axis.scaling.orientation == "maxMin"  # in the table's order
        assert chart.x_axis.delete is False and chart.y_axis.delete is False  # Excel shows
    colours = [str(s.graphicalProperties.solidFill.srgbClr) for s in units._charts[0].series]
    assert colours == list(UNIT_COLOURS)


def test_libreoffice_converts_it_and_page_one_renders(database: Database, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao-ngay.xlsx"
    _book(database, out)
    pdf = to_pdf(out, tmp_path / "pdf")
    assert pdf_page_count(pdf) >= len(SHEETS)
    pages = pdf_pages_to_png(pdf, tmp_path / "png" / "page", first=1, last=2)
    assert pages and all(p.stat().st_size > 10_000 for p in pages)
    LOOK.mkdir(parents=True, exist_ok=True)
    for page in pages:
        shutil.copy(page, LOOK / f"daily-{page.name}")


def test_no_protected_identity_in_any_part(database: Database, tmp_path: Path) -> None:
    intake = IntakeService(database, clock=lambda: NOW - timedelta(hours=3))
    for which in sorted(PROTECTED):
        save_protected(intake, which)
    figures = daily_figures(database, daily_period(DAY), now=NOW)
    assert len(figures.details) == len(PROTECTED)
    out = write_daily(figures, tmp_path / "daily.xlsx")
    with zipfile.ZipFile(out) as archive:
        found = {n: leaks(archive.read(n), QUYNH) for n in archive.namelist()}
    assert not {n: f for n, f in found.items() if f}
    assert all("tố cáo thu tiền" in d.summary for d in figures.details)  # the rest is kept


def test_a_failed_save_leaves_no_file(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = daily_figures(database, daily_period(DAY), now=NOW)

    def broken(self: Any, filename: str) -> None:
        Path(filename).write_bytes(b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken)
    with pytest.raises(OSError):
        write_daily(figures, tmp_path / "daily.xlsx")
    assert not [p for p in tmp_path.iterdir() if p.is_file()]  # no workbook, no temp file


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_export_daily_and_stats_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    assert _run(capsys, "--data-dir", data, "demo", "--tickets", "300")[0] == 0
    out = tmp_path / "d.xlsx"
    code, said, err = _run(
        capsys, "--data-dir", data, "export", "daily", "--date", "2026-12-07", "--out", str(out),
        "--cutoff", "07:30", "--place", "Đà Nẵng",
    )  # fmt: skip
    assert code == 0, err
    assert str(out) in said and out.exists()
    book = openpyxl.load_workbook(out)
    assert book[SHEETS[0]].cell(row=3, column=3).value.startswith("Đà Nẵng, ngày 7 tháng 12")
    assert "07:30 ngày 06/12/2026" in book[SHEETS[0]]["A6"].value
    code, said, err = _run(
        capsys, "--data-dir", data, "stats", "--json", "--from", "2026-01-01", "--to", "2027-12-31"
    )
    assert code == 0, err
    figures = json.loads(said)
    assert figures["period"]["received"] == figures["tickets"] == 300
    assert figures["period"]["received_by_channel"] == {
        k: v for k, v in figures["by_channel"].items() if v
    }
    assert figures["period"]["open_by_state"]["overdue"] == figures["overdue"]
    assert _run(capsys, "--data-dir", data, "stats", "--from", "2026-01-01")[0] == 2
    bad = _run(capsys, "--data-dir", data, "export", "daily", "--date", "7/12", "--out", "x.xlsx")
    assert bad[0] == 2 and "YYYY-MM-DD" in bad[2]


def test_stats_without_a_range_is_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said, _ = _run(capsys, "--data-dir", str(tmp_path / "data"), "stats", "--json")
    assert code == 0 and "period" not in json.loads(said)


def test_cli_export_daily_takes_the_letterhead_and_cutoff_from_the_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pakn_desktop.data.settings import reports, rows
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve

    data = str(tmp_path / "data")
    database = open_database(resolve(data_dir=data))
    try:
        with database.writer.begin() as conn:
            rows.write(
                conn,
                {
                    reports.ISSUER: "UBND phường Bến Thành",
                    reports.PLACE: "Thành phố Hồ Chí Minh",
                    reports.DAILY_CUTOFF: "17:30",
                },
            )
    finally:
        database.close()
    out = tmp_path / "d.xlsx"
    argv = ("--data-dir", data, "export", "daily", "--date", "2026-12-07", "--out", str(out))
    code, _, err = _run(capsys, *argv)
    assert code == 0, err
    summary = openpyxl.load_workbook(out)[SHEETS[0]]
    assert summary["A1"].value == "UBND PHƯỜNG BẾN THÀNH"
    assert summary.cell(row=3, column=3).value.startswith("Thành phố Hồ Chí Minh, ngày 7")
    assert "17:30 ngày 06/12/2026" in summary["A6"].value
    code, _, err = _run(capsys, *argv, "--cutoff", "06:00", "--issuer", "Trung tâm 1022")
    assert code == 0, err
    summary = openpyxl.load_workbook(out)[SHEETS[0]]
    assert summary["A1"].value == "TRUNG TÂM 1022"  # the command line wins
    assert "06:00 ngày 06/12/2026" in summary["A6"].value


def test_a_cancelled_save_leaves_no_file(database: Database, tmp_path: Path) -> None:
    figures = daily_figures(database, daily_period(DAY), now=NOW)
    with pytest.raises(xlsx_style.Cancelled):
        write_daily(figures, tmp_path / "daily.xlsx", cancelled=lambda: True)
    assert not [p for p in tmp_path.iterdir() if p.is_file()]  # no workbook, no temp file
