"""Sends the units' SMS and e-mail from the GUI: ``Dispatcher.deliver_due`` on a worker,
every few seconds and right after a forward. It always runs: the dispatcher reads the shared
notification settings each round and leaves jobs waiting, attempts unspent, while no gateway
or mail server is configured (services.notify_settings)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.notify.dispatcher import Dispatcher

log = logging.getLogger(__name__)

EVERY_MS = 5_000  # retries come due on their own backoff; this is how often we look


class DispatchWatch(QObject):
    delivered = Signal(object)  # services.notify.DeliveryCounts, when something was sent
    # Why the units' messages wait unsent (no gateway / mail server), "" once they can go;
    # emitted when it changes, so the status bar keeps saying it while it is true.
    waiting = Signal(str)

    def __init__(self, dispatcher: Callable[[], Dispatcher], tasks: Tasks, parent: QObject) -> None:
        super().__init__(parent)
        self._dispatcher = dispatcher  # called on workers only: the database opens there
        self._tasks = tasks
        self._running = False
        self.waiting_text = ""
        self.enabled: bool | None = None  # None until the settings were read on a worker
        self._timer = QTimer(self)
        self._timer.setInterval(EVERY_MS)
        self._timer.timeout.connect(self.poke)

    def start(self) -> None:
        dispatcher = self._dispatcher
        self._tasks.read(lambda: dispatcher() is not None, on_result=self._configured)

    def _configured(self, enabled: bool) -> None:
        self.enabled = enabled
        if enabled:
            self._timer.start()
            self.poke()

    def poke(self) -> None:
        """Deliver what is due now (a forward just wrote jobs). One round at a time: the
        network may take seconds, and a second round would only find the jobs claimed."""
        if not self.enabled or self._running:
            return
        self._running = True
        dispatcher = self._dispatcher
        # The read lane, not the write lane: a slow gateway must not hold up saving reports;
        # each job is claimed by compare-and-set in its own short transaction.
        self._tasks.read(
            lambda: dispatcher().deliver_due(), on_result=self._done, on_error=self._failed
        )

    def stop(self) -> None:
        self._timer.stop()

    def _done(self, counts: object) -> None:
        self._running = False
        text = str(getattr(counts, "waiting", "") or "")
        if text != self.waiting_text:
            self.waiting_text = text
            self.waiting.emit(text)
        if counts is not None and any(getattr(counts, f) for f in ("sent", "failed", "retried")):
            self.delivered.emit(counts)

    def _failed(self, error: BaseException) -> None:
        self._running = False
        log.warning("notification dispatch failed: %s", type(error).__name__)
