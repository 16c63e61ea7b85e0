"""The composition root: QApplication → database → services → main window, in a few lines.

Nothing else builds collaborators or reaches for globals; everything is passed down.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from pakn_desktop.services.environment import Environment
    from pakn_desktop.services.first_start import Start
    from pakn_desktop.services.opening import DatabaseOpener
    from pakn_desktop.ui.crash import CrashHandler
    from pakn_desktop.ui.main.window import MainWindow

log = logging.getLogger(__name__)

FIRST_START_DEMO = 3000  # reports generated when the demo database is empty


@dataclass
class Launched:
    app: QApplication
    window: MainWindow
    database: DatabaseOpener


def run(env: Environment, *, debug: bool = False) -> int:
    launched = launch(env)
    crash = _crash_dialog(launched, env, debug=debug)
    try:
        return launched.app.exec()
    finally:
        crash.uninstall()
        launched.database.close()


def _crash_dialog(launched: Launched, env: Environment, *, debug: bool) -> CrashHandler:
    """Every bug from here on opens the one crash dialog, which keeps the open draft; the log
    file (``services.logging_setup``) starts on a worker after the first paint."""
    from pakn_desktop.ui.application import after_first_paint
    from pakn_desktop.ui.crash import CrashHandler

    crash = CrashHandler(
        launched.app,
        keep_draft=lambda: launched.window.keep_draft(),
        window=lambda: launched.window,
    )
    crash.install()

    def start_log() -> None:
        from pakn_desktop.services.logging_setup import start_logging

        def started(path: Path) -> None:
            crash.log_file = path

        launched.window.tasks.read(
            lambda: start_logging(env.log_dir, debug=debug, faults=True), on_result=started
        )

    after_first_paint(launched.window, start_log)
    return crash


def launch(env: Environment) -> Launched:
    """Everything ``run`` does before the event loop (the start-up benchmark calls it too).

    Window first, database second: the window paints while a worker imports SQLAlchemy,
    migrates and seeds (that takes longer than Qt's whole start-up); then the queue loads.
    With no database yet, the window opens on the demo database (``services.first_start``).
    """
    from PySide6.QtWidgets import QApplication

    from pakn_desktop.services.first_start import choose
    from pakn_desktop.ui.application import configure

    app = QApplication(sys.argv[:1])
    configure(app)
    return open_main(app, choose(env))


def open_main(app: QApplication, start: Start) -> Launched:
    """The main window on ``start``'s database, in ``app`` (tests give pytest-qt's)."""
    return _open_window(app, start, None)


def _open_window(app: QApplication, start: Start, launched: Launched | None) -> Launched:
    """The window on ``start``'s database; ``launched`` (a window already open) takes it."""
    from pakn_desktop.services.opening import DatabaseOpener
    from pakn_desktop.ui.application import after_first_paint
    from pakn_desktop.ui.main.build import build_main_window

    database = DatabaseOpener(start.env)
    window = build_main_window(database, start.env, demo=start.demo)
    window.show()
    if launched is None:
        launched = Launched(app, window, database)
    else:
        launched.window, launched.database = window, database

    def failed(error: BaseException) -> None:
        from pakn_desktop.ui.errors import error_text

        text = error_text(error)  # a bug goes on to the crash dialog; the window stays
        from PySide6.QtWidgets import QMessageBox  # only on failure: its enums cost start-up

        QMessageBox.critical(window, "PAKN Desktop", text)
        app.exit(1)

    # Demo reports only ever go into the demo database; a real one starts empty.
    demo_count = FIRST_START_DEMO if start.demo else 0
    after_first_paint(
        window,
        lambda: window.tasks.write(
            database,
            on_result=lambda _db: window.start(demo_if_empty=demo_count),
            on_error=failed,
        ),
    )
    if start.demo:
        final = launched
        window.realRequested.connect(lambda: _start_real(final, start.env))
    return launched


def _start_real(launched: Launched, demo_env: Environment) -> None:
    """Create the real database on a worker, then replace the demo window by one on it."""
    from pakn_desktop.services.first_start import Start, create_real_database

    window, old_database = launched.window, launched.database
    if window.demo_banner is not None:
        window.demo_banner.set_busy(True)

    def opened(real: Environment) -> None:
        _open_window(launched.app, Start(real, False), launched)
        window.close()  # after the new window shows: closing the last one would quit
        old_database.close()
        window.realOpened.emit(launched.window)

    def failed(error: BaseException) -> None:
        from pakn_desktop.ui.errors import error_text

        if window.demo_banner is not None:
            window.demo_banner.set_busy(False)
        text = error_text(error)
        window.show_message(window.tr("Không tạo được cơ sở dữ liệu thật: %1").replace("%1", text))

    window.tasks.write(lambda: create_real_database(demo_env), on_result=opened, on_error=failed)


def build_main_window(*args: Any, **kwargs: Any) -> Any:
    """See :func:`pakn_desktop.ui.main.build.build_main_window` (re-exported for callers)."""
    from pakn_desktop.ui.main.build import build_main_window as build

    return build(*args, **kwargs)
