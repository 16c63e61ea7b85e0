"""Building the main window over the application's services: the few lines ``app.py`` and
the ``screenshot`` command share (app.py is the composition root; this is its window half)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QSettings

from pakn_desktop.services.workstation import describe_url
from pakn_desktop.ui.changes_hub import ChangesHub
from pakn_desktop.ui.main.window import MainWindow
from pakn_desktop.ui.tasks import TaskContext, Tasks

if TYPE_CHECKING:  # the types only: the window paints before SQLAlchemy is imported
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.services.changes import Changes
    from pakn_desktop.services.environment import Environment

VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


def ui_settings(env: Environment) -> QSettings:
    """Window geometry, splitters, header states: UI state, kept beside the data, not in it."""
    return QSettings(str(env.data_dir / "ui-state.ini"), QSettings.Format.IniFormat)


def build_main_window(
    services: AppServices,
    env: Environment,
    *,
    tasks: Tasks | None = None,
    settings: QSettings | None = None,
    demo: bool = False,
) -> MainWindow:
    """The window over ``services``; the window shuts ``tasks`` down when it closes.

    The services open the database on first use, and the window asks for them on worker
    threads only: ``window.start()`` must wait until the database has opened.
    ``demo``: the database is the demo one (``services.first_start``): the window says so.
    """
    tasks = tasks or Tasks()

    def make_demo(count: int, ctx: TaskContext) -> tuple[int, Changes]:
        from pakn_desktop.services.demo import CHANGES, generate  # heavy; only on a first start

        db = services.database
        made = generate(db, count, progress=ctx.progress, should_cancel=ctx.is_cancelled)
        return made, CHANGES

    window = MainWindow(
        services,
        tasks,
        settings if settings is not None else ui_settings(env),
        database_label=describe_url(env.db_url) + (" (dữ liệu mẫu)" if demo else ""),
        make_demo=make_demo,
        demo=demo,
        # The one hub beside the one set of services: every write reaches every screen by it.
        changes=ChangesHub(),
    )
    tasks.setParent(window)
    window.setLocale(VIETNAMESE)
    window.restore_state()
    return window
