"""The Reports screen ("Báo cáo"): pick a report and its period, preview its figures, export
it to Excel off the GUI thread with progress and cancel, and reach the files exported.

The database work is ``services.reports.daily_export.DailyReports``' plain calls, run
through ``ui.tasks``; this module only shows values.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QSettings, QStandardPaths, Qt, QTime, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.domain.daily_figures import (
    DEFAULT_CUTOFF,
    RATE_ROWS,
    DailyFigures,
    Period,
    daily_period,
    headline_rows,
    office_naive,
)
from pakn_desktop.domain.letterhead import Letterhead
from pakn_desktop.services.reports.daily_export import (
    DailyReports,
    ReportDefaults,
    default_file_name,
)
from pakn_desktop.ui.errors import error_text
from pakn_desktop.ui.tasks import TaskContext, TaskHandle, Tasks
from pakn_desktop.widgets.save_path import ask_save_path

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.ui.changes_hub import ChangesHub
    from pakn_desktop.ui.reports.import_dialog import ImportDialog, RegisterImporter

log = logging.getLogger(__name__)
FileChooser = Callable[[QWidget, Path], Path | None]  # (parent, suggested path) → chosen
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
PREVIEW_DELAY_MS = 300
RECENT_KEY, FOLDER_KEY = "reports/recent", "reports/folder"
RECENT_KEPT = 10  # typing a date digit by digit asks once, not per digit


def ask_report_path(parent: QWidget, suggested: Path) -> Path | None:
    return ask_save_path(
        parent, parent.tr("Lưu báo cáo"), suggested, parent.tr("Sổ tính Excel (*.xlsx)"), ".xlsx"
    )


def _number(value: Any, rate: bool) -> str:
    if value is None:
        return "—"
    if rate:
        return f"{value * 100:.1f}%".replace(".", ",")
    return f"{value:,}".replace(",", ".")


class ReportsScreen(QWidget):
    """``choose_file`` asks where to save (a file dialog; tests give a function)."""

    exported = Signal(str)  # the path of a finished export
    imported = Signal(int)  # reports a register import took in (none in a dry run)

    def __init__(
        self,
        tasks: Tasks,
        reports: DailyReports,
        parent: QWidget | None = None,
        *,
        choose_file: FileChooser = ask_report_path,
        state: QSettings | None = None,
        importer: Callable[[], RegisterImporter] | None = None,
    ) -> None:
        """``state``: where the recent exports and the last folder are kept between runs
        (the window's ``ui.ini``; UI state, not a setting). ``importer``: builds the register
        importer when the user asks for it (no button without one)."""
        super().__init__(parent)
        self.setObjectName("reportsScreen")
        self._tasks = tasks
        self._reports = reports
        self._choose_file = choose_file
        self._importer = importer
        self._letterhead = Letterhead()
        self._folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        self._state = state
        if state is not None and state.value(FOLDER_KEY):
            self._folder = Path(str(state.value(FOLDER_KEY)))
        self._export: TaskHandle[Path] | None = None
        self.figures: DailyFigures | None = None  # the preview's, once counted
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.preview)
        self._build()
        for path in reversed(self._recent_paths()):
            self._add_recent(path)
        self._set_running(False)
        self.setEnabled(False)  # until the stored cut-off and letterhead are read
        tasks.read(
            reports.defaults,
            on_result=self._defaults_read,
            on_error=self._defaults_failed,
            key="reports.defaults",
        )

    # --- building -------------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        heading = QLabel(tr("Báo cáo"), self)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addWidget(heading)
        columns = QHBoxLayout()
        columns.addLayout(self._build_left(), 0)
        columns.addWidget(self._build_preview(), 1)
        outer.addLayout(columns, 1)

    def _build_left(self) -> QVBoxLayout:
        tr = self.tr
        choice = QGroupBox(tr("Báo cáo và kỳ báo cáo"), self)
        form = QFormLayout(choice)
        self.kind = QComboBox(choice)
        self.kind.addItem(tr("Báo cáo tổng hợp hằng ngày (Ban Chỉ đạo)"))
        self.day = QDateEdit(choice)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.cutoff = QTimeEdit(choice)
        self.cutoff.setDisplayFormat("HH:mm")
        self.days = QSpinBox(choice)
        self.days.setRange(1, 31)
        self.days.setSuffix(tr(" ngày"))
        self.number = QLineEdit(choice)
        self.number.setPlaceholderText(tr("ví dụ 12/BC-TTPAKN (để trống: điền tay)"))
        self.period_label = QLabel(choice)
        self.period_label.setWordWrap(True)
        self.period_label.setObjectName("reportsPeriod")
        # Two lines ("từ 07:00 ngày … đến 07:00 ngày …"): a form row does not grow a wrapped
        # label by itself, and the second line was cut in half.
        self.period_label.setMinimumHeight(self.period_label.fontMetrics().lineSpacing() * 2 + 4)
        form.addRow(tr("Loại báo cáo:"), self.kind)
        form.addRow(tr("Ngày báo cáo:"), self.day)
        form.addRow(tr("Giờ chốt số liệu:"), self.cutoff)
        form.addRow(tr("Số ngày của kỳ:"), self.days)
        form.addRow(tr("Số văn bản:"), self.number)
        form.addRow(self.period_label)
        self.day.dateChanged.connect(self._period_changed)
        self.cutoff.timeChanged.connect(self._period_changed)
        self.days.valueChanged.connect(self._period_changed)

        self.export_button = QPushButton(tr("Xuất Excel…"), self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.cancel_button = QPushButton(tr("Hủy"), self)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setObjectName("reportsStatus")
        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel_button)

        recent_box = QGroupBox(tr("Tệp đã xuất gần đây"), self)
        recent_layout = QVBoxLayout(recent_box)
        self.recent = QListWidget(recent_box)
        self.recent.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recent.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent.itemActivated.connect(self._open_folder_of)
        self.open_folder = QPushButton(tr("Mở thư mục"), recent_box)
        self.open_folder.setEnabled(False)
        self.open_folder.clicked.connect(lambda: self._open_folder_of(self.recent.currentItem()))
        self.recent.currentItemChanged.connect(
            lambda item, _old: self.open_folder.setEnabled(item is not None)
        )
        recent_layout.addWidget(self.recent, 1)
        recent_layout.addWidget(self.open_folder, 0, Qt.AlignmentFlag.AlignRight)

        self.import_button = QPushButton(tr("Nhập sổ theo dõi (Excel, CSV)…"), self)
        self.import_button.setToolTip(tr("Nhập các phản ánh từ sổ theo dõi của trung tâm (Ctrl+I)"))
        self.import_button.setShortcut(tr("Ctrl+I"))
        self.import_button.clicked.connect(self.open_import)
        self.import_button.setVisible(self._importer is not None)

        left = QVBoxLayout()
        left.addWidget(choice)
        left.addWidget(self.export_button)
        left.addLayout(running)
        left.addWidget(self.status)
        left.addWidget(recent_box, 1)
        left.addWidget(self.import_button)
        return left

    def open_import(self) -> ImportDialog | None:
        """The register import dialog (modal); reports it took in reach every screen."""
        if self._importer is None:
            return None
        from pakn_desktop.ui.reports.import_dialog import ImportDialog

        dialog = ImportDialog(self._importer(), self._tasks, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self.imported)
        dialog.open()
        return dialog

    def _build_preview(self) -> QGroupBox:
        tr = self.tr
        box = QGroupBox(tr("Xem trước số liệu"), self)
        layout = QVBoxLayout(box)
        self.preview_note = QLabel(tr("Đang tính số liệu…"), box)
        self.preview_note.setWordWrap(True)
        self.headline = self._fixed_table(
            box, [tr("Chỉ tiêu"), tr("Kỳ báo cáo"), tr("Ngày trước"), tr("Cùng kỳ tuần trước")]
        )
        self.channels = self._fixed_table(box, [tr("Kênh tiếp nhận"), tr("Số lượng")])
        self.totals = QLabel(box)
        self.totals.setWordWrap(True)
        layout.addWidget(self.preview_note)
        layout.addWidget(self.headline)
        layout.addWidget(self.channels, 1)
        layout.addWidget(self.totals)
        return box

    def _fixed_table(self, parent: QWidget, headers: list[str]) -> QTableWidget:
        # A handful of fixed rows (the summary's lines, the channel list), not data that grows.
        table = QTableWidget(0, len(headers), parent)
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(headers)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        return table

    # --- the period -----------------------------------------------------------------------

    def _defaults_read(self, defaults: ReportDefaults) -> None:
        self._letterhead = defaults.letterhead
        for edit in (self.day, self.cutoff, self.days):
            edit.blockSignals(True)
        today = defaults.today
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.cutoff.setTime(QTime(defaults.cutoff.hour, defaults.cutoff.minute))
        for edit in (self.day, self.cutoff, self.days):
            edit.blockSignals(False)
        self.setEnabled(True)
        self._period_changed()
        self.preview()

    def _defaults_failed(self, error: BaseException) -> None:
        today = office_naive(datetime.now(UTC)).date()
        self._defaults_read(ReportDefaults(today, DEFAULT_CUTOFF, Letterhead()))
        self.preview_note.setText(self.tr("Không đọc được cài đặt báo cáo: %1").replace(
            "%1", error_text(error)))  # fmt: skip

    def period(self) -> Period:
        qd, qt = self.day.date(), self.cutoff.time()
        day = date(qd.year(), qd.month(), qd.day())
        return daily_period(day, time(qt.hour(), qt.minute()), self.days.value())

    def _period_changed(self) -> None:
        p = self.period()
        start, end = office_naive(p.start), office_naive(p.end)
        self.period_label.setText(
            self.tr("Kỳ báo cáo: từ %1 đến %2")
            .replace("%1", f"{start:%H:%M} ngày {start:%d/%m/%Y}")
            .replace("%2", f"{end:%H:%M} ngày {end:%d/%m/%Y}")
        )
        self._preview_timer.start()

    # --- preview --------------------------------------------------------------------------

    def preview(self) -> None:
        """Count the period's figures on a worker (the latest period asked wins)."""
        self._preview_timer.stop()
        period = self.period()
        self.preview_note.setText(self.tr("Đang tính số liệu…"))
        self._tasks.read(
            lambda: self._reports.figures(period),
            on_result=self._show_figures,
            on_error=self._preview_failed,
            key="reports.preview",
        )

    def _show_figures(self, figures: DailyFigures) -> None:
        self.figures = figures
        before = self.tr("Ngày trước") if figures.period.days == 1 else self.tr("Kỳ trước")
        header = self.headline.horizontalHeaderItem(2)
        if header is not None:
            header.setText(before)
        rows = headline_rows(figures)
        self._fill(self.headline, [
            [label, *(_number(v, i in RATE_ROWS) for v in values[:3])]
            for i, (label, *values) in enumerate(rows)
        ])  # fmt: skip
        self._fit_height(self.headline)
        total = figures.headline.received
        channels = [[name, _number(n, False)] for name, n in figures.by_channel if n]
        self._fill(self.channels, [*channels, [self.tr("Tổng cộng"), _number(total, False)]])
        last = self.channels.rowCount() - 1
        bold = QFont(self.channels.font())
        bold.setBold(True)
        for col in range(2):
            item = self.channels.item(last, col)
            if item is not None:
                item.setFont(bold)
        as_of = office_naive(figures.as_of)
        self.preview_note.setText(
            self.tr("Số liệu như trong tệp Excel và trên bảng điều khiển cho cùng kỳ.")
        )
        self.totals.setText(
            self.tr("%1 đơn vị chủ trì · %2 hồ sơ quá hạn (tính đến %3) · %4 dòng chi tiết")
            .replace("%1", _number(len(figures.units), False))
            .replace("%2", _number(len(figures.overdue), False))
            .replace("%3", f"{as_of:%H:%M %d/%m/%Y}")
            .replace("%4", _number(len(figures.details), False))
        )

    def _fill(self, table: QTableWidget, rows: list[list[str]]) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(r, c, item)
        table.resizeRowsToContents()

    def _fit_height(self, table: QTableWidget) -> None:
        """As tall as its rows: the space below goes to the channel list."""
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(rows + table.horizontalHeader().height() + 2 * table.frameWidth())

    def _preview_failed(self, error: BaseException) -> None:
        self.figures = None
        self.preview_note.setText(
            self.tr("Không tính được số liệu: %1").replace("%1", error_text(error))
        )

    # --- export ---------------------------------------------------------------------------

    def export(self) -> None:
        """Ask where, then count and write on a worker; progress below, "Hủy" cancels."""
        if self._export is not None:
            return
        period = self.period()
        out = self._choose_file(self, self._folder / default_file_name(period))
        if out is None:
            return
        self._folder = out.parent
        number = self.number.text().strip()
        head = replace(self._letterhead, number=number) if number else self._letterhead
        reports = self._reports

        def job(ctx: TaskContext) -> Path:
            return reports.export(
                period, out, head, progress=ctx.progress, cancelled=ctx.is_cancelled
            )

        self._set_running(True)
        self.progress.setValue(0)
        self.status.setText(self.tr("Đang xuất %1…").replace("%1", out.name))
        self._export = self._tasks.read(
            job,
            context=True,
            on_result=self._export_done,
            on_error=self._export_failed,
            on_progress=self._export_progress,
        )

    def cancel_export(self) -> None:
        """Cancel the running export: its file is never renamed into place."""
        if self._export is None:
            return
        self._export.cancel()
        self._export = None
        self._set_running(False)
        self.status.setText(self.tr("Đã hủy. Không có tệp nào được ghi."))

    def _export_progress(self, percent: int, text: str) -> None:
        self.progress.setValue(percent)
        self.status.setText(text)

    def _export_done(self, path: Path) -> None:
        self._export = None
        self._set_running(False)
        self.progress.setValue(100)
        self.status.setText(self.tr("Đã xuất %1").replace("%1", str(path)))
        self._add_recent(path)
        self.recent.setCurrentRow(0)
        if self._state is not None:
            kept = [str(path), *(p for p in self._recent_paths() if p != str(path))]
            self._state.setValue(RECENT_KEY, kept[:RECENT_KEPT])
            self._state.setValue(FOLDER_KEY, str(path.parent))
        self.exported.emit(str(path))

    def _recent_paths(self) -> list[str]:
        if self._state is None:
            return []
        value = self._state.value(RECENT_KEY) or []
        return [value] if isinstance(value, str) else [str(v) for v in value]  # one: a str

    def _add_recent(self, path: Path | str) -> None:
        """``path`` at the top of the list, once (the same file exported again moves up)."""
        path = Path(path)
        for row in reversed(range(self.recent.count())):
            if self.recent.item(row).data(Qt.ItemDataRole.UserRole) == str(path):
                self.recent.takeItem(row)
        item = QListWidgetItem(path.name)  # the folder in its tooltip and "Mở thư mục"
        item.setToolTip(str(path))
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        self.recent.insertItem(0, item)

    def _export_failed(self, error: BaseException) -> None:
        self._export = None
        self._set_running(False)
        self.status.setText(
            self.tr("Không xuất được báo cáo: %1. Không có tệp nào được ghi.").replace(
                "%1", error_text(error)
            )
        )

    def _set_running(self, running: bool) -> None:
        self.export_button.setEnabled(not running)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)

    def _open_folder_of(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            folder = Path(str(item.data(Qt.ItemDataRole.UserRole))).parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def composed_reports_screen(
    tasks: Tasks, services: AppServices, changes: ChangesHub, state: QSettings | None
) -> ReportsScreen:
    """The screen as the window shows it: the register import through the intake's save,
    and the reports it takes in told to every screen (too many to name: all read again)."""
    from pakn_desktop.services.changes import Changes
    from pakn_desktop.ui.reports.import_dialog import register_importer

    screen = ReportsScreen(
        tasks,
        services.reports,
        state=state,
        importer=lambda: register_importer(services.database, services.intake),
    )
    screen.imported.connect(lambda _count: changes.publish(Changes(every_report=True), screen))
    return screen
