"""The sync with the shared server, run by the window while it is open (decision 46's watcher:
push, then pull; again when another station pushes (its changes first: decision 54), else
every poll). Its own thread, since a round waits on the network and the watcher waits on the
server's notifications between rounds: neither may hold a worker of ``ui/tasks.py``. What a
pull brought reaches the screens by the hub as soon as it is committed here (``pulled``),
like a local write; the status bar says online or offline, what waits and when it last
synced. A new address or password (``Topic.SYNC_SETTINGS``, the "Máy chủ đồng bộ" dialog)
restarts it: ``restart``."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices

log = logging.getLogger(__name__)

JOIN_S = 10.0  # a round in progress finishes (the watcher checks its stop between waits)
BUG = "Đồng bộ dừng do một lỗi của chương trình; chi tiết trong nhật ký."


class SyncWatch(QObject):
    round_done = Signal(object)  # services.sync.watch.Round
    pulled = Signal(object)  # services.changes.Changes: what a pull brought, once committed
    offline = Signal(str)  # the server could not be reached (its words); the saves wait here
    ended = Signal(str)  # a refusal that waiting would not mend (schema, station code taken)
    needs_password = Signal(str)  # the server refused the login (decision 51): its words
    unset = Signal()  # no server is set: nothing runs

    def __init__(self, services: Callable[[], AppServices], tasks: Tasks, parent: QObject) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._stop = threading.Event()  # the running watcher's; a restart gives a new one
        self._closed = False  # the window closed: nothing starts again
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Runs it if this workstation has a server (asked on a worker: the settings are in
        the database)."""
        services = self._services
        self._tasks.read(lambda: services().sync.configured(), on_result=self._configured)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _configured(self, configured: bool) -> None:
        if self._thread is not None or self._closed:
            return
        if not configured:
            self.unset.emit()
            return
        self._thread = threading.Thread(
            target=self._run, args=(self._stop,), name="pakn-sync", daemon=True
        )
        self._thread.start()

    def restart(self) -> None:
        """The server's address or password changed: the running watcher ends at its next
        check (not waited for: the GUI thread never waits on the network; a push in progress
        holds the server's station lock, so the next one waits for it there) and a new one
        starts if a server is still set."""
        if self._closed:
            return
        self._stop.set()
        self._stop = threading.Event()
        self._thread = None
        self.start()

    def _run(self, stop: threading.Event) -> None:
        from pakn_desktop.domain.errors import ExpectedError
        from pakn_desktop.services.sync.errors import LOGIN_REFUSED

        try:
            self._services().sync.watch(
                None,
                stop,
                on_round=self.round_done.emit,
                on_offline=self.offline.emit,
                on_pulled=self.pulled.emit,
            )
        except ExpectedError as refusal:
            log.warning("sync stopped: %s", refusal.code)
            if refusal.code == LOGIN_REFUSED:
                self.needs_password.emit(refusal.message)
            else:
                self.ended.emit(refusal.message)
        except Exception as error:  # a bug: logged with its frames, the window carries on
            log.error("sync stopped by an error: %s", type(error).__name__, exc_info=True)
            self.ended.emit(BUG)

    def stop(self) -> None:
        """Ends the watcher (the window closes): at its next check, or after its round."""
        self._closed = True
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(JOIN_S)
