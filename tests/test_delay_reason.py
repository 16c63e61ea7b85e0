"""The lead unit's reason for a delay (lý do chậm), typed by a person: recorded through a
workflow action with a required text, shown in Vietnamese on the timeline, carried by the
escalation, and published as the reason there is no result yet (Khánh Hòa regulation 2022)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from pakn_desktop.data.models import Ticket, TicketEvent
from pakn_desktop.domain.workflow import Refusal, WorkflowRefused
from pakn_desktop.services.alerts import AlertScanner
from pakn_desktop.services.database import Database
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.workflow.publication import publication_text
from pakn_desktop.services.workflow.service import WorkflowService
from tests.workflow_data import add_unit, events, save_report, to_handling

REASON = (
    "Đang chờ Sở Xây dựng thẩm định hiện trạng cống; ông Nguyễn Văn An đã được hẹn "
    "lịch kiểm tra ngày 10/12."
)


def late_report(database: Database, store: EvidenceStore) -> uuid.UUID:
    """A report two units handle (a multi-sector case), due an hour ago."""
    ticket = save_report(database, store)
    lead, other = add_unit(database, "L1"), add_unit(database, "L2", name="Sở Xây dựng")
    service = WorkflowService(database)
    service.act(
        ticket,
        "forward",
        "operator",
        None,
        {"lead_unit_id": lead, "coordinating_unit_ids": [other]},
    )
    service.act(ticket, "accept", "unit_officer")
    service.act(ticket, "start", "unit_officer")
    due = datetime.now(UTC) - timedelta(hours=1)
    with database.engine.begin() as conn:
        conn.execute(update(Ticket).where(Ticket.id == ticket).values(due_at=due, at_risk_at=due))
    return ticket


def test_the_reason_needs_a_text_and_a_unit_holding_the_report(
    database: Database, store: EvidenceStore
) -> None:
    service = WorkflowService(database)
    fresh = save_report(database, store)
    with pytest.raises(WorkflowRefused) as refused:  # not forwarded: no unit to be late
        service.act(fresh, "explain_delay", "unit_officer", None, {"reason": REASON})
    assert refused.value.code is Refusal.STATE
    handled = save_report(database, store)
    to_handling(database, handled, add_unit(database, "U1"))
    for blank in ({}, {"reason": "   "}):
        with pytest.raises(WorkflowRefused) as refused:
            service.act(handled, "explain_delay", "unit_officer", None, blank)
        assert (refused.value.code, refused.value.detail) == (Refusal.MISSING_FIELD, "reason")
    with pytest.raises(WorkflowRefused) as refused:  # a reception operator is not the unit…
        service.act(handled, "explain_delay", "citizen", None, {"reason": REASON})
    assert refused.value.code is Refusal.ROLE
    # …but the centre may type it for the unit (a reason given by phone).
    state = service.act(handled, "explain_delay", "operator", None, {"reason": REASON})
    assert state.status == "in_progress" and state.event_kind == "explain_delay"
    last = events(database, handled)[-1]
    assert last["kind"] == "explain_delay" and last["data"]["reason"] == REASON


def test_the_escalation_carries_the_typed_reason_and_never_a_generated_one(
    database: Database, store: EvidenceStore
) -> None:
    ticket = late_report(database, store)
    now = datetime.now(UTC)
    scanner = AlertScanner(database, lambda: now)
    found = scanner.scan().escalations
    assert [e.level for e in found if e.ticket_id == ticket] == ["supervisor"]
    (recorded,) = scanner.record([e for e in found if e.ticket_id == ticket])
    assert recorded.reason is None  # nobody typed one yet: none is made up
    WorkflowService(database).act(ticket, "explain_delay", "unit_officer", None, {"reason": REASON})
    later = AlertScanner(database, lambda: now + timedelta(days=3), since=now)
    (leadership,) = later.record(
        [e for e in later.scan(now + timedelta(days=3)).escalations if e.ticket_id == ticket]
    )
    assert leadership.escalation.level == "leadership" and leadership.reason == REASON
    with database.engine.connect() as conn:
        data = conn.scalars(
            select(TicketEvent.data)
            .where(TicketEvent.ticket_id == ticket, TicketEvent.kind == "escalated")
            .order_by(TicketEvent.seq)
        ).all()
    assert [d.get("reason") for d in data] == [None, REASON]
    assert data[1]["publish_reason"] is True and data[0]["reason_awaited"] is True


def test_the_publication_says_why_there_is_no_result_yet(
    database: Database, store: EvidenceStore
) -> None:
    ticket = late_report(database, store)
    before = publication_text(database, ticket)
    assert "Lý do chưa có kết quả" not in before.text and before.delay_reason is None
    WorkflowService(database).act(ticket, "explain_delay", "unit_officer", None, {"reason": REASON})
    draft = publication_text(database, ticket)
    assert draft.delay_reason == REASON
    assert "Lý do chưa có kết quả xử lý: Đang chờ Sở Xây dựng thẩm định" in draft.text
    # The reporter (Nguyễn Văn An, tests.intake_data) named in the reason is masked.
    assert "Nguyễn Văn An" not in draft.text and "***" in draft.text
    # A result recorded since: the publication is about the result again.
    WorkflowService(database).act(
        ticket, "record_result", "unit_officer", None, {"result_text": "Đã nạo vét cống."}
    )
    assert "Kết quả xử lý: Đã nạo vét cống." in publication_text(database, ticket).text
