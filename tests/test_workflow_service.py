"""WorkflowService.act: one transaction per action, the chain kept, refusals store nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from pakn_desktop.data.models import Assignment, Notification, Outbox, Ticket, TicketResult
from pakn_desktop.domain.audit_chain import verify_chain
from pakn_desktop.domain.workflow import Refusal, WorkflowRefused
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import resolve
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.workflow.service import WorkflowService
from tests.workflow_data import add_unit, events, save_report


@pytest.fixture
def service(database: Database) -> WorkflowService:
    return WorkflowService(database)


def _count(database: Database, model: Any) -> int:
    with database.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def _ticket(database: Database, ticket_id: uuid.UUID) -> Ticket:
    with database.sessions() as s:
        ticket = s.get(Ticket, ticket_id)
        assert ticket is not None
        return ticket


def _snapshot(database: Database) -> tuple[int, ...]:
    return tuple(_count(database, m) for m in (Outbox, Assignment, Notification, TicketResult)) + (
        len([e for e in _all_events(database)]),
    )


def _all_events(database: Database) -> list[Any]:
    from pakn_desktop.data.models import TicketEvent

    with database.engine.connect() as conn:
        return list(conn.execute(select(TicketEvent.id)))


def test_forward_updates_assigns_chains_and_queues_notifications(
    database: Database, store: EvidenceStore, service: WorkflowService
) -> None:
    tid = save_report(database, store)
    lead, other = add_unit(database, "U1"), add_unit(database, "U2", email=None)
    outbox_before = _count(database, Outbox)
    state = service.act(
        tid, "forward", "operator", None, {"lead_unit_id": lead, "coordinating_unit_ids": [other]}
    )
    assert (state.status, state.lead_unit_id, state.coordinating_unit_ids) == (
        "forwarded",
        lead,
        (other,),
    )
    assert state.version == 2 and len(state.notifications) == 3  # lead: SMS + e-mail; other: SMS
    chain = events(database, tid)
    assert [e["kind"] for e in chain] == ["created", "forward"]
    assert chain[-1]["data"]["from"] == "new" and chain[-1]["data"]["to"] == "forwarded"
    assert verify_chain(chain) is None
    with database.sessions() as s:
        roles = sorted(s.scalars(select(Assignment.role).where(Assignment.ticket_id == tid)))
        tables = [o.table_name for o in s.scalars(select(Outbox).where(Outbox.seq > 0))]
    assert roles == ["coordinating", "lead"]
    # ticket update, 2 assignments, 3 notifications, 1 event: all in the outbox
    assert _count(database, Outbox) - outbox_before == 7
    assert {"ticket", "assignment", "notification", "ticket_event"} <= set(tables)


def test_refusals_store_nothing(
    database: Database, store: EvidenceStore, service: WorkflowService
) -> None:
    tid = save_report(database, store)
    unit = add_unit(database, "U1")
    before = _snapshot(database)
    for action, role, fields, code in [
        ("forward", "operator", {"lead_unit_id": uuid.uuid4()}, "unit_unknown"),
        ("forward", "operator", {"lead_unit_id": "not-a-uuid"}, "invalid_field"),
        ("forward", "unit_officer", {"lead_unit_id": unit}, "role_not_allowed"),
        ("accept", "unit_officer", {}, "not_allowed_in_state"),
        ("reject", "operator", {"reason_code": "dull"}, "invalid_field"),
        ("mark_duplicate", "operator", {"duplicate_of": "PA-000000-9999"}, "duplicate_unknown"),
    ]:
        with pytest.raises(WorkflowRefused) as refused:
            service.act(tid, action, role, None, fields)
        assert str(refused.value.code) == code, action
    assert _snapshot(database) == before
    assert _ticket(database, tid).status == "new" and _ticket(database, tid).version == 1
    with pytest.raises(WorkflowRefused) as missing:
        service.act(uuid.uuid4(), "screen", "operator")
    assert missing.value.code == "not_found"


def test_whole_path_to_closed_and_reopen(
    database: Database, store: EvidenceStore, service: WorkflowService
) -> None:
    tid = save_report(database, store)
    unit = add_unit(database, "U1")
    steps: list[tuple[str, str, dict[str, Any], str]] = [
        ("screen", "operator", {}, "screening"),
        ("forward", "operator", {"lead_unit_id": str(unit)}, "forwarded"),
        ("accept", "unit_officer", {}, "accepted"),
        ("start", "unit_officer", {}, "in_progress"),
        ("record_result", "unit_officer", {"result_text": "Đã thông cống"}, "result_recorded"),
        ("answer", "operator", {}, "answered"),
        ("publish", "supervisor", {"publication_text": "Đã thông cống"}, "published"),
        ("close", "operator", {}, "closed"),
    ]
    for action, role, fields, status in steps:
        assert service.act(tid, action, role, None, fields).status == status
    closed = _ticket(database, tid)
    assert closed.closed_at is not None and closed.version == len(steps) + 1
    with database.sessions() as s:
        result = s.get(TicketResult, tid)
        assert result is not None and result.published_at is not None
        accepted = s.scalars(select(Assignment.accepted_at).where(Assignment.ticket_id == tid))
        assert accepted.one() is not None
    reopened = service.act(tid, "reopen_to_unit", "operator", None, {"reason": "Vẫn còn tắc"})
    assert (reopened.status, reopened.closed_at) == ("in_progress", None)
    chain = events(database, tid)
    assert len(chain) == len(steps) + 2 and verify_chain(chain) is None


def test_return_then_reroute_keeps_history(
    database: Database, store: EvidenceStore, service: WorkflowService
) -> None:
    tid = save_report(database, store)
    first, second = add_unit(database, "U1"), add_unit(database, "U2")
    service.act(tid, "forward", "operator", None, {"lead_unit_id": first})
    with pytest.raises(WorkflowRefused) as no_reason:
        service.act(tid, "return", "unit_officer", None, {})
    assert no_reason.value.code is Refusal.MISSING_FIELD
    back = service.act(tid, "return", "unit_officer", None, {"reason": "Không thuộc địa bàn"})
    assert (back.status, back.lead_unit_id) == ("returned", None)
    again = service.act(tid, "forward", "operator", None, {"lead_unit_id": second})
    assert (again.status, again.lead_unit_id) == ("forwarded", second)
    moved = service.act(
        tid, "reroute", "supervisor", None, {"lead_unit_id": first, "reason": "Theo chỉ đạo"}
    )
    assert moved.lead_unit_id == first
    with database.sessions() as s:
        rows = s.execute(
            select(Assignment.unit_id, Assignment.returned_at).where(Assignment.ticket_id == tid)
        ).all()
    assert len(rows) == 3 and sum(r.returned_at is None for r in rows) == 1


def test_duplicate_not_competent_reject(
    database: Database, store: EvidenceStore, service: WorkflowService
) -> None:
    original = save_report(database, store)
    copy, other, spam = (save_report(database, store) for _ in range(3))
    code = _ticket(database, original).code
    with pytest.raises(WorkflowRefused) as itself:
        service.act(original, "mark_duplicate", "operator", None, {"duplicate_of": code})
    assert itself.value.code == "duplicate_self"
    dup = service.act(copy, "mark_duplicate", "operator", None, {"duplicate_of": code.lower()})
    assert (dup.status, dup.duplicate_of_id) == ("duplicate", original)
    assert dup.closed_at is not None
    fields = {"reason": "Thuộc thẩm quyền tòa án", "target_body": "TAND tỉnh"}
    assert service.act(other, "not_competent", "moderator", None, fields).status == "not_competent"
    rejected = service.act(spam, "reject", "operator", None, {"reason_code": "spam"})
    assert rejected.status == "rejected"
    assert events(database, other)[-1]["data"]["target_body"] == "TAND tỉnh"


def test_extension_needs_a_request_and_moves_the_deadline(
    database: Database, store: EvidenceStore, service: WorkflowService
) -> None:
    tid = save_report(database, store)
    service.act(tid, "forward", "operator", None, {"lead_unit_id": add_unit(database, "U1")})
    service.act(tid, "accept", "unit_officer")
    later = datetime(2030, 1, 2, 10, 0, tzinfo=UTC)
    with pytest.raises(WorkflowRefused) as early:
        service.act(tid, "approve_extension", "supervisor", None, {"due_at": later})
    assert early.value.code == "no_pending_extension"
    with pytest.raises(WorkflowRefused) as naive:
        service.act(
            tid, "request_extension", "unit_officer", None, {"reason": "x", "due_at": "2030-01-02"}
        )
    assert naive.value.code is Refusal.INVALID_FIELD
    asked = service.act(
        tid,
        "request_extension",
        "unit_officer",
        None,
        {"reason": "Chờ giám định", "due_at": later.isoformat()},
    )
    assert asked.status == "accepted"
    with pytest.raises(WorkflowRefused):
        service.act(tid, "approve_extension", "unit_officer", None, {"due_at": later})
    approved = service.act(tid, "approve_extension", "supervisor", None, {"due_at": later})
    assert (approved.status, approved.due_at) == ("accepted", later)


def test_stale_version_refused(
    database: Database, store: EvidenceStore, service: WorkflowService
) -> None:
    tid = save_report(database, store)
    service.act(tid, "screen", "operator", expected_version=1)
    with pytest.raises(WorkflowRefused) as stale:
        service.act(tid, "reject", "operator", None, {"reason_code": "spam"}, expected_version=1)
    assert stale.value.code == "stale"


def test_bulk_forward_one_transaction_per_report(
    database: Database, store: EvidenceStore, service: WorkflowService
) -> None:
    ids = [save_report(database, store) for _ in range(3)]
    unit = add_unit(database, "U1")
    service.act(ids[1], "reject", "operator", None, {"reason_code": "no_content"})
    result = service.act_many(ids, "forward", "operator", None, {"lead_unit_id": unit})
    assert [s.id for s in result.done] == [ids[0], ids[2]]
    assert result.refused == ((ids[1], "not_allowed_in_state", "forward from rejected"),)
    for tid in ids:
        assert verify_chain(events(database, tid)) is None


def test_state_secret_blocks_publication(
    database: Database, store: EvidenceStore, service: WorkflowService
) -> None:
    tid = save_report(database, store)
    service.act(tid, "forward", "operator", None, {"lead_unit_id": add_unit(database, "U1")})
    service.act(tid, "accept", "unit_officer")
    service.act(tid, "record_result", "operator", None, {"result_text": "Xong"})
    with pytest.raises(WorkflowRefused):
        service.set_state_secret(tid, "operator", None, True, "Bí mật")
    assert service.set_state_secret(tid, "supervisor", None, True, "Mật").state_secret
    with pytest.raises(WorkflowRefused) as refused:
        service.act(tid, "publish", "supervisor", None, {"publication_text": "Xong"})
    assert refused.value.code == "state_secret"
    assert verify_chain(events(database, tid)) is None


@pytest.mark.postgres
def test_workflow_on_postgresql(tmp_path: Path, pg_migrated_url: str) -> None:
    env = resolve(db=pg_migrated_url, data_dir=str(tmp_path / "data"))
    database = open_database(env)
    try:
        store = EvidenceStore(env.evidence_dir)
        service = WorkflowService(database)
        tid = save_report(database, store)
        unit = add_unit(database, "U1")
        state = service.act(tid, "forward", "operator", None, {"lead_unit_id": unit})
        assert state.status == "forwarded" and len(state.notifications) == 2
        service.act(tid, "accept", "unit_officer")
        service.act(tid, "record_result", "unit_officer", None, {"result_text": "Đã xử lý"})
        assert service.act(tid, "close", "operator").closed_at is not None
        assert verify_chain(events(database, tid)) is None
        with pytest.raises(WorkflowRefused):
            service.act(tid, "forward", "operator", None, {"lead_unit_id": unit})
    finally:
        database.close()


def test_publication_never_carries_the_reporter(
    database: Database, store: EvidenceStore, service: WorkflowService
) -> None:
    from pakn_desktop.services.workflow.publication import publication_text

    content = "Tôi là Nguyễn Văn An, số 0912 345 678. Cống ở 12 Lê Lợi bị tắc."
    tid = save_report(database, store, content=content)
    service.act(tid, "forward", "operator", None, {"lead_unit_id": add_unit(database, "U1")})
    service.act(tid, "accept", "unit_officer")
    result = "Đã gọi lại anh An (0912345678) và thông cống."
    service.act(tid, "record_result", "unit_officer", None, {"result_text": result})
    draft = publication_text(database, tid)
    assert draft.refusal is None and not draft.published
    for piece in ("Nguyễn Văn An", "0912 345 678", "0912345678", "anh An"):
        assert piece not in draft.text
    assert "12 Lê Lợi" in draft.text  # where it happened is not who reported it
    with pytest.raises(WorkflowRefused) as leaky:
        service.act(tid, "publish", "supervisor", None, {"publication_text": result})
    assert leaky.value.code == "personal_data"
    service.act(tid, "publish", "supervisor", None, {"publication_text": draft.text})
    assert publication_text(database, tid).published


@pytest.mark.parametrize("flag", ["confidential", "no_publish"])
def test_reporter_asked_not_to_publish(
    database: Database, store: EvidenceStore, service: WorkflowService, flag: str
) -> None:
    from pakn_desktop.services.workflow.publication import publication_text

    tid = save_report(database, store, **{flag: True})
    service.act(tid, "forward", "operator", None, {"lead_unit_id": add_unit(database, "U1")})
    service.act(tid, "accept", "unit_officer")
    service.act(tid, "record_result", "unit_officer", None, {"result_text": "Xong"})
    assert publication_text(database, tid).refusal == flag
    with pytest.raises(WorkflowRefused) as refused:
        service.act(tid, "publish", "admin", None, {"publication_text": "Xong"})
    assert refused.value.code == flag
