"""A report's current deadline round and its pauses, from its timeline: the round starts at
the receipt or at the last reopen (a new clock), and counts the pauses since."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .deadlines import Pause

PAUSE, RESUME = "pause", "resume"  # domain.workflow.Action values (timeline event kinds)
REOPENS = ("reopen", "reopen_to_unit")  # a reopen starts a new round
ROUND_EVENTS = (PAUSE, RESUME, *REOPENS)


def round_pauses(
    events: Iterable[tuple[str, datetime]], start: datetime
) -> tuple[datetime, list[Pause]]:
    """(round start, its finished pauses) from a report's (kind, at) pause, resume and reopen
    events in order: the round starts at ``start`` (the receipt) or at the last reopen, whose
    new clock ignores the pauses before it."""
    pauses: list[Pause] = []
    begin: datetime | None = None
    for kind, at in events:
        if kind in REOPENS:
            start, pauses, begin = at, [], None
        elif kind == PAUSE:
            begin = at
        elif kind == RESUME and begin is not None:
            pauses.append((begin, at))
            begin = None
    return start, pauses
