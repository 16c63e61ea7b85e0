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
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtWidgets import QWidget

    from pakn_desktop.ui.crash_dialog import CrashDialog

log = logging.getLogger(__name__)

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class CrashHandler(QObject):
    """Installed by the composition root for the GUI's lifetime (``install``/``uninstall``).

    ``keep_draft`` queues a save of the open draft; ``window`` gives the window to show over;
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
        self.log_file: Path | None = None  # set once the log has started
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
        # The GUI thread is the main one (threading, not QThread: its type costs ms at start).
        if threading.current_thread() is threading.main_thread():
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
        from pakn_desktop.ui.crash_dialog import CrashDialog  # its widgets: not on the start path

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
