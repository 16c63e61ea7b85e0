"""The dashboard's forward series: per office day of receipt, reports forwarded within the
5 minutes and late, against counts worked out here from the reports this test forwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from pakn_desktop.services.dashboard import DashboardService, TimeRange
from pakn_desktop.services.database import Database
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.workflow.service import WorkflowService
from tests.intake_data import form
from tests.workflow_data import add_unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# (day of December 2026, hour, minute received, forward delay in seconds; None: never).
# 23:58 on the 3rd forwarded at 00:04 on the 4th counts for the 3rd (its day of receipt).
REPORTS = (
    (1, 8, 0, 60),
    (1, 9, 0, 300),  # exactly 5 minutes: on time
    (1, 10, 0, 301),
    (1, 11, 0, None),
    (3, 7, 0, 120),
    (3, 23, 58, 360),
    (3, 23, 59, 30),
    (4, 0, 1, 240),
    (4, 0, 2, 900),
)


def forwarded_reports(database: Database, store: EvidenceStore) -> None:
    intake = IntakeService(database, store)
    workflow = WorkflowService(database)
    unit = add_unit(database, "DB")
    for day, hour, minute, delay in REPORTS:
        received = datetime(2026, 12, day, hour, minute, tzinfo=VN)
        saved = intake.save(form(received_at=received))
        if delay is not None:
            workflow.act(
                saved.id,
                "forward",
                "operator",
                None,
                {"lead_unit_id": unit},
                now=received + timedelta(seconds=delay),
            )


def by_hand() -> dict[int, tuple[int, int]]:
    counts = {day: [0, 0] for day in range(1, 5)}
    for day, _h, _m, delay in REPORTS:
        if delay is not None:
            counts[day][0 if delay <= 300 else 1] += 1
    return {day: (ok, late) for day, (ok, late) in counts.items()}


def four_days() -> TimeRange:
    start = datetime(2026, 12, 1, tzinfo=VN).astimezone(UTC)
    return TimeRange(start, start + timedelta(days=4))


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_forward_series_per_day_equals_counts_by_hand(
    request: pytest.FixtureRequest, store: EvidenceStore, backend: str
) -> None:
    database: Database = request.getfixturevalue(
        "database" if backend == "sqlite" else "pg_database"
    )
    forwarded_reports(database, store)
    snap = DashboardService(database).snapshot(four_days(), now=datetime(2026, 12, 5, tzinfo=VN))
    days = snap.forward_days
    assert [s.astimezone(VN).day for s in days.starts] == [1, 2, 3, 4]
    want = by_hand()
    assert list(zip(days.on_time, days.late, strict=True)) == [want[d] for d in (1, 2, 3, 4)]
    assert want[1] == (2, 1) and want[3] == (2, 1) and want[4] == (1, 1)


def test_the_forward_panel_draws_the_series(
    qtbot: QtBot, database: Database, store: EvidenceStore
) -> None:
    from pakn_desktop.ui.dashboard.panels import ForwardDaysPanel

    forwarded_reports(database, store)
    snap = DashboardService(database).snapshot(four_days(), now=datetime(2026, 12, 5, tzinfo=VN))
    panel = ForwardDaysPanel()
    qtbot.addWidget(panel)
    panel.fill(snap)
    want = by_hand()
    assert list(panel.on_time.opts["height"]) == [want[d][0] for d in (1, 2, 3, 4)]
    assert list(panel.late.opts["height"]) == [want[d][1] for d in (1, 2, 3, 4)]
    # Stacked: the late bar starts where the on-time one ends.
    assert list(panel.late.opts["y0"]) == [want[d][0] for d in (1, 2, 3, 4)]
