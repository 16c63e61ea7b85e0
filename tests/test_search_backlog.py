"""SQLite's search backlog (migration 0009, docs/decisions.md 20): a saved report waits above
the index's mark (``ticket_fts_indexed``) until the indexer runs, and every search finds it
meanwhile; updates and
deletes of waiting and indexed reports keep the FTS index exact; the background thread indexes
within seconds and writes nothing when there is nothing to index; read-only engines work."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, delete, event, select, text, update

from pakn_desktop.data import migrate, search, search_indexer, search_schema
from pakn_desktop.data import queue as q
from pakn_desktop.data.engine import make_engine
from pakn_desktop.data.models import Assignment, Outbox, Ticket, TicketEvent
from pakn_desktop.data.search_indexer import SearchIndexer
from pakn_desktop.domain.text import fold
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.demo import generate
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.search import SearchService
from tests.intake_data import form
from tests.test_wal_checkpoint import wait_for

QUERIES = ("duong", "ha noi", "cong bi tac", "le loi", "nguyen van", "0912", "zuvex", "kwop")


@pytest.fixture
def quiet(migrated_env: Environment) -> Iterator[Database]:
    """A migrated SQLite database whose indexer thread is stopped: the test says when the
    backlog is indexed."""
    database = open_database(migrated_env)
    assert database.indexer is not None
    database.indexer.stop()
    yield database
    database.close()


def _save(database: Database, env: Environment, content: str, phone: str = "0912 345 678") -> str:
    service = IntakeService(database, EvidenceStore(env.evidence_dir))
    return service.save(form(content=content, reporter_phone=phone)).code


def _save_at_0008(database: Database, content: str) -> str:
    """A report written as a station at schema 0008 writes it (today's save writes columns
    later migrations added): a copy of an existing row with its own id, code and texts, in
    the columns the table has, so 0008's insert trigger indexes it."""
    code = f"PA-000000-OLD-{uuid.uuid4().hex[:6]}"
    with database.engine.begin() as conn:
        columns = [row[1] for row in conn.exec_driver_sql("PRAGMA table_info(ticket)")]
        given = {
            "id": uuid.uuid4().hex,
            "code": code,
            "summary": content,
            "content": content,
            "search_text": fold(f"{code} {content}"),
        }
        chosen = ", ".join(f":{c}" if c in given else c for c in columns)
        conn.execute(
            text(f"INSERT INTO ticket ({', '.join(columns)}) SELECT {chosen} FROM ticket LIMIT 1"),
            given,
        )
    return code


def _rowid(conn: Connection, code: str) -> int:
    return int(conn.execute(text("SELECT rowid FROM ticket WHERE code = :c"), {"c": code}).one()[0])


def _pending(conn: Connection) -> set[int]:
    """The backlog: the reports above the index's mark."""
    found = conn.exec_driver_sql(
        "SELECT rowid FROM ticket WHERE rowid > (SELECT upto FROM ticket_fts_indexed)"
    )
    return {r[0] for r in found}


def _fts(conn: Connection, phrase: str) -> set[int]:
    found = conn.exec_driver_sql("SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?", (phrase,))
    return {r[0] for r in found}


def _index(database: Database) -> int:
    with database.engine.begin() as conn:
        return search_schema.index_pending(conn, limit=None)


def _queue_ids(database: Database, words: str) -> set[uuid.UUID]:
    with database.engine.connect() as conn:
        names = q.load_names(conn)
        query = q.QueueQuery(text=words)
        rows = q.first_page(conn, query, names, 10_000)
        assert q.count(conn, query) == len(rows)
        return {r.id for r in rows}


def _oracle(database: Database, words: str) -> set[uuid.UUID]:
    """An independent scan: the word rule over every report's search_text."""
    wanted = search.words(words)
    with database.engine.connect() as conn:
        rows = conn.execute(select(Ticket.id, Ticket.search_text)).all()
    return {i for i, t in rows if search.word_match(t, wanted)}


