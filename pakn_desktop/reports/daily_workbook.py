"""The daily report ("Báo cáo tổng hợp hằng ngày") as an xlsx workbook.

Four sheets: the summary (heading of Decree 30/2020, the main figures against the previous
day and the same day last week, received by channel, category and kind), per unit, the
overdue reports with their reasons and escalations, and the period's reports. Times are real
Excel dates on the office's clock; the charts are native Excel charts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from pakn_desktop.domain.daily_figures import RATE_ROWS, DailyFigures, headline_rows, office_naive
from pakn_desktop.domain.letterhead import Letterhead

from . import xlsx_style as st

TITLE = "Báo cáo tổng hợp hằng ngày"
SHEETS = ("Tổng hợp", "Theo đơn vị", "Quá hạn", "Chi tiết")
__all__ = [
    "RATE_ROWS",
    "SHEETS",
    "TITLE",
    "UNIT_COLOURS",
    "Letterhead",
    "headline_rows",
    "write_daily",
]


def write_daily(
    figures: DailyFigures,
    out: Path,
    letterhead: Letterhead | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Write the workbook to ``out`` atomically; return ``out``. ``cancelled()`` true once
    the workbook is built raises ``xlsx_style.Cancelled`` and leaves no file."""
    book = st.new_workbook()
    summary = book.active
    assert isinstance(summary, Worksheet)
    summary.title = SHEETS[0]
    _summary(summary, figures, letterhead or Letterhead())
    _units(book.create_sheet(SHEETS[1]), figures)
    _overdue(book.create_sheet(SHEETS[2]), figures)
    _details(book.create_sheet(SHEETS[3]), figures)
    return st.save_atomically(book, out, cancelled)


def _period_text(figures: DailyFigures) -> str:
    p = figures.period
    start, end = office_naive(p.start), office_naive(p.end)
    return f"Kỳ báo cáo: từ {start:%H:%M} ngày {start:%d/%m/%Y} đến {end:%H:%M} ngày {end:%d/%m/%Y}"


def _as_of_text(figures: DailyFigures) -> str:
    moment = office_naive(figures.as_of)
    return f"Tình trạng hồ sơ đang xử lý tính đến {moment:%H:%M} ngày {moment:%d/%m/%Y}"


def _summary(sheet: Worksheet, f: DailyFigures, head: Letterhead) -> None:
    columns = 6
    row = st.heading(
        sheet,
        columns=columns,
        issuer=head.issuer,
        number=head.number,
        place=head.place,
        day=f.period.day,
        title=TITLE,
        subtitle=_period_text(f),
    )
    sheet.cell(row=row, column=1, value="I. Kết quả tiếp nhận và xử lý").font = st.font(bold=True)
    before = "ngày trước" if f.period.days == 1 else "kỳ trước"  # as long, just before
    headers = ["Chỉ tiêu", "Kỳ báo cáo", before.capitalize(), "Cùng kỳ tuần trước"]
    headers += [f"So với {before}", "So với tuần trước"]
    top = row + 1
    w = (44, 13, 13, 13, 14, 14)
    end = st.table(sheet, top, headers, headline_rows(f), freeze=False, filters=False, col_widths=w)
    for i in RATE_ROWS:
        for col in range(2, 7):
            sheet.cell(row=top + 1 + i, column=col).number_format = st.PERCENT_FORMAT
    for i in range(len(headline_rows(f))):
        if i not in RATE_ROWS:
            for col in (5, 6):
                sheet.cell(row=top + 1 + i, column=col).number_format = "+0;-0;0"
    row = end + 1
    channel_top = row + 1
    for label, items in (
        ("II. Tiếp nhận theo kênh", f.by_channel),
        ("III. Tiếp nhận theo lĩnh vực", f.by_category),
        ("IV. Tiếp nhận theo loại", f.by_kind),
    ):
        sheet.cell(row=row, column=1, value=label).font = st.font(bold=True)
        rows = [[name, n] for name, n in items] + [["Tổng cộng", sum(n for _, n in items)]]
        end = st.table(sheet, row + 1, ("Nội dung", "Số lượng"), rows, freeze=False, filters=False)
        sheet.cell(row=end - 1, column=1).font = st.font(bold=True)
        sheet.cell(row=end - 1, column=2).font = st.font(bold=True)
        row = end + 1
    _channel_chart(
        sheet, channel_top, len(f.by_channel), max((n for _, n in f.by_channel), default=0)
    )
    sheet.cell(row=row, column=1, value=_as_of_text(f)).font = st.font(11, italic=True)
    _signature(sheet, row + 2)
    sheet.freeze_panes = None
    st.print_setup(sheet)


def _channel_chart(sheet: Worksheet, header_row: int, count: int, most: int) -> None:
    if not count:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Tiếp nhận theo kênh"
    chart.legend = None
    data = Reference(sheet, min_col=2, min_row=header_row, max_row=header_row + count)
    cats = Reference(sheet, min_col=1, min_row=header_row + 1, max_row=header_row + count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.height, chart.width = 7.5, 12.5
    chart.y_axis.number_format = "0"
    if most < 10:
        chart.y_axis.majorUnit = 1  # no half reports on the axis
    chart.series[0].graphicalProperties.solidFill = "4F81BD"
    _bars_top_down(chart)
    sheet.add_chart(chart, f"C{header_row}")


def _bars_top_down(chart: BarChart) -> None:
    """Bars in the table's order, first on top (a bar chart draws its first category at the
    bottom), the value axis kept below; both axes shown (openpyxl 3.1 leaves ``delete``
    unset, which Excel reads as hidden)."""
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.crosses = "max"
    chart.x_axis.delete = chart.y_axis.delete = False


def _signature(sheet: Worksheet, row: int) -> None:
    sheet.cell(row=row, column=1, value="Nơi nhận:").font = st.font(12, bold=True, italic=True)
    sheet.cell(row=row + 1, column=1, value="- Ban Chỉ đạo;").font = st.font(11)
    sheet.cell(row=row + 2, column=1, value="- Lưu: VT.").font = st.font(11)
    sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=6)
    signer = sheet.cell(row=row, column=3, value="NGƯỜI LẬP BÁO CÁO")
    signer.font = st.font(12, bold=True)
    signer.alignment = st.CENTER
    sheet.merge_cells(start_row=row + 1, start_column=3, end_row=row + 1, end_column=6)
    note = sheet.cell(row=row + 1, column=3, value="(Ký, ghi rõ họ tên)")
    note.font = st.font(11, italic=True)
    note.alignment = st.CENTER


