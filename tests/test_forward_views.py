"""The queue's forward-deadline views ("Sắp quá hạn chuyển", "Quá hạn chuyển") and its
"Hạn chuyển" column, on a real window (offscreen).

The views judge at the real clock, so the forward budget is widened to 60 minutes here
(every policy; the rule is the policy's own minutes): a report then stays at risk from 48 to
60 minutes after receipt, long enough for a slow machine to count and show it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from pakn_desktop.data.models import SlaPolicy, Ticket
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.workflow.service import WorkflowService
from pakn_desktop.ui.main.window import MainWindow
from pakn_desktop.ui.queue.cells import COL_FORWARD
from pakn_desktop.ui.queue.saved_views import FORWARD_AT_RISK, FORWARD_OVERDUE
from tests.intake_data import form
from tests.qt_helpers import open_window
from tests.workflow_data import add_unit

BUDGET = timedelta(minutes=60)
SHARE = 0.8
# Minutes before now each report was received: on track (< 48), at risk (48–60), overdue.
AGES = (5, 20, 50, 52, 55, 61, 90, 90, 300)


@pytest.fixture
def reports(database: Database, store: EvidenceStore) -> dict[uuid.UUID, datetime]:
    with database.engine.begin() as conn:
        conn.execute(update(SlaPolicy).values(forward_minutes=int(BUDGET.total_seconds() // 60)))
    now = datetime.now(UTC)
    intake = IntakeService(database, store)
    received = {
        intake.save(form(received_at=now - timedelta(minutes=m))).id: now - timedelta(minutes=m)
        for m in AGES
    }
    ids = list(received)
    service = WorkflowService(database)
    unit = add_unit(database, "FW")
    # Forwarded (one late, one in time) and closed reports are no longer watched.
    service.act(ids[-1], "forward", "operator", None, {"lead_unit_id": unit})
    service.act(ids[3], "forward", "operator", None, {"lead_unit_id": unit})
    service.act(ids[6], "reject", "operator", None, {"reason_code": "spam"})
    return received


def expected(database: Database, received: dict[uuid.UUID, datetime], now: datetime) -> dict:
    """The views' counts worked out here: receipt + 80 % / 100 % of the budget, for reports
    neither forwarded nor closed (read from the status and the stamp, not the watch column)."""
    with database.engine.connect() as conn:
        rows = conn.execute(
            select(Ticket.id, Ticket.status, Ticket.forwarded_at).where(
                Ticket.id.in_(list(received))
            )
        ).all()
    waiting = [tid for tid, status, forwarded in rows if status == "new" and forwarded is None]
    at_risk = [t for t in waiting if received[t] + BUDGET * SHARE <= now <= received[t] + BUDGET]
    overdue = [t for t in waiting if now > received[t] + BUDGET]
    return {FORWARD_AT_RISK: set(at_risk), FORWARD_OVERDUE: set(overdue)}


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path, reports: dict
) -> Iterator[MainWindow]:
    yield open_window(qtbot, database, env, tmp_path, size=(1366, 768))


def test_forward_views_count_and_show_the_reports_late_to_forward(
    qtbot: QtBot, window: MainWindow, database: Database, reports: dict
) -> None:
    counter = window.queue.views.counter
    qtbot.waitUntil(lambda: FORWARD_OVERDUE in counter.counts, timeout=10_000)
    want = expected(database, reports, datetime.now(UTC))
    assert len(want[FORWARD_AT_RISK]) == 2 and len(want[FORWARD_OVERDUE]) == 2  # 52 (fwd), 90
    for key in (FORWARD_AT_RISK, FORWARD_OVERDUE):
        assert counter.counts[key] == len(want[key])
        row = window.view_nav.row_of(key)
        assert window.view_nav.item(row).text().endswith(f"({len(want[key])})")
        views = window.queue.views
        with qtbot.waitSignal(window.queue.model.countKnown, timeout=10_000):
            views.setCurrentIndex(views.findData(key))
        model = window.queue.model
        assert model.rowCount() == len(want[key])
        shown = {model.row_object(r).id for r in range(model.rowCount())}  # type: ignore[union-attr]
        assert shown == want[key]
        header = model.headerData(COL_FORWARD, Qt.Orientation.Horizontal)
        assert header == "Hạn chuyển"
        tip = model.data(model.index(0, COL_FORWARD), Qt.ItemDataRole.ToolTipRole)
        word = "Sắp quá hạn chuyển" if key == FORWARD_AT_RISK else "Quá hạn chuyển"
        assert tip.startswith(word)


def test_the_forward_column_says_how_a_forwarded_report_went(
    qtbot: QtBot, window: MainWindow, reports: dict
) -> None:
    model = window.queue.model
    ids = list(reports)
    texts = {}
    for row in range(model.rowCount()):
        item = model.row_object(row)
        assert item is not None
        texts[item.id] = model.data(model.index(row, COL_FORWARD))
    assert texts[ids[-1]] == "Quá hạn"  # received 300 minutes before its forward
    assert texts[ids[3]] == "Đúng hạn"  # 52 minutes: within the 60
    assert texts[ids[6]] == ""  # rejected: never forwarded, no longer watched
    waiting = reports[ids[0]] + BUDGET
    assert texts[ids[0]] == waiting.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m %H:%M")
