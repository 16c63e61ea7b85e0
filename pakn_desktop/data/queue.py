"""The queue's query layer: filtered, sorted, keyset-paged ticket rows (SQLAlchemy Core only).

Every sortable column has a ``(column[, received_at], id)`` index on ``ticket`` (see
``models.Ticket``). A page is ``WHERE (sort cols) > (:anchor) ORDER BY sort cols LIMIT n``: an
index walk whatever the page's depth. Deep rows are reached from *anchors* (every Nth sort key,
sampled in one window-function query), never with OFFSET.

NULLs: SQLite sorts them first and PostgreSQL last, and ``COALESCE`` in a comparison would stop
either engine from using the index. So a nullable sort column is read as two *segments*, the
non-NULL rows (a range on the full index) and then the NULL rows (``col IS NULL``, an equality
prefix of the same index, ordered by the remaining columns). NULLs come last in both directions:
"no deadline" belongs at the end of a deadline-sorted queue either way.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    event,
    func,
    literal,
    select,
    tuple_,
    union_all,
)

from .deadline_sql import forward_condition, state_condition, unindexed
from .models import (
    Category,
    Channel,
    Commune,
    KindLabel,
    Station,
    Ticket,
)
from .queue_rows import ROW_COLUMNS, ensure_units, to_row
from .queue_types import (
    SORT_KEYS,
    Anchor,
    Names,
    QueueQuery,
    QueueRow,
    SortKey,
)
from .search import TextTerm, queue_term


@dataclass(frozen=True)
class _Sort:
    columns: tuple[Any, ...]  # ORM column attributes, lead first, Ticket.id last
    nullable: bool = False


_T = Ticket
# Keys are the queue's column keys; each tuple matches an index in models.Ticket exactly.
SORTS: Mapping[str, _Sort] = {
    "code": _Sort((_T.code, _T.id)),
    "received_at": _Sort((_T.received_at, _T.id)),
    "channel": _Sort((_T.channel_code, _T.received_at, _T.id)),
    "category": _Sort((_T.category_code, _T.received_at, _T.id)),
    "kind": _Sort((_T.kind, _T.received_at, _T.id)),
    "commune": _Sort((_T.commune_code, _T.received_at, _T.id), nullable=True),
    "summary": _Sort((_T.summary, _T.id)),
    "status": _Sort((_T.status, _T.received_at, _T.id)),
    "unit": _Sort((_T.lead_unit_id, _T.received_at, _T.id), nullable=True),
    "due_at": _Sort((_T.due_at, _T.id), nullable=True),
}
assert tuple(SORTS) == SORT_KEYS


def load_names(conn: Connection) -> Names:
    def pairs(code: Any, name: Any) -> dict[Any, str]:
        return {row[0]: row[1] for row in conn.execute(select(code, name))}

    return Names(
        channels=pairs(Channel.code, Channel.name),
        categories=pairs(Category.code, Category.name),
        kinds=pairs(KindLabel.code, KindLabel.name),
        communes=pairs(Commune.code, Commune.name),
        # Units grow with the data (thousands): filled per page, see ensure_units.
        units={},
    )


# --- filters and ordering ----------------------------------------------------------------

# ``unindexed(col)`` (data.deadline_sql): ``+col`` on SQLite, so it picks no index for it.
# Without statistics SQLite takes any equality on an indexed column as very selective, and
# would read ``status IN (…)`` through ``ix_ticket_status`` and then sort the whole match for
# the page (``USE TEMP B-TREE FOR ORDER BY``): at a million rows that is every page re-sorting
# hundreds of thousands of rows. Walking the sort column's index and filtering is bounded.


# Filter columns whose index is (column, received_at, id): with one value, that index both
# filters and delivers the received_at order.
_BY_RECEIVED = {
    "status": _T.status,
    "channel": _T.channel_code,
    "category": _T.category_code,
    "kind": _T.kind,
    "unit": _T.lead_unit_id,
    "commune": _T.commune_code,
}


def text_term(conn: Connection, query: QueueQuery) -> TextTerm | None:
    """The term for the text box (``data.search.queue_term``: the search's meaning), read
    once per operation; None without text."""
    if not query.text.strip():
        return None
    return queue_term(conn, query.text)


def _filters(
    query: QueueQuery, sort: str | None = None, text: TextTerm | None = None
) -> list[ColumnElement[bool]]:
    """The WHERE terms of ``query``; for an ordered read under ``sort``, only the terms whose
    index also yields that order may steer SQLite's choice of index. ``text`` is the text
    box's term (:func:`text_term`); when its matches drive the read, no other term may."""

    def col(name: str, values: int = 1) -> Any:
        column = _BY_RECEIVED[name]
        if text is not None and text.drives:
            return unindexed(column)
        if sort is None or sort == name or (sort == "received_at" and values == 1):
            return column
        return unindexed(column)

    where: list[ColumnElement[bool]] = []
    if query.statuses:
        where.append(col("status", len(query.statuses)).in_(query.statuses))
    for name, value in (
        ("channel", query.channel),
        ("category", query.category),
        ("kind", query.kind),
        ("unit", query.unit),
    ):
        if value is not None:
            where.append(col(name) == value)
    where += _view_filters(query, col)
    if query.received_from is not None:
        where.append(_T.received_at >= query.received_from)
    if query.received_to is not None:
        where.append(_T.received_at < query.received_to)
    if query.deadline is not None:
        now = query.now if query.now is not None else datetime.now(UTC)
        where.append(state_condition(query.deadline, now))
    if query.forward_minutes is not None:
        where.append(forward_condition(*query.forward_minutes))
    if text is not None:
        where.append(text.where)
    return where


def _view_filters(query: QueueQuery, col: Any) -> list[ColumnElement[bool]]:
    """The saved views' terms (kinds, commune, receiving station)."""
    where: list[ColumnElement[bool]] = []
    if query.kinds:
        where.append(col("kind", len(query.kinds)).in_(query.kinds))
    if query.commune is not None:
        where.append(col("commune") == query.commune)
    if query.station_code is not None:
        station = select(Station.id).where(Station.code == query.station_code)
        where.append(_T.station_id == station.scalar_subquery())
    return where


@dataclass(frozen=True)
class _Segment:
    columns: tuple[Any, ...]  # the ordered key columns inside this segment
    where: tuple[ColumnElement[bool], ...]
    nulls: bool  # True: the segment of rows whose lead column is NULL


def _segments(sort: _Sort) -> list[_Segment]:
    if not sort.nullable:
        return [_Segment(sort.columns, (), nulls=False)]
    lead = sort.columns[0]
    return [
        _Segment(sort.columns, (lead.is_not(None),), nulls=False),
        _Segment(sort.columns[1:], (lead.is_(None),), nulls=True),
    ]


def _order_by(columns: Sequence[Any], descending: bool) -> list[Any]:
    return [c.desc() if descending else c.asc() for c in columns]


def _bound(
    columns: Sequence[Any], values: Sequence[Any], descending: bool, inclusive: bool
) -> ColumnElement[bool]:
    """``(columns) > (values)`` as a row-value comparison, which both engines index-range."""
    binds = [literal(v, c.type) for c, v in zip(columns, values, strict=True)]
    left: Any = columns[0] if len(columns) == 1 else tuple_(*columns)
    right: Any = binds[0] if len(binds) == 1 else tuple_(*binds)
    if descending:
        return left <= right if inclusive else left < right  # type: ignore[no-any-return]
    return left >= right if inclusive else left > right  # type: ignore[no-any-return]


def _segment_select(
    query: QueueQuery,
    segment: _Segment,
    after: Sequence[Any] | None,
    inclusive: bool,
    limit: int,
    text: TextTerm | None = None,
) -> Select[*tuple[Any, ...]]:
    where = [*_filters(query, query.sort, text), *segment.where]
    if after is not None:
        where.append(_bound(segment.columns, after, query.descending, inclusive))
    return (
        select(*ROW_COLUMNS)
        .where(*where)
        .order_by(*_order_by(segment.columns, query.descending))
        .limit(limit)
    )


def _start(sort: _Sort, after: SortKey | None) -> tuple[int, Sequence[Any] | None]:
    """The segment a key lives in, and the key's values for that segment's columns."""
    if after is None:
        return 0, None
    if sort.nullable and after[0] is None:
        return 1, after[1:]
    return 0, after


# --- public operations -------------------------------------------------------------------


def sort_key(row: QueueRow, sort: str) -> SortKey:
    """The sort key of ``row`` under sort column ``sort`` (for :func:`page_after`)."""
    lead: dict[str, Any] = {
        "code": row.code,
        "received_at": row.received_at,
        "channel": row.channel_code,
        "category": row.category_code,
        "kind": row.kind_code,
        "commune": row.commune_code,
        "summary": row.summary,
        "status": row.status,
        "unit": row.unit_id,
        "due_at": row.due_at,
    }
    if len(SORTS[sort].columns) == 3:
        return (lead[sort], row.received_at, row.id)
    return (lead[sort], row.id)


def count(conn: Connection, query: QueueQuery) -> int:
    """The number of rows ``query`` selects: from the maintained tally when its filters are
    tallied (the saved views, status, channel, kind, category, unit), else :func:`count_rows`."""
    from .tally_read import query_count

    tallied = query_count(conn, query)
    return tallied if tallied is not None else count_rows(conn, query)


def count_rows(conn: Connection, query: QueueQuery) -> int:
    """COUNT(*) of the rows ``query`` selects (what the tally must equal)."""
    where = _filters(query, text=text_term(conn, query))
    return int(conn.execute(select(func.count()).select_from(_T).where(*where)).scalar_one())


def first_page(conn: Connection, query: QueueQuery, names: Names, limit: int) -> list[QueueRow]:
    return page_after(conn, query, names, None, limit)


def page_after(
    conn: Connection,
    query: QueueQuery,
    names: Names,
    after: SortKey | None,
    limit: int,
    *,
    inclusive: bool = False,
) -> list[QueueRow]:
    """Up to ``limit`` rows following sort key ``after`` (or starting at it, if ``inclusive``).

    ``after=None`` gives the first page. Crosses from the non-NULL into the NULL segment when
    the first one runs out, so a page is always the next ``limit`` rows of the whole order.
    """
    raw = raw_page(conn, query, names, after, limit, inclusive=inclusive)
    return [to_row(r, names) for r in raw]


def raw_page(
    conn: Connection,
    query: QueueQuery,
    names: Names,
    after: SortKey | None,
    limit: int,
    *,
    inclusive: bool = False,
    extend: Callable[[Select[*tuple[Any, ...]]], Select[*tuple[Any, ...]]] | None = None,
) -> list[Any]:
    """:func:`page_after`'s rows as read (``ROW_COLUMNS``, then what ``extend`` adds to each
    segment's select: an export's reporter columns, in the same round trip), unit names
    cached."""
    sort = SORTS[query.sort]
    segments = _segments(sort)
    first, values = _start(sort, after)
    text = text_term(conn, query)
    rows: list[Any] = []
    for number in range(first, len(segments)):
        wanted = limit - len(rows)
        if wanted <= 0:
            break
        bound = values if number == first else None
        stmt = _segment_select(query, segments[number], bound, inclusive, wanted, text)
        rows += conn.execute(stmt if extend is None else extend(stmt)).all()
    ensure_units(conn, names, {r[9] for r in rows if r[9] is not None})
    return rows


def position(
    conn: Connection, query: QueueQuery, names: Names, ticket_id: uuid.UUID
) -> tuple[int, QueueRow] | None:
    """Where report ``ticket_id`` stands in ``query``'s order (0-based) with its row, or None
    when the query does not hold it: a COUNT of the rows before its key, an index range (a
    report just received, newest first, has none before it)."""
    text = text_term(conn, query)
    where = _filters(query, text=text)
    raw = conn.execute(select(*ROW_COLUMNS).where(*where, _T.id == ticket_id)).first()
    if raw is None:
        return None
    ensure_units(conn, names, {raw[9]} if raw[9] is not None else set())
    row = to_row(raw, names)
    sort = SORTS[query.sort]
    segments = _segments(sort)
    own, values = _start(sort, sort_key(row, query.sort))
    before = 0
    for number in range(own + 1):
        segment = segments[number]
        terms = [*where, *segment.where]
        if number == own:
            assert values is not None
            # "Before" is "after" in the opposite direction, strictly.
            terms.append(_bound(segment.columns, values, not query.descending, False))
        before += int(conn.execute(select(func.count()).select_from(_T).where(*terms)).scalar_one())
    return before, row


def anchors(conn: Connection, query: QueueQuery, every: int) -> list[Anchor]:
    """Sort keys of rows 0, every, 2·every…, in one query (a window over the sort index).

    ``row_number()`` over the same order as the index needs no sort: both engines stream it. The
    NULL segment's numbering continues after the non-NULL one via a scalar count.
    """
    if every < 1:
        raise ValueError("every must be ≥ 1")
    sort = SORTS[query.sort]
    segments = _segments(sort)
    width = len(sort.columns)
    text = text_term(conn, query)
    parts = []
    for segment in segments:
        number: Any = func.row_number().over(order_by=_order_by(segment.columns, query.descending))
        if segment.nulls:
            before = (
                select(func.count(sort.columns[0]))
                .where(*_filters(query, text=text))
                .scalar_subquery()
            )
            number = number + before
            key_cols: list[Any] = [literal(None, sort.columns[0].type), *segment.columns]
        else:
            key_cols = list(segment.columns)
        labelled = [c.label(f"k{i}") for i, c in enumerate(key_cols)]
        parts.append(
            select(*labelled, number.label("rn")).where(
                *_filters(query, query.sort, text), *segment.where
            )
        )
    inner = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    stmt = select(inner).where((inner.c.rn - 1) % every == 0).order_by(inner.c.rn)
    result: list[Anchor] = []
    for row in conn.execute(stmt):
        key = tuple(row[i] for i in range(width))
        result.append(Anchor(index=int(row[width]) - 1, key=key))
    return result


def plan(conn: Connection, query: QueueQuery, after: SortKey | None = None) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN lines for each segment's page query (for tests, diagnosis)."""
    sort = SORTS[query.sort]
    first, values = _start(sort, after)
    text = text_term(conn, query)
    lines: list[str] = []
    for number, segment in enumerate(_segments(sort)):
        if number < first:
            continue
        bound = values if number == first else None
        stmt = _segment_select(query, segment, bound, False, 50, text)
        sql, params = _final_sql(conn, stmt)
        lines.extend(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    return lines


def _final_sql(conn: Connection, stmt: Select[*tuple[Any, ...]]) -> tuple[str, Any]:
    """The SQL text and driver parameters exactly as SQLAlchemy sends them for ``stmt``."""
    seen: list[tuple[str, Any]] = []

    def capture(*args: Any) -> None:
        seen.append((args[2], args[3]))

    event.listen(conn, "before_cursor_execute", capture)
    try:
        conn.execute(stmt).all()
    finally:
        event.remove(conn, "before_cursor_execute", capture)
    return seen[-1]


# --- one report ----------------------------------------------------------------------------


def is_empty(conn: Connection) -> bool:
    return conn.execute(select(_T.id).limit(1)).first() is None
