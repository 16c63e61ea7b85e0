"""The one crash dialog (qutebrowser's crashsignal and crashdialog, smaller).

Every bug reaches it through ``sys.excepthook``: an exception a slot or an event handler let
out (PySide hands it to the hook), one a task's handler raised or no handler took
(``ui.tasks``), one on another thread (``threading.excepthook``, sent over to the GUI thread).
The dialog keeps the user's work: it queues a save of the open intake draft first, never
closes a window, and lets the program run on. Its report goes to the log
(``services.logging_setup``: types and frames, no personal data) and, with "Sao chép chi tiết",
to the clipboard for whoever supports the centre.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class CrashDialog(QDialog):
    """What happened, in Vietnamese; the details (no personal data) to copy; "Đóng" closes
    only this dialog."""

    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("PAKN Desktop — lỗi không mong đợi"))
        self.count = 1
        where = (
            self.tr("Nhật ký: %1").replace("%1", str(log_file))
            if log_file is not None
            else self.tr("Chưa ghi được nhật ký.")
        )
        self.text = QLabel(self._sentence() + "\n" + where, self)
        self.text.setWordWrap(True)
        self.details = QPlainTextEdit(details, self)
        self.details.setObjectName("crashDetails")
        self.details.setReadOnly(True)
        buttons = QDialogButtonBox(self)
        self.copy = QPushButton(self.tr("Sao chép chi tiết"), self)
        self.copy.setObjectName("crashCopy")
        buttons.addButton(self.copy, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Đóng"))
        self.copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def _sentence(self) -> str:
        return self.tr(
            "Chương trình gặp lỗi không mong đợi. Phiếu tiếp nhận đang nhập (nếu có) đã được "
            "lưu nháp; chương trình vẫn chạy, bạn có thể làm tiếp. Nếu lỗi lặp lại, hãy gửi "
            "phần chi tiết dưới đây cho bộ phận kỹ thuật (không chứa nội dung phản ánh)."
        )

    def add(self, details: str) -> None:
        """Another bug while this dialog is open: one dialog, the reports one after another."""
        self.count += 1
        self.details.appendPlainText("\n" + details)
        self.setWindowTitle(
            self.tr("PAKN Desktop — %1 lỗi không mong đợi").replace("%1", str(self.count))
        )

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


class CrashHandler(QObject):
    """Installed by the composition root for the GUI's lifetime (``install``/``uninstall``).

    ``keep_draft`` queues a save of the open draft; ``parent`` gives the window to show over;
    ``log_file`` is set once the log has started (after the first paint)."""

    _elsewhere = Signal(object)  # a bug on another thread, queued to the GUI thread

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        keep_draft: Callable[[], None] | None = None,
        window: Callable[[], QWidget | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.keep_draft = keep_draft
        self.window = window
        self.log_file: Path | None = None
        self.dialog: CrashDialog | None = None
        self._previous: Hook | None = None
        self._previous_thread_hook: Callable[[threading.ExceptHookArgs], object] | None = None
        self._reporting = False
        self._elsewhere.connect(self.report)

    def install(self) -> None:
        self._previous = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._previous is not None and sys.excepthook == self.hook:
            sys.excepthook = self._previous
        if self._previous_thread_hook is not None and threading.excepthook == self._thread_hook:
            threading.excepthook = self._previous_thread_hook
        self._previous = self._previous_thread_hook = None

    def hook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        """``sys.excepthook``: log the bug (no message, no values) and show the dialog."""
        if not issubclass(kind, Exception) or self._reporting:
            # Ctrl+C, SystemExit, or a bug while reporting one: the interpreter's own way.
            (self._previous or sys.__excepthook__)(kind, error, tb)
            return
        if error.__traceback__ is None:
            error = error.with_traceback(tb)
        log.error("unexpected error", exc_info=error)
        if QThread.currentThread() == self.thread():
            self.report(error)
        else:
            self._elsewhere.emit(error)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self.hook(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(object)
    def report(self, error: BaseException) -> None:
        """On the GUI thread: keep the draft, then one dialog for every bug until closed."""
        from pakn_desktop.services.logging_setup import bug_report

        self._reporting = True
        try:
            details = bug_report(error)
            if self.dialog is not None:
                self.dialog.add(details)
                return
            self._keep_draft()
            parent = self.window() if self.window is not None else None
            dialog = CrashDialog(details, self.log_file, parent)
            dialog.finished.connect(self._closed)
            self.dialog = dialog
            dialog.show()  # not modal: the user may go on working (and copy from the form)
        finally:
            self._reporting = False

    def _keep_draft(self) -> None:
        if self.keep_draft is None:
            return
        try:
            self.keep_draft()
        except Exception as error:  # the draft is what is worth keeping; never a second dialog
            log.error("draft not saved after a crash", exc_info=error)

    def _closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
