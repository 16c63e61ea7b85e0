"""Measures the deadline clock's offset to the server now and then, on a worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from pakn_desktop.ui.periodic import PeriodicRead
from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.clock import DeadlineClock

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
        self._rounds = PeriodicRead(
            tasks,
            lambda: clock().measure(),
            self.measured.emit,
            key="clock-measure",
            what="clock measurement",
            interval_ms=interval_ms,
            parent=self,
        )

    def start(self) -> None:
        self._rounds.start()

    def measure(self) -> None:
        self._rounds.run()
