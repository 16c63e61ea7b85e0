"""Hoạt động đồng bộ (Ctrl+Alt+L, or a click on the status bar's sync state): the sync log's
last lines, the changes the server refused with its reasons (an administrator sends them again
once the cause is mended), and the conflicts the pull settled with the values that lost. Read
on a worker (``services.sync.activity``); a conflict's report opens in the queue (Enter or a
double click)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.domain.office_time import to_office
from pakn_desktop.services.sync.activity import Activity, SentAgain, SyncActivity
from pakn_desktop.ui.admin.base import RED, AdminDialog, admin_table, close_button

LOG, PARKED, CONFLICTS = range(3)


def _when(moment: datetime | None) -> str:
    return "" if moment is None else f"{to_office(moment):%d/%m/%Y %H:%M}"


class SyncActivityDialog(AdminDialog):
    sent_again = Signal(object)  # services.sync.activity.SentAgain
    open_report = Signal(str)  # a conflict's report code: the window shows it in the queue

    NAME = "syncActivityDialog"
    TITLE = "Hoạt động đồng bộ"
    LOADING = "Đang tải…"

    def _prepare(self, source: Callable[[], SyncActivity]) -> None:
        self._source = source
        self.activity: Activity | None = None
        self._said = ""  # what the last action did, kept over the reload after it

    def _first_read(self, source: Callable[[], SyncActivity]) -> Callable[[], Activity]:
        return lambda: source().load()

    def _status_line(self) -> QLabel:
        return self.note

    def _build(self) -> None:
        tr = self.tr
        self.tabs = QTabWidget(self)
        # The log: the latest line first.
        log_page = QWidget(self)
        self.log = QPlainTextEdit(log_page)
        self.log.setObjectName("syncLog")
        self.log.setReadOnly(True)
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.log_path = QLabel(log_page)
        self.log_path.setStyleSheet("color: #555;")
        self.log_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder = QPushButton(tr("Mở thư mục nhật ký"), log_page)
        self.open_folder.setAutoDefault(False)
        self.open_folder.clicked.connect(self._open_folder)
        row = QHBoxLayout()
        row.addWidget(self.log_path, 1)
        row.addWidget(self.open_folder)
        layout = QVBoxLayout(log_page)
        layout.addWidget(self.log, 1)
        layout.addLayout(row)
        self.tabs.addTab(log_page, tr("Nhật ký đồng bộ"))
        # The changes the server refused; the conflicts.
        self.send_again_button = QPushButton(tr("Gửi lại tất cả"), self)
        self.send_again_button.setAutoDefault(False)
        self.send_again_button.clicked.connect(self.send_again)
        self._editable(self.send_again_button)
        self.parked, self.parked_note = self._list_tab(
            tr("Bị máy chủ từ chối"),
            ("Lúc", "Thay đổi", "Phản ánh", "Lý do máy chủ từ chối"),
            "syncParked",
            3,
            self.send_again_button,
        )
        self.conflicts, self.conflicts_note = self._list_tab(
            tr("Xung đột"),
            ("Lúc", "Phản ánh", "Dữ liệu", "Trường", "Giá trị ở máy này bị thay", "Máy trạm"),
            "syncConflicts",
            4,
        )
        self.conflicts.itemActivated.connect(lambda item: self._open(item.row()))

        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.buttons = close_button(self)
        self.refresh_button = QPushButton(tr("Tải lại (F5)"), self)
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.refresh)
        self.buttons.addButton(self.refresh_button, self.buttons.ButtonRole.ActionRole)
        main = QVBoxLayout(self)
        main.addWidget(self.tabs, 1)
        main.addWidget(self.note)
        main.addWidget(self.buttons)
        QShortcut(QKeySequence("F5"), self).activated.connect(self.refresh)
        self.resize(1000, 520)

    def _list_tab(
        self,
        title: str,
        columns: tuple[str, ...],
        name: str,
        stretch: int,
        button: QPushButton | None = None,
    ) -> tuple[QTableWidget, QLabel]:
        """A tab of one list, with a line under it that says what it is (and its action)."""
        page = QWidget(self)
        table = admin_table(page, columns, name, stretch=stretch)
        note = QLabel(page)
        note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(note, 1)
        if button is not None:
            row.addWidget(button)
        layout = QVBoxLayout(page)
        layout.addWidget(table, 1)
        layout.addLayout(row)
        self.tabs.addTab(page, title)
        return table, note

    # --- reading --------------------------------------------------------------------------

    def refresh(self) -> None:
        source = self._source
        self.note.setStyleSheet("")
        self.note.setText(self.tr(self.LOADING))
        self._tasks.read(lambda: source().load(), on_result=self._loaded, on_error=self._failed)

    def _loaded(self, result: Activity) -> None:
        tr = self.tr
        self.activity = result
        self.log.setPlainText(
            "\n".join(result.log) or tr("Chưa có lượt đồng bộ nào được ghi trên máy này.")
        )
        self.log_path.setText(tr("Tệp: %1").replace("%1", str(result.log_path)))
        self._fill(
            self.parked,
            [(_when(p.parked_at), p.what, p.code, p.reason) for p in result.parked],
        )
        self._fill(
            self.conflicts,
            [
                (_when(c.at), c.code, c.what, c.fields, c.lost, c.station_code)
                for c in result.conflicts
            ],
        )
        self.tabs.setTabText(
            PARKED, tr("Bị máy chủ từ chối (%1)").replace("%1", self._n(result.parked_total))
        )
        self.tabs.setTabText(
            CONFLICTS, tr("Xung đột (%1)").replace("%1", self._n(result.conflicts_total))
        )
        self.parked_note.setText(
            tr(
                "Máy chủ đã từ chối các thay đổi này; chúng được giữ trên máy này, không mất. "
                "Khi nguyên nhân đã được khắc phục trên máy chủ, quản trị viên bấm «Gửi lại tất "
                "cả»."
            )
            if result.parked_total
            else tr("Không có thay đổi nào bị máy chủ từ chối.")
        )
        self.conflicts_note.setText(
            tr(
                "Hai máy trạm cùng sửa một trường: giá trị sửa sau cùng được giữ ở mọi nơi, giá "
                "trị bị thay được ghi vào diễn biến của phản ánh. Enter hoặc bấm đúp để mở "
                "phản ánh."
            )
            if result.conflicts_total
            else tr("Chưa có xung đột đồng bộ nào.")
        )
        shown = len(result.parked) + len(result.conflicts)
        total = result.parked_total + result.conflicts_total
        more = (
            tr("Hiện %1 dòng mới nhất trong %2.")
            .replace("%1", self._n(shown))
            .replace("%2", self._n(total))
        )
        self.note.setText(" ".join(t for t in (self._said, more if shown < total else "") if t))
        self._said = ""
        self._set_enabled(self.editable and result.parked_total > 0)
        self.loaded.emit()

    def _fill(self, table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                table.setItem(r, c, item)

    def _failed(self, error: BaseException) -> None:
        self._set_enabled(False)
        self.note.setStyleSheet(RED)
        self.note.setText(self._error_words(error))

    # --- acting ---------------------------------------------------------------------------

    def send_again(self) -> None:
        if not self.editable:
            return
        source = self._source
        self._set_enabled(False)
        self._tasks.write(
            lambda: source().send_again(), on_result=self._sent, on_error=self._failed
        )

    def _sent(self, result: SentAgain) -> None:
        self._said = self.tr(
            "Đã đưa %1 thay đổi vào hàng chờ gửi; lượt đồng bộ tới sẽ gửi chúng."
        ).replace("%1", self._n(result.count))
        self.sent_again.emit(result)
        self.refresh()

    def _open(self, row: int) -> None:
        if self.activity is None or not 0 <= row < len(self.activity.conflicts):
            return
        self.open_report.emit(self.activity.conflicts[row].code)
        self.accept()

    def _n(self, value: int) -> str:
        """A count in the dialog's locale ("1.234"), as the views' counts are shown."""
        return self.locale().toString(value)

    def _open_folder(self) -> None:
        if self.activity is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.activity.log_path.parent)))
