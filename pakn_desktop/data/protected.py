"""Who a report names (its reporter, and the sender of a message: ``domain.publication.
people_of``), read for many reports at once; and which of them a protected report (a
denunciation, or a reporter who asked for confidentiality) withholds from every output."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Connection, or_, select

from pakn_desktop.domain.publication import Identity, people_of

from .models import Reporter, Ticket


def people(
    conn: Connection, ids: Sequence[uuid.UUID], *, protected_only: bool = False
) -> dict[uuid.UUID, tuple[Identity, ...]]:
    """Of the reports ``ids`` (only the protected ones if ``protected_only``), id → everyone
    the report names."""
    if not ids:
        return {}
    stmt = (
        select(
            Ticket.id,
            Ticket.intake_meta,
            Reporter.full_name,
            Reporter.phone,
            Reporter.phone_raw,
            Reporter.email,
            Reporter.address,
        )
        .outerjoin(Reporter, Reporter.id == Ticket.reporter_id)
        .where(Ticket.id.in_(ids))
    )
    if protected_only:
        stmt = stmt.where(or_(Ticket.identity_protected.is_(True), Ticket.confidential.is_(True)))
    found: dict[uuid.UUID, tuple[Identity, ...]] = {}
    for row in conn.execute(stmt):
        reporter = Identity(*(str(v or "") for v in row[2:]))
        meta = row[1] if isinstance(row[1], dict) else {}
        found[row[0]] = people_of(reporter, meta.get("sender_name"))
    return found


def withheld(conn: Connection, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[Identity, ...]]:
    """Of the reports ``ids``, the protected ones: id → everyone no output may name."""
    return people(conn, ids, protected_only=True)
