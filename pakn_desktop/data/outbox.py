"""The outbox: every local change leaves a row, in the same transaction, for the sync to push.

ORM changes are captured by a session hook, so no service can forget one; bulk Core inserts
(demo data, imports) call :func:`rows_for_inserts` and insert them in the same transaction.

The one exception is the sync's own writes: a change pulled from the server must not go back
to it. The pull writes through Core on the writer (no flush, no hook: ``data.sync_apply``);
a session that must write pulled rows is marked with :func:`without_outbox`, which the hook
reads explicitly rather than guessing from the session.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from pakn_desktop.domain.ids import new_id, new_ids

from .models import Base, Outbox
from .types import utcnow

# Local-only tables: never pushed to the shared database.
LOCAL_TABLES = frozenset({"outbox", "sync_state", "draft", "case_sequence", "alembic_version"})


def to_json(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def outbox_row(table: str, row_id: str, op: str, payload: dict[str, Any]) -> dict[str, Any]:
    """An outbox row for a Core write (the ORM's writes get theirs from the session hook)."""
    return {
        "change_id": new_id(),
        "table_name": table,
        "row_id": row_id,
        "op": op,
        "payload": payload,
        "created_at": utcnow(),
        "attempts": 0,
    }


def payload_of(obj: Base, only: Iterable[str] | None = None) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    keys = list(only) if only is not None else [c.key for c in mapper.column_attrs]
    return {k: to_json(getattr(obj, k)) for k in keys}


def _row_id(obj: Base) -> str:
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return "|".join(str(to_json(v)) for v in identity)


def _changed_keys(obj: Base) -> list[str]:
    state = inspect(obj)
    return [a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()]


# ``session.info`` key: this session's writes came from the server (the sync), no outbox rows.
NO_OUTBOX = "pakn_no_outbox"


def without_outbox(session: Session) -> Session:
    """Mark ``session``: its flushes leave no outbox rows (the sync applying pulled changes)."""
    session.info[NO_OUTBOX] = True
    return session


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(NO_OUTBOX):
        return
    entries: list[Outbox] = []
    for obj in session.new:
        if isinstance(obj, Base) and obj.__tablename__ not in LOCAL_TABLES:
            _fill_defaults(obj)
            entries.append(_entry(obj, "insert", payload_of(obj)))
    for obj in session.dirty:
        if isinstance(obj, Base) and obj.__tablename__ not in LOCAL_TABLES:
            keys = _changed_keys(obj)
            if keys:
                entries.append(_entry(obj, "update", payload_of(obj, keys)))
    for obj in session.deleted:
        if isinstance(obj, Base) and obj.__tablename__ not in LOCAL_TABLES:
            entries.append(_entry(obj, "delete", {}))
    session.add_all(entries)


def _fill_defaults(obj: Base) -> None:
    """Apply scalar Python-side defaults now, so the payload carries what will be stored."""
    for column in inspect(obj).mapper.columns:
        key = column.key
        if getattr(obj, key, None) is None and column.default is not None:
            default = column.default
            if default.is_scalar:
                setattr(obj, key, default.arg)  # type: ignore[attr-defined]
            elif default.is_callable:
                setattr(obj, key, default.arg(None))  # type: ignore[attr-defined]


def _entry(obj: Base, op: str, payload: dict[str, Any]) -> Outbox:
    return Outbox(
        change_id=new_id(),
        table_name=obj.__tablename__,
        row_id=_row_id(obj),
        op=op,
        payload=payload,
        created_at=utcnow(),
        attempts=0,
    )


_INSTALLED = "_pakn_outbox_installed"


def install(session_cls: type[Session] | Any) -> None:
    """Hook outbox capture into a session class or sessionmaker (idempotent).

    Idempotence is marked on the target itself: ``event.contains`` answered True for most new
    sessionmakers once one had been hooked (measured: 283 of 300 fresh sessionmakers were left
    without the hook), which silently dropped their outbox rows.
    """
    if getattr(session_cls, _INSTALLED, False):
        return
    event.listen(session_cls, "before_flush", _before_flush)
    setattr(session_cls, _INSTALLED, True)


def rows_for_inserts(
    table_name: str, rows: Iterable[Mapping[str, Any]], key: str = "id"
) -> list[dict[str, Any]]:
    """Outbox rows (as Core insert parameters) for rows a bulk Core insert is about to add."""
    now = utcnow()
    listed = list(rows)
    return [
        {
            "change_id": change_id,
            "table_name": table_name,
            "row_id": str(to_json(row[key])),
            "op": "insert",
            "payload": dict(row),  # UUIDs and times: the engine's json_dumps writes them
            "created_at": now,
            "attempts": 0,
        }
        for change_id, row in zip(new_ids(len(listed)), listed, strict=True)
    ]
