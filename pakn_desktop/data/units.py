"""The unit catalogue's SQL: units with their contacts and history, and the writes.

Writes go through the ORM in the caller's write session, so the outbox hook records each
change for the sync. Units are few (thousands at most): read whole, filtered in Python.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, func, select, union_all
from sqlalchemy.orm import Session

from .models import Assignment, Notification, RoutingRule, Ticket, Unit, UnitContact, User

_FIRST_CONTACT = uuid.UUID("6f1d3a52-8a0e-4d39-9d5c-5b1f0e0c7a10")  # = migration 0013's


def first_contact_id(unit_id: uuid.UUID) -> uuid.UUID:
    """The id of a unit's first contact where every station must make the same one (0013's
    move of the old columns, demo units): derived from the unit's id."""
    return uuid.uuid5(_FIRST_CONTACT, str(unit_id))


@dataclass(frozen=True)
class ContactRow:
    id: uuid.UUID
    unit_id: uuid.UUID
    name: str
    role: str
    phone: str  # E.164, or as an older station stored it; "" when none
    email: str
    receives_sms: bool
    receives_email: bool


@dataclass(frozen=True)
class UnitRow:
    id: uuid.UUID
    code: str
    name: str
    parent_id: uuid.UUID | None
    kind: str
    province_code: str | None
    commune_code: str | None
    active: bool
    contacts: tuple[ContactRow, ...]


def _contact(c: UnitContact) -> ContactRow:
    return ContactRow(
        c.id,
        c.unit_id,
        c.name,
        c.role or "",
        c.phone or "",
        c.email or "",
        bool(c.receives_sms),
        bool(c.receives_email),
    )


def contact_rows(conn: Connection, unit_ids: list[uuid.UUID] | None = None) -> list[ContactRow]:
    c = UnitContact
    stmt = select(
        c.id, c.unit_id, c.name, c.role, c.phone, c.email, c.receives_sms, c.receives_email
    ).order_by(c.unit_id, c.created_at, c.id)
    if unit_ids is not None:
        stmt = stmt.where(c.unit_id.in_(unit_ids))
    return [
        ContactRow(r[0], r[1], r[2], r[3] or "", r[4] or "", r[5] or "", bool(r[6]), bool(r[7]))
        for r in conn.execute(stmt)
    ]


def unit_rows(conn: Connection) -> list[UnitRow]:
    """Every unit, active or not, with its contacts; by name."""
    by_unit: dict[uuid.UUID, list[ContactRow]] = {}
    for contact in contact_rows(conn):
        by_unit.setdefault(contact.unit_id, []).append(contact)
    rows = conn.execute(
        select(
            Unit.id,
            Unit.code,
            Unit.name,
            Unit.parent_id,
            Unit.kind,
            Unit.province_code,
            Unit.commune_code,
            Unit.active,
        ).order_by(Unit.name, Unit.id)
    ).all()
    return [UnitRow(*r[:7], bool(r[7]), tuple(by_unit.get(r[0], ()))) for r in rows]


def history_count(conn: Connection, unit_id: uuid.UUID) -> int:
    """What refers to the unit: forwards (assignments, lead), notifications, rules, users.
    A unit with any of them is deactivated, never deleted."""
    parts = [
        select(func.count()).select_from(Assignment).where(Assignment.unit_id == unit_id),
        select(func.count()).select_from(Ticket).where(Ticket.lead_unit_id == unit_id),
        select(func.count()).select_from(Notification).where(Notification.unit_id == unit_id),
        select(func.count()).select_from(RoutingRule).where(RoutingRule.unit_id == unit_id),
        select(func.count()).select_from(User).where(User.unit_id == unit_id),
        select(func.count()).select_from(Unit).where(Unit.parent_id == unit_id),
    ]
    counts = union_all(*parts).subquery()
    total = conn.execute(select(func.coalesce(func.sum(counts.c[0]), 0))).scalar_one()
    return int(total)


# --- writes (ORM, in the caller's write session) ------------------------------------------


def add_unit(session: Session, **values: object) -> uuid.UUID:
    unit = Unit(**values)
    session.add(unit)
    session.flush()
    return unit.id


def update_unit(session: Session, unit_id: uuid.UUID, **values: object) -> bool:
    """Only the fields that differ are written (an unchanged import row leaves no outbox row)."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise LookupError(unit_id)
    changed = False
    for key, value in values.items():
        if getattr(unit, key) != value:
            setattr(unit, key, value)
            changed = True
    return changed


def delete_unit(session: Session, unit_id: uuid.UUID) -> None:
    for contact in session.scalars(select(UnitContact).where(UnitContact.unit_id == unit_id)):
        session.delete(contact)
    unit = session.get(Unit, unit_id)
    if unit is not None:
        session.flush()  # the contacts first: they refer to the unit
        session.delete(unit)


def add_contact(session: Session, unit_id: uuid.UUID, **values: object) -> ContactRow:
    contact = UnitContact(unit_id=unit_id, **values)
    session.add(contact)
    session.flush()
    return _contact(contact)


def update_contact(session: Session, contact_id: uuid.UUID, **values: object) -> ContactRow:
    contact = session.get(UnitContact, contact_id)
    if contact is None:
        raise LookupError(contact_id)
    for key, value in values.items():
        if getattr(contact, key) != value:
            setattr(contact, key, value)
    session.flush()
    return _contact(contact)


def delete_contact(session: Session, contact_id: uuid.UUID) -> None:
    contact = session.get(UnitContact, contact_id)
    if contact is not None:
        session.delete(contact)


def siblings(session: Session, parent_id: uuid.UUID | None) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of the units under ``parent_id`` (the top level for None)."""
    same_parent = Unit.parent_id.is_(None) if parent_id is None else Unit.parent_id == parent_id
    return [
        (row[0], row[1]) for row in session.execute(select(Unit.id, Unit.name).where(same_parent))
    ]


def unit_keys(session: Session) -> list[tuple[uuid.UUID, str, uuid.UUID | None]]:
    """(id, name, parent_id) of every unit, active or not."""
    rows = session.execute(select(Unit.id, Unit.name, Unit.parent_id))
    return [(row[0], row[1], row[2]) for row in rows]


def contacts_of(session: Session, unit_id: uuid.UUID) -> list[UnitContact]:
    """The unit's contact people as ORM rows (to be changed in the session)."""
    return list(session.scalars(select(UnitContact).where(UnitContact.unit_id == unit_id)).all())


def active_unit_names(conn: Connection) -> list[tuple[uuid.UUID, str, str]]:
    """(id, code, name) of the active units, by name."""
    query = select(Unit.id, Unit.code, Unit.name).where(Unit.active.is_(True)).order_by(Unit.name)
    return [(row[0], row[1], row[2]) for row in conn.execute(query)]
