"""The forward (5-minute) deadline, watched like the resolve one: due times computed by hand.

HCMC letter 2061/UBND-VX: the portal forwards a report to the competent unit "trong vòng
05 phút" from reception. Calendar minutes: the hotline answers around the clock, so a Sunday
night call is due five minutes later like a Monday morning one. With the default at-risk share
(80 %) a report received 10:00 is due 10:05 and at risk from 10:04. Times are office time.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect, select
from sqlalchemy import update as sa_update

from pakn_desktop.data import migrate
from pakn_desktop.data.models import Ticket
from pakn_desktop.domain.sla import SlaSettings, forward_at_risk_at
from pakn_desktop.services.database import Database
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.sla import SlaService, save_settings
from pakn_desktop.services.workflow.service import WorkflowService
from tests.intake_data import form
from tests.workflow_data import add_unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FORWARD_COLUMNS = ("forward_at_risk_at", "forwarded_at", "forward_on_time")


def vn(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, second, tzinfo=VN)


def receive(database: Database, store: EvidenceStore, at: datetime) -> uuid.UUID:
    return IntakeService(database, store).save(form(received_at=at)).id


def columns(database: Database, ticket: uuid.UUID) -> dict[str, Any]:
    t = Ticket
    with database.engine.connect() as conn:
        row = conn.execute(
            select(t.forward_due_at, t.forward_at_risk_at, t.forwarded_at, t.forward_on_time).where(
                t.id == ticket
            )
        ).one()
    return dict(row._mapping)


def test_forward_due_counts_calendar_minutes_around_the_clock(database: Database) -> None:
    sla = SlaService(database)
    # Sunday 6 December 2026, 10:00: no office hours, yet due five minutes later.
    due = sla.deadline_for("mac_dinh", vn(6, 10)).forward_due
    assert due == vn(6, 10, 5)
    assert forward_at_risk_at(vn(6, 10), due) == vn(6, 10, 4)  # 80 % of 5 min = 4 min
    # Saturday 23:58 → Sunday 00:03, at risk 00:02; half the time: 00:00:30.
    late = sla.deadline_for("mac_dinh", vn(5, 23, 58)).forward_due
    assert late == vn(6, 0, 3)
    assert forward_at_risk_at(vn(5, 23, 58), late) == vn(6, 0, 2)
    assert forward_at_risk_at(vn(5, 23, 58), late, 0.5) == vn(6, 0, 0, 30)


def test_a_saved_report_is_watched_until_forwarded(
    database: Database, store: EvidenceStore
) -> None:
    ticket = receive(database, store, vn(7, 10))
    assert columns(database, ticket) == {
        "forward_due_at": vn(7, 10, 5),
        "forward_at_risk_at": vn(7, 10, 4),
        "forwarded_at": None,
        "forward_on_time": None,
    }


def test_a_question_answered_on_the_call_is_never_watched(
    database: Database, store: EvidenceStore
) -> None:
    saved = IntakeService(database, store).save(
        form(received_at=vn(7, 10), kind="hoi_dap", answer="Đã hướng dẫn thủ tục qua điện thoại.")
    )
    assert saved.status == "closed"
    assert columns(database, saved.id)["forward_at_risk_at"] is None


@pytest.mark.parametrize(
    ("forward_at", "on_time"),
    [(vn(7, 10, 3), True), (vn(7, 10, 5), True), (vn(7, 10, 5, 1), False), (vn(7, 11), False)],
)
def test_the_first_forward_is_stamped_and_ends_the_watch(
    database: Database, store: EvidenceStore, forward_at: datetime, on_time: bool
) -> None:
    ticket = receive(database, store, vn(7, 10))
    unit = add_unit(database, "P1")
    service = WorkflowService(database)
    service.act(ticket, "forward", "operator", None, {"lead_unit_id": unit}, now=forward_at)
    got = columns(database, ticket)
    assert got["forwarded_at"] == forward_at  # the due instant itself is in time
    assert got["forward_on_time"] is on_time
    assert got["forward_at_risk_at"] is None
    # Returned and forwarded again: the first forward stays the one judged.
    service.act(ticket, "return", "unit_officer", None, {"reason": "Sai đơn vị"})
    later = forward_at + timedelta(hours=1)
    service.act(ticket, "forward", "operator", None, {"lead_unit_id": unit}, now=later)
    assert columns(database, ticket)["forwarded_at"] == forward_at


def test_a_report_closed_without_forward_is_no_longer_watched(
    database: Database, store: EvidenceStore
) -> None:
    ticket = receive(database, store, vn(7, 10))
    service = WorkflowService(database)
    service.act(ticket, "screen", "operator", now=vn(7, 10, 1))
    assert columns(database, ticket)["forward_at_risk_at"] == vn(7, 10, 4)  # still waiting
    service.act(ticket, "reject", "operator", None, {"reason_code": "spam"}, now=vn(7, 10, 2))
    got = columns(database, ticket)
    assert got["forward_at_risk_at"] is None and got["forwarded_at"] is None


def test_a_new_share_moves_the_forward_at_risk_moment(
    database: Database, store: EvidenceStore
) -> None:
    waiting = receive(database, store, vn(7, 10))
    forwarded = receive(database, store, vn(7, 10))
    WorkflowService(database).act(
        forwarded, "forward", "operator", None, {"lead_unit_id": add_unit(database, "P2")}
    )
    save_settings(database, SlaSettings(at_risk_share=0.5))
    assert columns(database, waiting)["forward_at_risk_at"] == vn(7, 10, 2, 30)
    assert columns(database, forwarded)["forward_at_risk_at"] is None


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_migration_0010_down_and_up_fills_the_watch_from_the_data(
    request: pytest.FixtureRequest, store: EvidenceStore, backend: str
) -> None:
    database: Database = request.getfixturevalue(
        "database" if backend == "sqlite" else "pg_database"
    )
    waiting = receive(database, store, vn(7, 10))
    early = receive(database, store, vn(7, 10))
    late = receive(database, store, vn(7, 10))
    rejected = receive(database, store, vn(7, 10))
    unit = add_unit(database, "P3")
    service = WorkflowService(database)
    service.act(early, "forward", "operator", None, {"lead_unit_id": unit}, now=vn(7, 10, 4))
    service.act(late, "forward", "operator", None, {"lead_unit_id": unit}, now=vn(7, 10, 9))
    service.act(rejected, "reject", "operator", None, {"reason_code": "spam"})
    before = {t: columns(database, t) for t in (waiting, early, late, rejected)}

    if database.indexer is not None:  # migrations run before any background writer starts
        database.indexer.stop()
        database.indexer.flush()
    migrate.downgrade(database.engine, "0011")
    # A report that came in without a forward due time (no policy matched then) gets one.
    with database.engine.begin() as conn:
        conn.execute(
            sa_update(Ticket.__table__).where(Ticket.id == waiting).values(forward_due_at=None)
        )
    names = {c["name"] for c in inspect(database.engine).get_columns("ticket")}
    assert names.isdisjoint(FORWARD_COLUMNS)
    indexes = {i["name"] for i in inspect(database.engine).get_indexes("ticket")}
    assert "ix_ticket_forward_at_risk" not in indexes

    migrate.upgrade(database.engine)
    assert migrate.current_revision(database.engine) == migrate.head_revision()
    # Rebuilt from the assignments and the share: what the save and the workflow had set.
    after = {t: columns(database, t) for t in (waiting, early, late, rejected)}
    assert after == before
    assert after[waiting]["forward_at_risk_at"] == vn(7, 10, 4)
    assert (after[early]["forwarded_at"], after[early]["forward_on_time"]) == (vn(7, 10, 4), True)
    assert (after[late]["forwarded_at"], after[late]["forward_on_time"]) == (vn(7, 10, 9), False)
    assert after[rejected]["forward_at_risk_at"] is None
    assert after[waiting]["forward_due_at"].tzinfo is not None
    assert after[waiting]["forward_due_at"].astimezone(UTC) == vn(7, 10, 5)
