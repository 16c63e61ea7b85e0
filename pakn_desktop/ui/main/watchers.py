"""What the main window watches in the background once it has started: the server clock,
deadline alerts, and the notification dispatcher (each imported only when started)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pakn_desktop.services.changes import Topic
from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.alerts import AlertScanner
    from pakn_desktop.services.clock import DeadlineClock
    from pakn_desktop.ui.main.window import MainWindow
    from pakn_desktop.ui.workflow.backend import WorkflowBackend

_SENDING = (Topic.NOTIFICATIONS, Topic.NOTIFY_SETTINGS)


class Watchers:
    """The window's watchers; ``start`` runs them once (a second call does nothing)."""

    def __init__(
        self,
        window: MainWindow,
        tasks: Tasks,
        *,
        clock: Callable[[], DeadlineClock] | None,
        alerts: Callable[[], AlertScanner] | None,
        workflow: Callable[[], WorkflowBackend] | None,
    ) -> None:
        self._window = window
        self._tasks = tasks
        self._clock = clock
        self._alerts = alerts
        self._workflow = workflow
        self.running: list[object] = []

    def start(self) -> None:
        if self.running:  # start() again (after the demo): they already run
            return
        window, tasks = self._window, self._tasks
        if self._clock is not None:
            from pakn_desktop.ui.clock_watch import ClockWatch

            watch = ClockWatch(self._clock, tasks, window)
            watch.measured.connect(window.show_clock)
            watch.start()
            self.running.append(watch)
        if self._alerts is not None:
            from pakn_desktop.ui.alerts import AlertWatch

            alerts = AlertWatch(self._alerts, tasks, window)
            alerts.message.connect(lambda text: window.show_message(text, 15_000))
            alerts.fired.connect(lambda result: window.changes.publish(result.changes, alerts))
            alerts.start()
            self.running.append(alerts)
        if self._workflow is not None:
            from pakn_desktop.ui.workflow.dispatch_watch import DispatchWatch

            dispatch = DispatchWatch(self._workflow, tasks, window)
            # A forward wrote jobs, or the servers were set: send now, not on the next round.
            window.changes.changed.connect(
                lambda changes, _by: changes.has(*_SENDING) and dispatch.poke()
            )
            dispatch.delivered.connect(lambda _c: window.delivery_changed())
            dispatch.waiting.connect(window.show_unsent)
            dispatch.start()
            self.running.append(dispatch)
