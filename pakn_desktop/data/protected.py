"""Who is behind the protected reports (a denunciation, or a reporter who asked for
confidentiality): what a search result masks in their summaries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Connection, or_, select

from .models import Reporter, Ticket


def protected_identities(
    conn: Connection, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str, str, str, str]]:
    """Of the reports ``ids``, the protected ones: id → (full name, phone, phone as given,
    e-mail, address), each "" when unknown."""
    if not ids:
        return {}
    found = conn.execute(
        select(
            Ticket.id,
            Reporter.full_name,
            Reporter.phone,
            Reporter.phone_raw,
            Reporter.email,
            Reporter.address,
        )
        .outerjoin(Reporter, Reporter.id == Ticket.reporter_id)
        .where(
            Ticket.id.in_(ids),
            or_(Ticket.identity_protected.is_(True), Ticket.confidential.is_(True)),
        )
    )
    return {
        row[0]: (
            str(row[1] or ""),
            str(row[2] or ""),
            str(row[3] or ""),
            str(row[4] or ""),
            str(row[5] or ""),
        )
        for row in found
    }