def _assert_found_everywhere(
    database: Database, monkeypatch: pytest.MonkeyPatch, words: str, expected: set[uuid.UUID]
) -> None:
    """search (its newest-first scan and its index read), search_ids, count and the queue's
    text filter (both plans) give ``expected``."""
    service = SearchService(database)
    for scan_first in (0, 10**6):  # 0: search() reads through matches(), never the scan
        monkeypatch.setattr(search, "SCAN_FIRST", scan_first)
        assert {r.id for r in service.search(words, limit=10_000)} == expected, (words, scan_first)
    assert set(service.ids(words)) == expected, words
    assert service.count(words) == len(expected), words
    for walk_at in (0, 10**9):  # 0: walk the sort index; 10**9: the matches drive the read
        monkeypatch.setattr(search, "WALK_AT", walk_at)
        monkeypatch.setattr(search, "_plans", {})
        assert _queue_ids(database, words) == expected, (words, walk_at)


def _integrity(conn: Connection) -> None:
    """The index holds exactly ticket.search_text of every report (rank 1: compared with the
    content table; the plain check only tests the index's own structure and misses a bad
    'delete' on SQLite 3.40)."""
    conn.exec_driver_sql("INSERT INTO ticket_fts(ticket_fts) VALUES ('integrity-check')")
    conn.exec_driver_sql("INSERT INTO ticket_fts(ticket_fts, rank) VALUES ('integrity-check', 1)")


