"""The queue's text box uses the search index and means what ``pakn-desktop search`` means:
the same reports for a fixed list of queries, on SQLite and PostgreSQL; both SQLite plans
(the matches drive the read / the sort index is walked) give the same rows in the same order."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from pakn_desktop.cli import main as cli_main
from pakn_desktop.data import queue as q
from pakn_desktop.data import search, search_schema
from pakn_desktop.data.models import Ticket
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import Environment, resolve

from .queue_data import fill_tickets
from .test_search import _fill

QUERIES = [
    "pho",
    "phố",
    "ha noi",
    "Hà Nội",
    "duong",
    "Đường",
    "dinh",
    "Định",
    "0912 345 678",
    "+84912345678",
    "84912345678",
    "0912.345.678",
    "0912 345",  # the start of a number, typed while the caller speaks
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def filled(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Database, Environment, dict[str, str]]]:
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_migrated_url")
        env = resolve(db=url, data_dir=str(tmp_path / "data"))
    else:
        env = request.getfixturevalue("migrated")(tmp_path / "data")
    database = open_database(env)
    codes = _fill(database, env)
    fill_tickets(database.engine, rows=600)  # "Đường phố ngập nước" and others, many ties
    yield database, env, codes
    database.close()


def _walk(database: Database, query: q.QueueQuery, limit: int = 7) -> list[uuid.UUID]:
    """Every row of the queue for ``query``, page by page (keyset), as the model reads it."""
    with database.engine.connect() as conn:
        names = q.load_names(conn)
        seen: list[uuid.UUID] = []
        page = q.first_page(conn, query, names, limit)
        while page:
            seen += [r.id for r in page]
            page = q.page_after(conn, query, names, q.sort_key(page[-1], query.sort), limit)
        assert q.count(conn, query) == len(seen)
    return seen


def _cli_ids(env: Environment, text: str, capsys: pytest.CaptureFixture[str]) -> set[str]:
    argv = ["--data-dir", str(env.data_dir)]
    if not env.db_url.startswith("sqlite"):
        argv += ["--db", env.db_url]
    assert cli_main([*argv, "search", text, "--json", "--limit", "100000"]) == 0
    return {row["id"] for row in json.loads(capsys.readouterr().out)}


def test_queue_filter_and_cli_search_find_the_same_reports(
    filled: tuple[Database, Environment, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    database, env, codes = filled
    code = codes["den"]  # a case code, typed whole and by its last part
    for text in [*QUERIES, code, code.lower(), code.rsplit("-", 1)[-1]]:
        queue_ids = _walk(database, q.QueueQuery(text=text))
        assert len(queue_ids) == len(set(queue_ids)), text
        assert {str(i) for i in queue_ids} == _cli_ids(env, text, capsys), text
    # The fixed list's answers are the search test's (a hand-made set of reports).
    with database.engine.connect() as conn:
        by_code = dict(conn.execute(select(Ticket.id, Ticket.code)).all())
    found = {by_code[i] for i in _walk(database, q.QueueQuery(text="0912 345 678"))}
    assert found == {codes["pho_hue"]}
    found = {by_code[i] for i in _walk(database, q.QueueQuery(text=code))}
    assert found == {code}
    hanoi = {by_code[i] for i in _walk(database, q.QueueQuery(text="Hà Nội"))}
    assert hanoi == {codes["pho_hue"], codes["cay"]}
    streets = _walk(database, q.QueueQuery(text="Đường"))
    assert len(streets) > 3  # the hand-made three and the generated "Đường phố …" rows


@pytest.fixture
def sqlite_filled(migrated_env: Environment) -> Iterator[Database]:
    env = migrated_env
    database = open_database(env)
    _fill(database, env)
    fill_tickets(database.engine, rows=1500)
    yield database
    database.close()


@pytest.mark.parametrize("walk_at", [0, 10**9])  # always walk the sort index / always drive
def test_both_sqlite_plans_give_the_queue_order(
    sqlite_filled: Database, monkeypatch: pytest.MonkeyPatch, walk_at: int
) -> None:
    monkeypatch.setattr(search, "WALK_AT", walk_at)
    monkeypatch.setattr(search, "_plans", {})
    for sort in ("received_at", "due_at", "commune", "code", "status"):
        for descending in (False, True):
            for filters in (
                {"text": "duong pho"},
                {"text": "Đường", "statuses": ("new", "closed")},
                {"text": "rac", "channel": "tc1"},
                {"text": "cay do", "kinds": ("tk0",)},
            ):
                query = q.QueueQuery(sort=sort, descending=descending, **filters)  # type: ignore[arg-type]
                expected = _order_by_reference(sqlite_filled, query)
                assert expected, filters
                assert _walk(sqlite_filled, query, limit=61) == expected, (sort, filters)


def _order_by_reference(database: Database, query: q.QueueQuery) -> list[uuid.UUID]:
    """A plain ORDER BY over the FTS matches (the search's own term): NULLs last."""
    from sqlalchemy import case

    sort = q.SORTS[query.sort]
    order: list[object] = []
    if sort.nullable:
        order.append(case((sort.columns[0].is_(None), 1), else_=0))
    order += [c.desc() if query.descending else c.asc() for c in sort.columns]
    with database.engine.connect() as conn:
        hits = search.matches(conn, query.text)
        assert hits is not None
        stmt = select(Ticket.id).where(*q._filters(query), hits).order_by(*order)  # type: ignore[arg-type]
        return list(conn.execute(stmt).scalars())


def test_sqlite_plans_read_an_index(
    sqlite_filled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Common words walk the sort column's index (no sort of the matches); rare ones are read
    through the FTS rowids, and only they are sorted."""
    monkeypatch.setattr(search, "_plans", {})
    monkeypatch.setattr(search, "WALK_AT", 100)
    with sqlite_filled.engine.begin() as conn:  # as the indexer leaves it (the plan counts
        search_schema.index_pending(conn, limit=None)  # FTS hits only)
    with sqlite_filled.engine.connect() as conn:
        for query in (
            q.QueueQuery(text="duong", statuses=("new",)),  # ix_ticket_status gives the order
            q.QueueQuery(text="duong", statuses=("new", "closed"), sort="code"),
        ):
            common = "\n".join(q.plan(conn, query))
            assert "TEMP B-TREE" not in common and "INDEX ix_ticket_" in common, common
            assert not ticket_fts_scanned(common), common
        rare = "\n".join(q.plan(conn, q.QueueQuery(text="0912 345 678", statuses=("new",))))
        assert "INTEGER PRIMARY KEY (rowid=?)" in rare and ticket_fts_scanned(rare), rare
        # The backlog's branch reads only the reports above the index's mark: never a scan
        # of ticket (the backlog is normally empty, ticket a million rows).
        assert "SEARCH ticket USING INTEGER PRIMARY KEY (rowid>?)" in rare, rare
        assert "SCAN ticket\n" not in rare + "\n", rare


def ticket_fts_scanned(plan: str) -> bool:
    return "ticket_fts VIRTUAL TABLE" in plan
