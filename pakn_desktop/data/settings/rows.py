"""The shared settings as rows of the ``setting`` table: read (decoded, defaults for keys never
written) and written (checked, each change with its outbox row, so it syncs like any row).

Only ``Where.SHARED`` settings are ever written: a secret or a workstation's own setting
never lands in the database."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from sqlalchemy import Connection, select, update

from pakn_desktop.data.errors import ErrorCode, KnownError
from pakn_desktop.data.models import Base
from pakn_desktop.data.models import Setting as SettingRow
from pakn_desktop.data.outbox import outbox_row, to_json
from pakn_desktop.data.types import utcnow

from .registry import Group, Setting, Where

log = logging.getLogger(__name__)

G = TypeVar("G")
T = TypeVar("T")


def read_stored(conn: Connection, settings: Iterable[Setting[Any]]) -> dict[str, Any]:
    """The stored JSON of ``settings`` that have a row, key → value (undecoded: what a cache
    compares to notice an edit)."""
    keys = [s.key for s in settings if s.where is Where.SHARED]
    rows = conn.execute(
        select(SettingRow.key, SettingRow.value).where(SettingRow.key.in_(keys))
    ).all()
    return {key: value for key, value in rows}


def decoded(settings: Iterable[Setting[Any]], stored: Mapping[str, Any]) -> dict[Setting[Any], Any]:
    """Stored JSON → values; a missing key is left out (its default applies). So is a value
    this version cannot read or its check refuses: the table is written through ``write``
    here, but rows also come from other workstations (another version, a hand-made row), and
    one bad row must not stop every screen that reads settings. The log names the key only."""
    found: dict[Setting[Any], Any] = {}
    for s in settings:
        if s.key in stored and stored[s.key] is not None:
            try:
                value = s.kind.decode(stored[s.key])
            except (TypeError, KeyError, ValueError):
                log.warning("setting %s: stored value unreadable, its default applies", s.key)
                continue
            if s.problem(value) is not None:
                log.warning("setting %s: stored value refused by its check, default used", s.key)
                continue
            found[s] = value
    return found


def read(conn: Connection, setting: Setting[T]) -> T:
    """One shared setting: its row, else its default."""
    found: T = decoded([setting], read_stored(conn, [setting])).get(setting, setting.default)
    return found


def read_group(conn: Connection, group: Group[G]) -> G:
    """A group's stored values (defaults for keys never written; no environment)."""
    shared = group.settings(Where.SHARED)
    return group.build(decoded(shared, read_stored(conn, shared)))


def write(
    conn: Connection, values: Mapping[Setting[Any], Any], user_id: uuid.UUID | None = None
) -> list[str]:
    """Upsert the changed rows, each with its outbox row; the keys changed. A refused value is
    KnownError(INVALID) with the check's Vietnamese words; nothing is written then."""
    for s, value in values.items():
        if s.where is not Where.SHARED:
            raise ValueError(f"{s.key} lives in {s.where.value}, not in the database")
        message = s.problem(value)
        if message is not None:
            raise KnownError(ErrorCode.INVALID, f"{s.key}: {message}")
    table = Base.metadata.tables[SettingRow.__tablename__]
    keys = [s.key for s in values]
    current = dict(
        conn.execute(select(table.c.key, table.c.value).where(table.c.key.in_(keys))).all()
    )
    now = utcnow()
    changed: list[str] = []
    outbox: list[dict[str, Any]] = []
    for s, value in values.items():
        stored = s.kind.encode(value)
        if s.key in current and current[s.key] == stored:
            continue
        row = {"key": s.key, "value": stored, "updated_at": now, "updated_by_id": user_id}
        if s.key in current:
            conn.execute(update(table).where(table.c.key == s.key).values(row))
        else:
            conn.execute(table.insert(), [row])
        op = "update" if s.key in current else "insert"
        outbox.append(outbox_row("setting", s.key, op, {k: to_json(v) for k, v in row.items()}))
        changed.append(s.key)
    if outbox:
        conn.execute(Base.metadata.tables["outbox"].insert(), outbox)
    return changed
