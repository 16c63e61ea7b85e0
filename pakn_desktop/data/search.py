"""Search over ``ticket.search_text`` on both engines, with one meaning.

What the operator typed is read by ``domain.search_text.search_key`` (accents and đ folded, a
phone number typed any way reduced to its digits) and split into words. A report matches
when its folded text has those words in that order, next to each other (punctuation between
them does not matter), each a whole word except the last, which may be the start of one:
"ha noi" finds "Hà Nội," and "Hà Nội Mới" but not "Hà Giang … nơi"; "duong" finds "đường"
and "Đường"; "0912 345 678" finds 0912345678 and +84912345678.

SQLite: an FTS5 phrase query with a prefix last token (``"ha noi"*``) on ``ticket_fts``, and
the same rule in Python (:func:`word_match`, as the SQL function ``pakn_words``) over the
reports of the search backlog (``search_schema``: saved but not indexed yet, for the second
or so until ``data.search_indexer`` runs; docs/decisions.md 20), so a report is found from
the moment it is saved. PostgreSQL: the same as a regular expression on
``search_text``, which the pg_trgm GIN index serves. Results are newest first (received_at,
then id).
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    false,
    func,
    literal,
    literal_column,
    select,
    text,
    tuple_,
)

from pakn_desktop.domain.search_text import search_key

from .models import Ticket
from .queue_rows import ROW_COLUMNS, ensure_units, to_row
from .queue_types import Names, QueueRow
from .search_schema import FTS_TABLE, backlog_sql

_T = Ticket
# Word characters as FTS5's unicode61 tokenizer sees them: letters and digits, not "_".
_WORD = re.compile(r"[^\W_]+")


def words(query: str) -> list[str]:
    """The folded words of ``query`` (what is matched)."""
    return _WORD.findall(search_key(query))


def fts_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for ``query``, or None when it has no word."""
    found = words(query)
    return _prefix_phrase(found) if found else None


def _prefix_phrase(found: list[str]) -> str:
    """The phrase, its last word a prefix: what ``matches`` asks FTS5."""
    return _phrase(found) + "*"


def _phrase(found: list[str]) -> str:
    # Words hold letters and digits only: no quote to escape.
    return '"' + " ".join(found) + '"'


def pg_pattern(query: str) -> str | None:
    """The PostgreSQL regular expression with the meaning of :func:`fts_expression`."""
    found = words(query)
    if not found:
        return None
    # Words hold letters and digits only, so they need no escaping.
    return "(^|[^[:alnum:]])" + "[^[:alnum:]]+".join(found)


def matches(conn: Connection, query: str) -> ColumnElement[bool] | None:
    """A WHERE term on ``ticket`` for ``query``; None when the query has no word."""
    if conn.dialect.name == "sqlite":
        found = words(query)
        if not found:
            return None
        # The FTS hits, and the backlog's reports (not indexed yet: normally none, a handful
        # just after saves) tested one by one with the same rule.
        _register_word_rule(conn)
        hits = text(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts UNION ALL "
            + backlog_sql("rowid")
            + " AND pakn_words(search_text, :words) = 1"
        ).bindparams(fts=_prefix_phrase(found), words=" ".join(found))
        return literal_column("ticket.rowid").in_(hits)
    pattern = pg_pattern(query)
    if pattern is None:
        return None
    return _T.search_text.regexp_match(pattern)


# --- the queue's text filter ---------------------------------------------------------------

# Fewer matches than this: the queue reads the matches through the index and sorts them
# (SQLite: ticket.rowid IN (FTS rowids); a few ms for 1,000 rows). More: it walks its sort
# index as for any filter and tests each row's folded text (a LIKE on the last word, then the
# word rule), which stops after a page: the cost is page ÷ the share of reports that match,
# whatever the table's size. Both give the same rows (tests/test_queue_text.py).
WALK_AT = 1000
_PLAN_SECONDS = 60.0  # a plan choice is reused this long (it only steers speed, not results)
_plans: dict[tuple[str, tuple[str, ...]], tuple[float, bool]] = {}


@dataclass(frozen=True)
class TextTerm:
    """The queue's WHERE term for its text box, and whether the matches drive the read
    (then the other terms must not pull SQLite onto another index)."""

    where: ColumnElement[bool]
    drives: bool


def queue_term(conn: Connection, query: str) -> TextTerm:
    """The queue filter with the meaning of :func:`search` (same reports match)."""
    found = words(query)
    if not found:
        return TextTerm(false(), drives=False)  # nothing to look for finds nothing, as search
    if conn.dialect.name != "sqlite":
        pattern = pg_pattern(query)
        assert pattern is not None
        return TextTerm(_T.search_text.regexp_match(pattern), drives=False)
    if _few_matches(conn, found):
        where = matches(conn, query)
        assert where is not None
        return TextTerm(where, drives=True)
    _register_word_rule(conn)
    return TextTerm(
        and_(
            _T.search_text.like(f"%{found[-1]}%"),  # words are letters and digits: no escape
            func.pakn_words(_T.search_text, " ".join(found)) == 1,
        ),
        drives=False,
    )


