"""The queue's rows as bare keys: what a selection of a million rows resolves to on a worker
(the sort key, whose last value is the report's id, and the case code), in keyset order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from .models import Ticket
from .queue import SORTS, _bound, _filters, _order_by, _segments, _start, text_term
from .queue_types import QueueQuery, SortKey


def keys_after(
    conn: Connection,
    query: QueueQuery,
    after: SortKey | None,
    limit: int,
    *,
    inclusive: bool = False,
) -> list[tuple[SortKey, str]]:
    """Up to ``limit`` (sort key, case code) pairs following ``after`` (or from it, if
    ``inclusive``) in ``query``'s order: :func:`data.queue.page_after` without the row's
    other columns, so a million keys are a walk of the sort index and nothing more."""
    sort = SORTS[query.sort]
    segments = _segments(sort)
    first, values = _start(sort, after)
    text = text_term(conn, query)
    out: list[tuple[SortKey, str]] = []
    for number in range(first, len(segments)):
        wanted = limit - len(out)
        if wanted <= 0:
            break
        segment = segments[number]
        where: list[Any] = [*_filters(query, query.sort, text), *segment.where]
        if number == first and values is not None:
            where.append(_bound(segment.columns, values, query.descending, inclusive))
        stmt = (
            select(*sort.columns, Ticket.code)
            .where(*where)
            .order_by(*_order_by(segment.columns, query.descending))
            .limit(wanted)
        )
        out.extend((tuple(r[:-1]), r[-1]) for r in conn.execute(stmt))
    return out
