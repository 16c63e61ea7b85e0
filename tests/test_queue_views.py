"""Saved views of the queue, bulk actions and the columns chooser (offscreen, real window)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pakn_desktop.data.models import Ticket
from pakn_desktop.domain.enums import OPEN_STATUSES
from pakn_desktop.services.changes import Changes
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.ui.main.window import MainWindow
from pakn_desktop.ui.queue.saved_views import COMPLAINTS, OVERDUE, TO_SCREEN

from .qt_helpers import open_window
from .queue_data import fill_tickets


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "ui.ini"


def _build(qtbot: QtBot, database: Database, env: Environment, path: Path) -> MainWindow:
    return open_window(qtbot, database, env, path.parent, size=(1280, 800), ini=path.name)


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, env: Environment, settings_path: Path
) -> Iterator[MainWindow]:
    fill_tickets(database.engine)
    yield _build(qtbot, database, env, settings_path)


def _choose(qtbot: QtBot, win: MainWindow, key: str) -> None:
    views = win.queue.views
    with qtbot.waitSignal(win.queue.model.countKnown, timeout=10_000):
        views.setCurrentIndex(views.findData(key))


def test_overdue_view_shows_only_overdue_rows(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    _choose(qtbot, window, OVERDUE)
    now = datetime.now(UTC)
    with database.engine.connect() as conn:
        expected = conn.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(
                Ticket.status.in_([s.value for s in OPEN_STATUSES]),
                Ticket.due_at.is_not(None),
                Ticket.due_at < now,
            )
        )
    model = window.queue.model
    assert 0 < expected < 2500
    assert model.rowCount() == expected
    for row in range(min(model.rowCount(), model.cached_rows())):
        item = model.row_object(row)
        assert item is not None and item.status in OPEN_STATUSES and item.due_at < now
    qtbot.waitUntil(lambda: window.queue.views.counts.get(OVERDUE) == expected)
    label = window.queue.views.itemText(window.queue.views.findData(OVERDUE))
    assert label == f"Quá hạn ({window.locale().toString(expected)})"


def test_screening_and_complaints_views(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    _choose(qtbot, window, TO_SCREEN)
    with database.engine.connect() as conn:
        new = conn.scalar(select(func.count()).where(Ticket.status.in_(["new", "screening"])))
    assert window.queue.model.rowCount() == new
    _choose(qtbot, window, COMPLAINTS)
    assert window.queue.model.rowCount() == 0  # the test rows have kinds tk0/tk1 only


# A popup menu on the offscreen platform: it cannot raise it or grab the keyboard.
def test_columns_chooser_hides_a_column_that_stays_hidden(
    qtbot: QtBot, window: MainWindow, database: Database, env: Environment, settings_path: Path
) -> None:
    from pakn_desktop.ui.queue.cells import COL_CHANNEL, COL_CODE

    header = window.queue.table.horizontalHeader()
    header.customContextMenuRequested.emit(header.rect().center())
    menu = window.queue.columns.menu
    assert menu is not None
    actions = menu.actions()
    assert not actions[COL_CODE].isEnabled()  # the case code always shows
    actions[COL_CHANNEL].trigger()  # uncheck "Kênh"
    assert header.isSectionHidden(COL_CHANNEL)
    menu.close()
    window.close()
    again = _build(qtbot, database, env, settings_path)
    assert again.queue.table.horizontalHeader().isSectionHidden(COL_CHANNEL)
    assert not again.queue.table.horizontalHeader().isSectionHidden(COL_CODE)


def test_the_waiting_for_the_citizen_view_counts_and_shows_paused_reports(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from pakn_desktop.services.workflow.service import WorkflowService
    from pakn_desktop.ui.queue.saved_views import PAUSED

    ahead = datetime.now(UTC) + timedelta(days=1)
    # Two reports with the unit, due tomorrow. Read and written in two transactions: the
    # window's start-up writes (its station, the alert scan) run on workers meanwhile, and a
    # transaction that read before one of them committed cannot write (SQLite in WAL mode
    # answers "database is locked" at once, without waiting).
    with database.engine.connect() as conn:
        ids = conn.scalars(
            select(Ticket.id).where(Ticket.status == "in_progress").order_by(Ticket.id).limit(2)
        ).all()
    with database.engine.begin() as conn:
        conn.execute(update(Ticket).where(Ticket.id.in_(ids)).values(due_at=ahead))
    assert len(ids) == 2
    service = WorkflowService(database)
    for ticket_id in ids:
        service.act(ticket_id, "pause", "unit_officer", None, {"reason": "Chờ ảnh hiện trường"})
    window.changes.publish(Changes.reports_updated(ids))
    counts = window.queue.views.counter  # the one pass the navigation shows as well
    qtbot.waitUntil(lambda: counts.counts.get(PAUSED) == 2, timeout=10_000)
    row = window.view_nav.row_of(PAUSED)
    qtbot.waitUntil(lambda: window.view_nav.item(row).text().endswith("(2)"))
    _choose(qtbot, window, PAUSED)
    model = window.queue.model
    assert model.rowCount() == 2
    assert {model.row_object(r).id for r in range(2)} == set(ids)  # type: ignore[union-attr]
