"""What the main window watches in the background once it has started: the server clock,
deadline alerts, and the notification dispatcher (each imported only when started)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject

from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.services.changes import Changes
    from pakn_desktop.services.clock import ClockReading
    from pakn_desktop.ui.changes_hub import ChangesHub


class WatchedWindow(Protocol):
    """What the watchers tell the main window (this module does not import it: the window
    imports this one)."""

    @property
    def changes(self) -> ChangesHub: ...

    def show_clock(self, reading: ClockReading) -> None: ...

    def show_message(self, text: str, timeout_ms: int = 0) -> None: ...

    def show_unsent(self, text: str) -> None: ...


class Watchers:
    """The window's watchers; ``start`` runs them once (a second call does nothing)."""

    def __init__(self, window: WatchedWindow, tasks: Tasks, services: AppServices) -> None:
        self._window = window
        self._tasks = tasks
        self._services = services  # each watch asks for its service on a worker
        self.running: list[object] = []

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
