"""Deadline states as SQL: the one definition the queue filter and the dashboard share.

A report is *at risk* once ``share`` of the real time from receipt to its due time has passed,
*overdue* after its due time (the due instant itself is still in time), else *on track*. The
share is of real time, not of working time: that is a condition both engines evaluate in one
pass, so a badge, a queue filter, a dashboard bar and an alert never disagree about a report
(``domain.sla.at_risk_at`` without a calendar is the same rule in Python).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Float

from .models import Ticket

ON_TRACK, AT_RISK, OVERDUE, NO_DUE = "on_track", "at_risk", "overdue", "no_due"
DEADLINE_STATES = (ON_TRACK, AT_RISK, OVERDUE)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class epoch(FunctionElement[float]):  # noqa: N801 (a SQL function's name)
    """Seconds since 1970 of a naive-UTC timestamp column, on either engine."""

    type = Float()
    inherit_cache = True


@compiles(epoch)
def _epoch_pg(element: epoch, compiler: Any, **kw: Any) -> str:
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})"


@compiles(epoch, "sqlite")
def _epoch_sqlite(element: epoch, compiler: Any, **kw: Any) -> str:
    # julianday() reads SQLite's stored 'YYYY-MM-DD HH:MM:SS.ffffff' text; 2440587.5 = 1970.
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


def epoch_of(moment: datetime) -> float:
    return (moment - _EPOCH).total_seconds()


class unindexed(ColumnElement[Any]):  # noqa: N801
    """A column SQLite must not pick an index for (``+col``); plain ``col`` elsewhere: a
    filter term that must not pull SQLite off the sort column's index (see ``data.queue``)."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: Any) -> None:
        self.column = column
        self.type = column.type


@compiles(unindexed)
def _unindexed(element: unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.column, **kw))


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(element.column, **kw))


def deadline_condition(state: str, now: datetime, share: float) -> ColumnElement[bool]:
    """The WHERE term for one deadline state at ``now`` (the caller restricts to open ones).

    at risk: ``due − now ≤ (1 − share)·(due − received)`` and not yet overdue.
    """
    t = Ticket
    due = unindexed(t.due_at)
    if state == OVERDUE:
        return and_(t.due_at.is_not(None), due < literal(now, t.due_at.type))
    if state == NO_DUE:
        return t.due_at.is_(None)
    left = epoch(t.due_at) - epoch_of(now)
    right = (1 - share) * (epoch(t.due_at) - epoch(t.received_at))
    risky = left <= right
    in_time = and_(t.due_at.is_not(None), due >= literal(now, t.due_at.type))
    if state == AT_RISK:
        return and_(in_time, risky)
    if state == ON_TRACK:
        return and_(in_time, ~risky)
    raise ValueError(f"unknown deadline state {state!r}")
