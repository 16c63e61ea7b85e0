"""The queue screen's exports (issue 15 items 3, 4): "Xuất Excel…" (Ctrl+E) and "Xuất CSV…"
write the view as shown (its filters, sort and visible columns, in the header's order) on a
worker, with the job bar's progress and Cancel (ui/evidence/job_bar.py, the archive's);
Ctrl+C copies the selected rows as tab-separated text that pastes into Excel as rows.

The copy carries a header row (the visible columns' titles): pasted into an empty sheet it
says what each column is, and a row pasted under an export's header can drop it in one
deletion. Identities are masked unless the role may reveal them (domain/export_policy.py)
and the user confirms; a copy never reveals. A denouncer's or a confidential reporter's
identity is masked by the service whatever is asked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QMessageBox, QStyle, QTableView, QToolButton, QWidget

from pakn_desktop.domain.export_policy import may_reveal
from pakn_desktop.domain.office_time import OFFICE_ZONE
from pakn_desktop.services.queue import QueueQuery, QueueService
from pakn_desktop.ui.evidence.job_bar import JobBar
from pakn_desktop.ui.queue.selection import RowSelection
from pakn_desktop.ui.tasks import TaskContext, Tasks
from pakn_desktop.widgets.save_path import ask_save_path

if TYPE_CHECKING:
    from pakn_desktop.services.queue_export import ExportResult

EXPORT_KEY = "Ctrl+E"
# More rows than this are an export's job: the copy is built whole in memory and the
# clipboard's text (~250 bytes a row) is held by every program that reads it.
COPY_LIMIT = 100_000
# The table's columns (ui/queue/cells.py COL_*) as the export's keys, in the same order.
KEYS: tuple[str, ...] = (
    "code",
    "received_at",
    "channel",
    "category",
    "kind",
    "commune",
    "summary",
    "status",
    "unit",
    "due_at",
    "forward",
)
FILTERS = {".xlsx": "Sổ tính Excel (*.xlsx)", ".csv": "CSV, UTF-8 (*.csv)"}


class QueueExport(QObject):
    """The screen's export button, its keys and its job bar (the screen lays them out)."""

    message = Signal(str)  # for the status bar
    exported = Signal(object)  # an ExportResult, once the file is in place
    failed = Signal(str)  # what went wrong, in Vietnamese
    copied = Signal(str)  # the text put on the clipboard

    def __init__(
        self,
        screen: QWidget,
        table: QTableView,
        query: Callable[[], QueueQuery],
        selected: Callable[[], RowSelection],
        role: Callable[[], str],
        service: QueueService,
        tasks: Tasks,
    ) -> None:
        """``screen`` holds the keys; ``query`` is the view as shown (its sort too),
        ``selected`` its selected row spans, ``role`` the role the user acts in."""
        super().__init__(screen)
        self._screen = screen
        self._table = table
        self._query = query
        self._selected = selected
        self._role = role
        self._service = service
        self._tasks = tasks
        self.job = JobBar(tasks, screen)
        self.job.setObjectName("exportJob")
        self.job.cancelled.connect(lambda: self.message.emit(self.tr("Đã huỷ xuất tệp")))
        self.excel_action = QAction(self.tr("Xuất Excel…"), screen)
        self.excel_action.setShortcut(QKeySequence(EXPORT_KEY))
        self.csv_action = QAction(self.tr("Xuất CSV…"), screen)
        for action, suffix in ((self.excel_action, ".xlsx"), (self.csv_action, ".csv")):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _on=False, s=suffix: self.choose(s))
            screen.addAction(action)
        self.button = QToolButton(screen)
        self.button.setObjectName("exportButton")
        self.button.setText(self.tr("Xuất…"))
        self.button.setToolTip(self.tr("Xuất danh sách đang xem ra Excel (Ctrl+E) hoặc CSV"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.button)
        menu.addAction(self.excel_action)
        menu.addAction(self.csv_action)
        self.button.setMenu(menu)
        # The style draws the menu arrow over the text's room: "Xuất…" came out "Xuất.,".
        arrow = self.button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator)
        self.button.setMinimumWidth(self.button.sizeHint().width() + arrow)
        self.job.busyChanged.connect(self._busy)
        copy = QShortcut(QKeySequence.StandardKey.Copy, table)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy_selection)

    # --- export ---------------------------------------------------------------------------

    def columns(self) -> tuple[str, ...]:
        """The visible columns' keys in the order the header shows them."""
        header = self._table.horizontalHeader()
        shown = [c for c in range(min(header.count(), len(KEYS))) if not header.isSectionHidden(c)]
        return tuple(KEYS[c] for c in sorted(shown, key=header.visualIndex))

    def choose(self, suffix: str) -> None:
        """The menu or Ctrl+E: where to, whether with identities, then export."""
        if self.job.busy():
            return
        out = self.ask_path(suffix)
        if out is None:
            return
        reveal = self.ask_reveal()
        if reveal is None:
            return
        self.export_to(out, reveal=reveal)

    def ask_path(self, suffix: str) -> Path | None:
        today = datetime.now(OFFICE_ZONE).strftime("%Y%m%d")
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return ask_save_path(
            self._screen,
            self.tr("Xuất danh sách phản ánh"),
            Path(folder) / f"hang-doi-{today}{suffix}",
            self.tr(FILTERS[suffix]),
            suffix,
        )

    def ask_reveal(self) -> bool | None:
        """False (masked) for a role that may not reveal; leadership is asked, masked by
        default. None: the user cancelled."""
        if not may_reveal(self._role()):
            return False
        box = QMessageBox(self._screen)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Danh tính người phản ánh"))
        box.setText(self.tr("Xuất kèm họ tên, số điện thoại, địa chỉ người phản ánh?"))
        box.setInformativeText(
            self.tr(
                "Tệp xuất ra có thể được gửi đi. Danh tính người tố cáo và người xin giữ bí "
                "mật luôn được che."
            )
        )
        masked = box.addButton(self.tr("Che danh tính"), QMessageBox.ButtonRole.AcceptRole)
        shown = box.addButton(self.tr("Hiện danh tính"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(masked)
        box.exec()
        if box.clickedButton() is masked:
            return False
        return True if box.clickedButton() is shown else None

    def export_to(self, out: Path, *, reveal: bool = False) -> None:
        """Every row of the view to ``out`` (.xlsx or .csv) on the read lane (it must not hold
        up a save); the file appears only once whole."""
        from pakn_desktop.services.queue_export import ExportRequest, export_queue

        service = self._service
        request = ExportRequest(self._query(), self.columns(), reveal, self._role())

        def work(ctx: TaskContext) -> ExportResult:
            return export_queue(
                service, request, out, progress=ctx.progress, cancelled=ctx.is_cancelled
            )

        self.message.emit(self.tr("Đang xuất %1…").replace("%1", out.name))
        self.job.run(work, self._exported, self._failed, lane="read")

    def _exported(self, result: ExportResult) -> None:
        rows = self._screen.locale().toString(result.rows)
        text = self.tr("Đã xuất %1 phản ánh vào %2").replace("%1", rows)
        self.message.emit(text.replace("%2", str(result.path)))
        self.exported.emit(result)

    def _failed(self, error: BaseException) -> None:
        from pakn_desktop.ui.errors import error_text

        text = error_text(error)
        self.message.emit(self.tr("Không xuất được: %1").replace("%1", text))
        self.failed.emit(text)

    def _busy(self, busy: bool) -> None:
        for action in (self.excel_action, self.csv_action):
            action.setEnabled(not busy)

    # --- copy -----------------------------------------------------------------------------

    def copy_selection(self) -> None:
        """Ctrl+C: the selected rows (spans, resolved to ids on a worker) as text."""
        selection = self._selected()
        if selection.count == 0:
            return
        if selection.count > COPY_LIMIT:
            number = self._screen.locale().toString(selection.count)
            text = self.tr("Quá nhiều dòng để sao chép (%1); hãy dùng Xuất Excel… (Ctrl+E)")
            self.message.emit(text.replace("%1", number))
            return
        service, columns = self._service, self.columns()

        def work() -> str:
            from pakn_desktop.services.queue_export import copy_text
            from pakn_desktop.ui.queue.selection import resolve

            ids = [i for batch in resolve(service, selection) for i, _code in batch]
            return copy_text(service, selection.query, ids, columns)

        self._tasks.read(work, key="queue-copy", on_result=self._copied, on_error=self._failed)

    def _copied(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        rows = max(text.count("\r\n") - 1, 0)
        number = self._screen.locale().toString(rows)
        self.message.emit(self.tr("Đã sao chép %1 dòng").replace("%1", number))
        self.copied.emit(text)