def _sheet_title(sheet: Worksheet, f: DailyFigures, title: str, columns: int) -> int:
    for row, (text, style) in enumerate(
        ((title.upper(), st.font(14, bold=True)), (_period_text(f), st.font(12, italic=True))),
        start=1,
    ):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = style
        cell.alignment = st.CENTER
    return 4


def _units(sheet: Worksheet, f: DailyFigures) -> None:
    headers = ["STT", "Đơn vị chủ trì", "Tiếp nhận", "Đúng hạn", "Trễ hạn"]
    headers += ["Đang xử lý", "Quá hạn", "Tỷ lệ đúng hạn"]
    top = _sheet_title(sheet, f, "Kết quả xử lý theo đơn vị", len(headers))
    rows: list[list[Any]] = []
    for i, u in enumerate(f.units, start=1):
        closed = u.on_time + u.late
        rate = u.on_time / closed if closed else None
        rows.append([i, u.name, u.received, u.on_time, u.late, u.in_progress, u.overdue, rate])
    fmts = (None, None, "0", "0", "0", "0", "0", st.PERCENT_FORMAT)
    w = (6, 42, 11, 11, 11, 12, 11, 12)
    end = st.table(sheet, top, headers, rows, formats=fmts, col_widths=w)
    if rows:
        _units_chart(sheet, top, len(rows), end + 1)
    st.print_setup(sheet)


# on time, late, in progress, overdue: green and amber for the closed, blue and red the open
UNIT_COLOURS = ("70AD47", "F0A30A", "4F81BD", "C0504D")


def _units_chart(sheet: Worksheet, header_row: int, count: int, at_row: int) -> None:
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Tình trạng xử lý theo đơn vị"
    data = Reference(sheet, min_col=4, max_col=7, min_row=header_row, max_row=header_row + count)
    cats = Reference(sheet, min_col=2, min_row=header_row + 1, max_row=header_row + count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    for series, colour in zip(chart.series, UNIT_COLOURS, strict=True):
        series.graphicalProperties.solidFill = colour
    _bars_top_down(chart)
    chart.height, chart.width = max(7.5, 0.6 * count + 3), 22
    sheet.add_chart(chart, f"B{at_row}")


def _overdue(sheet: Worksheet, f: DailyFigures) -> None:
    headers = ["STT", "Mã hồ sơ", "Tiếp nhận lúc", "Hạn xử lý", "Quá hạn (ngày)"]
    headers += ["Đơn vị chủ trì", "Nội dung tóm tắt", "Trạng thái", "Lý do chậm"]
    headers += ["Số lần báo cáo cấp trên"]
    top = _sheet_title(sheet, f, "Danh sách phản ánh, kiến nghị quá hạn", len(headers))
    rows = [
        [
            i,
            o.code,
            office_naive(o.received_at),
            office_naive(o.due_at),
            round((f.as_of - o.due_at).total_seconds() / 86400, 1),
            o.unit,
            o.summary,
            o.status,
            o.reason,
            o.escalations,
        ]
        for i, o in enumerate(f.overdue, start=1)
    ]
    fmts = (None, None, st.DATE_TIME_FORMAT, st.DATE_TIME_FORMAT, "0.0")
    w = (6, 24, 17, 17, 10, 28, 45, 16, 32, 12)
    st.table(sheet, top, headers, rows, formats=fmts, col_widths=w)
    st.print_setup(sheet, landscape=True)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Có" if value else "Không")


def _details(sheet: Worksheet, f: DailyFigures) -> None:
    headers: Sequence[str] = (
        "STT",
        "Mã hồ sơ",
        "Thời điểm tiếp nhận",
        "Kênh",
        "Lĩnh vực",
        "Loại",
        "Nội dung tóm tắt",
        "Đơn vị chủ trì",
        "Trạng thái",
        "Hạn xử lý",
        "Thời điểm kết thúc",
        "Chuyển trong 5 phút",
    )
    top = _sheet_title(sheet, f, "Chi tiết phản ánh, kiến nghị tiếp nhận trong kỳ", len(headers))
    rows = [
        [
            i,
            d.code,
            office_naive(d.received_at),
            d.channel,
            d.category,
            d.kind,
            d.summary,
            d.unit,
            d.status,
            office_naive(d.due_at) if d.due_at else None,
            office_naive(d.closed_at) if d.closed_at else None,
            _yes_no(d.forwarded_on_time),
        ]
        for i, d in enumerate(f.details, start=1)
    ]
    dt = st.DATE_TIME_FORMAT
    w = (6, 24, 17, 16, 22, 14, 45, 26, 16, 17, 17, 13)
    fmts = (None, None, dt, *[None] * 6, dt, dt)
    st.table(sheet, top, headers, rows, formats=fmts, col_widths=w)
    st.print_setup(sheet, landscape=True)
