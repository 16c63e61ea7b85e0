"""QueueModel over a real SQLite database: model contract, paging, sorting, filtering."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from pakn_desktop.data import queue as q
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.queue import QueueQuery, QueueRow, QueueService
from pakn_desktop.ui.queue.cells import COL_CODE, COL_DUE, COL_STATUS
from pakn_desktop.ui.queue.model import ObjectRole, QueueModel, SortRole
from pakn_desktop.ui.tasks import Tasks

from .db_template import MigratedEnv
from .queue_data import ROWS, fill_tickets


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory, migrated: MigratedEnv) -> Iterator[Database]:
    env = migrated(tmp_path_factory.mktemp("model") / "data")
    db = open_database(env)
    fill_tickets(db.engine)
    yield db
    db.close()


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[Tasks]:
    runner = Tasks()
    yield runner
    runner.shutdown()


@pytest.fixture
def model(filled: Database, tasks: Tasks) -> QueueModel:
    return QueueModel(QueueService(filled), tasks, page_size=50, cache_pages=4)


def _expected(db: Database, query: QueueQuery) -> list[str]:
    with db.engine.connect() as conn:
        return [r.code for r in q.first_page(conn, query, q.Names(), ROWS + 1)]


def _load(qtbot: QtBot, model: QueueModel) -> None:
    with qtbot.waitSignal(model.countKnown, timeout=10_000):
        model.refresh()


def test_modeltester(qtbot: QtBot, qtmodeltester: object, model: QueueModel) -> None:
    _load(qtbot, model)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: model.row_object(0) is not None)
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_nothing_is_read_before_the_first_refresh(qtbot: QtBot, model: QueueModel) -> None:
    model.set_query(QueueQuery(sort="code"))
    model.sort(COL_DUE, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 0 and model.query.sort == "due_at"
    with qtbot.waitSignal(model.countKnown):
        model.refresh()
    assert model.rowCount() == ROWS


def test_first_page_comes_before_the_count(qtbot: QtBot, model: QueueModel) -> None:
    with qtbot.waitSignal(model.firstPageShown):
        model.refresh()
    assert model.rowCount() == 50  # the first page only: no COUNT waited for
    assert not model.is_exact()
    with qtbot.waitSignal(model.countKnown) as blocker:
        pass
    assert blocker.args == [ROWS]
    assert model.rowCount() == ROWS and model.is_exact()


def test_object_role_and_placeholders(qtbot: QtBot, model: QueueModel) -> None:
    _load(qtbot, model)
    first = model.index(0, COL_CODE)
    row = model.data(first, ObjectRole)
    assert isinstance(row, QueueRow)
    assert model.data(first) == row.code
    assert model.data(model.index(0, COL_DUE), SortRole) == row.due_at
    # A row far down is a placeholder until its page arrives, then it is real.
    far = model.index(ROWS - 7, COL_CODE)
    assert model.data(far, ObjectRole) is None
    assert model.data(far) == "Đang tải…"
    with qtbot.waitSignal(model.dataChanged):
        pass
    qtbot.waitUntil(lambda: model.data(far, ObjectRole) is not None)
    assert model.data(far) == _expected(model_db(model), model.query)[ROWS - 7]


def test_loaded_row_of_looks_in_the_pages_read_only(qtbot: QtBot, model: QueueModel) -> None:
    _load(qtbot, model)
    first = model.row_object(3)
    assert first is not None and model.loaded_row_of(first.id) == 3
    far = ROWS - 7
    model.data(model.index(far, COL_CODE))  # asks for that page
    qtbot.waitUntil(lambda: model.row_object(far) is not None)
    item = model.row_object(far)
    assert item is not None and model.loaded_row_of(item.id) == far
    with model_db(model).engine.connect() as conn:  # a report on a page never read
        middle = q.first_page(conn, model.query, q.Names(), ROWS // 2 + 1)[-1]
    assert model.row_object(ROWS // 2) is None and model.loaded_row_of(middle.id) is None


def model_db(model: QueueModel) -> Database:
    return model._service._database


def test_sort_goes_to_sql(qtbot: QtBot, model: QueueModel, filled: Database) -> None:
    _load(qtbot, model)
    for column, order in [
        (COL_DUE, Qt.SortOrder.AscendingOrder),
        (COL_STATUS, Qt.SortOrder.DescendingOrder),
    ]:
        with qtbot.waitSignal(model.countKnown):
            model.sort(column, order)
        expected = _expected(filled, model.query)
        assert [model.data(model.index(r, COL_CODE)) for r in range(50)] == expected[:50]
    assert model.query.sort == "status" and model.query.descending


def test_filter_goes_to_sql(qtbot: QtBot, model: QueueModel, filled: Database) -> None:
    query = QueueQuery(statuses=("closed",), channel="tc1", kind="tk0", text="rac thai")
    _load(qtbot, model)
    with qtbot.waitSignal(model.countKnown):
        model.set_query(query)
    expected = _expected(filled, query)
    assert 0 < len(expected) < 50
    assert model.rowCount() == len(expected) and model.is_exact()
    assert [model.data(model.index(r, COL_CODE)) for r in range(len(expected))] == expected
    assert all(
        model.data(model.index(r, COL_STATUS)) == "Đã kết thúc" for r in range(len(expected))
    )


def test_stale_answers_are_dropped(qtbot: QtBot, model: QueueModel, filled: Database) -> None:
    model.refresh()
    model.set_query(QueueQuery(statuses=("new",)))
    final = QueueQuery(statuses=("closed",), sort="code", descending=False)
    with qtbot.waitSignal(model.countKnown):
        model.set_query(final)
    assert model.rowCount() == len(_expected(filled, final))
    assert model.data(model.index(0, COL_CODE)) == _expected(filled, final)[0]


def test_scrolling_to_the_end_makes_every_row_real(
    qtbot: QtBot, model: QueueModel, filled: Database
) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    view.resize(800, 400)
    view.setModel(model)
    view.show()
    _load(qtbot, model)
    expected = _expected(filled, model.query)
    seen: list[str] = []
    for row in range(0, ROWS, 50):
        view.scrollTo(model.index(row, 0))
        qtbot.waitUntil(lambda row=row: model.row_object(row) is not None)
        seen += [model.row_object(r).code for r in range(row, min(row + 50, ROWS))]  # type: ignore[union-attr]
        assert model.cached_rows() <= 4 * 50  # the cache is bounded, not the table
    assert seen == expected
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.row_object(ROWS - 1) is not None)
    assert model.data(model.index(ROWS - 1, COL_CODE)) == expected[-1]


def test_status_cell_badges_follow_the_deadline_state(qtbot: QtBot) -> None:
    """Amber from 80 % of the time to the due time, red after it (data.deadline_sql's rule)."""
    import uuid
    from datetime import UTC, datetime, timedelta

    from pakn_desktop.ui.queue.cells import COL_STATUS, present

    received = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    row = QueueRow(
        id=uuid.uuid4(),
        code="PA-1",
        received_at=received,
        channel="k",
        category="c",
        kind="l",
        commune="",
        summary="s",
        status="forwarded",
        unit="",
        due_at=received + timedelta(minutes=60),
        at_risk_at=received + timedelta(minutes=48),  # as stored (ticket.at_risk_at)
    )
    (line,) = present([row])
    assert line.at_risk_at == received + timedelta(minutes=48)
    now = [received + timedelta(minutes=47)]
    model = QueueModel(_NoService(), _NoTasks(), clock=lambda: now[0])  # type: ignore[arg-type]
    model._pages[0] = [line]
    model._rows = 1
    index = model.index(0, COL_STATUS)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is None
    now[0] = received + timedelta(minutes=48)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == "#fef0c7"
    now[0] = received + timedelta(minutes=60, microseconds=1)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == "#fee4e2"


class _NoService:
    pass


class _NoTasks:
    pass
