"""Rendering shots offscreen: one main window on the demo database, each shot brought to its
state by its builder (``screens``, ``dialogs``), grabbed at the window's size. A dialog is
drawn over the dimmed window under a plain title bar, as a window manager would show it."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pakn_desktop.data.errors import ErrorCode, KnownError
from pakn_desktop.services.environment import Environment
from pakn_desktop.ui.screenshot.dialogs import DIALOG_SHOTS
from pakn_desktop.ui.screenshot.screens import INTAKE_SHOTS, SCREEN_SHOTS
from pakn_desktop.ui.screenshot.shot import QUEUE, Session, Shot

if TYPE_CHECKING:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QWidget


SIZE = (1366, 768)  # the common laptop screen of the centres' desks
DEMO_TICKETS = 3000
WAIT_S = 60.0


def shots() -> dict[str, Shot]:
    return {shot.name: shot for shot in (*SCREEN_SHOTS, *DIALOG_SHOTS, *INTAKE_SHOTS)}


def check_size(size: tuple[int, int]) -> None:
    width, height = size
    if width < 200 or height < 150:
        raise KnownError(ErrorCode.INVALID, f"kích thước quá nhỏ: {width}x{height}")


def render_screen(
    env: Environment, screen: str, out: str | Path, size: tuple[int, int] = SIZE
) -> Path:
    """Render the shot ``screen`` at ``size`` into the PNG ``out``; KnownError(INVALID) on bad
    input."""
    known = shots()
    if screen not in known:
        valid = ", ".join(sorted(known))
        raise KnownError(
            ErrorCode.INVALID, f"không có màn hình '{screen}'; chọn một trong: {valid}"
        )
    check_size(size)
    target = Path(out)
    if not target.parent.is_dir():
        raise KnownError(ErrorCode.INVALID, f"thư mục {target.parent} không tồn tại")
    with session(env, size) as running:
        _render(running, known[screen], target)
    return target


@dataclass(frozen=True)
class Rendered:
    shot: Shot
    path: Path
    dialog: str | None  # the class of the dialog shown over the window, if any


def render_all(
    env: Environment,
    folder: str | Path,
    size: tuple[int, int] = SIZE,
    names: Sequence[str] | None = None,
) -> list[Rendered]:
    """Every shot (or those named) into ``folder``/NAME.png, from one window."""
    check_size(size)
    target = Path(folder)
    if not target.is_dir():
        raise KnownError(ErrorCode.INVALID, f"thư mục {target} không tồn tại")
    known = shots()
    chosen = [known[name] for name in names] if names is not None else list(known.values())
    with session(env, size) as running:
        return [_render(running, shot, target / f"{shot.name}.png") for shot in chosen]


def _render(running: Session, shot: Shot, target: Path) -> Rendered:
    window = running.window
    window.statusBar().clearMessage()  # a word the shot before left
    try:
        dialog = shot.build(running)
    except KnownError as error:
        raise KnownError(error.code, f"{shot.name}: {error.detail}") from error
    shown = type(dialog).__name__ if dialog is not None else None
    try:
        running.settle()
        image = window.grab().toImage()
        if dialog is not None:
            image = over_window(image, dialog, running)
        if not image.save(str(target), "PNG"):  # type: ignore[call-overload]
            raise KnownError(ErrorCode.INVALID, f"không ghi được {target}")
    finally:
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
            running.app.processEvents()
    return Rendered(shot, target, shown)


def over_window(image: QImage, dialog: QWidget, running: Session) -> QImage:
    """``dialog`` centred over the dimmed ``image`` under a title bar with its title; a dialog
    taller or wider than the window is made to fit, as a window manager would."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

    result = image.convertToFormat(QImage.Format.Format_ARGB32)
    bar = dialog.fontMetrics().height() + 14
    room_w, room_h = result.width() - 40, result.height() - 40 - bar
    if dialog.width() > room_w or dialog.height() > room_h:
        dialog.resize(min(dialog.width(), room_w), min(dialog.height(), room_h))
        running.settle()
    grab = dialog.grab()
    x = (result.width() - grab.width()) // 2
    y = (result.height() - grab.height() - bar) // 2
    painter = QPainter(result)
    try:
        painter.fillRect(result.rect(), QColor(16, 24, 40, 110))  # the window behind, modal
        frame = QRect(x - 1, y - 1, grab.width() + 2, grab.height() + bar + 2)
        painter.fillRect(frame, QColor("#d0d5dd"))
        painter.fillRect(QRect(x, y, grab.width(), bar), QColor("#eaecf0"))
        font = QFont(dialog.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QPen(QColor("#101828")))
        title = QRect(x + 10, y, grab.width() - 20, bar)
        painter.drawText(title, Qt.AlignmentFlag.AlignVCenter, dialog.windowTitle())
        painter.drawPixmap(x, y + bar, grab)
    finally:
        painter.end()
    return result


