"""Deadline states as SQL: the one definition the queue filter, the dashboard and the alerts
share.

A report is *overdue* after its due time (the due instant itself is still in time), *at risk*
from its stored ``at_risk_at`` (the at-risk share of its resolve clock — working time for a
working-time policy — computed in Python by ``domain.sla`` wherever the due time is set, see
docs/decisions.md 13), else *on track*. Comparing a column is a condition both engines
evaluate identically, so a badge, a queue filter, a dashboard bar and an alert never disagree
about a report. A report with a due time but no ``at_risk_at`` (closed before migration 0007,
then reopened) is at risk only from its due time.

A report waiting for the citizen (``paused_at`` set, the "pause" action) is *paused*: its
own state, neither at risk nor overdue, whatever the clock says meanwhile; "resume" pushes
its due time and at-risk moment by the time paused (services.sla.resumed_deadlines). A report
paused only after its due time stays *overdue*: waiting cannot undo lateness, and the due
time does not move for such a pause (``domain.sla.pushed_due``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Float

from .models import Ticket

ON_TRACK, AT_RISK, OVERDUE, NO_DUE = "on_track", "at_risk", "overdue", "no_due"
PAUSED = "paused"  # waiting for the citizen: the clock stopped
DEADLINE_STATES = (ON_TRACK, AT_RISK, OVERDUE, PAUSED)

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


def clock_running() -> ColumnElement[bool]:
    """True unless the report is *paused* (waiting for the citizen since before its due
    time); for a report with a due time, never NULL. The alert scanner adds it to its
    ranges, so a paused report never alerts nor escalates."""
    t = Ticket
    paused = unindexed(t.paused_at)
    return or_(paused.is_(None), unindexed(t.due_at) < paused)


def deadline_condition(state: str, now: datetime) -> ColumnElement[bool]:
    """The WHERE term for one deadline state at ``now`` (the caller restricts to open ones)."""
    t = Ticket
    due = unindexed(t.due_at)
    moment = literal(now, t.due_at.type)
    if state == NO_DUE:
        return t.due_at.is_(None)
    if state == PAUSED:
        return and_(t.due_at.is_not(None), ~clock_running())
    if state == OVERDUE:
        return and_(t.due_at.is_not(None), due < moment, clock_running())
    # coalesce: never NULL, so "not risky" below is true where "risky" is false.
    risky = func.coalesce(unindexed(t.at_risk_at), due) <= moment
    in_time = and_(t.due_at.is_not(None), due >= moment, clock_running())
    if state == AT_RISK:
        return and_(in_time, risky)
    if state == ON_TRACK:
        return and_(in_time, ~risky)
    raise ValueError(f"unknown deadline state {state!r}")


def forward_minutes_of(first_assigned: Any, received: Any) -> ColumnElement[float]:
    """Minutes from receipt to the first assignment: the one expression the dashboard's
    forward-time bins and the queue's forward-time filter both use, so a bar's count and
    the queue it opens agree to the last report."""
    return (epoch(first_assigned) - epoch(received)) / 60.0


def forward_condition(low: float | None, high: float | None) -> ColumnElement[bool]:
    """Reports whose forward time (receipt → first assignment) is in [low, high) minutes."""
    from sqlalchemy import select

    from .models import Assignment

    first = (
        select(func.min(Assignment.assigned_at))
        .where(Assignment.ticket_id == Ticket.id)
        .scalar_subquery()
    )
    minutes = forward_minutes_of(first, Ticket.received_at)
    terms: list[ColumnElement[bool]] = [first.is_not(None)]
    if low is not None:
        terms.append(minutes >= low)
    if high is not None:
        terms.append(minutes < high)
    return and_(*terms)


# The forward (5-minute) deadline of a report not yet forwarded: its own states, judged on
# the stored ``forward_at_risk_at`` (set only while the report waits to be forwarded, see
# data.forward_watch) and ``forward_due_at``. On the real clock, never paused: a pause needs
# screening first, and the forward clock runs from the receipt regardless (domain.sla).
FORWARD_ON_TRACK, FORWARD_AT_RISK, FORWARD_OVERDUE = (
    "forward_on_track",
    "forward_at_risk",
    "forward_overdue",
)
FORWARD_STATES = (FORWARD_ON_TRACK, FORWARD_AT_RISK, FORWARD_OVERDUE)


class rare(ColumnElement[bool]):  # noqa: N801 (a SQL function's name)
    """A condition true for few rows: SQLite's ``likelihood(x, 0.0001)``, plain elsewhere.

    Without statistics SQLite prefers walking the queue's sort index (no sort step) to a
    range of the forward index, testing every report: 0.36 s for a page of the forward
    views at 188k reports, 2.5 s when the view is empty. Told that the range is rare, it
    reads the few waiting reports and sorts them (2 ms). PostgreSQL has statistics."""

    inherit_cache = True
    _traverse_internals = [("condition", InternalTraversal.dp_clauseelement)]

    def __init__(self, condition: ColumnElement[bool]) -> None:
        # No Boolean type: SQLAlchemy would write "likelihood(…) = 1" on SQLite, which no
        # index serves.
        self.condition = condition


@compiles(rare)
def _rare(element: rare, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.condition, **kw))


@compiles(rare, "sqlite")
def _rare_sqlite(element: rare, compiler: Any, **kw: Any) -> str:
    return f"likelihood({compiler.process(element.condition, **kw)}, 0.0001)"


def forward_deadline_condition(state: str, now: datetime) -> ColumnElement[bool]:
    """The WHERE term for one forward state at ``now``: at risk and overdue are the range
    ``forward_at_risk_at <= now`` of ``ix_ticket_forward_at_risk`` (only waiting reports are
    in it), split by the forward due time checked on the rows found."""
    t = Ticket
    moment = literal(now, t.forward_at_risk_at.type)
    due = unindexed(t.forward_due_at)
    if state == FORWARD_ON_TRACK:
        return rare(t.forward_at_risk_at > moment)
    risky = rare(t.forward_at_risk_at <= moment)
    if state == FORWARD_AT_RISK:
        return and_(risky, due >= moment)
    if state == FORWARD_OVERDUE:
        return and_(risky, due < moment)
    raise ValueError(f"unknown forward deadline state {state!r}")


def state_condition(state: str, now: datetime) -> ColumnElement[bool]:
    """A resolve-deadline state (``deadline_condition``) or a forward one
    (``forward_deadline_condition``): the queue's one deadline filter takes either."""
    if state in FORWARD_STATES:
        return forward_deadline_condition(state, now)
    return deadline_condition(state, now)
