"""What the intake screen may say about a number beyond its history's rows: how many earlier
reports it has in all, and the name last given with it (offered, never filled in).

Protected reports (a tố cáo, or a reporter who asked for confidentiality) count for nothing
here, exactly as ``caller_history`` leaves them out: neither their number of reports nor a
name given in confidence may reach whoever types the number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .database import Database


@dataclass(frozen=True)
class KnownCaller:
    reports: int  # every earlier unprotected report of the number (the history shows ≤ 20)
    name: str  # the name of the newest of them that has one; "" when none


def known_caller(database: Database, e164: str) -> KnownCaller:
    """Runs on a worker: two index walks on reporter.phone and ticket.reporter_id."""
    from sqlalchemy import func, select

    from pakn_desktop.data.models import Reporter, Ticket

    unprotected = (
        Reporter.phone == e164,
        Ticket.identity_protected.is_(False),
        Ticket.confidential.is_(False),
    )
    count = (
        select(func.count())
        .select_from(Ticket)
        .join(Reporter, Ticket.reporter_id == Reporter.id)
        .where(*unprotected)
    )
    name = (
        select(Reporter.full_name)
        .join(Ticket, Ticket.reporter_id == Reporter.id)
        .where(*unprotected, func.coalesce(Reporter.full_name, "") != "")
        .order_by(Ticket.received_at.desc(), Ticket.id.desc())
        .limit(1)
    )
    with database.engine.connect() as conn:
        reports = int(conn.scalar(count) or 0)
        last_name = conn.scalar(name) or ""
    return KnownCaller(reports=reports, name=last_name.strip())
