"""The last measured offset of this station's clock to the sync server's, kept in the local
``sync_state`` (decision 47): a station restarted while the server is away still counts its
deadlines on the server's clock. ``sync_state`` is station-local (never in the outbox), as
the offset is this station's alone."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from .models import Base

CLOCK_KEY = "server_clock"
_STATE = Base.metadata.tables["sync_state"]


def read(conn: Connection) -> tuple[timedelta, datetime, timedelta] | None:
    """(offset = server − station, when measured on the server's clock, round trip), or None
    before the first measurement (or a value this version cannot read)."""
    raw = conn.scalar(select(_STATE.c.value).where(_STATE.c.key == CLOCK_KEY))
    if not raw:
        return None
    try:
        value = json.loads(raw)
        return (
            timedelta(microseconds=int(value["offset_us"])),
            datetime.fromisoformat(value["measured_at"]),
            timedelta(microseconds=int(value["round_trip_us"])),
        )
    except (ValueError, TypeError, KeyError):
        return None


def store(conn: Connection, offset: timedelta, measured_at: datetime, trip: timedelta) -> None:
    """Keep the reading (in the caller's write transaction)."""
    value = json.dumps(
        {
            "offset_us": offset // timedelta(microseconds=1),
            "measured_at": measured_at.isoformat(),
            "round_trip_us": trip // timedelta(microseconds=1),
        }
    )
    done = conn.execute(update(_STATE).where(_STATE.c.key == CLOCK_KEY).values(value=value))
    if done.rowcount == 0:
        conn.execute(insert(_STATE).values(key=CLOCK_KEY, value=value))


def server_now(conn: Connection) -> datetime:
    """A PostgreSQL server's clock: ``now()``, its transaction's start (the caller opens one
    just before, so it is the moment of the read)."""
    value = conn.exec_driver_sql("SELECT now()").scalar_one()
    assert isinstance(value, datetime)
    return value