@contextmanager
def session(env: Environment, size: tuple[int, int]) -> Iterator[Session]:
    """The main window at ``size`` on the demo database (made if empty), started and showing
    the queue with its first report selected; closed, and its drafts removed, after."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display unless one is asked for

    from PySide6.QtCore import QEventLoop, QSettings, QThread
    from PySide6.QtWidgets import QApplication

    from pakn_desktop.services.database import open_database
    from pakn_desktop.ui.application import configure
    from pakn_desktop.ui.main.build import build_main_window

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    configure(app)
    env, demo = _shot_environment(env)
    database = open_database(env)
    try:
        if demo:
            _fill_demo(database)
            _demo_rules(database)

        def wait(done: Callable[[], bool]) -> None:
            deadline = time.monotonic() + WAIT_S
            while not done():
                if time.monotonic() > deadline:
                    raise KnownError(ErrorCode.INVALID, "hết thời gian chờ màn hình vẽ xong")
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
                QThread.msleep(5)

        with tempfile.TemporaryDirectory() as state:  # a saved layout must not change the shot
            settings = QSettings(str(Path(state) / "ui.ini"), QSettings.Format.IniFormat)
            window = build_main_window(database, env, settings=settings, demo=demo)
            running = Session(app, window, database, wait)
            try:
                window.resize(*size)
                window.show_screen(QUEUE)
                window.show()
                window.start()
                _first_report(running)
                yield running
            finally:
                window.close()
                window.deleteLater()
                app.processEvents()
                _discard_drafts(database, running.drafts)
    finally:
        database.close()


def _first_report(running: Session) -> None:
    from pakn_desktop.ui.queue.cells import COL_CODE

    window, wait = running.window, running.wait
    model = window.queue.model
    wait(lambda: model.is_exact() and window.station_label.text() != "Máy trạm: …")
    if model.rowCount():
        window.queue.table.selectRow(0)
        code = model.data(model.index(0, COL_CODE))
        wait(lambda: window.queue.detail.title.text() == code)
    window.show_screen(QUEUE)  # open drafts switch to Tiếp nhận at start
    wait(lambda: bool(window.queue.views.counts))  # the navigation's counts are in


def _discard_drafts(database: Any, drafts: list[uuid.UUID]) -> None:
    """The examples typed into the intake form leave no draft behind."""
    if drafts:
        from pakn_desktop.services.intake.drafts import DraftService

        for draft in drafts:
            DraftService(database).discard(draft)


def _shot_environment(env: Environment) -> tuple[Environment, bool]:
    """With no database named, the shot is of the demo database, never of the real one."""
    from pakn_desktop.services.first_start import demo_environment, is_default, is_demo

    if is_default(env):
        env = demo_environment(env)
    return env, is_demo(env)


def _fill_demo(database: Any) -> None:
    """A CLI may wait: synchronous demo data, and only ever into the demo database."""
    from pakn_desktop.services.queue import QueueService

    if QueueService(database).is_empty():
        from pakn_desktop.services.demo import generate

        generate(database, DEMO_TICKETS)


DEMO_RULES = 6


def _demo_rules(database: Any) -> None:
    """Routing rules as an administrator would set them, from the demo's most frequent routes:
    the rules dialog and the forward dialog's suggestion are shot with something in them."""
    from pakn_desktop.data.examples import routing_examples
    from pakn_desktop.domain.workflow import Role
    from pakn_desktop.services.workflow.routing import RoutingService

    routing = RoutingService(database)
    if routing.list_rules():
        return
    with database.engine.connect() as conn:
        routes = routing_examples(conn, DEMO_RULES)
    for route in routes:
        routing.add_rule(
            Role.ADMIN,
            category_code=route.category_code,
            province_code=route.province_code,
            unit_id=route.lead_unit_id,
        )
