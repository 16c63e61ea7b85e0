"""Merging a duplicate into the surviving report: both timelines kept, evidence carried,
one transaction; refusals (itself, a merged or rejected survivor, a cycle) store nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from pakn_desktop.data.models import Evidence, Outbox, Ticket, TicketEvent
from pakn_desktop.domain.audit_chain import verify_chain
from pakn_desktop.domain.workflow import Refusal, WorkflowRefused
from pakn_desktop.services.database import Database
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.queue import QueueService
from pakn_desktop.services.workflow.service import WorkflowService
from tests.intake_data import png
from tests.workflow_data import events, save_report

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@pytest.fixture
def service(database: Database) -> WorkflowService:
    return WorkflowService(database)


def _ticket(database: Database, ticket_id: uuid.UUID) -> Ticket:
    with database.sessions() as s:
        ticket = s.get(Ticket, ticket_id)
        assert ticket is not None
        return ticket


def _evidence(database: Database, ticket_id: uuid.UUID) -> list[tuple[str, str, str | None]]:
    with database.engine.connect() as conn:
        rows = conn.execute(
            select(Evidence.sha256, Evidence.display_name, Evidence.purpose)
            .where(Evidence.ticket_id == ticket_id)
            .order_by(Evidence.display_name)
        )
        return [(r[0], r[1], r[2]) for r in rows]


def _counts(database: Database) -> tuple[int, int, int]:
    with database.engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Outbox, TicketEvent, Evidence)
        )


def _attach(database: Database, store: EvidenceStore, ticket: uuid.UUID, tmp: Path, n: int) -> str:
    path = tmp / f"anh-{n}.png"
    path.write_bytes(png(4, 4, seed=n))
    (done,) = EvidenceService(database, store).attach_files(ticket, [path])
    return done.sha256


def test_merge_links_carries_evidence_and_chains_an_event_on_each_report(
    database: Database, store: EvidenceStore, service: WorkflowService, tmp_path: Path
) -> None:
    survivor = save_report(database, store)
    absorbed = save_report(database, store, content="Cống tắc ở Lê Lợi, mùi hôi bốc lên.")
    own = _attach(database, store, absorbed, tmp_path, 1)
    shared = _attach(database, store, absorbed, tmp_path, 2)
    assert _attach(database, store, survivor, tmp_path, 2) == shared  # already there
    service.act(absorbed, "screen", "operator", now=T0)
    before = _ticket(database, survivor)
    outbox_before = _counts(database)[0]
    code = before.code

    state = service.act(
        absorbed, "merge", "moderator", None, {"merge_into": code.lower()}, now=T0 + timedelta(1)
    )

    assert (state.status, state.duplicate_of_id) == ("duplicate", survivor)
    assert state.closed_at == T0 + timedelta(1)
    after = _ticket(database, survivor)
    assert after.version == before.version + 1 and after.status == before.status
    # One event on each report, each chain still whole.
    mine, theirs = events(database, absorbed), events(database, survivor)
    assert mine[-1]["kind"] == "merge" and theirs[-1]["kind"] == "merged_from"
    assert mine[-1]["data"]["merge_into"] == str(survivor)
    assert mine[-1]["data"]["merge_into_code"] == code
    assert theirs[-1]["data"]["ticket_id"] == str(absorbed)
    assert verify_chain(mine) is None and verify_chain(theirs) is None
    # The absorbed report's own image is carried (same blob); the shared one is not doubled.
    carried = theirs[-1]["data"]["evidence"]
    assert (
        [c["sha256"] for c in carried]
        == [own]
        == [c["sha256"] for c in mine[-1]["data"]["evidence"]]
    )
    assert sorted(s for s, _n, _p in _evidence(database, survivor)) == sorted([own, shared])
    assert len(_evidence(database, absorbed)) == 2  # the absorbed report keeps its proof
    assert store.path_of(own).exists()
    # Outbox: both ticket updates, both events, the evidence row.
    with database.engine.connect() as conn:
        rows = conn.execute(
            select(Outbox.table_name, Outbox.row_id).where(Outbox.seq > outbox_before)
        ).all()
    tables = sorted(t for t, _r in rows)
    assert tables == ["evidence", "ticket", "ticket", "ticket_event", "ticket_event"]
    assert {r for t, r in rows if t == "ticket"} == {str(survivor), str(absorbed)}


def test_survivor_detail_shows_both_timelines_and_the_merged_one_links_back(
    database: Database, store: EvidenceStore, service: WorkflowService
) -> None:
    a, b, c = (save_report(database, store) for _ in range(3))
    service.act(b, "screen", "operator", now=T0)
    service.act(a, "merge", "operator", None, {"merge_into": str(b)}, now=T0 + timedelta(1))
    service.act(c, "screen", "operator", now=T0 + timedelta(2))
    service.act(b, "merge", "operator", None, {"merge_into": str(c)}, now=T0 + timedelta(3))
    queue = QueueService(database)
    code = {t: _ticket(database, t).code for t in (a, b, c)}

    root = queue.ticket_detail(c)
    assert set(root.merged_from) == {code[a], code[b]}
    cases = [(e.case, e.kind) for e in root.events]
    assert ("", "created") in cases and ("", "merged_from") in cases
    assert (code[a], "merge") in cases and (code[b], "merge") in cases  # A's via B, too
    assert (code[b], "merged_from") in cases
    times = [e.at for e in root.events]
    assert times == sorted(times)
    assert len(root.events) == sum(len(events(database, t)) for t in (a, b, c))

    middle = queue.ticket_detail(b)
    assert middle.merged and middle.duplicate_of == (c, code[c])
    assert middle.merged_from == (code[a],)
    linked = save_report(database, store)
    service.act(linked, "mark_duplicate", "operator", None, {"duplicate_of": code[c]})
    only_linked = queue.ticket_detail(linked)
    assert only_linked.duplicate_of == (c, code[c]) and not only_linked.merged


def test_a_linked_duplicate_is_merged_later_and_keeps_when_it_was_closed(
    database: Database, store: EvidenceStore, service: WorkflowService
) -> None:
    original, copy = save_report(database, store), save_report(database, store)
    service.act(copy, "mark_duplicate", "operator", None, {"duplicate_of": original}, now=T0)
    state = service.act(
        copy, "merge", "operator", None, {"merge_into": original}, now=T0 + timedelta(1)
    )
    assert state.status == "duplicate" and state.closed_at == T0
    assert [e["kind"] for e in events(database, copy)][-2:] == ["mark_duplicate", "merge"]


def _refused(
    service: WorkflowService, ticket: uuid.UUID, into: Any, role: str = "operator"
) -> WorkflowRefused:
    with pytest.raises(WorkflowRefused) as refused:
        service.act(ticket, "merge", role, None, {"merge_into": into})
    return refused.value


def test_refusals_store_nothing(
    database: Database, store: EvidenceStore, service: WorkflowService, tmp_path: Path
) -> None:
    a, b, c, spam = (save_report(database, store) for _ in range(4))
    _attach(database, store, a, tmp_path, 7)
    service.act(b, "merge", "operator", None, {"merge_into": a})  # b is merged into a
    service.act(spam, "reject", "operator", None, {"reason_code": "spam"})
    code_a = _ticket(database, a).code
    counts = _counts(database)
    versions = {t: _ticket(database, t).version for t in (a, b, c, spam)}

    assert _refused(service, c, c).code == "merge_self"
    assert _refused(service, c, _ticket(database, c).code).code == "merge_self"
    assert _refused(service, c, "PA-000000-XX-0000").code == "duplicate_unknown"
    into_merged = _refused(service, c, b)  # b is merged: refused, naming the root
    assert (into_merged.code, into_merged.detail) == ("merge_target_merged", code_a)
    assert _refused(service, a, b).code == "merge_cycle"  # a into b, which is merged into a
    assert _refused(service, c, spam).code == "merge_target_rejected"
    again = _refused(service, b, c)  # b was merged once: not merged a second time
    assert (again.code, again.detail) == ("already_merged", code_a)
    assert _refused(service, c, a, role="unit_officer").code is Refusal.ROLE
    assert _refused(service, c, " ").code is Refusal.MISSING_FIELD
    service.act(c, "forward", "operator", None, {"lead_unit_id": _unit(database)})
    assert _refused(service, c, a).code is Refusal.STATE  # a unit holds it: not a triage merge

    service.act(c, "return", "unit_officer", None, {"reason": "Sai đơn vị"})
    counts = _counts(database)  # the forward and return wrote theirs
    assert _refused(service, c, b).code == "merge_target_merged"
    assert _counts(database) == counts
    assert {t: _ticket(database, t).version for t in (a, b, spam)} == {
        t: versions[t] for t in (a, b, spam)
    }


def _unit(database: Database) -> uuid.UUID:
    from tests.workflow_data import add_unit

    return add_unit(database, "MG")
