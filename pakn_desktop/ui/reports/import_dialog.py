"""The register import dialog ("Nhập sổ theo dõi"): pick a file, see which column fills which
field, dry-run it, then import with progress and a stop button (issue 15 item 6).

Everything that reads the file or the database runs on a worker (``ui.tasks``): the preview
and the dry run on the read lane, the import on the write lane. The dialog gets two plain
functions (:class:`RegisterImporter`), so it knows nothing of the database: the composition
root builds them with :func:`register_importer`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.ui.errors import error_text
from pakn_desktop.ui.tasks import TaskContext, TaskHandle, Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.intake.service import IntakeService
    from pakn_desktop.services.reports.register_import import ImportResult, Preview

SHOWN_PROBLEMS = 500  # more are in the report file next to the register
_FILTER = "Sổ theo dõi (*.xlsx *.xlsm *.csv *.txt);;Tất cả tệp (*)"


@dataclass(frozen=True)
class RegisterImporter:
    """``preview(path)``; ``run(path, dry_run, progress, cancelled)`` → ImportResult."""

    preview: Callable[[Path], Preview]
    run: Callable[[Path, bool, Callable[[int, int | None], None], Callable[[], bool]], ImportResult]


def register_importer(database: Database, intake: IntakeService) -> RegisterImporter:
    """The importer over ``database`` through ``intake``'s save (for the composition root)."""
    from pakn_desktop.services.reports import register_import as service

    def run(
        path: Path,
        dry_run: bool,
        progress: Callable[[int, int | None], None],
        cancelled: Callable[[], bool],
    ) -> ImportResult:
        return service.import_register(
            database, intake, path, dry_run=dry_run, progress=progress, cancelled=cancelled
        )

    return RegisterImporter(service.preview, run)


