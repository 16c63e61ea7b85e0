"""The daily report's figures, through the dashboard's own SQL (``data.dashboard``,
``data.forward_watch``, ``data.deadline_sql``) so that a figure in the workbook and the
dashboard's bar for the same period are one count, never two queries that may drift.

``daily_figures`` is a plain function (database and period in, frozen values out) for a
worker, the CLI or a scheduler; ``reports.daily_workbook`` writes the result.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from pakn_desktop.domain.daily_figures import (
    DailyFigures,
    DetailLine,
    Headline,
    OverdueLine,
    Period,
    UnitLine,
    daily_period,
)
from pakn_desktop.domain.labels import status_word
from pakn_desktop.domain.letterhead import Letterhead
from pakn_desktop.domain.publication import Identity, mask_personal, people_of
from pakn_desktop.services.dashboard import OPEN

if TYPE_CHECKING:
    from pakn_desktop.data.daily_rows import Row
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.settings import Settings

__all__ = [
    "DailyFigures",
    "Letterhead",
    "Period",
    "daily_figures",
    "daily_period",
    "headline",
    "stored_cutoff",
    "stored_letterhead",
    "centre_letterhead",
]


def centre_letterhead(database: Database) -> Letterhead:
    """The issuing body and place the centre set, for a document written without asking."""
    from pakn_desktop.services.settings import Settings

    return stored_letterhead(Settings(database))


def stored_letterhead(settings: Settings) -> Letterhead:
    """The heading's issuing body and place as the centre set them (shared rows)."""
    from pakn_desktop.data.settings import reports

    return Letterhead(issuer=settings.get(reports.ISSUER), place=settings.get(reports.PLACE))


def stored_cutoff(settings: Settings) -> time:
    """The daily report's cut-off hour as the centre set it (office clock)."""
    from pakn_desktop.data.settings import reports

    return time.fromisoformat(settings.get(reports.DAILY_CUTOFF))


def headline(conn: Connection, period: Period) -> Headline:
    """The period's received, forwarded and closed counts: the sums of the dashboard's
    intake bars, forward-deadline bars and per-unit on-time rates over the same range."""
    from pakn_desktop.data import dashboard as q
    from pakn_desktop.data import forward_watch

    codes = [code for code, _ in q.channels(conn)]
    received = sum(n for _, _, n in q.intake(conn, period.start, period.end, "hour", codes))
    forwarded = forward_watch.forwarded_per_bucket(conn, period.start, period.end, q.day_bucket)
    units = q.on_time_by_unit(conn, period.start, period.end)
    return Headline(
        received=received,
        forwarded_on_time=sum(r[1] for r in forwarded),
        forwarded_late=sum(r[2] for r in forwarded),
        closed=sum(r[2] for r in units),
        closed_on_time=sum(r[3] for r in units),
    )


def daily_figures(
    database: Database, period: Period, *, now: datetime | None = None
) -> DailyFigures:
    """Every figure and list of the daily report; open reports are judged at ``now``."""
    from pakn_desktop.data import daily_rows
    from pakn_desktop.data import dashboard as q

    as_of = now or datetime.now(UTC)
    start, end = period.start, period.end
    with database.engine.connect() as conn:
        channels = q.channels(conn)
        per_channel: dict[str, int] = {}
        for code, _, n in q.intake(conn, start, end, "hour", [c for c, _ in channels]):
            per_channel[code] = per_channel.get(code, 0) + n
        names = _names(conn)
        categories = q.received_by(conn, start, end, "category_code")
        kinds = q.received_by(conn, start, end, "kind")
        rates = {r[0]: r for r in q.on_time_by_unit(conn, start, end)}
        progress = q.unit_progress(conn, start, end, OPEN, as_of)
        overdue = daily_rows.overdue_rows(conn, OPEN, as_of)
        notes = daily_rows.delays_and_escalations(conn, [r.id for r in overdue])
        details = daily_rows.received_rows(conn, start, end)
        figures = DailyFigures(
            period=period,
            as_of=as_of,
            headline=headline(conn, period),
            previous_day=headline(conn, period.shifted(-period.days)),
            last_week=headline(conn, period.shifted(-7)),
            by_channel=tuple((name, per_channel.get(code, 0)) for code, name in channels),
            by_category=_named(categories, names["category"]),
            by_kind=_named(kinds, names["kind"]),
            units=_units(progress, rates),
            overdue=tuple(_overdue(r, *notes.get(r.id, ("", 0))) for r in overdue),
            details=tuple(_detail(r) for r in details),
        )
    return figures


def _names(conn: Connection) -> dict[str, dict[str, str]]:
    from pakn_desktop.data.reference_read import category_and_kind_names

    return category_and_kind_names(conn)


def _named(rows: list[tuple[str, int]], names: dict[str, str]) -> tuple[tuple[str, int], ...]:
    return tuple(
        (names.get(code, code), n) for code, n in sorted(rows, key=lambda r: (-r[1], r[0]))
    )


def _units(
    progress: list[tuple[uuid.UUID, str, int, int, int]],
    rates: dict[uuid.UUID, tuple[uuid.UUID, str, int, int]],
) -> tuple[UnitLine, ...]:
    lines = []
    for unit, name, received, open_, overdue in progress:
        _, _, closed, on_time = rates.get(unit, (unit, name, 0, 0))
        lines.append(UnitLine(name, received, on_time, closed - on_time, open_ - overdue, overdue))
    return tuple(sorted(lines, key=lambda u: (-u.received, u.name)))


def _masked(row: Row, text: str) -> str:
    """``text`` without the reporter's identity (and, for any report, without e-mail
    addresses or phone-like numbers: ``mask_personal``'s second line of defence)."""
    return mask_personal(text, people_of(Identity(*row.identity), row.sender))


def _overdue(row: Row, reason: str, escalations: int) -> OverdueLine:
    assert row.due_at is not None  # overdue_rows: due_at is set
    return OverdueLine(
        code=row.code,
        received_at=row.received_at,
        due_at=row.due_at,
        unit=row.unit,
        summary=_masked(row, row.summary),
        status=status_word(row.status),
        reason=_masked(row, reason),
        escalations=escalations,
    )


def _detail(row: Row) -> DetailLine:
    return DetailLine(
        code=row.code,
        received_at=row.received_at,
        channel=row.channel,
        category=row.category,
        kind=row.kind,
        summary=_masked(row, row.summary),
        unit=row.unit,
        status=status_word(row.status),
        due_at=row.due_at,
        closed_at=row.closed_at,
        forwarded_on_time=row.forward_on_time,
    )
