"""Reports with hand-set times for the deadline alert and dashboard tests."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import insert

from pakn_desktop.data.models import Assignment, Station, Ticket, Unit
from pakn_desktop.domain.ids import new_id
from pakn_desktop.services.database import Database
from pakn_desktop.services.sla import SlaService


def station(db: Database) -> uuid.UUID:
    sid = new_id()
    with db.engine.begin() as conn:
        conn.execute(insert(Station), [{"id": sid, "code": "TA01", "name": "t"}])
    return sid


def unit(db: Database, code: str, name: str) -> uuid.UUID:
    uid = new_id()
    with db.engine.begin() as conn:
        conn.execute(insert(Unit), [{"id": uid, "code": code, "name": name, "kind": "ward"}])
    return uid


def ticket(
    db: Database,
    station_id: uuid.UUID,
    code: str,
    received: datetime,
    due: datetime | None,
    *,
    status: str = "forwarded",
    channel: str = "hotline",
    category: str = "khac",
    units: tuple[uuid.UUID, ...] = (),
    closed: datetime | None = None,
    assigned: datetime | None = None,
) -> uuid.UUID:
    tid = new_id()
    at_risk = None
    if due is not None:  # as intake sets it: the product's rule, from the stored settings
        sla = SlaService(db)
        policy = sla.match(channel, category, "phan_anh", "normal")
        at_risk = sla.at_risk_at(received, due, policy)
    with db.engine.begin() as conn:
        conn.execute(
            insert(Ticket),
            [
                {
                    "id": tid,
                    "code": code,
                    "station_id": station_id,
                    "received_at": received,
                    "channel_code": channel,
                    "category_code": category,
                    "kind": "phan_anh",
                    "summary": f"Phản ánh {code}",
                    "content": "nội dung",
                    "status": status,
                    "lead_unit_id": units[0] if units else None,
                    "due_at": due,
                    "at_risk_at": at_risk,
                    "closed_at": closed,
                }
            ],
        )
        for number, uid in enumerate(units):
            conn.execute(
                insert(Assignment),
                [
                    {
                        "ticket_id": tid,
                        "unit_id": uid,
                        "role": "lead" if number == 0 else "coordinating",
                        "assigned_at": assigned or received,
                    }
                ],
            )
    return tid
