"""The unit catalogue: deactivate rather than delete a unit with history; an inactive unit is
offered nowhere; a forward texts and mails each contact as their flags say."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pakn_desktop.data.models import Notification, Ticket, Unit
from pakn_desktop.domain.workflow import WorkflowRefused
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.unit_checks import ContactInput, UnitProblem
from pakn_desktop.services.units import UnitsService
from pakn_desktop.services.workflow.routing import RoutingService
from pakn_desktop.services.workflow.service import WorkflowService
from pakn_desktop.services.workflow.unit_choices import active_units
from tests.workflow_data import save_report


@pytest.fixture
def store(env: Environment) -> EvidenceStore:
    return EvidenceStore(env.evidence_dir)


def test_a_unit_without_history_is_deleted_with_its_contacts(database: Database) -> None:
    units = UnitsService(database)
    unit = units.add_unit("Sở Y tế", contacts=[ContactInput("Võ Thị Dung", phone="0912345678")])
    assert units.remove_unit(unit.id) == "deleted"
    assert units.list_units() == ()


def test_a_unit_with_forwards_is_deactivated_never_deleted(
    database: Database, store: EvidenceStore
) -> None:
    units = UnitsService(database)
    unit = units.add_unit("UBND phường Bến Thành")
    ticket = save_report(database, store)
    workflow = WorkflowService(database)
    workflow.act(ticket, "forward", "operator", None, {"lead_unit_id": unit.id})

    assert units.remove_unit(unit.id) == "deactivated"

    [kept] = units.list_units()
    assert (kept.id, kept.name, kept.active) == (unit.id, "UBND phường Bến Thành", False)
    # Its history still reads: the report still names it as the lead unit.
    with database.engine.connect() as conn:
        lead = conn.execute(
            select(Unit.name)
            .join(Ticket, Ticket.lead_unit_id == Unit.id)
            .where(Ticket.id == ticket)
        ).scalar_one()
    assert lead == "UBND phường Bến Thành"


def test_an_inactive_unit_is_not_offered_for_forwarding_or_routing(
    database: Database, store: EvidenceStore
) -> None:
    units = UnitsService(database)
    active = units.add_unit("UBND phường Sài Gòn")
    closed = units.add_unit("UBND phường Bến Thành")
    routing = RoutingService(database)
    routing.add_rule(
        "admin",
        category_code="trat_tu_do_thi",
        province_code=None,
        commune_code=None,
        unit_id=closed.id,
        priority=0,
        active=True,
        note=None,
    )
    assert {u.id for u in active_units(database)} == {active.id, closed.id}
    suggested = routing.suggest_unit("trat_tu_do_thi")
    assert suggested is not None and suggested.unit_id == closed.id

    units.update_unit(
        closed.id, closed.name, parent_id=None, province_code=None, commune_code=None, active=False
    )

    assert [u.id for u in active_units(database)] == [active.id]
    assert routing.suggest_unit("trat_tu_do_thi") is None
    ticket = save_report(database, store)
    with pytest.raises(WorkflowRefused):
        WorkflowService(database).act(
            ticket, "forward", "operator", None, {"lead_unit_id": closed.id}
        )


def test_forward_reaches_each_contact_by_what_they_receive(
    database: Database, store: EvidenceStore
) -> None:
    units = UnitsService(database)
    unit = units.add_unit(
        "UBND phường Bến Thành",
        contacts=[
            ContactInput("Trần Thị Liên", "Chánh văn phòng", "0912 345 678", "lien@example.org"),
            ContactInput(
                "Lê Văn Bình", "Phó chủ tịch", "0987654321", "binh@example.org", True, False
            ),
            ContactInput("Phạm Cường", "Văn thư", "0911222333", "cuong@example.org", False, True),
        ],
    )
    ticket = save_report(database, store)
    WorkflowService(database).act(ticket, "forward", "operator", None, {"lead_unit_id": unit.id})
    with database.engine.connect() as conn:
        sent = set(
            conn.execute(
                select(Notification.channel, Notification.recipient).where(
                    Notification.ticket_id == ticket
                )
            ).all()
        )
    assert sent == {
        ("sms", "+84912345678"),
        ("email", "lien@example.org"),
        ("sms", "+84987654321"),
        ("email", "cuong@example.org"),
    }


def test_names_are_unique_under_one_parent_folded(database: Database) -> None:
    units = UnitsService(database)
    city = units.add_unit("UBND Thành phố Hồ Chí Minh")
    units.add_unit("Sở Y tế", parent_id=city.id)
    units.add_unit("Sở Y tế")  # another parent (none): allowed
    with pytest.raises(UnitProblem, match="Đã có đơn vị"):
        units.add_unit("  so   y TE ", parent_id=city.id)
    with pytest.raises(UnitProblem, match="cấp trên của chính nó"):
        units.update_unit(
            city.id, city.name, parent_id=city.id, province_code=None, commune_code=None,
            active=True,
        )  # fmt: skip
