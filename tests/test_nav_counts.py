"""The saved views in the main window's navigation: live counts, and a click opens the queue
on that view (offscreen, real window over a real SQLite database)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, update

from pakn_desktop.data.models import Ticket
from pakn_desktop.domain.enums import OPEN_STATUSES
from pakn_desktop.services.changes import Changes
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.ui.main.window import QUEUE, MainWindow
from pakn_desktop.ui.queue.saved_views import COMPLAINTS, OVERDUE, TO_SCREEN, WAITING
from tests.intake_data import form

from .qt_helpers import open_window
from .queue_data import fill_tickets


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> Iterator[MainWindow]:
    fill_tickets(database.engine)
    win = open_window(qtbot, database, env, tmp_path, size=(1280, 800), start="no")
    with qtbot.waitSignal(win.queue.views.counter.counted, timeout=10_000):
        win.start()
    yield win


def _count(database: Database, *statuses: str) -> int:
    with database.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).where(Ticket.status.in_(statuses))) or 0)


def _nav_text(win: MainWindow, key: str) -> str:
    return win.view_nav.item(win.view_nav.row_of(key)).text()


def test_navigation_lists_the_saved_views_with_counts(
    window: MainWindow, database: Database
) -> None:
    to_screen = _count(database, "new", "screening")
    waiting = _count(database, "forwarded")
    assert 0 < to_screen < 2500 and 0 < waiting < 2500
    assert _nav_text(window, TO_SCREEN) == f"Cần sàng lọc ({window.locale().toString(to_screen)})"
    assert _nav_text(window, WAITING).endswith(f"({window.locale().toString(waiting)})")
    assert _nav_text(window, COMPLAINTS) == "Khiếu nại, tố cáo (0)"  # test kinds: tk0/tk1
    # The combo of the queue screen shows the same numbers from the same pass.
    views = window.queue.views
    assert views.itemText(views.findData(TO_SCREEN)) == _nav_text(window, TO_SCREEN)


def test_counts_follow_a_saved_report_and_a_changed_one(
    qtbot: QtBot, window: MainWindow, database: Database, env: Environment
) -> None:
    before = _count(database, "new", "screening")
    saved = IntakeService(database, EvidenceStore(env.evidence_dir)).save(form())  # a new one
    # What the intake screen does after its save: its changes through the window's hub.
    window.changes.publish(saved.changes)
    qtbot.waitUntil(
        lambda: _nav_text(window, TO_SCREEN).endswith(f"({window.locale().toString(before + 1)})")
    )
    with database.engine.begin() as conn:  # one forwarded report is closed
        victim = conn.scalar(select(Ticket.id).where(Ticket.status == "forwarded").limit(1))
        conn.execute(update(Ticket).where(Ticket.id == victim).values(status="closed"))
    waiting = _count(database, "forwarded")
    window.changes.publish(Changes.reports_updated([victim]))
    qtbot.waitUntil(
        lambda: _nav_text(window, WAITING).endswith(f"({window.locale().toString(waiting)})")
    )


def test_a_burst_of_changes_is_counted_once(qtbot: QtBot, window: MainWindow) -> None:
    counter = window.queue.views.counter
    # The start's own passes (the station, once known, asks for one) are over first.
    qtbot.waitUntil(lambda: window.queue._station_code is not None)
    with qtbot.waitSignal(counter.counted, timeout=5000):
        counter.count_now()
    passes: list[object] = []
    counter.counted.connect(passes.append)
    with qtbot.waitSignal(counter.counted, timeout=5000):
        for _ in range(20):  # a bulk close: twenty changes within a few milliseconds
            window.changes.publish(Changes.reports_updated([uuid.uuid4()]))
    with qtbot.assertNotEmitted(counter.counted, wait=900):
        pass
    assert len(passes) == 1


def test_clicking_a_view_opens_the_queue_on_it(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    window.show_screen(0)  # the operator is on Tiếp nhận
    nav = window.view_nav
    item = nav.item(nav.row_of(OVERDUE))
    model = window.queue.model
    with qtbot.waitSignal(model.countKnown, timeout=10_000):
        qtbot.mouseClick(
            nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(item).center()
        )
    assert window.current_screen() == QUEUE
    assert window.queue.views.key() == OVERDUE
    assert model.query.deadline == "overdue"
    now = datetime.now(UTC)
    expected = [
        r for r in range(model.rowCount()) if model.row_object(r) is not None
    ]  # the loaded rows
    assert expected and model.rowCount() == window.queue.views.counts[OVERDUE]
    for row in expected:
        item_row = model.row_object(row)
        assert item_row is not None and item_row.status in OPEN_STATUSES
        assert item_row.due_at is not None and item_row.due_at < now
    # Enter on another entry: the keyboard way, same result.
    nav.setFocus()
    nav.setCurrentRow(nav.row_of(TO_SCREEN))
    with qtbot.waitSignal(model.countKnown, timeout=10_000):
        qtbot.keyClick(nav, Qt.Key.Key_Return)
    assert model.query.statuses == ("new", "screening")
    assert model.rowCount() == _count(database, "new", "screening")
