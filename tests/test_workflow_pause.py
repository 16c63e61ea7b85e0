"""Waiting for the citizen: "pause" stops the deadline clock, "resume" pushes the due time and
the at-risk moment by the time paused, on the policy's own clock. Hand-computed.

Calendar: office hours 07:30–11:30 and 13:00–17:00, Monday–Friday, Asia/Ho_Chi_Minh; the week
of 2 March 2026 (Monday) has no holiday, so Friday is 6 March and the next Monday 9 March.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from pakn_desktop.data import dashboard as dash
from pakn_desktop.data import queue as q
from pakn_desktop.data.models import Outbox, Ticket
from pakn_desktop.domain.audit_chain import verify_chain
from pakn_desktop.domain.sla import resolve_due
from pakn_desktop.domain.workflow import Refusal, WorkflowRefused
from pakn_desktop.services.alerts import OPEN, AlertScanner
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.sla import SlaService, round_pauses
from pakn_desktop.services.workflow.service import WorkflowService
from tests.intake_data import DRAINAGE
from tests.workflow_data import add_unit, events, save_report

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR_MINUTES = "trat_tu_do_thi"  # no category rule: the default 60-minute policy


def t(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=VN)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _ticket(database: Database, tid: uuid.UUID) -> Ticket:
    with database.sessions() as s:
        ticket = s.get(Ticket, tid)
        assert ticket is not None
        s.expunge(ticket)
        return ticket


def _states(database: Database, now: datetime) -> dict[str, int]:
    """Each deadline state's count by the queue filter, checked against the dashboard's."""
    with database.engine.connect() as conn:
        by_filter = {
            state: q.count(conn, q.QueueQuery(statuses=OPEN, deadline=state, now=now))
            for state in ("on_track", "at_risk", "overdue", "paused", "no_due")
        }
        by_chart = dash.open_by_state(conn, OPEN, now)
    assert {k: v for k, v in by_filter.items() if v} == by_chart, (by_filter, by_chart)
    return {k: v for k, v in by_filter.items() if v}


def _working_report(database: Database, env: Environment) -> tuple[uuid.UUID, WorkflowService]:
    """Drainage (1 working day), received Fri 6 Mar 08:00, with the unit: the working day
    runs Fri 08:00–11:30, 13:00–17:00 (7 h 30 min) and Mon 07:30–08:00: due Mon 08:00."""
    tid = save_report(database, EvidenceStore(env.evidence_dir), received_at=t(6, 8))
    unit = add_unit(database, "U1")
    service = WorkflowService(database)
    service.act(tid, "forward", "operator", None, {"lead_unit_id": str(unit)}, now=t(6, 8, 3))
    service.act(tid, "accept", "unit_officer", None, {}, now=t(6, 8, 30))
    ticket = _ticket(database, tid)
    assert ticket.due_at == utc(t(9, 8))
    # at risk after 80 % of 8 h = 6 h 24 min: 08:00–11:30 (3 h 30), 13:00–15:54 (2 h 54).
    assert ticket.at_risk_at == utc(t(6, 15, 54))
    return tid, service


def test_a_weekend_pause_pushes_the_due_time_by_the_working_time_paused(
    database: Database, env: Environment
) -> None:
    tid, service = _working_report(database, env)
    reason = {"reason": "Chờ công dân gửi ảnh hiện trường"}
    outbox_before = _count(database)
    paused = service.act(tid, "pause", "unit_officer", None, reason, now=t(6, 16))
    assert (paused.status, paused.paused_at, paused.event_kind) == (
        "accepted",
        utc(t(6, 16)),
        "pause",
    )
    assert _count(database) - outbox_before == 2  # the ticket's update and the event
    assert _ticket(database, tid).due_at == utc(t(9, 8))  # moves only on resume

    # Paused Fri 16:00 → resumed Mon 09:00: working time 16:00–17:00 Fri (1 h) and
    # 07:30–09:00 Mon (1 h 30 min) = 2 h 30 min; the weekend counts nothing. Due Mon 08:00
    # + 2 h 30 min of working time = Mon 10:30.
    resumed = service.act(tid, "resume", "unit_officer", None, {}, now=t(9, 9))
    assert (resumed.status, resumed.paused_at) == ("accepted", None)
    assert resumed.due_at == utc(t(9, 10, 30))
    sla = SlaService(database)
    pauses = [(t(6, 16), t(9, 9))]
    assert resumed.due_at == resolve_due(t(6, 8), sla.policy(DRAINAGE), sla.calendar(), pauses)
    # at risk: 6 h 24 min of running time, all before the pause → still Fri 15:54.
    assert _ticket(database, tid).at_risk_at == utc(t(6, 15, 54))
    chain = events(database, tid)
    assert [e["kind"] for e in chain][-2:] == ["pause", "resume"]
    assert chain[-2]["data"]["reason"] == reason["reason"]
    assert chain[-1]["data"]["due_at"].startswith("2026-03-09T03:30")
    assert chain[-1]["data"]["previous_due_at"].startswith("2026-03-09T01:00")
    assert chain[-1]["data"]["paused_at"].startswith("2026-03-06T09:00")
    assert verify_chain(chain) is None


def test_a_paused_report_is_neither_overdue_nor_alerted_and_overdue_again_after_resume(
    database: Database, env: Environment
) -> None:
    tid, service = _working_report(database, env)
    scanner = AlertScanner(database, lambda: t(6, 15, 50), since=t(6, 15, 50))
    assert [a.state.value for a in scanner.scan(t(6, 15, 55)).alerts] == ["at_risk"]
    service.act(tid, "pause", "operator", None, {"reason": "Chờ bổ sung địa chỉ"}, now=t(6, 16))
    assert _states(database, t(6, 16, 30)) == {"paused": 1}
    # Mon 08:30: past the old due time (08:00), yet not overdue anywhere, and no alert or
    # escalation in the scan that covers the old due time.
    assert _states(database, t(9, 8, 30)) == {"paused": 1}
    result = scanner.scan(t(9, 8, 30))
    assert (result.alerts, result.escalations) == ((), ())
    assert AlertScanner(database, lambda: t(9, 8, 30)).scan().escalations == ()  # catch-up

    service.act(tid, "resume", "operator", None, {}, now=t(9, 9))
    assert _states(database, t(9, 10, 30)) == {"at_risk": 1}  # due 10:30 itself is in time
    assert _states(database, t(9, 10, 31)) == {"overdue": 1}
    overdue = scanner.scan(t(9, 10, 31)).alerts
    assert [(a.state.value, a.due_at) for a in overdue] == [("overdue", utc(t(9, 10, 30)))]


def test_calendar_minutes_pauses_add_up(database: Database, env: Environment) -> None:
    """The 60-minute rule counts real time: received Mon 2 Mar 10:00, due 11:00."""
    store = EvidenceStore(env.evidence_dir)
    tid = save_report(database, store, received_at=t(2, 10), category=CALENDAR_MINUTES)
    service = WorkflowService(database)
    service.act(tid, "screen", "operator", None, {}, now=t(2, 10, 1))
    assert _ticket(database, tid).due_at == utc(t(2, 11))
    why = {"reason": "Gọi lại hỏi số nhà"}
    service.act(tid, "pause", "operator", None, why, now=t(2, 10, 10))
    first = service.act(tid, "resume", "operator", None, {}, now=t(2, 10, 30))
    assert first.due_at == utc(t(2, 11, 20))  # paused 20 minutes: due + 20 minutes
    # 80 % of 60 running minutes = 48: 10:00–10:10, then 38 from 10:30 → 11:08.
    assert _ticket(database, tid).at_risk_at == utc(t(2, 11, 8))
    service.act(tid, "pause", "moderator", None, why, now=t(2, 10, 40))
    second = service.act(tid, "resume", "moderator", None, {}, now=t(2, 10, 45))
    assert second.due_at == utc(t(2, 11, 25))  # 20 + 5 minutes
    # 48 running minutes: 10 + 10 (10:30–10:40), then 28 from 10:45 → 11:13.
    assert _ticket(database, tid).at_risk_at == utc(t(2, 11, 13))
    sla = SlaService(database)
    pauses = [(t(2, 10, 10), t(2, 10, 30)), (t(2, 10, 40), t(2, 10, 45))]
    policy = sla.policy("mac_dinh")
    assert second.due_at == resolve_due(t(2, 10), policy, sla.calendar(), pauses)
    assert events(database, tid)[-1]["data"]["previous_due_at"].startswith("2026-03-02T04:20")


def test_a_pause_after_the_due_time_moves_nothing(database: Database, env: Environment) -> None:
    store = EvidenceStore(env.evidence_dir)
    tid = save_report(database, store, received_at=t(2, 10), category=CALENDAR_MINUTES)
    service = WorkflowService(database)
    service.act(tid, "screen", "operator", None, {}, now=t(2, 10, 1))
    service.act(tid, "pause", "operator", None, {"reason": "Chờ"}, now=t(2, 11, 30))
    assert _states(database, t(2, 11, 40)) == {"overdue": 1}  # waiting does not undo lateness
    assert service.act(tid, "resume", "operator", None, {}, now=t(2, 12)).due_at == utc(t(2, 11))


@pytest.mark.parametrize(
    ("paused", "action", "fields", "code"),
    [
        (True, "pause", {"reason": "Lần nữa"}, Refusal.ALREADY_PAUSED),
        (False, "resume", {}, Refusal.NOT_PAUSED),
        (True, "forward", {"lead_unit_id": "x"}, Refusal.PAUSED),
        (True, "reject", {"reason_code": "spam"}, Refusal.PAUSED),
        (False, "pause", {"reason": " "}, Refusal.MISSING_FIELD),
    ],
)
def test_refusals_store_nothing(
    database: Database,
    env: Environment,
    paused: bool,
    action: str,
    fields: dict[str, Any],
    code: Refusal,
) -> None:
    tid = save_report(database, EvidenceStore(env.evidence_dir), received_at=t(2, 10))
    service = WorkflowService(database)
    service.act(tid, "screen", "operator", None, {}, now=t(2, 10, 1))
    if paused:
        service.act(tid, "pause", "operator", None, {"reason": "Chờ"}, now=t(2, 10, 2))
    before = (_ticket(database, tid).version, len(events(database, tid)), _count(database))
    with pytest.raises(WorkflowRefused) as refused:
        service.act(tid, action, "operator", None, fields, now=t(2, 10, 5))
    assert refused.value.code is code
    with pytest.raises(WorkflowRefused):  # the read-only check agrees
        service.check(tid, action, "operator", fields)
    assert (_ticket(database, tid).version, len(events(database, tid)), _count(database)) == before


def test_a_round_starts_at_the_last_reopen() -> None:
    received = t(2, 8)
    events_ = [
        ("pause", t(2, 9)),
        ("resume", t(2, 10)),
        ("reopen_to_unit", t(3, 8)),
        ("pause", t(3, 9)),
        ("resume", t(3, 9, 30)),
        ("pause", t(3, 10)),  # the pause being resumed now: not finished, not listed
    ]
    assert round_pauses(events_, received) == (t(3, 8), [(t(3, 9), t(3, 9, 30))])
    assert round_pauses(events_[:2], received) == (received, [(t(2, 9), t(2, 10))])


def _count(database: Database) -> int:
    with database.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Outbox)) or 0)


@pytest.mark.parametrize("state", ["on_track", "at_risk", "overdue", "paused"])
def test_deadline_filters_still_walk_an_index(database: Database, state: str) -> None:
    """The pause term is checked on the rows found (``+paused_at``): each deadline filter
    still walks the sort column's index, without a temporary sort."""
    from pakn_desktop.services.demo import generate

    generate(database, 40, seed=3)
    query = q.QueueQuery(statuses=OPEN, deadline=state, now=t(2, 10))
    with database.engine.connect() as conn:
        plan = "\n".join(q.plan(conn, query))
    assert "INDEX ix_ticket_" in plan and "TEMP B-TREE" not in plan, plan


