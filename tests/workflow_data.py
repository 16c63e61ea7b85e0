"""Shared pieces for the workflow, notification and publication tests."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from pakn_desktop.data.models import TicketEvent, Unit
from pakn_desktop.data.outbox import payload_of
from pakn_desktop.services.database import Database
from pakn_desktop.services.evidence_store import EvidenceStore
from pakn_desktop.services.intake import IntakeService
from tests.intake_data import form


def add_unit(
    database: Database,
    code: str,
    *,
    phone: str | None = "+84901000001",
    email: str | None = "donvi@example.vn",
    name: str | None = None,
) -> uuid.UUID:
    with database.sessions.begin() as s:
        unit = Unit(
            code=code,
            name=name or f"UBND phường {code}",
            kind="ubnd_xa",
            contact_name="Trần Thị Liên",
            contact_phone=phone,
            contact_email=email,
            active=True,
        )
        s.add(unit)
        s.flush()
        return unit.id


def save_report(database: Database, store: EvidenceStore, **changes: Any) -> uuid.UUID:
    return IntakeService(database, store).save(form(**changes)).id


def events(database: Database, ticket_id: uuid.UUID) -> list[dict[str, Any]]:
    """The report's events in JSON form (as hashed), in order."""
    with database.sessions() as s:
        rows = s.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.seq)
        ).all()
        return [payload_of(e) for e in rows]
