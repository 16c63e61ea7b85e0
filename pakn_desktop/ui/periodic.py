"""A read repeated on a timer: at start, then every interval (the clock and alert watches)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QTimer

from pakn_desktop.ui.tasks import Tasks

log = logging.getLogger(__name__)

T = TypeVar("T")


class PeriodicRead(QObject, Generic[T]):
    """``fn`` on the read lane at :meth:`start` and every ``interval_ms`` after; :meth:`run`
    asks once more now. A round still waiting when the next comes is superseded (``key``). A
    failed round is only logged: the next one may find the server back."""

    def __init__(
        self,
        tasks: Tasks,
        fn: Callable[[], T],
        on_result: Callable[[T], None],
        *,
        key: str,
        what: str,  # for the log: "<what> failed: <error>"
        interval_ms: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._fn = fn
        self._on_result = on_result
        self._key = key
        self._what = what
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.run)

    def start(self) -> None:
        self.run()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def run(self) -> None:
        self._tasks.read(self._fn, on_result=self._on_result, on_error=self._failed, key=self._key)

    def _failed(self, error: BaseException) -> None:
        log.warning("%s failed: %s", self._what, type(error).__name__)  # no message: personal data
