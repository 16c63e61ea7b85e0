"""A calendar exception (holiday, swapped working day, extra day off) as the settings form
shows it, and who made it: the ``holidays`` package's seed or an administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PACKAGE_SOURCE = "holidays"  # seeded from the package (data.reference), refreshed by upgrades
ADMIN_SOURCE = "admin"  # made or changed by an administrator: the seeding leaves it alone


@dataclass(frozen=True)
class DayException:
    day: date
    kind: str  # "holiday" | "workday" | "day_off"
    name: str
    source: str  # PACKAGE_SOURCE | ADMIN_SOURCE
