"""Every declared setting, for the tests and the docs: none may be declared anywhere else."""

from __future__ import annotations

from typing import Any

from . import notify, reports, sla, station, sync
from .registry import Setting


def declared() -> tuple[Setting[Any], ...]:
    found = [
        value
        for module in (station, notify, sla, reports, sync)
        for value in vars(module).values()
        if isinstance(value, Setting)
    ]
    return tuple(dict.fromkeys(found))  # a name imported twice counts once
