"""Measures the deadline clock's offset to the server now and then, on a worker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.clock import DeadlineClock

log = logging.getLogger(__name__)

RESYNC_MS = 300_000  # services.clock.RESYNC_S, kept here so the start path imports nothing


class ClockWatch(QObject):
    """``measured`` carries each ``ClockReading``; a failed measurement is logged and the
    last offset kept (a server briefly away must not turn deadlines to the station clock)."""

    measured = Signal(object)

    def __init__(
        self,
        clock: Callable[[], DeadlineClock],
        tasks: Tasks,
        parent: QObject | None = None,
        *,
        interval_ms: int = RESYNC_MS,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._tasks = tasks
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.measure)

    def start(self) -> None:
        self.measure()
        self._timer.start()

    def measure(self) -> None:
        clock = self._clock
        self._tasks.read(
            lambda: clock().measure(),
            on_result=self.measured.emit,
            on_error=lambda error: log.warning("clock measurement failed: %s", error),
            key="clock-measure",
        )
