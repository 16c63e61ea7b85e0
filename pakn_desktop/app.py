"""The composition root: QApplication → database → services → main window, in a few lines.

Nothing else builds collaborators or reaches for globals; everything is passed down.
"""

from __future__ import annotations

import logging
import sys

from pakn_desktop.services.environment import Environment

log = logging.getLogger(__name__)

FIRST_START_DEMO = 3000  # reports generated when the database is empty


def run(env: Environment) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from pakn_desktop.data.errors import KnownError, classify
    from pakn_desktop.services.database import open_database
    from pakn_desktop.ui.application import configure
    from pakn_desktop.ui.main.build import build_main_window

    app = QApplication(sys.argv[:1])
    configure(app)
    try:
        database = open_database(env)
    except Exception as error:
        known = error if isinstance(error, KnownError) else classify(error)
        if known is None:
            raise
        QMessageBox.critical(None, "PAKN Desktop", known.message)
        return 1
    try:
        window = build_main_window(database, env)
        window.show()
        window.start(demo_if_empty=FIRST_START_DEMO)
        return app.exec()
    finally:
        database.close()


def build_main_window(*args: object, **kwargs: object) -> object:
    """See :func:`pakn_desktop.ui.main.build.build_main_window` (re-exported for callers)."""
    from pakn_desktop.ui.main.build import build_main_window as build

    return build(*args, **kwargs)  # type: ignore[arg-type]
