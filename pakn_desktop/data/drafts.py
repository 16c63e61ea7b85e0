"""The intake drafts' statements (``draft`` is local: in ``outbox.LOCAL_TABLES``, never
synced). Each runs on the caller's connection, so a report's save deletes its draft in the
save's own transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from .models import Base, Draft

# Core on the table: the intake save runs compiled Core statements, not the ORM.
_D = Base.metadata.tables[Draft.__tablename__]


def overwrite(
    conn: Connection, draft_id: uuid.UUID, mode: str, data: dict[str, Any], now: datetime
) -> bool:
    """Replace a stored draft's form; False when no draft has that id."""
    done = conn.execute(
        update(_D).where(_D.c.id == draft_id).values(mode=mode, data=data, updated_at=now)
    )
    return bool(done.rowcount)


def create(
    conn: Connection, draft_id: uuid.UUID, mode: str, data: dict[str, Any], now: datetime
) -> None:
    conn.execute(
        insert(_D).values(id=draft_id, mode=mode, data=data, created_at=now, updated_at=now)
    )


def listed(conn: Connection) -> list[Any]:
    """(id, mode, data, updated_at) of every draft, the most recently updated first."""
    query = select(_D.c.id, _D.c.mode, _D.c.data, _D.c.updated_at).order_by(
        _D.c.updated_at.desc(), _D.c.id.desc()
    )
    return list(conn.execute(query).all())


def form_of(conn: Connection, draft_id: uuid.UUID) -> dict[str, Any] | None:
    """The draft's form, None when it is gone."""
    data = conn.execute(select(_D.c.data).where(_D.c.id == draft_id)).scalar()
    return None if data is None else dict(data)


def replace_form(
    conn: Connection, draft_id: uuid.UUID, data: dict[str, Any], now: datetime
) -> None:
    conn.execute(update(_D).where(_D.c.id == draft_id).values(data=data, updated_at=now))


def remove(conn: Connection, draft_id: uuid.UUID) -> None:
    """Delete the draft (nothing happens when it is already gone)."""
    conn.execute(delete(_D).where(_D.c.id == draft_id))
