"""What the forward dialog offers: the active units and the routing rules' suggestion."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pakn_desktop.services.workflow.unit_choices import UnitChoice, active_units

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.workflow.routing import RoutingService


@dataclass(frozen=True)
class ForwardChoices:
    units: tuple[UnitChoice, ...]
    suggested: uuid.UUID | None  # the routing rules' lead unit, pre-selected
    current_lead: uuid.UUID | None


def forward_choices(
    database: Database, routing: RoutingService, ticket_id: uuid.UUID
) -> ForwardChoices:
    from pakn_desktop.data.workflow_store import routing_facts

    with database.engine.connect() as conn:
        row = routing_facts(conn, ticket_id)
    suggestion = routing.suggest_unit(row.category_code, row.commune_code)
    return ForwardChoices(
        units=active_units(database),
        suggested=suggestion.unit_id if suggestion else None,
        current_lead=row.lead_unit_id,
    )
