"""The queue's selection is row spans of the query: Ctrl+A and a shift-click over 20,000 demo
reports answer at once with the true count, and a bulk action reaches every selected report,
read into the table or not (pytest-qt, offscreen, the real window)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from pakn_desktop.data.models import Ticket
from pakn_desktop.domain.workflow import Action
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.queue import QueueService
from pakn_desktop.ui.main.window import MainWindow
from pakn_desktop.ui.queue.selection import resolve as resolve_ids

from .db_template import MigratedEnv
from .intake_data import form
from .qt_helpers import open_window

DEMO = 20_000
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, migrated: MigratedEnv
) -> Iterator[tuple[Database, Environment]]:
    from pakn_desktop.services.demo import generate

    env = migrated(tmp_path_factory.mktemp("selection") / "data")
    db = open_database(env)
    generate(db, DEMO, seed=3)
    yield db, env
    db.close()


def _window(qtbot: QtBot, database: Database, env: Environment, tmp: Path) -> MainWindow:
    return open_window(qtbot, database, env, tmp, size=(1366, 768))


def _newest_first(database: Database) -> list[uuid.UUID]:
    """The queue's default order, read apart from the queue's SQL."""
    with database.engine.connect() as conn:
        return list(
            conn.scalars(select(Ticket.id).order_by(Ticket.received_at.desc(), Ticket.id.desc()))
        )


def test_ctrl_a_over_every_row_is_counted_at_once_and_resolves_to_every_report(
    qtbot: QtBot, demo: tuple[Database, Environment], tmp_path: Path
) -> None:
    database, env = demo
    win = _window(qtbot, database, env, tmp_path)
    queue = win.queue
    assert queue.model.rowCount() == DEMO and queue.model.cached_rows() < DEMO
    plain = []  # the same window painted without a selection: what a paint costs here
    for _ in range(3):
        started = time.perf_counter()
        win.repaint()
        plain.append(time.perf_counter() - started)
    started = time.perf_counter()
    qtbot.keyClick(queue.table, Qt.Key.Key_A, CTRL)
    win.repaint()  # painted too: Qt's header asked every row if its column was selected
    elapsed = time.perf_counter() - started
    bulk = queue.bulk
    assert bulk is not None and bulk.isVisible()
    assert bulk.count.text() == f"Đã chọn {win.locale().toString(DEMO)} phản ánh"
    # Spans, not an object per row (3.5 s here before; a plain paint is ~0.1 s).
    assert elapsed < max(1.0, 5 * sorted(plain)[1]), (elapsed, plain)
    chosen = queue.selected()
    assert chosen.count == DEMO
    ids = [tid for batch in resolve_ids(QueueService(database), chosen) for tid, _ in batch]
    assert ids == _newest_first(database)


def test_a_shift_click_span_with_one_row_taken_out(
    qtbot: QtBot, demo: tuple[Database, Environment], tmp_path: Path
) -> None:
    database, env = demo
    win = _window(qtbot, database, env, tmp_path)
    queue = win.queue
    model, table = queue.model, queue.table
    table.selectRow(2)
    far = 15_000
    table.scrollTo(model.index(far, 0))
    qtbot.waitUntil(lambda: model.row_object(far) is not None, timeout=10_000)
    viewport = table.viewport()
    where = table.visualRect(model.index(far, 1)).center()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, where)
    out = far - 10  # taken out again with Ctrl+click
    where = table.visualRect(model.index(out, 1)).center()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, CTRL, where)
    chosen = queue.selected()
    assert chosen.count == far - 2 + 1 - 1
    assert queue.bulk is not None
    assert queue.bulk.count.text() == f"Đã chọn {win.locale().toString(chosen.count)} phản ánh"
    order = _newest_first(database)
    ids = [tid for batch in resolve_ids(QueueService(database), chosen) for tid, _ in batch]
    assert ids == order[2:out] + order[out + 1 : far + 1]


def test_a_bulk_action_reaches_every_selected_report_read_or_not(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> None:
    intake = IntakeService(database, EvidenceStore(env.evidence_dir))
    saved = [intake.save(form(content=f"Đèn đường hỏng số {n}.")).id for n in range(260)]
    win = _window(qtbot, database, env, tmp_path)
    queue = win.queue
    assert queue.model.cached_rows() < len(saved)  # most rows were never read
    queue.table.selectAll()
    bulk = queue.bulk
    assert bulk is not None and bulk.count.text() == "Đã chọn 260 phản ánh"
    progressed: list[int] = []
    bulk.progress.valueChanged.connect(progressed.append)
    with qtbot.waitSignal(bulk.done, timeout=60_000) as finished:
        bulk.run(Action.SCREEN, {})
    outcome = finished.args[0]
    assert len(outcome.done) == 260 and not outcome.refused and not outcome.stopped
    assert progressed[-1] == 260
    with database.engine.connect() as conn:
        statuses = set(conn.scalars(select(Ticket.status).where(Ticket.id.in_(saved))))
    assert statuses == {"screening"}
    assert bulk.summary.text() == "Xong 260 phản ánh"


def test_bulk_close_asks_first_and_cancel_does_nothing(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> None:
    intake = IntakeService(database, EvidenceStore(env.evidence_dir))
    for n in range(3):
        intake.save(form(content=f"Rác thải ùn ứ lần {n}."))
    win = _window(qtbot, database, env, tmp_path)
    win.queue.table.selectAll()
    bulk = win.queue.bulk
    assert bulk is not None
    bulk.close_all.click()
    box = bulk.confirm
    assert box is not None and "Kết thúc 3 phản ánh đã chọn?" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert not bulk.running() and bulk.summary.text() == ""


def test_stop_ends_a_bulk_run_between_batches_and_says_what_was_done(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> None:
    intake = IntakeService(database, EvidenceStore(env.evidence_dir))
    saved = [intake.save(form(content=f"Nắp cống bị vỡ số {n}.")).id for n in range(200)]
    win = _window(qtbot, database, env, tmp_path)
    queue = win.queue
    queue.table.selectAll()
    bulk = queue.bulk
    assert bulk is not None
    bulk.batch = 20
    with qtbot.waitSignal(bulk.done, timeout=60_000) as finished:
        bulk.progress.valueChanged.connect(lambda v: v > 0 and bulk.stop.click())
        bulk.run(Action.SCREEN, {})
        assert bulk.stop.isVisible() and bulk.progress.isVisible()
    outcome = finished.args[0]
    assert outcome.stopped and 0 < len(outcome.done) < len(saved)
    with database.engine.connect() as conn:
        screened = conn.scalars(
            select(Ticket.id).where(Ticket.id.in_(saved), Ticket.status == "screening")
        ).all()
    assert len(screened) == len(outcome.done)  # each report its own transaction: no half
    assert bulk.summary.text() == f"Đã dừng: Xong {len(outcome.done)} phản ánh"
    assert not bulk.stop.isVisible() and not bulk.running()
