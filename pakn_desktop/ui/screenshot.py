"""``pakn-desktop screenshot SCREEN --out F.png``: a screen rendered offscreen with demo data."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pakn_desktop.data.errors import ErrorCode, KnownError
from pakn_desktop.services.environment import Environment

# name -> navigation index (0 = Tiếp nhận, 1 = Hàng đợi)
SCREENS = {"main": 1, "queue": 1, "intake-call": 0, "intake-message": 0, "dashboard": 2}
DEMO_TICKETS = 3000
WAIT_S = 60.0


def render_screen(
    env: Environment, screen: str, out: str | Path, size: tuple[int, int] = (1400, 860)
) -> Path:
    """Render ``screen`` at ``size`` into the PNG ``out``; KnownError(INVALID) on bad input."""
    if screen not in SCREENS:
        valid = ", ".join(sorted(SCREENS))
        raise KnownError(
            ErrorCode.INVALID, f"không có màn hình '{screen}'; chọn một trong: {valid}"
        )
    width, height = size
    if width < 200 or height < 150:
        raise KnownError(ErrorCode.INVALID, f"kích thước quá nhỏ: {width}x{height}")
    target = Path(out)
    if not target.parent.is_dir():
        raise KnownError(ErrorCode.INVALID, f"thư mục {target.parent} không tồn tại")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display unless one is asked for

    from PySide6.QtCore import QEventLoop, QSettings, QThread
    from PySide6.QtWidgets import QApplication

    from pakn_desktop.services.database import open_database
    from pakn_desktop.ui.application import configure
    from pakn_desktop.ui.main.build import build_main_window
    from pakn_desktop.ui.queue.model import COL_CODE

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    configure(app)
    env, demo = _shot_environment(env)
    database = open_database(env)
    try:
        if demo:
            _fill_demo(database)

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
            draft = None
            try:
                window.resize(width, height)
                window.show_screen(SCREENS[screen])
                window.show()
                window.start()
                model = window.queue.model
                wait(lambda: model.is_exact() and window.station_label.text() != "Máy trạm: …")
                if model.rowCount():
                    window.queue.table.selectRow(0)
                    code = model.data(model.index(0, COL_CODE))
                    wait(lambda: window.queue.detail.title.text() == code)
                window.show_screen(SCREENS[screen])  # open drafts switch to Tiếp nhận at start
                draft = _prepare(window, screen, database, wait)
                for _ in range(5):  # let the last dataChanged repaint
                    app.processEvents()
                if not window.grab().save(str(target), "PNG"):
                    raise KnownError(ErrorCode.INVALID, f"không ghi được {target}")
            finally:
                window.close()
                window.deleteLater()
                app.processEvents()
                if draft is not None:  # the example typed into the form: leave no draft
                    from pakn_desktop.services.intake.drafts import DraftService

                    DraftService(database).discard(draft)
    finally:
        database.close()
    return target


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


QUEUE_TEXT = "Cây xanh"  # the queue shot's text filter (the search index; ~2% of demo reports)


def _prepare(window: Any, screen: str, database: Any, wait: Any) -> Any:
    """Bring ``screen`` to the state shot; the id of a draft it made (to remove after)."""
    wait(lambda: bool(window.queue.views.counts))  # the navigation's counts are in
    if screen == "dashboard":  # the charts drawn from their first snapshot
        wait(lambda: window.dashboard.snapshot is not None)
        return None
    if screen == "queue":
        queue = window.queue
        queue.search.setText(QUEUE_TEXT)
        queue._apply_filters()  # what the debounce timer would do
        wait(lambda: queue.model.query.text == QUEUE_TEXT and queue.model.is_exact())
        code = queue.model.data(queue.model.index(0, 0))
        queue.table.selectRow(0)
        wait(lambda: queue.detail.title.text() == code)
        return None
    return _intake_example(window, screen, database, wait)


def _intake_example(window: Any, screen: str, database: Any, wait: Any) -> Any:
    """Type a call or a message into the intake screen; the id of the draft it makes."""
    if not screen.startswith("intake-"):
        return None
    from sqlalchemy import select

    from pakn_desktop.data.models import Reporter, Ticket
    from pakn_desktop.domain.phone import display_phone
    from pakn_desktop.ui.intake.example import Example, fill_example

    intake = window.intake
    wait(lambda: intake.lists is not None)
    query = (
        select(
            Reporter.phone,
            Reporter.full_name,
            Ticket.province_code,
            Ticket.commune_code,
            Ticket.category_code,
            Ticket.summary,
        )
        .join(Reporter, Ticket.reporter_id == Reporter.id)
        .where(
            Reporter.phone.is_not(None),
            Ticket.commune_code.is_not(None),
            Ticket.identity_protected.is_(False),
            Ticket.status != "duplicate",
        )
        .order_by(Ticket.received_at.desc())
        .limit(1)
    )
    with database.engine.connect() as conn:
        row = conn.execute(query).one()
    example = Example(
        phone=display_phone(row.phone),
        name=row.full_name or "",
        province_code=row.province_code or "",
        commune_code=row.commune_code or "",
        category=row.category_code,
        summary=row.summary,
    )
    ready = fill_example(intake, screen.removeprefix("intake-"), example)
    wait(ready)
    wait(lambda: not window.tasks.pending())
    intake.controller.dirty = False  # nothing to save on close
    return intake.controller.draft_id