def test_a_saved_report_is_found_before_and_after_it_is_indexed(
    quiet: Database, env: Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(quiet, 60, seed=2)  # indexed by the demo's bulk insert, never in the backlog
    with quiet.engine.connect() as conn:
        assert _pending(conn) == set()
    code = _save(quiet, env, "Cống zuvex bị tắc ở đường Lê Lợi.")
    with quiet.engine.connect() as conn:
        rowid = _rowid(conn, code)
        ticket_id = conn.execute(select(Ticket.id).where(Ticket.code == code)).scalar_one()
        assert _pending(conn) == {rowid}  # the save did not index it …
        assert _fts(conn, '"zuvex"') == set()
    for words in ("zuvex", "Zuvex bị", "cong zuvex bi tac"):  # … and every search finds it
        _assert_found_everywhere(quiet, monkeypatch, words, {ticket_id})
    _assert_found_everywhere(quiet, monkeypatch, "duong", _oracle(quiet, "duong"))
    assert ticket_id in _oracle(quiet, "duong")

    assert _index(quiet) == 1
    with quiet.engine.begin() as conn:
        assert _pending(conn) == set()
        assert _fts(conn, '"zuvex"') == {rowid}
        _integrity(conn)
    for words in ("zuvex", "cong zuvex bi tac"):
        _assert_found_everywhere(quiet, monkeypatch, words, {ticket_id})


def _drop(conn: Connection, code: str) -> None:
    victim = conn.execute(select(Ticket.id).where(Ticket.code == code)).scalar_one()
    conn.execute(delete(TicketEvent).where(TicketEvent.ticket_id == victim))
    conn.execute(delete(Assignment).where(Assignment.ticket_id == victim))
    conn.execute(delete(Ticket).where(Ticket.id == victim))


def test_changes_to_waiting_and_indexed_reports_keep_the_index_exact(
    quiet: Database, env: Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(quiet, 40, seed=5)
    with quiet.engine.connect() as conn:
        indexed = list(conn.execute(select(Ticket.code).order_by(Ticket.code).limit(2)).scalars())
    waiting = [_save(quiet, env, f"Đường Lê Lợi số {n} ngập.", f"0912 000 00{n}") for n in range(3)]
    with quiet.engine.begin() as conn:
        conn.execute(delete(Outbox))
        assert len(_pending(conn)) == 3
        for code, words in ((waiting[0], "zuvex ngap nuoc"), (indexed[0], "kwop den duong")):
            conn.execute(update(Ticket).where(Ticket.code == code).values(search_text=words))
        _drop(conn, waiting[1])  # never indexed: must not reach the FTS table as a 'delete'
        _drop(conn, indexed[1])
        assert len(_pending(conn)) == 2
    for words in QUERIES:
        _assert_found_everywhere(quiet, monkeypatch, words, _oracle(quiet, words))

    assert _index(quiet) == 2
    with quiet.engine.begin() as conn:
        assert _pending(conn) == set()
        _integrity(conn)
        # an indexed report changed again, now through the index's own triggers
        conn.execute(update(Ticket).where(Ticket.code == waiting[0]).values(search_text="kwop"))
        _drop(conn, waiting[2])
        _integrity(conn)
    for words in QUERIES:
        _assert_found_everywhere(quiet, monkeypatch, words, _oracle(quiet, words))


def test_rebuild_and_bulk_insert_leave_no_backlog(quiet: Database, env: Environment) -> None:
    _save(quiet, env, "Cống zuvex bị tắc.")
    generate(quiet, 30, seed=6)  # the chunk's statement indexes the backlog with its reports
    with quiet.engine.begin() as conn:
        assert _pending(conn) == set()
        _integrity(conn)
    code = _save(quiet, env, "Đèn kwop hỏng.")
    with quiet.engine.begin() as conn:
        assert _pending(conn) == {_rowid(conn, code)}
        search_schema.rebuild_sqlite(conn)
        assert _pending(conn) == set()
        _integrity(conn)
        assert search_schema.sqlite_index_intact(conn)
    code = _save(quiet, env, "Cây kwop đổ.", "0913 000 001")  # after it, saves wait again
    with quiet.engine.connect() as conn:
        assert _pending(conn) == {_rowid(conn, code)}


def test_a_rowid_given_again_after_the_newest_report_is_deleted_waits_in_the_backlog(
    quiet: Database, env: Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite gives a new row max(rowid) + 1: deleting the newest report frees its rowid for
    the next save, which must land in the backlog, not be taken for indexed."""
    generate(quiet, 20, seed=7)
    first = _save(quiet, env, "Cống zuvex bị tắc.")
    assert _index(quiet) == 1
    with quiet.engine.begin() as conn:
        newest = _rowid(conn, first)
        conn.execute(delete(Outbox))
        _drop(conn, first)  # indexed, and the newest
        assert _pending(conn) == set()
    second = _save(quiet, env, "Đèn kwop hỏng.", "0913 000 001")
    with quiet.engine.begin() as conn:
        assert _rowid(conn, second) == newest  # the same rowid again …
        assert _pending(conn) == {newest}  # … above the mark
        conn.execute(delete(Outbox))
        _drop(conn, second)  # waiting, and the newest
    third = _save(quiet, env, "Cây kwop đổ.", "0913 000 002")
    with quiet.engine.connect() as conn:
        assert _pending(conn) == {_rowid(conn, third)} == {newest}
    for words in ("zuvex", "kwop", "den kwop", "cay kwop"):
        _assert_found_everywhere(quiet, monkeypatch, words, _oracle(quiet, words))
    assert _index(quiet) == 1
    with quiet.engine.begin() as conn:
        _integrity(conn)
    for words in ("zuvex", "kwop", "den kwop", "cay kwop"):
        _assert_found_everywhere(quiet, monkeypatch, words, _oracle(quiet, words))


def test_the_thread_indexes_within_seconds_and_writes_nothing_when_idle(
    database: Database, env: Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = search_schema.index_pending

    def counted(conn: Connection, limit: int | None = search_schema.INDEX_BATCH) -> int:
        calls.append(1)
        return real(conn, limit)

    monkeypatch.setattr(search_schema, "index_pending", counted)
    indexer = database.indexer
    assert indexer is not None and indexer.running
    code = _save(database, env, "Cống zuvex bị tắc.")

    def indexed() -> bool:
        with database.engine.connect() as conn:
            return not _pending(conn)

    assert wait_for(indexed)
    with database.engine.connect() as conn:
        assert _fts(conn, '"zuvex"') == {_rowid(conn, code)}
    assert indexer.indexed == 1 and indexer.writes == len(calls) == 1
    time.sleep(4 * search_indexer.DEFAULT_INTERVAL_S)  # several looks at an empty backlog
    assert len(calls) == 1 and indexer.writes == 1
    database.close()
    assert not indexer.running


def test_the_indexer_waits_for_a_quiet_moment_but_not_forever(
    quiet: Database, env: Environment
) -> None:
    indexer = SearchIndexer(quiet.engine, interval=60)  # driven by hand: run_once is a look
    assert indexer.run_once() == 0 and indexer.writes == 0  # nothing waiting: no write
    _save(quiet, env, "Cống zuvex bị tắc.")
    assert indexer.run_once() == 0  # first sight of it: saves may be coming
    assert indexer.run_once() == 1  # no new one since the last look: indexed
    assert indexer.writes == 1
    looks = []
    for n in range(search_indexer.PATIENCE):
        _save(quiet, env, f"Đường số {n}.", f"0913 000 00{n}")  # a save between every look
        looks.append(indexer.run_once())
    assert looks == [0] * (search_indexer.PATIENCE - 1) + [search_indexer.PATIENCE]


def test_closing_indexes_what_is_left(migrated_env: Environment) -> None:
    env = migrated_env
    database = open_database(env)
    assert database.indexer is not None
    database.indexer.stop()
    code = _save(database, env, "Cống zuvex bị tắc.")
    database.close()  # a CLI intake that exits at once
    engine = make_engine(env.db_url)
    try:
        with engine.connect() as conn:
            assert _pending(conn) == set()
            assert _fts(conn, '"zuvex"') == {_rowid(conn, code)}
    finally:
        engine.dispose()


def test_read_only_engines(quiet: Database, env: Environment) -> None:
    code = _save(quiet, env, "Cống zuvex bị tắc.")
    path = Path(quiet.engine.url.database or "")
    read_only = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    query_only = make_engine(env.db_url)
    event.listen(query_only, "connect", _query_only)
    try:
        assert SearchIndexer.attach(read_only) is None  # nothing it could write
        with read_only.connect() as conn:  # searches find the waiting report
            found = search.search_ids(conn, "zuvex")
            assert search.count(conn, "zuvex") == 1
            assert conn.execute(select(Ticket.code).where(Ticket.id.in_(found))).all() == [(code,)]
        # A file that turns out read-only: the indexer stops trying, quietly.
        indexer = SearchIndexer.attach(query_only)
        assert indexer is not None
        assert [indexer.run_once() for _ in range(3)] == [0, 0, 0]
        assert indexer.flush() == 0 and indexer.writes == 0
    finally:
        read_only.dispose()
        query_only.dispose()
    with quiet.engine.connect() as conn:
        assert len(_pending(conn)) == 1


def _query_only(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA query_only=ON")


def test_migration_0009_down_up_down_up_with_waiting_reports(
    quiet: Database, env: Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(quiet, 40, seed=8)
    _save(quiet, env, "Cống zuvex bị tắc.")
    _save(quiet, env, "Đèn zuvex hỏng.", "0913 000 001")
    with quiet.engine.connect() as conn:
        assert len(_pending(conn)) == 2

    migrate.downgrade(quiet.engine, "0008")  # the waiting reports are indexed first
    with quiet.engine.begin() as conn:
        assert not _has_table(conn, "ticket_fts_indexed")
        assert len(_fts(conn, '"zuvex"')) == 2
        _integrity(conn)
    code = _save_at_0008(quiet, "Cây kwop đổ.")  # 0008: the insert trigger indexes it
    with quiet.engine.connect() as conn:
        assert _fts(conn, '"kwop"') == {_rowid(conn, code)}

    migrate.upgrade(quiet.engine)
    with quiet.engine.begin() as conn:
        assert _pending(conn) == set()  # nothing re-indexed: the index was complete
        _integrity(conn)
    code = _save(quiet, env, "Cây kwop đổ nữa.", "0913 000 003")
    with quiet.engine.connect() as conn:
        assert _pending(conn) == {_rowid(conn, code)}
    for words in ("zuvex", "kwop", "cay kwop do"):
        _assert_found_everywhere(quiet, monkeypatch, words, _oracle(quiet, words))

    migrate.downgrade(quiet.engine, "0008")
    migrate.upgrade(quiet.engine)
    with quiet.engine.begin() as conn:
        assert _pending(conn) == set()
        _integrity(conn)
    for words in ("zuvex", "kwop", "cay kwop do"):
        _assert_found_everywhere(quiet, monkeypatch, words, _oracle(quiet, words))


def _has_table(conn: Connection, name: str) -> bool:
    found = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (name,))
    return found.first() is not None