def test_an_extension_after_a_pause_measures_at_risk_net_of_it(
    database: Database, env: Environment
) -> None:
    """60-minute rule, received Mon 2 Mar 10:00, paused 10:10–10:30 (due 11:20), then the
    due time is extended to 12:00: 120 minutes of which 20 paused, so at risk after 80 % of
    the 100 running minutes = 80: 10:00–10:10, then 70 from 10:30 → 11:40 (not 11:36, 80 %
    of two hours counted as if nothing had been paused)."""
    store = EvidenceStore(env.evidence_dir)
    tid = save_report(database, store, received_at=t(2, 10), category=CALENDAR_MINUTES)
    unit = add_unit(database, "U1")
    service = WorkflowService(database)
    service.act(tid, "forward", "operator", None, {"lead_unit_id": str(unit)}, now=t(2, 10, 2))
    service.act(tid, "accept", "unit_officer", None, {}, now=t(2, 10, 5))
    why = {"reason": "Gọi lại hỏi số nhà"}
    service.act(tid, "pause", "unit_officer", None, why, now=t(2, 10, 10))
    service.act(tid, "resume", "unit_officer", None, {}, now=t(2, 10, 30))
    assert _ticket(database, tid).due_at == utc(t(2, 11, 20))
    asked = {"reason": "Cần khảo sát hiện trường", "due_at": utc(t(2, 12)).isoformat()}
    service.act(tid, "request_extension", "unit_officer", None, asked, now=t(2, 10, 35))
    approved = {"due_at": utc(t(2, 12)).isoformat()}
    service.act(tid, "approve_extension", "supervisor", None, approved, now=t(2, 10, 36))
    ticket = _ticket(database, tid)
    assert ticket.due_at == utc(t(2, 12))
    assert ticket.at_risk_at == utc(t(2, 11, 40))


def test_a_new_share_is_measured_net_of_past_pauses(database: Database, env: Environment) -> None:
    """60-minute rule, received Mon 2 Mar 10:00, paused 10:10–10:30 (due 11:20, at risk
    11:08). The administrator sets the share to 50 %: 30 of the 60 running minutes, 10:00–
    10:10 then 20 from 10:30 → 10:50 (not 10:40, half of 80 minutes counted as running)."""
    from pakn_desktop.domain.sla import SlaSettings
    from pakn_desktop.services.sla import save_settings

    store = EvidenceStore(env.evidence_dir)
    tid = save_report(database, store, received_at=t(2, 10), category=CALENDAR_MINUTES)
    service = WorkflowService(database)
    service.act(tid, "screen", "operator", None, {}, now=t(2, 10, 1))
    service.act(tid, "pause", "operator", None, {"reason": "Gọi lại"}, now=t(2, 10, 10))
    service.act(tid, "resume", "operator", None, {}, now=t(2, 10, 30))
    assert _ticket(database, tid).at_risk_at == utc(t(2, 11, 8))
    save_settings(database, SlaSettings(at_risk_share=0.5))
    assert _ticket(database, tid).at_risk_at == utc(t(2, 10, 50))
