"""The intake save's reads and its draft removal (``services.intake.store`` builds the rows and
writes them in one transaction through ``data.writes``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, bindparam, select

from .models import Blob, Commune, Reporter, Ticket
from .prepared import prepared

# Run prepared (data.prepared): it is on every save with a phone number.
_REPORTERS_BY_PHONE = (
    select(Reporter.id, Reporter.full_name, Reporter.email, Reporter.address)
    .where(Reporter.phone == bindparam("phone"))
    .order_by(Reporter.created_at.desc())
)


def reporters_by_phone(conn: Connection, phone: str) -> Any:
    """(id, full_name, email, address) of the reporter rows with ``phone`` (E.164), newest
    first."""
    return prepared(_REPORTERS_BY_PHONE, conn.dialect).run(conn, [{"phone": phone}])


def reporters_by_phones(conn: Connection, phones: Collection[str]) -> dict[str, list[Any]]:
    """Phone (E.164) → (id, full_name, email, address) of its reporter rows, newest first:
    :func:`reporters_by_phone` for a batch of reports at once (a register import)."""
    found: dict[str, list[Any]] = {}
    wanted = sorted(set(phones))
    for start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit, with room
        chunk = wanted[start : start + 500]
        rows = conn.execute(
            select(Reporter.phone, *_REPORTERS_BY_PHONE.selected_columns)
            .where(Reporter.phone.in_(chunk))
            .order_by(Reporter.created_at.desc())
        )
        for phone, *row in rows:
            found.setdefault(phone, []).append(tuple(row))
    return found


def ticket_id_by_code(conn: Connection, code: str) -> uuid.UUID | None:
    return conn.scalar(select(Ticket.id).where(Ticket.code == code.upper()))


def commune_province(conn: Connection, commune_code: str) -> str | None:
    return conn.scalar(select(Commune.province_code).where(Commune.code == commune_code))


def blob_known(conn: Connection, sha256: str) -> bool:
    return conn.scalar(select(Blob.sha256).where(Blob.sha256 == sha256)) is not None


def known_import_keys(conn: Connection, keys: list[str]) -> set[str]:
    """Which of ``keys`` a report already carries (migration 0015's unique index)."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # SQLite's bound-parameter limit, with room
        chunk = keys[start : start + 500]
        found.update(conn.scalars(select(Ticket.import_key).where(Ticket.import_key.in_(chunk))))
    return {k for k in found if k is not None}
