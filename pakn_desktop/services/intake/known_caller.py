"""What the intake screen may say about a number beyond its history's rows: how many earlier
reports it has in all, and the name last given with it (offered, never filled in).

Protected reports (a tố cáo, or a reporter who asked for confidentiality) count for nothing
here, by the one rule of ``data.caller_history``: neither their number of reports nor a
name given in confidence may reach whoever types the number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database


@dataclass(frozen=True)
class KnownCaller:
    reports: int  # every earlier unprotected report of the number (the history shows ≤ 20)
    name: str  # the name of the newest of them that has one; "" when none


def known_caller(database: Database, e164: str) -> KnownCaller:
    """Runs on a worker: two index walks on reporter.phone and ticket.reporter_id."""
    from pakn_desktop.data.caller_history import count_and_last_name

    with database.engine.connect() as conn:
        reports, name = count_and_last_name(conn, e164)
    return KnownCaller(reports=reports, name=name)
