"""This workstation's identity and its case-code sequence."""

from __future__ import annotations

import hashlib
import socket
import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pakn_desktop.domain.case_code import CaseCode, check_station_code

from .models import CaseSequence, Station, SyncState

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


def next_case_code(session: Session, station: Station, day: date) -> CaseCode:
    """Take the next number for ``station`` on ``day``, in the caller's transaction."""
    row = session.get(CaseSequence, (station.id, day), with_for_update=True)
    if row is None:
        row = CaseSequence(station_id=station.id, day=day, last_seq=0)
        session.add(row)
    row.last_seq += 1
    session.flush()
    return CaseCode(day=day, station=station.code, seq=row.last_seq)
