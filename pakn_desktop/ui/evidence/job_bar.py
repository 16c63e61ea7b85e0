"""One long job at a time (attach a batch, export an archive, export the queue): a progress bar
and a Cancel button, shown only while it runs, over a ``Tasks`` task (the write lane unless
told otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from pakn_desktop.ui.tasks import TaskContext, TaskHandle, Tasks

T = TypeVar("T")


class JobBar(QWidget):
    busyChanged = Signal(bool)
    cancelled = Signal()

    def __init__(self, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._job: TaskHandle[Any] | None = None
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Huỷ"), self)
        self.cancel_button.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress, 1)
        layout.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(self.cancel)
        self.hide()

    def busy(self) -> bool:
        return self._job is not None

    def run(
        self,
        fn: Callable[[TaskContext], T],
        done: Callable[[T], None],
        failed: Callable[[BaseException], None],
        *,
        lane: Literal["read", "write"] = "write",
    ) -> None:
        """``fn(ctx)`` on the serial write lane (``lane="read"``: a long read, such as a queue
        export, that must not hold up saves); ``done`` or ``failed`` on the GUI thread."""

        def finished(result: T) -> None:
            self._set_busy(False)
            done(result)

        def broke(error: BaseException) -> None:
            self._set_busy(False)
            failed(error)

        self._job = self._tasks.submit(
            fn,
            lane=lane,
            context=True,
            on_result=finished,
            on_error=broke,
            on_progress=self._progressed,
        )
        self._set_busy(True)

    def cancel(self) -> None:
        """The task's callbacks are dropped; the worker stops at its next chunk and the
        service discards the batch."""
        if self._job is None:
            return
        self._job.cancel()
        self._set_busy(False)
        self.cancelled.emit()

    def _progressed(self, done: int, total: int, *_rest: object) -> None:
        self.progress.setValue(int(1000 * done / total) if total else 0)

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self._job = None
        self.progress.setValue(0)
        self.setVisible(busy)
        self.busyChanged.emit(busy)
