"""What the main window watches in the background once it has started: the server clock,
deadline alerts, the notification dispatcher and the sync with the shared server (each
imported only when started)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.services.changes import Changes
    from pakn_desktop.services.clock import ClockReading
    from pakn_desktop.services.sync.watch import Round
    from pakn_desktop.ui.changes_hub import ChangesHub
    from pakn_desktop.ui.main.status_bar import StatusBar
    from pakn_desktop.ui.main.sync_password import SyncPasswordPrompt
    from pakn_desktop.ui.main.sync_watch import SyncWatch


class WatchedWindow(Protocol):
    """What the watchers tell the main window (this module does not import it: the window
    imports this one)."""

    @property
    def changes(self) -> ChangesHub: ...

    def show_clock(self, reading: ClockReading) -> None: ...

    def show_message(self, text: str, timeout_ms: int = 0) -> None: ...

    def show_unsent(self, text: str) -> None: ...

    @property
    def status(self) -> StatusBar: ...


class Watchers:
    """The window's watchers; ``start`` runs them once (a second call does nothing)."""

    def __init__(self, window: WatchedWindow, tasks: Tasks, services: AppServices) -> None:
        self._window = window
        self._tasks = tasks
        self._services = services  # each watch asks for its service on a worker
        self.running: list[object] = []
        self.sync: SyncWatch | None = None
        self.password_prompt: SyncPasswordPrompt | None = None

    def start(self) -> None:
        if self.running:  # start() again (after the demo): they already run
            return
        window, tasks, services = self._window, self._tasks, self._services
        assert isinstance(window, QObject)  # it also owns the watchers
        from pakn_desktop.services.changes import Topic
        from pakn_desktop.ui.alerts import AlertWatch
        from pakn_desktop.ui.clock_watch import ClockWatch
        from pakn_desktop.ui.workflow.dispatch_watch import DispatchWatch

        watch = ClockWatch(lambda: services.clock, tasks, window)
        watch.measured.connect(window.show_clock)
        watch.start()
        self.running.append(watch)
        alerts = AlertWatch(lambda: services.alerts, tasks, window)
        alerts.message.connect(lambda text: window.show_message(text, 15_000))
        alerts.fired.connect(lambda result: window.changes.publish(result.changes, alerts))
        alerts.start()
        self.running.append(alerts)
        dispatch = DispatchWatch(lambda: services.dispatcher, tasks, window)

        sending = (Topic.NOTIFICATIONS, Topic.NOTIFY_SETTINGS)  # what the dispatcher sends at once

        def send_now(changes: Changes, _by: object) -> None:
            # A forward wrote jobs, or the servers were set: send now, not on the next round.
            if changes.has(*sending):
                dispatch.poke()

        window.changes.changed.connect(send_now)
        # Which reports' deliveries changed reaches the detail (and later another station's
        # screens, through the sync) by the one road every change takes.
        dispatch.delivered.connect(lambda counts: window.changes.publish(counts.changes, dispatch))
        dispatch.waiting.connect(window.show_unsent)
        dispatch.start()
        self.running.append(dispatch)
        from pakn_desktop.ui.main.other_writers_watch import OtherWritersWatch

        # Another program's writes on this file (the command line, an import beside it).
        others = OtherWritersWatch(lambda: services.database, window.changes, tasks, window)
        others.start()
        self.running.append(others)
        from pakn_desktop.ui.main.sync_watch import SyncWatch

        sync = SyncWatch(lambda: services, tasks, window)
        # What the pull brought takes the road every change takes (decision 42), as soon
        # as it is committed here: before the round's push and counts.
        sync.pulled.connect(lambda changes: window.changes.publish(changes, sync))
        sync.round_done.connect(window.status.show_sync)

        def clock_of(done: Round) -> None:
            # Each round read the sync server's clock (decision 47): a SQLite station's flag.
            if done.clock is not None:
                window.show_clock(done.clock)

        sync.round_done.connect(clock_of)
        sync.offline.connect(window.status.show_sync_offline)
        sync.ended.connect(window.status.show_sync_ended)
        sync.unset.connect(window.status.show_sync_unset)
        from pakn_desktop.ui.main.sync_password import SyncPasswordPrompt

        assert isinstance(window, QWidget)  # the prompt's parent
        prompt = SyncPasswordPrompt(lambda: services, tasks, window.changes, window.status, window)
        sync.needs_password.connect(prompt.refused)
        sync.round_done.connect(lambda _done: prompt.resolved())
        sync.ended.connect(lambda _reason: prompt.resolved())
        sync.offline.connect(lambda _reason: prompt.resolved())
        self.password_prompt = prompt

        def new_server(changes: Changes, _by: object) -> None:
            # The dialog saved another address; refused changes are to be sent again.
            if changes.has(Topic.SYNC_SETTINGS) or changes.has(Topic.SYNC_OUTBOX):
                sync.restart()

        window.changes.changed.connect(new_server)
        sync.start()
        self.running.append(sync)
        self.sync = sync

    def stop(self) -> None:
        """The window closes: the sync ends its round and lets go of the server."""
        if self.sync is not None:
            self.sync.stop()
