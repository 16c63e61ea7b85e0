"""Alerts for the forward (5-minute) deadline through the existing scanner, with a controlled
clock. A report received 10:00 (office time) is due to be forwarded at 10:05 and at risk from
10:04 (80 % of 5 minutes); the due instant itself is still in time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pakn_desktop.services.alerts import FORWARD, AlertScanner
from pakn_desktop.services.database import Database
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.workflow.service import WorkflowService
from tests.intake_data import form
from tests.workflow_data import add_unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
US = timedelta(microseconds=1)


def vn(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 12, 7, hour, minute, second, tzinfo=VN)


def test_a_late_forward_alerts_once_at_risk_then_once_overdue(
    database: Database, store: EvidenceStore
) -> None:
    intake = IntakeService(database, store)
    late = intake.save(form(received_at=vn(10)))
    quick = intake.save(form(received_at=vn(10)))  # forwarded at 10:03: never alerts
    WorkflowService(database).act(
        quick.id,
        "forward",
        "operator",
        None,
        {"lead_unit_id": add_unit(database, "Q")},
        now=vn(10, 3),
    )
    now = [vn(10, 3)]
    scanner = AlertScanner(database, lambda: now[0], since=vn(10, 3))

    def scan_at(moment: datetime) -> list[tuple[str, str, str, datetime]]:
        now[0] = moment
        return [(a.code, a.state.value, a.deadline, a.due_at) for a in scanner.scan().alerts]

    assert scan_at(vn(10, 4) - US) == []
    assert scan_at(vn(10, 4)) == [(late.code, "at_risk", FORWARD, vn(10, 5))]
    assert scan_at(vn(10, 4) + timedelta(seconds=30)) == []  # reported once
    assert scan_at(vn(10, 5)) == []  # 10:05 itself is in time
    assert scan_at(vn(10, 5) + US) == [(late.code, "overdue", FORWARD, vn(10, 5))]
    assert scan_at(vn(10, 30)) == []  # and once


def test_a_scan_spanning_both_moments_reports_only_overdue(
    database: Database, store: EvidenceStore
) -> None:
    saved = IntakeService(database, store).save(form(received_at=vn(10)))
    scanner = AlertScanner(database, lambda: vn(10, 6), since=vn(10, 1))
    alerts = scanner.scan().alerts
    assert [(a.code, a.state.value, a.deadline) for a in alerts] == [
        (saved.code, "overdue", FORWARD)
    ]


def test_the_watch_says_quá_hạn_chuyển_in_the_status_line(
    qtbot: object, database: Database, store: EvidenceStore
) -> None:
    from PySide6.QtCore import QObject

    from pakn_desktop.ui.alerts import AlertWatch
    from pakn_desktop.ui.tasks import Tasks

    saved = IntakeService(database, store).save(form(received_at=vn(10)))
    scanner = AlertScanner(database, lambda: vn(10, 6), since=vn(10, 4, 30))
    owner = QObject()
    tasks = Tasks(owner)
    watch = AlertWatch(lambda: scanner, tasks, owner)
    messages: list[str] = []
    watch.message.connect(messages.append)
    with qtbot.waitSignal(watch.fired, timeout=5000):  # type: ignore[attr-defined]
        watch.scan()
    assert messages == [f"1 phản ánh quá hạn chuyển ({saved.code})"]
    tasks.shutdown()
