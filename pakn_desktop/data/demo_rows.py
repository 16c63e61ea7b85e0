"""What the generator hands the writer: one transaction's rows, in the outbox payload form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

Row = dict[str, Any]


@dataclass
class Chunk:
    """The rows of one transaction, JSON-ready (dashed UUIDs, aware ISO instants)."""

    units: list[Row] = field(default_factory=list)
    unit_contacts: list[Row] = field(default_factory=list)  # of this chunk's new units
    reporters: list[Row] = field(default_factory=list)
    tickets: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    assignments: list[Row] = field(default_factory=list)
    days: dict[date, int] = field(default_factory=dict)  # local day -> last case number


@dataclass(frozen=True)
class Place:
    """A real commune, with its folded names for search_text."""

    code: str
    province_code: str
    name: str
    folded: str
    province_name: str
    province_folded: str
