"""The queue's keyset paging against a plain ORDER BY, on SQLite (no Qt)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, case, false, select

from pakn_desktop.data import queue as q
from pakn_desktop.data import search
from pakn_desktop.data.engine import make_engine
from pakn_desktop.data.models import Reporter, Ticket
from pakn_desktop.services.database import Database

from .db_template import MigratedEnv
from .queue_data import ROWS, fill_tickets


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, migrated: MigratedEnv) -> Iterator[Engine]:
    engine = make_engine(migrated(tmp_path_factory.mktemp("queue")).db_url)
    fill_tickets(engine)
    yield engine
    engine.dispose()


def _reference(engine: Engine, query: q.QueueQuery) -> list[uuid.UUID]:
    """The expected order, by a plain ORDER BY: NULLs last in both directions, id breaks ties."""
    sort = q.SORTS[query.sort]
    order: list[Any] = []
    if sort.nullable:
        order.append(case((sort.columns[0].is_(None), 1), else_=0))
    order += [c.desc() if query.descending else c.asc() for c in sort.columns]
    with engine.connect() as conn:
        where = q._filters(query)
        if query.text.strip():  # the search's own term, not the queue's choice of plan
            hits = search.matches(conn, query.text)
            where.append(false() if hits is None else hits)
        stmt = select(Ticket.id).where(*where).order_by(*order)
        return list(conn.execute(stmt).scalars())


def _walk(engine: Engine, query: q.QueueQuery, limit: int) -> list[uuid.UUID]:
    with engine.connect() as conn:
        names = q.load_names(conn)
        seen: list[uuid.UUID] = []
        page = q.first_page(conn, query, names, limit)
        while page:
            seen += [r.id for r in page]
            page = q.page_after(conn, query, names, q.sort_key(page[-1], query.sort), limit)
    return seen


FILTERS = [
    {},
    {"statuses": ("new", "in_progress")},
    {"channel": "tc1", "text": "DUONG pho"},
]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", q.SORT_KEYS)
def test_keyset_walk_matches_order_by(engine: Engine, sort: str, descending: bool) -> None:
    for filters in FILTERS:
        query = q.QueueQuery(sort=sort, descending=descending, **filters)
        expected = _reference(engine, query)
        assert expected, filters
        assert _walk(engine, query, limit=97) == expected, filters
        with engine.connect() as conn:
            assert q.count(conn, query) == len(expected)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", ["received_at", "due_at", "unit", "commune", "channel"])
def test_anchors_reach_any_row(engine: Engine, sort: str, descending: bool) -> None:
    query = q.QueueQuery(sort=sort, descending=descending)
    expected = _reference(engine, query)
    with engine.connect() as conn:
        names = q.load_names(conn)
        anchors = q.anchors(conn, query, every=100)
        assert [a.index for a in anchors] == list(range(0, len(expected), 100))
        for target in (0, 1, 99, 100, 1234, len(expected) - 1):
            anchor = anchors[target // 100]
            rows = q.page_after(conn, query, names, anchor.key, 100, inclusive=True)
            assert rows[0].id == expected[anchor.index]
            assert rows[target - anchor.index].id == expected[target]
        # Every anchor's page is exactly the reference slice, across the NULL boundary too.
        for anchor in anchors:
            rows = q.page_after(conn, query, names, anchor.key, 100, inclusive=True)
            assert [r.id for r in rows] == expected[anchor.index : anchor.index + 100]


def test_anchors_with_filter(engine: Engine) -> None:
    query = q.QueueQuery(sort="due_at", statuses=("closed",), descending=False)
    expected = _reference(engine, query)
    with engine.connect() as conn:
        anchors = q.anchors(conn, query, every=50)
        names = q.load_names(conn)
        assert [a.index for a in anchors] == list(range(0, len(expected), 50))
        for anchor in anchors:
            rows = q.page_after(conn, query, names, anchor.key, 1, inclusive=True)
            assert rows[0].id == expected[anchor.index]


def test_nulls_come_last_in_both_directions(engine: Engine) -> None:
    with engine.connect() as conn:
        names = q.load_names(conn)
        for descending in (False, True):
            query = q.QueueQuery(sort="due_at", descending=descending)
            rows = q.first_page(conn, query, names, ROWS)
            dues = [r.due_at for r in rows]
            split = dues.index(None)
            assert all(d is not None for d in dues[:split])
            assert all(d is None for d in dues[split:])
            assert dues[:split] == sorted(dues[:split], reverse=descending)  # type: ignore[type-var]


def test_rows_carry_display_names(engine: Engine) -> None:
    with engine.connect() as conn:
        names = q.load_names(conn)
        row = q.first_page(conn, q.QueueQuery(), names, 1)[0]
    assert row.channel.startswith("Kênh ")
    assert row.kind.startswith("Loại ")
    assert row.received_at.tzinfo is not None
    assert (row.commune == "") == (row.commune_code is None)


def test_search_is_accent_and_d_insensitive(engine: Engine) -> None:
    with engine.connect() as conn:
        hits = q.count(conn, q.QueueQuery(text="đường PHỐ"))
        assert hits == q.count(conn, q.QueueQuery(text="duong pho")) > 0
        # The text is words to look for (the search's meaning): no LIKE or FTS syntax.
        assert q.count(conn, q.QueueQuery(text="100%_")) == 0
        assert q.count(conn, q.QueueQuery(text="duong*")) == q.count(
            conn, q.QueueQuery(text="duong")
        )


def test_unknown_sort_key_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sort key"):
        q.QueueQuery(sort="nope")


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", q.SORT_KEYS)
def test_sqlite_walks_an_index_without_sorting(engine: Engine, sort: str, descending: bool) -> None:
    for filters in [{}, {"statuses": ("closed",)}, {"statuses": ("new", "closed")}]:
        query = q.QueueQuery(sort=sort, descending=descending, **filters)
        with engine.connect() as conn:
            first = q.first_page(conn, query, q.Names(), 5)
            after = q.sort_key(first[-1], sort)
            for key in (None, after, (None, *after[1:])):
                if key is not None and key[0] is None and not q.SORTS[sort].nullable:
                    continue
                plan = "\n".join(q.plan(conn, query, key))
                assert "TEMP B-TREE" not in plan, (filters, key, plan)
                assert "INDEX ix_ticket_" in plan, (filters, key, plan)


def test_text_filter_finds_a_phone_typed_any_way(database: Database) -> None:
    """A number typed as the caller said it finds the report whatever form it was saved in."""
    from pakn_desktop.services.demo import generate

    generate(database, 60, seed=5)
    with database.engine.connect() as conn:
        row = conn.execute(
            select(Ticket.id, Reporter.phone)
            .join(Reporter, Reporter.id == Ticket.reporter_id)
            .where(Reporter.phone.like("+849%"))
            .limit(1)
        ).one()
        national = "0" + row.phone[3:]
        spaced = f"{national[:4]} {national[4:7]} {national[7:]}"
        for typed in (
            spaced,
            row.phone,
            "84" + row.phone[3:],
            f"{national[:4]}.{national[4:7]}.{national[7:]}",
        ):
            names = q.load_names(conn)
            found = q.first_page(conn, q.QueueQuery(text=typed), names, limit=500)
            assert row.id in {r.id for r in found}, typed