class ImportDialog(QDialog):
    """Modal: one register at a time; closing it while an import runs stops the import (the
    reports already taken in stay, whole; importing again finishes the job)."""

    imported = Signal(int)  # reports taken in by an import (not a dry run), told once it ends

    def __init__(
        self, importer: RegisterImporter, tasks: Tasks, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("registerImportDialog")
        self.setWindowTitle("Nhập sổ theo dõi phản ánh (Excel, CSV)")
        self._importer = importer
        self._tasks = tasks
        self._path: Path | None = None
        self._running: TaskHandle[Any] | None = None
        self._build()
        self.resize(860, 600)

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_edit = QLineEdit(readOnly=True, placeholderText="Chưa chọn tệp")
        self.pick_button = QPushButton("Chọn tệp…")
        self.pick_button.clicked.connect(self._pick)
        row.addWidget(QLabel("Tệp sổ:"))
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.pick_button)
        layout.addLayout(row)

        self.sheet_label = QLabel("")
        layout.addWidget(self.sheet_label)
        self.mapping = _table(("Tiêu đề cột trong sổ", "Nhập vào"), (380,))
        layout.addWidget(self.mapping, 2)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.summary = QLabel("Chọn tệp sổ (.xlsx hoặc .csv) để xem các cột được nhận ra.")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.problems = _table(("Dòng", "Loại", "Cột", "Lý do"), (60, 90, 240))
        layout.addWidget(self.problems, 3)

        buttons = QHBoxLayout()
        self.dry_button = QPushButton("Chạy thử")
        self.dry_button.setToolTip("Kiểm tra từng dòng, chưa ghi gì vào cơ sở dữ liệu")
        self.import_button = QPushButton("Nhập")
        self.stop_button = QPushButton("Dừng")
        self.close_button = QPushButton("Đóng")
        self.dry_button.clicked.connect(lambda: self._start(dry_run=True))
        self.import_button.clicked.connect(lambda: self._start(dry_run=False))
        self.stop_button.clicked.connect(self._stop)
        self.close_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        for button in (self.dry_button, self.import_button, self.stop_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        ready = self._path is not None and self.mapping.rowCount() > 0
        self.pick_button.setEnabled(not busy)
        self.dry_button.setEnabled(ready and not busy)
        self.import_button.setEnabled(ready and not busy)
        self.stop_button.setEnabled(busy)
        self.progress.setVisible(busy)

    # --- choosing the file ----------------------------------------------------------------

    def _pick(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "Chọn tệp sổ theo dõi", "", _FILTER)
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path) -> None:
        """Show ``path``'s header mapping (read on a worker)."""
        self._path = path
        self.file_edit.setText(str(path))
        self.mapping.setRowCount(0)
        self.problems.setRowCount(0)
        self.sheet_label.setText("")
        self.summary.setText("Đang đọc tiêu đề của sổ…")
        self._set_busy(False)
        self._tasks.read(
            lambda: self._importer.preview(path),
            on_result=self._previewed,
            on_error=self._failed,
            key="register-preview",
        )

    def _previewed(self, preview: Preview) -> None:
        rows = "–".join(str(n) for n in (preview.header_rows[0], preview.header_rows[-1]))
        rows = rows if len(preview.header_rows) > 1 else str(preview.header_rows[0])
        sheet = f"trang “{preview.sheet}”, " if preview.sheet else ""
        self.sheet_label.setText(f"Dòng tiêu đề: {sheet}dòng {rows}")
        self.mapping.setRowCount(len(preview.columns))
        for i, column in enumerate(preview.columns):
            _put(self.mapping, i, (column.header, column.label))
        self.summary.setText("Bấm “Chạy thử” để kiểm tra từng dòng, hoặc “Nhập”.")
        self._set_busy(False)

    # --- dry run and import ---------------------------------------------------------------

    def _start(self, *, dry_run: bool) -> None:
        path = self._path
        if path is None:
            return
        importer = self._importer

        def work(context: TaskContext) -> ImportResult:
            return importer.run(path, dry_run, context.progress, context.is_cancelled)

        self.problems.setRowCount(0)
        self.progress.setRange(0, 0)  # busy until the first progress says how many rows
        self.summary.setText("Đang chạy thử…" if dry_run else "Đang nhập…")
        submit = self._tasks.read if dry_run else self._tasks.write
        self._running = submit(
            work,
            on_result=self._finished,
            on_error=self._failed,
            on_progress=self._progressed,
            context=True,
        )
        self._set_busy(True)

    def _progressed(self, done: int, total: int | None) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.summary.setText(f"Đã đọc đến dòng {done}…")

    def _stop(self) -> None:
        if self._running is not None:
            self._running.cancel()
            self._running = None
        self.summary.setText(
            "Đã dừng. Các phản ánh đã nhập được giữ nguyên; nhập lại tệp này để nhập tiếp "
            "(dòng đã có sẽ không nhập trùng)."
        )
        self._set_busy(False)

    def _finished(self, result: ImportResult) -> None:
        self._running = None
        self._set_busy(False)
        if not result.dry_run and result.imported:
            self.imported.emit(result.imported)
        self.summary.setText(summary_text(result))
        problems = [("Lỗi", p) for p in result.errors] + [("Cảnh báo", p) for p in result.warnings]
        problems.sort(key=lambda item: item[1].row)
        shown = problems[:SHOWN_PROBLEMS]
        self.problems.setRowCount(len(shown))
        for i, (kind, p) in enumerate(shown):
            _put(self.problems, i, (str(p.row), kind, p.column, p.reason))

    def _failed(self, error: BaseException) -> None:
        self._running = None
        self._set_busy(False)
        self.summary.setText(error_text(error))  # a bug is raised again: the crash dialog's

    def reject(self) -> None:
        if self._running is not None:
            self._stop()
        super().reject()


def summary_text(result: ImportResult) -> str:
    """The counts in words, as the CLI prints them."""
    verb = "Sẽ nhập" if result.dry_run else "Đã nhập"
    text = (
        f"{verb} {result.imported} phản ánh; đã có từ trước {result.already}; "
        f"bỏ qua {result.skipped} dòng; lỗi {len(result.errors)}; "
        f"cảnh báo {len(result.warnings)}."
    )
    if result.dry_run:
        text += " (Chạy thử: chưa ghi gì.)"
    if result.report is not None:
        text += f"\nKết quả từng dòng: {result.report}"
    if result.report_error:
        text += f"\n{result.report_error}"
    return text


def _table(headers: tuple[str, ...], widths: tuple[int, ...]) -> QTableWidget:
    # A few columns of a header, or the first problems: small and fixed, not a growing list.
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    return table


def _put(table: QTableWidget, row: int, values: tuple[str, ...]) -> None:
    for column, value in enumerate(values):
        table.setItem(row, column, QTableWidgetItem(value))
