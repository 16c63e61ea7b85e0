"""What the demo generator reads before it writes (``services.demo``): its station, how many
runs this database has had, each day's last case number, the reference places, the demo units
made before, the days off. Its writes are ``demo_writer``'s."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Connection, insert, select, update

from .models import Base, CalendarException, CaseSequence, Commune, Province, Station, SyncState

RUNS_KEY = "demo_runs"  # in sync_state: each run on a database draws its own ids


def station_id(conn: Connection, code: str) -> uuid.UUID | None:
    found = conn.execute(select(Station.id).where(Station.code == code)).scalar()
    return None if found is None else uuid.UUID(str(found))


def runs(conn: Connection) -> int:
    value = conn.execute(select(SyncState.value).where(SyncState.key == RUNS_KEY)).scalar()
    return int(value) if value else 0


def set_runs(conn: Connection, value: int) -> None:
    table = Base.metadata.tables["sync_state"]
    done = conn.execute(update(table).where(table.c.key == RUNS_KEY).values(value=str(value)))
    if done.rowcount == 0:
        conn.execute(insert(table).values(key=RUNS_KEY, value=str(value)))


def case_counters(conn: Connection, station: uuid.UUID) -> dict[date, int]:
    """Local day → the last case number this station handed out that day."""
    rows = conn.execute(
        select(CaseSequence.day, CaseSequence.last_seq).where(CaseSequence.station_id == station)
    )
    return {day: last for day, last in rows}


Names = tuple[str, str, str, str]


def provinces(conn: Connection) -> list[Names]:
    """(code, name, folded name, division type) of every province."""
    stmt = select(Province.code, Province.name, Province.folded, Province.division_type)
    return [(a, b, c, d) for a, b, c, d in conn.execute(stmt)]


def communes(conn: Connection) -> list[Names]:
    """(code, province code, name, folded name) of every commune, by code."""
    stmt = select(Commune.code, Commune.province_code, Commune.name, Commune.folded)
    return [(a, b, c, d) for a, b, c, d in conn.execute(stmt.order_by(Commune.code))]


def unit_ids(conn: Connection, prefix: str) -> dict[str, str]:
    """Code → id of the units whose code starts with ``prefix-`` (a demo station's)."""
    from .models import Unit

    rows = conn.execute(select(Unit.code, Unit.id).where(Unit.code.like(f"{prefix}-%")))
    return {code: str(uid) for code, uid in rows}


def days_off(conn: Connection) -> set[date]:
    """Holidays and extra days off (not the swapped working days)."""
    stmt = select(CalendarException.day).where(CalendarException.kind != "workday")
    return set(conn.execute(stmt).scalars())
