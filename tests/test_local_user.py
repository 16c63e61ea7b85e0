"""Who did it is on the record: the OS login is the station's user until accounts arrive."""

from __future__ import annotations

import getpass

from sqlalchemy import select

from pakn_desktop.data.models import Evidence, Outbox, Ticket, TicketEvent, User
from pakn_desktop.services.app_services import AppServices
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.records import EvidenceBytes
from pakn_desktop.services.intake.form import Attachment
from pakn_desktop.services.workstation import load_workstation

from .intake_data import form, png


def test_saves_and_captures_name_the_os_login(env: Environment, database: Database) -> None:
    services = AppServices(lambda: database, env)
    saved = services.intake.save(
        form(attachments=(Attachment("ảnh chụp.png", png(4, 4, seed=1), "screenshot"),))
    )
    services.evidence.attach_bytes(saved.code, [EvidenceBytes("dán.png", png(3, 3, seed=2))])
    services.workflow.act(saved.id, "screen", "operator", services.user_id, {})

    with database.sessions() as session:
        users = session.scalars(select(User).where(User.username == getpass.getuser())).all()
        assert len(users) == 1  # both services found the same row, none made a second
        user = users[0]
        ticket = session.get(Ticket, saved.id)
        assert ticket is not None and ticket.created_by_id == user.id
        captured = session.scalars(select(Evidence.captured_by_id)).all()
        assert len(captured) == 2 and set(captured) == {user.id}
        actors = session.scalars(
            select(TicketEvent.actor_id).where(TicketEvent.ticket_id == saved.id)
        ).all()
        assert len(actors) >= 3 and set(actors) == {user.id}  # created, attached, screened
        synced = session.scalars(select(Outbox).where(Outbox.table_name == "app_user")).all()
        assert [row.row_id for row in synced] == [str(user.id)]

    assert load_workstation(database).user_id == user.id
