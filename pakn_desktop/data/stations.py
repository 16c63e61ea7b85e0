"""This workstation's identity and its case-code sequence."""

from __future__ import annotations

import hashlib
import socket
import uuid
from datetime import date

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.orm import Session

from pakn_desktop.domain.case_code import CaseCode, check_station_code
from pakn_desktop.domain.errors import ExpectedError

from .models import Base, CaseSequence, Station, SyncState
from .prepared import prepared

STATION_KEY = "station_id"


def default_station_code(hostname: str | None = None) -> str:
    """A stable code from the host name, e.g. ``S7K2Q``; administrators may set their own."""
    digest = hashlib.sha256((hostname or socket.gethostname()).encode()).hexdigest()
    return "S" + digest[:4].upper()


def local_station(session: Session, code: str | None = None) -> Station:
    """The station this database belongs to; created on first use (in the caller's transaction)."""
    state = session.get(SyncState, STATION_KEY)
    if state is not None:
        station = session.get(Station, uuid.UUID(state.value))
        if station is not None:
            return station
    wanted = check_station_code(code or default_station_code())
    station = session.scalars(select(Station).where(Station.code == wanted)).first()
    if station is None:
        station = Station(code=wanted, name=f"Máy trạm {wanted}")
        session.add(station)
        session.flush()
    session.merge(SyncState(key=STATION_KEY, value=str(station.id)))
    return station


class StationCodeFixed(ExpectedError):
    """A station code asked for a database that already belongs to a station with another
    code: the code is in every case code it handed out, so it never changes."""

    def __init__(self, have: str, wanted: str) -> None:
        super().__init__(
            "station_code_fixed",
            f"Cơ sở dữ liệu này thuộc máy trạm {have}; mã máy trạm được đặt khi tạo cơ sở dữ "
            f"liệu và không đổi được (đã yêu cầu {wanted}). Bỏ --station hoặc PAKN_STATION, "
            "hoặc dùng một cơ sở dữ liệu mới.",
        )


def claim_station(session: Session, code: str) -> Station:
    """This database's station with ``code``: created now if it has none yet (its first
    start or ``db upgrade``), else the one it has, refused if its code differs."""
    station = local_station(session, code)
    if station.code != code:
        raise StationCodeFixed(station.code, code)
    return station


def has_station(session: Session) -> bool:
    return session.get(SyncState, STATION_KEY) is not None


_SEQUENCE = Base.metadata.tables[CaseSequence.__tablename__]
# Built once: constructing the statement cost as much as running it.
_TAKE_NEXT = (
    update(_SEQUENCE)
    .where(_SEQUENCE.c.station_id == bindparam("b_station"), _SEQUENCE.c.day == bindparam("b_day"))
    .values(last_seq=_SEQUENCE.c.last_seq + 1)
    .returning(_SEQUENCE.c.last_seq)
)
_FIRST = insert(_SEQUENCE)
_TAKE_MANY = (
    update(_SEQUENCE)
    .where(_SEQUENCE.c.station_id == bindparam("b_station"), _SEQUENCE.c.day == bindparam("b_day"))
    .values(last_seq=_SEQUENCE.c.last_seq + bindparam("b_count"))
    .returning(_SEQUENCE.c.last_seq)
)


def next_case_code(session: Session | Connection, station: Station, day: date) -> CaseCode:
    """Take the next number for ``station`` on ``day``, in the caller's transaction (a
    Session's or a bare Connection's).

    One ``UPDATE … RETURNING`` (it locks the row on PostgreSQL, as ``FOR UPDATE`` did) and no
    ORM flush: this is on every intake save's path, where the get-and-flush cost ~0.8 ms. On a
    bare Connection (the save's) it runs prepared (``data.prepared``).
    """
    values = {"b_station": station.id, "b_day": day}
    if isinstance(session, Connection):
        returned = prepared(_TAKE_NEXT, session.dialect).run(session, [values])
        taken = returned[0][0] if returned else None
    else:
        taken = session.execute(_TAKE_NEXT, values).scalar()
    if taken is None:
        taken = 1
        session.execute(_FIRST, {"station_id": station.id, "day": day, "last_seq": taken})
    return CaseCode(day=day, station=station.code, seq=int(taken))


def reserve_case_numbers(conn: Connection, station: Station, day: date, count: int) -> int:
    """Take ``count`` numbers for ``station`` on ``day`` at once, in the caller's transaction
    (a register import's batch: one statement a day, not one a report); the first of them.
    The same row and lock as :func:`next_case_code`, so the two never hand out one number."""
    values = {"b_station": station.id, "b_day": day, "b_count": count}
    returned = prepared(_TAKE_MANY, conn.dialect).run(conn, [values])
    if not returned:
        conn.execute(_FIRST, {"station_id": station.id, "day": day, "last_seq": count})
        return 1
    return int(returned[0][0]) - count + 1
