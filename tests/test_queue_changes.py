"""Typed changes reach the open queue through the window's hub: a changed report's row is read
again in place, a report leaving the view is taken out, the selection and the scroll position
stay, a change of settings alone reads nothing, and the counts still equal a full count
(pytest-qt, offscreen, the real window over SQLite)."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from pakn_desktop.data.models import Ticket
from pakn_desktop.services.app_services import AppServices
from pakn_desktop.services.changes import MANY_REPORTS, Changes, Topic, combine
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.queue import QueueService
from pakn_desktop.ui.main.build import build_main_window
from pakn_desktop.ui.main.window import MainWindow
from pakn_desktop.ui.queue.cells import COL_CODE
from pakn_desktop.ui.queue.live import drop_row, plan
from pakn_desktop.ui.queue.model import ObjectRole
from pakn_desktop.ui.queue.saved_views import view_query

from .queue_data import fill_tickets


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> Iterator[MainWindow]:
    fill_tickets(database.engine)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = build_main_window(AppServices(lambda: database, env), env, settings=settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.start()
    queue = win.queue
    qtbot.waitUntil(lambda: queue.model.is_exact() and queue._station_code is not None)
    with qtbot.waitSignal(queue.views.counter.counted, timeout=10_000):
        queue.views.count_now()  # the start's counting passes are over: quiet from here
    yield win


def _reads(service: QueueService, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often the queue's service is asked for each kind of read from now on."""
    calls: dict[str, int] = {}
    for name in ("first_page", "page_after", "shape", "placements", "count"):
        real = getattr(service, name)

        def spy(*args: Any, _real: Callable[..., Any] = real, _name: str = name, **kw: Any) -> Any:
            calls[_name] = calls.get(_name, 0) + 1
            return _real(*args, **kw)

        monkeypatch.setattr(service, name, spy)
    return calls


def _ids(window: MainWindow) -> list[uuid.UUID]:
    table, model = window.queue.table, window.queue.model
    return [model.data(i, ObjectRole).id for i in table.selectionModel().selectedRows()]


def _look_at_rows(qtbot: QtBot, window: MainWindow, selected: int, top: int) -> None:
    model, table = window.queue.model, window.queue.table
    qtbot.waitUntil(lambda: model.row_object(60) is not None)
    table.selectRow(selected)
    table.verticalScrollBar().setValue(top * table.rowHeight(0))
    assert table.rowAt(0) == top


