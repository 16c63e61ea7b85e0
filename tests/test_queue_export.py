"""Export of a queue view (issue 15 items 3 and 4): xlsx and CSV hold the queue's rows in its
order, identities masked unless leadership reveals them (a denouncer's never), a cancel or a
failing disk leaves no file, LibreOffice opens the workbook."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pakn_desktop.data import queue as q
from pakn_desktop.data.errors import KnownError
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.queue import QueueQuery, QueueService
from pakn_desktop.services.queue_export import (
    ExportCancelled,
    ExportRequest,
    RevealRefused,
    copy_text,
    export_queue,
)
from tests.export_data import LAN, fill_export, tmpfs, xlsx_text
from tests.identity_scan import leaks
from tests.office import pdf_pages_to_png, to_pdf
from tests.protected_data import QUYNH

FILTERED = QueueQuery(statuses=("new", "forwarded", "in_progress"), sort="due_at", descending=True)


@pytest.fixture
def service(database: Database, env: Environment) -> QueueService:
    fill_export(database, env)
    return QueueService(database)


@pytest.fixture
def any_service(any_db: tuple[Database, Environment]) -> QueueService:
    """On SQLite and on PostgreSQL: the pages, the reporters' query and the JSON sender."""
    database, env = any_db
    fill_export(database, env)
    return QueueService(database)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """A folder of its own: tmp_path also holds the test's data folder."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _queue_codes(service: QueueService, query: QueueQuery) -> list[str]:
    with service.connection() as conn:
        names = q.load_names(conn)
        return [r.code for r in q.page_after(conn, query, names, None, 10**6)]


def _xlsx_rows(path: Path) -> list[tuple[object, ...]]:
    book = load_workbook(path, read_only=True)
    rows = [tuple(r) for r in book.active.iter_rows(values_only=True)]
    book.close()
    return rows


def _csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_xlsx_and_csv_hold_the_views_rows_in_its_order(
    any_service: QueueService, out_dir: Path
) -> None:
    expected = _queue_codes(any_service, FILTERED)
    assert 200 < len(expected) < 600  # the filter filters
    request = ExportRequest(FILTERED)
    seen: list[tuple[int, int]] = []
    for name in ("view.xlsx", "view.csv"):
        result = export_queue(
            any_service,
            request,
            out_dir / name,
            page=97,
            progress=lambda d, t: seen.append((d, t)),
        )
        assert result.rows == len(expected)
    assert seen[-1] == (len(expected), len(expected))
    sheet = _xlsx_rows(out_dir / "view.xlsx")
    assert sheet[0][:3] == ("Mã hồ sơ", "Tiếp nhận", "Kênh")
    assert [r[0] for r in sheet[1:]] == expected
    assert all(isinstance(r[1], datetime) for r in sheet[1:])  # real Excel dates
    table = _csv_rows(out_dir / "view.csv")
    assert table[0][6] == "Tóm tắt"
    assert [r[0] for r in table[1:]] == expected
    assert sorted(p.name for p in out_dir.iterdir()) == ["view.csv", "view.xlsx"]


def test_only_the_chosen_columns_and_office_time(service: QueueService, tmp_path: Path) -> None:
    query = QueueQuery(sort="code", descending=False)
    out = tmp_path / "cols.xlsx"
    export_queue(service, ExportRequest(query, ("code", "received_at", "status")), out)
    sheet = _xlsx_rows(out)
    assert sheet[0] == ("Mã hồ sơ", "Tiếp nhận", "Trạng thái")
    with service.connection() as conn:
        first = q.page_after(conn, query, q.load_names(conn), None, 1)[0]
    assert sheet[1][0] == first.code
    office = first.received_at.astimezone().utcoffset()
    assert office is not None
    # 07:00 ahead of UTC whatever this machine's zone is.
    received = sheet[1][1]
    assert isinstance(received, datetime)
    assert (received - first.received_at.replace(tzinfo=None)).total_seconds() == 7 * 3600


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_identities_masked_and_a_denouncer_never_shown(
    any_service: QueueService, out_dir: Path, suffix: str
) -> None:
    query = QueueQuery()

    def text(request: ExportRequest, name: str) -> bytes:
        out = out_dir / (name + suffix)
        export_queue(any_service, request, out)
        return xlsx_text(out) if suffix == ".xlsx" else out.read_bytes()

    masked = text(ExportRequest(query), "masked")
    assert leaks(masked, QUYNH) == []
    assert leaks(masked, LAN) == []
    shown = text(ExportRequest(query, reveal=True, role="supervisor"), "shown")
    assert leaks(shown, QUYNH) == []  # a denouncer and a confidential reporter: never
    assert leaks(shown, LAN) != []  # leadership sees the ordinary reporter
    with pytest.raises(RevealRefused):
        export_queue(any_service, ExportRequest(query, reveal=True, role="operator"), out_dir / "x")


def test_a_cancel_mid_way_leaves_no_file(service: QueueService, out_dir: Path) -> None:
    pages: list[int] = []
    for name in ("c.xlsx", "c.csv"):
        with pytest.raises(ExportCancelled):
            export_queue(
                service,
                ExportRequest(QueueQuery()),
                out_dir / name,
                page=50,
                progress=lambda done, _total: pages.append(done),
                cancelled=lambda: len(pages) >= 3,
            )
        pages.clear()
    assert list(out_dir.iterdir()) == []


def test_a_read_only_folder_says_so_in_vietnamese(service: QueueService, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "ro,size=1m") as folder:
        with pytest.raises(KnownError) as raised:
            export_queue(service, ExportRequest(QueueQuery()), folder / "x.xlsx")
        assert "không ghi được" in raised.value.message.lower()
        assert list(folder.iterdir()) == []


def test_a_disk_filling_up_mid_way_leaves_no_file(service: QueueService, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", "size=64k") as folder:
        with pytest.raises(KnownError) as raised:
            export_queue(service, ExportRequest(QueueQuery()), folder / "x.csv", page=50)
        assert "Ổ đĩa đã đầy" in raised.value.message
        assert list(folder.iterdir()) == []


def test_libreoffice_opens_the_workbook(service: QueueService, tmp_path: Path) -> None:
    out = tmp_path / "hang-doi.xlsx"
    export_queue(service, ExportRequest(FILTERED, reveal=True, role="supervisor"), out)
    pdf = to_pdf(out, tmp_path / "pdf")
    pngs = pdf_pages_to_png(pdf, tmp_path / "png" / "page")
    assert pngs and pngs[0].stat().st_size > 0


def test_copied_rows_are_tab_separated_with_a_header(service: QueueService) -> None:
    query = QueueQuery(sort="code", descending=False)
    with service.connection() as conn:
        rows = q.page_after(conn, query, q.load_names(conn), None, 10**6)
    picked = [r for r in rows if r.summary.startswith(("Khổng", "Chị", "Kho"))][:3]
    picked += rows[:2]
    text = copy_text(service, query, [r.id for r in picked], ("code", "summary", "status"))
    lines = text.split("\r\n")
    assert lines[0] == "Mã hồ sơ\tTóm tắt\tTrạng thái"
    assert [line.split("\t")[0] for line in lines[1:-1]] == [r.code for r in picked]
    assert lines[-1] == ""
    assert leaks(text, QUYNH) == [] and leaks(text, LAN) == []


def test_a_citizens_formula_stays_text(tmp_path: Path) -> None:
    from pakn_desktop.reports.queue_export import COLUMNS, tsv, write

    columns = [COLUMNS["code"], COLUMNS["summary"], COLUMNS["phone"]]
    formula = '=HYPERLINK("http://x.example","bấm vào")'
    rows = [["PA-1", formula, "+84 912 345 678"], ["PA-2", "chuông\x07 reo", "-5"]]
    write(tmp_path / "f.xlsx", columns, [rows])
    write(tmp_path / "f.csv", columns, [rows])
    sheet = load_workbook(tmp_path / "f.xlsx").active
    assert (sheet["B2"].value, sheet["B2"].data_type) == (formula, "s")  # not "f"
    assert sheet["B3"].value == "chuông reo"  # a control character XML cannot hold
    table = _csv_rows(tmp_path / "f.csv")
    assert table[1] == ["PA-1", "'" + formula, "+84 912 345 678"]
    assert table[2][2] == "-5"
    assert tsv(columns, rows).split("\r\n")[1].split("\t")[1] == "'" + formula


def test_plain_rows_read_back_as_written(tmp_path: Path) -> None:
    """The rows the export writes as XML text (reports/xlsx_rows.py) read back as openpyxl's
    own cells would: escaped markup, kept spaces, empty cells, dates with their format,
    numbers and booleans."""
    from openpyxl import Workbook

    from pakn_desktop.reports.xlsx_rows import plain_rows
    from pakn_desktop.reports.xlsx_style import DATE_TIME_FORMAT

    when = datetime(2026, 11, 1, 7, 30)
    row = ["<a & b> \"c\" 'd'", "  lề  ", None, "", when, 42, 2.5, True, "Đ" * 3000]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(["header"])
    plain_rows(sheet, DATE_TIME_FORMAT)
    sheet.append(row)
    book.save(tmp_path / "p.xlsx")
    cells = load_workbook(tmp_path / "p.xlsx").active[2]
    assert [c.value for c in cells] == [row[0], row[1], None, None, *row[4:]]
    assert cells[4].is_date and cells[4].number_format == DATE_TIME_FORMAT
    assert cells[0].data_type == "s" and cells[7].data_type == "b"
    with zipfile.ZipFile(tmp_path / "p.xlsx") as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert '<t xml:space="preserve">  l' in xml  # Excel would trim the spaces otherwise
    other = Workbook(write_only=True).create_sheet("t")
    other.append(["header"])
    plain_rows(other, DATE_TIME_FORMAT)
    with pytest.raises(TypeError):  # an aware time: Excel has no zones, as openpyxl says
        other.append([when.replace(tzinfo=UTC)])
