"""Demo reports: N realistic, deterministic reports, written fast with Core bulk inserts.

``run.generate`` drives ``generator.Generator`` (rows, from ``people``, ``places``, ``texts``,
``deadlines``, ``weights`` and the word lists of ``resources/demo``) and ``writer`` (inserts
with their outbox rows).
"""

from __future__ import annotations

from .run import CHANGES, CHUNK_TICKETS, RUNS_KEY, Progress, demo_station_code, generate

__all__ = [
    "CHANGES",
    "CHUNK_TICKETS",
    "RUNS_KEY",
    "Progress",
    "demo_station_code",
    "generate",
]