def test_a_changed_report_reads_its_row_again_and_nothing_else(
    qtbot: QtBot, window: MainWindow, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = window.queue
    model, table = queue.model, queue.table
    _look_at_rows(qtbot, window, selected=5, top=3)
    chosen, scrolled = _ids(window), table.verticalScrollBar().value()
    changed = model.row_object(8)
    neighbour = model.row_object(9)
    assert changed is not None and neighbour is not None
    with database.engine.begin() as conn:
        conn.execute(update(Ticket).where(Ticket.id == changed.id).values(summary="Cống vỡ"))
    reads = _reads(queue._service, monkeypatch)
    rows_told: list[tuple[int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, _roles=(): rows_told.append((top.row(), bottom.row()))
    )
    with (
        qtbot.assertNotEmitted(model.modelAboutToBeReset),
        qtbot.assertNotEmitted(model.rowsAboutToBeRemoved),
    ):
        window.changes.publish(Changes.reports_updated([changed.id]))
        qtbot.waitUntil(lambda: model.row_object(8).summary == "Cống vỡ", timeout=10_000)
    assert model.row_object(8).id == changed.id
    assert model.row_object(9) is neighbour  # the rows around it were not read again
    assert reads.get("placements") == 1 and "page_after" not in reads
    assert "first_page" not in reads
    assert rows_told == [(8, 8)]
    assert _ids(window) == chosen and table.verticalScrollBar().value() == scrolled


def test_a_report_leaving_the_view_is_taken_out_and_the_selection_stays(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    queue = window.queue
    model, table = queue.model, queue.table
    with qtbot.waitSignal(model.countKnown, timeout=10_000):
        queue.status.setCurrentIndex(queue.status.findData("new"))
    qtbot.waitUntil(model.is_exact, timeout=10_000)
    _look_at_rows(qtbot, window, selected=10, top=2)
    chosen, top_code = _ids(window), model.data(model.index(3, COL_CODE))
    rows = model.rowCount()
    leaving, after = model.row_object(2), model.row_object(3)
    assert leaving is not None and after is not None
    with database.engine.begin() as conn:
        conn.execute(update(Ticket).where(Ticket.id == leaving.id).values(status="closed"))
    with qtbot.assertNotEmitted(model.modelAboutToBeReset):
        window.changes.publish(Changes.reports_updated([leaving.id]))
        qtbot.waitUntil(lambda: model.rowCount() == rows - 1, timeout=10_000)
    assert model.row_object(2) == after
    assert model.rowCount() == QueueService(database).count(model.query)  # a full count
    assert _ids(window) == chosen and table.currentIndex().row() == 9
    assert model.data(model.index(table.rowAt(0), COL_CODE)) == top_code  # no jump
    assert model.row_object(60) is not None  # the pages below moved up, not dropped


def test_a_change_of_settings_alone_reads_nothing_in_the_queue(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = window.queue
    model, counter = queue.model, queue.views.counter
    reads = _reads(queue._service, monkeypatch)
    settings_only = Changes.of(Topic.ROUTING_RULES, Topic.NOTIFY_SETTINGS)
    with (
        qtbot.assertNotEmitted(model.countKnown, wait=300),
        qtbot.assertNotEmitted(counter.counted, wait=900),
    ):
        window.changes.publish(settings_only)
    assert reads == {}
    # The same road with a report in it does read: the spy sees what the queue asks.
    with qtbot.waitSignal(counter.counted, timeout=10_000):
        window.changes.publish(Changes.reports_updated([uuid.uuid4()]))
    assert reads.get("placements") == 1


def test_the_counts_after_a_change_equal_a_full_count(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    queue = window.queue
    with database.engine.begin() as conn:
        ids = list(conn.scalars(select(Ticket.id).where(Ticket.status == "new").limit(7)))
        conn.execute(update(Ticket).where(Ticket.id.in_(ids)).values(status="closed"))
    with qtbot.waitSignal(queue.views.counter.counted, timeout=10_000) as blocker:
        window.changes.publish(Changes.reports_updated(ids))
    counts = blocker.args[0].counts
    service = QueueService(database)
    picks = queue._picks()
    assert counts and all(counts[key] == service.count(view_query(key, picks)) for key in counts), (
        counts
    )


def test_the_detail_reads_its_report_again_unless_it_made_the_change(
    qtbot: QtBot, window: MainWindow
) -> None:
    queue = window.queue
    model, detail = queue.model, queue.detail
    with qtbot.waitSignal(detail.loaded, timeout=10_000):
        queue.table.selectRow(4)
    shown = model.row_object(4)
    assert shown is not None
    with qtbot.waitSignal(detail.loaded, timeout=10_000) as blocker:  # an alert, a colleague
        window.changes.publish(Changes.reports_updated([shown.id], Topic.ALERTS))
    assert blocker.args == [shown.code]
    with qtbot.assertNotEmitted(detail.loaded, wait=500):
        window.changes.publish(Changes.reports_updated([uuid.uuid4()]))  # another report
        window.changes.publish(Changes.reports_updated([shown.id]), detail)  # its own step


# --- the pure parts -----------------------------------------------------------------------


@pytest.mark.parametrize("cached", [[0, 1, 2, 3], [0, 2, 3], [1, 3], [3], [0]])
def test_pages_read_move_up_by_one_row(cached: list[int]) -> None:
    size, table = 3, [f"r{n}" for n in range(11)]
    for at in range(len(table)):
        pages = OrderedDict((n, table[n * size : (n + 1) * size]) for n in cached)
        after = [*table[:at], *table[at + 1 :]]
        moved = drop_row(pages, size, at, len(table))
        for number, rows in moved.items():
            want = after[number * size : (number + 1) * size]
            if number + 1 in cached or len(want) < size:
                assert rows == want, (at, number)
            else:  # its new last row is on a page not read: one row short until read
                assert rows == want[: len(rows)] and len(rows) >= size - 1, (at, number)
        # A page is dropped only when no row is left for it.
        assert all(n * size >= len(after) for n in set(cached) - set(moved)), at


def test_a_plan_moves_rows_only_when_the_counts_agree() -> None:
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    held = {0, 1}
    # Read again where it was: in place.
    same = plan({a: 4}, set(), {a: (4, "A")}, {a}, (50, 50), held, 10)
    assert same.in_place == {4: "A"} and not same.removals and not same.reload
    # Moved down the list: out, then in.
    moved = plan({a: 4}, set(), {a: (7, "A")}, {a}, (50, 50), held, 10)
    assert moved.removals == (4,) and moved.inserts == ((7, "A"),)
    # Left the view; a new one came in.
    both = plan({a: 4}, {b}, {b: (0, "B")}, {a, b}, (50, 50), held, 10)
    assert both.removals == (4,) and both.inserts == ((0, "B"),)
    # Not read, now on a page read: it may have moved there: read the pages again.
    assert plan({}, set(), {c: (12, "C")}, {c}, (50, 50), held, 10).reload
    # Not read, left the view from somewhere not read: the count says so.
    assert plan({}, set(), {}, {c}, (50, 49), held, 10).reload
    # Not read and still far below what was read: nothing to do.
    far = plan({}, set(), {c: (40, "C")}, {c}, (50, 50), held, 10)
    assert far.in_place == {} and not far.reload


def test_changes_combine_and_name_no_more_than_many() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    saved, acted = Changes.reports_created([a]), Changes.reports_updated([a, b])
    both = saved | acted | Changes.of(Topic.UNITS)
    assert both.created == {a} and both.updated == {b} and both.has(Topic.UNITS)
    assert both.concerns(b) and not both.concerns(uuid.uuid4())
    assert not Changes() and not Changes().touches_reports()
    assert Changes.of(Topic.ROUTING_RULES) and not Changes.of(Topic.ROUTING_RULES).touches_reports()
    many = combine(Changes.reports_updated([uuid.uuid4()]) for _ in range(MANY_REPORTS + 1))
    assert many.every_report and not many.reports and many.concerns(a)