def _few_matches(conn: Connection, found: list[str]) -> bool:
    """Fewer than WALK_AT reports match (SQLite), counted no further than that.

    The whole last word first: a prefix query makes FTS5 merge the lists of every word with
    that prefix ("duong"* at 1M: 25 ms), the whole word stops at WALK_AT (0.1 ms). The search
    backlog is not counted: its few reports cannot change the choice much, and both plans
    find them."""
    key = (str(conn.engine.url), tuple(found))
    now = time.monotonic()
    known = _plans.get(key)
    if known is not None and now - known[0] < _PLAN_SECONDS:
        return known[1]
    capped = (
        f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT ?)"
    )
    phrase = _phrase(found)
    few = conn.exec_driver_sql(capped, (phrase, WALK_AT)).scalar_one() < WALK_AT
    if few:
        few = conn.exec_driver_sql(capped, (phrase + "*", WALK_AT)).scalar_one() < WALK_AT
    if len(_plans) > 256:
        _plans.clear()
    _plans[key] = (now, few)
    return bool(few)


def _register_word_rule(conn: Connection) -> None:
    """``pakn_words(text, 'w1 w2')``: :func:`word_match` as an SQLite function, once per
    connection."""
    record = conn.connection
    if record.info.get("pakn_words"):
        return
    raw: Any = record.driver_connection

    def rule(text: str | None, wanted: str) -> int:
        return int(text is not None and word_match(text, wanted.split(" ")))

    raw.create_function("pakn_words", 2, rule, deterministic=True)
    record.info["pakn_words"] = True


def search_ids(conn: Connection, query: str, limit: int | None = None) -> list[uuid.UUID]:
    """Ids of the matching reports, newest first; every match when ``limit`` is None."""
    where = matches(conn, query)
    if where is None:
        return []
    stmt: Any = select(_T.id).where(where).order_by(_T.received_at.desc(), _T.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(conn.execute(stmt).scalars())


# On SQLite, the newest reports checked one by one before the index is asked: a word most
# reports hold ("duong": every demo report has a street) fills a page from the newest few
# dozen rows whatever the table's size, where the index would hand over every match first
# (0.44 s at 100k, ten times that at 1M). A rarer word falls through to the index, whose
# matches are then few. Both paths give the same rows in the same order.
SCAN_FIRST = 4000


def word_match(text: str, wanted: list[str]) -> bool:
    """The FTS phrase rule in Python: ``wanted`` consecutive in ``text``'s words, the last
    one a prefix (``text`` is already folded, as ticket.search_text is)."""
    if not wanted or wanted[-1] not in text:  # a substring test first: cheap, in C
        return False
    tokens = _WORD.findall(text)
    n = len(wanted)
    for i in range(len(tokens) - n + 1):
        if tokens[i + n - 1].startswith(wanted[-1]) and tokens[i : i + n - 1] == wanted[:-1]:
            return True
    return False


def _newest_matches(conn: Connection, wanted: list[str], limit: int) -> list[Any] | None:
    """The newest ``limit`` matches found among the newest SCAN_FIRST reports, or None
    when that many reports do not hold ``limit`` matches (and the table is larger).

    The scan reads only (id, received_at, search_text); the page's rows are read after."""
    found: list[Any] = []
    after: tuple[Any, Any] | None = None
    scanned, batch = 0, max(limit * 2, 64)
    order = (_T.received_at.desc(), _T.id.desc())
    complete = False
    while scanned < SCAN_FIRST and len(found) < limit:
        stmt = select(_T.id, _T.received_at, _T.search_text).order_by(*order).limit(batch)
        if after is not None:
            bound = tuple_(literal(after[0], _T.received_at.type), literal(after[1], _T.id.type))
            stmt = stmt.where(tuple_(_T.received_at, _T.id) < bound)
        rows = conn.execute(stmt).all()
        found += [r[0] for r in rows if word_match(r[2], wanted)]
        if len(rows) < batch:
            complete = True  # the whole table was read: these are all the matches
            break
        scanned += len(rows)
        after = (rows[-1][1], rows[-1][0])
        batch = min(batch * 4, SCAN_FIRST)
    if len(found) < limit and not complete:
        return None
    ids = found[:limit]
    if not ids:
        return []
    page = select(*ROW_COLUMNS).where(_T.id.in_(ids)).order_by(*order)
    return list(conn.execute(page))


def search(conn: Connection, query: str, names: Names, limit: int) -> list[QueueRow]:
    """The newest ``limit`` matching reports as queue rows."""
    where = matches(conn, query)
    if where is None or limit <= 0:
        return []
    newest = _newest_matches(conn, words(query), limit) if conn.dialect.name == "sqlite" else None
    rows: list[Any] = newest if newest is not None else []
    if newest is None:
        rows = list(
            conn.execute(
                select(*ROW_COLUMNS)
                .where(where)
                .order_by(_T.received_at.desc(), _T.id.desc())
                .limit(limit)
            )
        )
    ensure_units(conn, names, {r[9] for r in rows if r[9] is not None})
    return [to_row(r, names) for r in rows]


def count(conn: Connection, query: str) -> int:
    where = matches(conn, query)
    if where is None:
        return 0
    return int(conn.execute(select(func.count()).select_from(_T).where(where)).scalar_one())
