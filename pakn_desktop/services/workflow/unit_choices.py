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
    from pakn_desktop.data.units import active_unit_names

    with database.engine.connect() as conn:
        rows = active_unit_names(conn)
    return tuple(UnitChoice(id_, code, name, fold(f"{name} {code}")) for id_, code, name in rows)
