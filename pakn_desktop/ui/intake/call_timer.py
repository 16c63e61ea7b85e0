"""The call timer: mm:ss since the call started, ticking once a second while the call runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget


class CallTimer(QLabel):
    """``start()`` at the first ring, ``stop()`` at hang-up; ``started_at``/``ended_at`` are the
    wall-clock moments the form records, on ``clock`` (the screen gives the deadline clock's,
    decision 47: a station whose own clock is off would record call times the intake refuses
    as in the future). The label is the only thing that changes per tick."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("00:00", parent)
        self.setObjectName("callTimer")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        font.setStyleHint(font.StyleHint.Monospace)
        self.setFont(font)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("000:00") + 16)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show)
        self._clock = QElapsedTimer()
        self._offset_ms = 0
        self.clock: Callable[[], datetime] = _station_now
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self._set_running(False)

    @property
    def running(self) -> bool:
        return self._tick.isActive()

    def elapsed_ms(self) -> int:
        if not self._clock.isValid():
            return self._offset_ms
        return self._offset_ms + (self._clock.elapsed() if self.running else 0)

    def start(self, started_at: datetime | None = None) -> None:
        """Start from zero, or (a restored draft) from ``started_at``."""
        now = self.clock()
        self.started_at = started_at or now
        self.ended_at = None
        self._offset_ms = max(0, int((now - self.started_at).total_seconds() * 1000))
        self._clock.start()
        self._tick.start()
        self._set_running(True)
        self._show()

    def show_finished(self, started_at: datetime, ended_at: datetime) -> None:
        """A call that is over (a restored draft): its length, not ticking."""
        self._tick.stop()
        self._clock.invalidate()
        self.started_at, self.ended_at = started_at, max(ended_at, started_at)
        self._offset_ms = int((self.ended_at - started_at).total_seconds() * 1000)
        self._set_running(False)
        self._show()

    def stop(self) -> None:
        if self.running:
            self._offset_ms += self._clock.elapsed()
            self._tick.stop()
            self.ended_at = self.clock()
        self._set_running(False)
        self._show()

    def reset(self) -> None:
        self._tick.stop()
        self._clock.invalidate()
        self._offset_ms = 0
        self.started_at = self.ended_at = None
        self._set_running(False)
        self.setText("00:00")

    def _show(self) -> None:
        seconds = self.elapsed_ms() // 1000
        self.setText(f"{seconds // 60:02d}:{seconds % 60:02d}")

    def _set_running(self, running: bool) -> None:
        self.setProperty("running", running)
        self.setToolTip(
            self.tr("Thời lượng cuộc gọi") if running else self.tr("Chưa có cuộc gọi / đã kết thúc")
        )
        # Red while a caller is on the line; the dynamic property drives the style sheet.
        self.setStyleSheet(
            "QLabel#callTimer { color: #c62828; }"
            if running
            else "QLabel#callTimer { color: gray; }"
        )


def _station_now() -> datetime:
    return datetime.now(UTC)
