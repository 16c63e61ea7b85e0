"""Building the main window from an open database: the few lines ``app.py`` and the
``screenshot`` command share (app.py is the composition root; this is its window half)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QSettings

from pakn_desktop.services.workstation import describe_url, load_workstation
from pakn_desktop.ui.changes_hub import ChangesHub
from pakn_desktop.ui.intake.backend import IntakeBackendFactory
from pakn_desktop.ui.main.window import MainWindow
from pakn_desktop.ui.tasks import TaskContext, Tasks

if TYPE_CHECKING:  # the types only: the window paints before SQLAlchemy is imported
    from pakn_desktop.services.alerts import AlertScanner
    from pakn_desktop.services.changes import Changes
    from pakn_desktop.services.clock import DeadlineClock
    from pakn_desktop.services.dashboard import DashboardService
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.environment import Environment
    from pakn_desktop.services.queue import QueueService
    from pakn_desktop.ui.evidence.backend import EvidenceBackend
    from pakn_desktop.ui.workflow.backend import WorkflowBackend

VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


def ui_settings(env: Environment) -> QSettings:
    """Window geometry, splitters, header states: UI state, kept beside the data, not in it."""
    return QSettings(str(env.data_dir / "ui-state.ini"), QSettings.Format.IniFormat)


def build_main_window(
    database: Database | Callable[[], Database],
    env: Environment,
    *,
    tasks: Tasks | None = None,
    settings: QSettings | None = None,
    demo: bool = False,
) -> MainWindow:
    """The window with its services; the window shuts ``tasks`` down when it closes.

    ``database`` may be a function that opens it (``services.opening.DatabaseOpener``): the
    services call it on a worker thread. ``window.start()`` must wait until it has opened.
    ``demo``: the database is the demo one (``services.first_start``): the window says so.
    """
    tasks = tasks or Tasks()

    @functools.cache
    def queue_service() -> QueueService:
        from pakn_desktop.services.queue import QueueService

        return QueueService(database)

    @functools.cache
    def clock() -> DeadlineClock:
        from pakn_desktop.services.clock import DeadlineClock

        return DeadlineClock(database)

    def dashboard() -> DashboardService:
        from pakn_desktop.services.dashboard import DashboardService

        return DashboardService(database, clock=clock().now)

    @functools.cache
    def alerts() -> AlertScanner:
        from pakn_desktop.services.alerts import AlertScanner

        return AlertScanner(database, clock().now)

    factory_lock = threading.Lock()  # the first build of the lazily imported factories

    @functools.cache
    def evidence_factory() -> Callable[[], EvidenceBackend]:
        # Imported on first use (a report's detail): the module pulls in the evidence
        # services, ~17 ms that the window's first paint does without.
        from pakn_desktop.ui.evidence.backend import EvidenceBackendFactory

        return EvidenceBackendFactory(database, env.data_dir)

    def evidence() -> EvidenceBackend:
        with factory_lock:  # called from workers: one factory, however many ask at once
            factory = evidence_factory()
        return factory()

    @functools.cache
    def workflow_factory() -> Callable[[], WorkflowBackend]:
        from pakn_desktop.ui.workflow.backend import WorkflowBackendFactory  # after the paint

        return WorkflowBackendFactory(database)

    def workflow() -> WorkflowBackend:
        with factory_lock:  # one factory, however many workers ask at once
            factory = workflow_factory()
        return factory()

    def make_demo(count: int, ctx: TaskContext) -> tuple[int, Changes]:
        from pakn_desktop.services.demo import CHANGES, generate  # heavy; only on a first start

        db = database() if callable(database) else database
        made = generate(db, count, progress=ctx.progress, should_cancel=ctx.is_cancelled)
        return made, CHANGES

    window = MainWindow(
        queue_service,
        tasks,
        settings if settings is not None else ui_settings(env),
        database_label=describe_url(env.db_url) + (" (dữ liệu mẫu)" if demo else ""),
        workstation=lambda: load_workstation(database),
        make_demo=make_demo,
        intake=IntakeBackendFactory(database, env.evidence_dir),
        evidence=evidence,
        clock=clock,
        dashboard=dashboard,
        alerts=alerts,
        workflow=workflow,
        demo=demo,
        changes=ChangesHub(),  # the window's one hub: every write reaches every screen by it
    )
    tasks.setParent(window)
    window.setLocale(VIETNAMESE)
    window.restore_state()
    from pakn_desktop.ui.intake.test_hook import install_if_asked  # env-driven, off by default

    install_if_asked(window)
    return window
