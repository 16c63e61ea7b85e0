"""The active units a report can go to, as the forward dialog and the routing rules list them.

Below both services.workflow.forward_choices and services.workflow.routing, which use it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pakn_desktop.domain.text import fold

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database


@dataclass(frozen=True)
class UnitChoice:
    id: uuid.UUID
    code: str
    name: str
    folded: str  # name and code without accents or đ, for type-ahead


def active_units(database: Database) -> tuple[UnitChoice, ...]:
    from sqlalchemy import select

    from pakn_desktop.data.models import Unit

    with database.engine.connect() as conn:
        rows = conn.execute(
            select(Unit.id, Unit.code, Unit.name).where(Unit.active.is_(True)).order_by(Unit.name)
        ).all()
    return tuple(UnitChoice(r.id, r.code, r.name, fold(f"{r.name} {r.code}")) for r in rows)
