"""The composition root: QApplication → database → services → main window, in a few lines.

Nothing else builds collaborators or reaches for globals; everything is passed down.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from pakn_desktop.services.environment import Environment
    from pakn_desktop.services.opening import DatabaseOpener
    from pakn_desktop.ui.main.window import MainWindow

log = logging.getLogger(__name__)

FIRST_START_DEMO = 3000  # reports generated when the database is empty


@dataclass
class Launched:
    app: QApplication
    window: MainWindow
    database: DatabaseOpener


def run(env: Environment) -> int:
    launched = launch(env)
    try:
        return launched.app.exec()
    finally:
        launched.database.close()


def launch(env: Environment) -> Launched:
    """Everything ``run`` does before the event loop (the start-up benchmark calls it too).

    Window first, database second: the window paints while a worker imports SQLAlchemy,
    migrates and seeds (that takes longer than Qt's whole start-up); then the queue loads.
    """
    from PySide6.QtWidgets import QApplication

    from pakn_desktop.data.errors import classify
    from pakn_desktop.services.opening import DatabaseOpener
    from pakn_desktop.ui.application import after_first_paint, configure
    from pakn_desktop.ui.main.build import build_main_window

    app = QApplication(sys.argv[:1])
    configure(app)
    database = DatabaseOpener(env)
    window = build_main_window(database, env)
    window.show()

    def failed(error: BaseException) -> None:
        known = classify(error)
        if known is None:  # a bug, not the environment: say what it is, never hide it
            log.error("opening the database failed", exc_info=error)
            text = f"{type(error).__name__}: {error}"
        else:
            text = known.message
        from PySide6.QtWidgets import QMessageBox  # only on failure: its enums cost start-up

        QMessageBox.critical(window, "PAKN Desktop", text)
        app.exit(1)

    after_first_paint(
        window,
        lambda: window.tasks.write(
            database,
            on_result=lambda _db: window.start(demo_if_empty=FIRST_START_DEMO),
            on_error=failed,
        ),
    )
    return Launched(app, window, database)


def build_main_window(*args: Any, **kwargs: Any) -> Any:
    """See :func:`pakn_desktop.ui.main.build.build_main_window` (re-exported for callers)."""
    from pakn_desktop.ui.main.build import build_main_window as build

    return build(*args, **kwargs)
