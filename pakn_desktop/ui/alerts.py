"""Deadline alerts on the desktop: the scanner run periodically on a worker, a tray balloon.

The scan is a read (parallel lane); the escalations it finds are written on the serial write
lane. Without a system tray (the offscreen platform, some Linux desktops) the status bar
message is the only notice: nothing fails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from pakn_desktop.ui.periodic import PeriodicRead
from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.alerts import AlertScanner, ScanResult

log = logging.getLogger(__name__)

SCAN_MS = 60_000  # a minute: the 5-minute forward target needs warnings within it


class AlertWatch(QObject):
    fired = Signal(object)  # ScanResult with at least one alert or escalation
    message = Signal(str)

    def __init__(
        self,
        scanner: Callable[[], AlertScanner],
        tasks: Tasks,
        parent: QObject | None = None,
        *,
        interval_ms: int = SCAN_MS,
    ) -> None:
        super().__init__(parent)
        self._scanner = scanner
        self._tasks = tasks
        self._rounds = PeriodicRead(
            tasks,
            lambda: scanner().scan(),
            self._scanned,
            key="alert-scan",
            what="deadline scan",
            interval_ms=interval_ms,
            parent=self,
        )
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            style = QApplication.style()
            icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("PAKN Desktop")
            self.tray.show()

    def start(self) -> None:
        self._rounds.start()

    def scan(self) -> None:
        self._rounds.run()

    def _scanned(self, result: ScanResult) -> None:
        if result.escalations:
            scanner, found = self._scanner, result.escalations
            self._tasks.write(
                lambda: scanner().record(found),
                on_error=lambda error: log.warning(
                    "escalation not recorded: %s", type(error).__name__
                ),
            )
        if result.alerts or result.escalations:
            self.notify(result)
            self.fired.emit(result)

    def notify(self, result: ScanResult) -> None:
        # The status bar has one line: the case codes only while they fit (twenty
        # escalations' codes ran off the edge), the counts otherwise; the tray balloon has
        # room for a few codes.
        text = self.describe(result)
        if len(text) > STATUS_LINE_CHARS:
            text = self.describe(result, examples=False)
        self.message.emit(text)
        if self.tray is not None:
            self.tray.showMessage(
                self.tr("Cảnh báo thời hạn"),
                self.describe(result),
                QSystemTrayIcon.MessageIcon.Warning,
                10_000,
            )

    def describe(self, result: ScanResult, *, examples: bool = True) -> str:
        def codes(state: str, deadline: str) -> list[Any]:
            return [
                a.code for a in result.alerts if (a.state.value, a.deadline) == (state, deadline)
            ]

        parts: list[str] = []
        for found, label in (
            (codes("overdue", "forward"), self.tr("%1 phản ánh quá hạn chuyển")),
            (codes("at_risk", "forward"), self.tr("%1 phản ánh sắp quá hạn chuyển")),
            (codes("overdue", "resolve"), self.tr("%1 phản ánh quá hạn")),
            (codes("at_risk", "resolve"), self.tr("%1 phản ánh sắp quá hạn")),
            ([e.code for e in result.escalations], self.tr("%1 lượt chuyển cấp trên")),
        ):
            if found:
                shown = _examples(found) if examples else ""
                parts.append(label.replace("%1", str(len(found))) + shown)
        return "; ".join(parts)


STATUS_LINE_CHARS = 80  # what the status bar shows beside its permanent widgets


def _examples(codes: list[Any]) -> str:
    shown = ", ".join(str(c) for c in codes[:3])
    return f" ({shown}{'…' if len(codes) > 3 else ''})"
