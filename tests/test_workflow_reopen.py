"""A reopened report (the citizen not satisfied) gets a new round: the policy's full resolve
budget from the reopen, with its own at-risk moment. Hand-computed across Tết 2026."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pakn_desktop.data.models import Ticket
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.workflow.service import WorkflowService
from tests.workflow_data import add_unit, events, save_report

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_reopen_restarts_the_resolve_clock(database: Database, env: Environment) -> None:
    received = datetime(2026, 2, 9, 8, 0, tzinfo=HANOI)
    tid = save_report(database, EvidenceStore(env.evidence_dir), received_at=received)
    unit = add_unit(database, "U1")
    service = WorkflowService(database)
    at = received
    for action, role, fields in (
        ("forward", "operator", {"lead_unit_id": str(unit)}),
        ("accept", "unit_officer", {}),
        ("record_result", "unit_officer", {"result_text": "Đã thông cống"}),
        ("answer", "operator", {}),
        ("close", "operator", {}),
    ):
        at += timedelta(minutes=30)
        service.act(tid, action, role, None, fields, now=at.astimezone(UTC))
    with database.sessions() as s:
        first_due = s.get(Ticket, tid).due_at  # type: ignore[union-attr]
    # Drainage: 1 working day. Received Mon 9 Feb 08:00 → due Tue 10 Feb 08:00.
    assert first_due == datetime(2026, 2, 10, 1, 0, tzinfo=UTC)

    # Reopened Fri 13 Feb 16:45, the last afternoon before Tết: the working day left is
    # 16:45–17:00 (15 min); the weekends and Tết (Mon 16 – Fri 20 Feb) are skipped, so the
    # remaining 7 h 45 min run Mon 23 Feb 07:30–11:30 and 13:00–16:45.
    reopened = datetime(2026, 2, 13, 16, 45, tzinfo=HANOI)
    service.act(tid, "reopen_to_unit", "operator", None, {"reason": "Vẫn tắc"}, now=reopened)
    with database.sessions() as s:
        ticket = s.get(Ticket, tid)
        assert ticket is not None
        assert ticket.due_at == datetime(2026, 2, 23, 16, 45, tzinfo=HANOI).astimezone(UTC)
        # at risk after 80 % of the round's 8 working hours (6 h 24 min): 15 min on 13 Feb,
        # then 6 h 09 min on 23 Feb: 07:30–11:30 (4 h) and 13:00–15:09.
        assert ticket.at_risk_at == datetime(2026, 2, 23, 15, 9, tzinfo=HANOI).astimezone(UTC)
    last = events(database, tid)[-1]
    assert last["data"]["due_at"].startswith("2026-02-23T09:45")
    assert last["data"]["previous_due_at"].startswith("2026-02-10T01:00")
