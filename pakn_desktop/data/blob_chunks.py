"""Evidence bytes through the shared server, in chunks (decision 50): the SQL of the upload
and of the fetch on the server (``blob_upload``, ``blob_chunk``: migration 0021), and the
upload's cursor over this station's own blob rows.

Every function is one statement or a few: the caller gives each chunk its own short
transaction, so a cut connection loses at most the chunk in flight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from .models import Base, Blob

UPLOAD_CURSOR_KEY = "blob_upload_cursor"
# When the upload last started again from the first file: files the cursor passed over (one
# stored while the station's clock was set back, one not sent for a bad hash since repaired)
# go at the next such pass.
RESCAN_KEY = "blob_upload_rescan_at"
_STATE = Base.metadata.tables["sync_state"]


@dataclass(frozen=True, slots=True)
class Upload:
    """A file's upload on the server: how it is cut, and whether it is all there, checked."""

    sha256: str
    size: int
    chunk_size: int
    chunks: int
    complete: bool


def chunks_of(size: int, chunk_size: int) -> int:
    return -(-size // chunk_size)


# --- the server ----------------------------------------------------------------------------


def complete_among(conn: Connection, hashes: Sequence[str]) -> set[str]:
    """Which of ``hashes`` the server holds whole and checked."""
    rows = conn.exec_driver_sql(
        "SELECT sha256 FROM blob_upload WHERE sha256 = ANY(%s) AND complete_at IS NOT NULL",
        (list(hashes),),
    )
    return {r[0] for r in rows}


def upload_of(conn: Connection, sha256: str) -> Upload | None:
    row = conn.exec_driver_sql(
        "SELECT size, chunk_size, chunks, complete_at IS NOT NULL FROM blob_upload "
        "WHERE sha256 = %s",
        (sha256,),
    ).first()
    return None if row is None else Upload(sha256, int(row[0]), int(row[1]), int(row[2]), row[3])


def begin_upload(conn: Connection, sha256: str, size: int, chunk_size: int) -> Upload:
    """Record the upload if new; the upload as the server has it (a resumed one keeps the
    chunk size it started with)."""
    conn.exec_driver_sql(
        "INSERT INTO blob_upload (sha256, size, chunk_size, chunks) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (sha256) DO NOTHING",
        (sha256, size, chunk_size, chunks_of(size, chunk_size)),
    )
    found = upload_of(conn, sha256)
    assert found is not None  # just inserted, or there before
    return found


def chunks_present(conn: Connection, sha256: str) -> set[int]:
    rows = conn.exec_driver_sql("SELECT n FROM blob_chunk WHERE sha256 = %s", (sha256,))
    return {int(r[0]) for r in rows}


def put_chunk(conn: Connection, sha256: str, n: int, data: bytes) -> None:
    """One chunk; a chunk already there (an upload resumed by two processes) is kept."""
    conn.exec_driver_sql(
        "INSERT INTO blob_chunk (sha256, n, data) VALUES (%s, %s, %s) "
        "ON CONFLICT (sha256, n) DO NOTHING",
        (sha256, n, data),
    )


def finish_upload(conn: Connection, sha256: str, expected: Sequence[str]) -> bool:
    """Mark the upload complete if every chunk is in and each, hashed by the server itself
    (PostgreSQL's ``sha256()``, one chunk at a time), is the station's chunk: ``expected``,
    the hex SHA-256 of each chunk of a file that hashes to ``sha256`` as a whole. False
    otherwise; chunks that differ are removed, so the next round sends those again.

    Chunk by chunk, not the file joined in memory (up to the store's 200 MB, for each file
    finishing at once): the server holds one chunk at a time, and no byte travels twice."""
    upload = conn.exec_driver_sql(
        "SELECT chunks, size FROM blob_upload WHERE sha256 = %s", (sha256,)
    ).first()
    if upload is None:
        return False
    rows = conn.exec_driver_sql(
        "SELECT n, length(data), encode(sha256(data), 'hex') FROM blob_chunk "
        "WHERE sha256 = %s ORDER BY n",
        (sha256,),
    ).all()
    if len(rows) != upload.chunks:
        return False  # not all in yet
    wrong = [n for n, _size, digest in rows if n >= len(expected) or digest != expected[n]]
    if not wrong and (len(expected) != upload.chunks or sum(r[1] for r in rows) != upload.size):
        wrong = [r[0] for r in rows]  # cut otherwise than the station's file: start over
    if wrong:
        conn.exec_driver_sql(
            "DELETE FROM blob_chunk WHERE sha256 = %s AND n = ANY(%s)", (sha256, wrong)
        )
        return False
    conn.exec_driver_sql(
        "UPDATE blob_upload SET complete_at = now() AT TIME ZONE 'UTC' WHERE sha256 = %s",
        (sha256,),
    )
    return True


def read_chunk(conn: Connection, sha256: str, n: int) -> bytes | None:
    data = conn.exec_driver_sql(
        "SELECT data FROM blob_chunk WHERE sha256 = %s AND n = %s", (sha256, n)
    ).scalar()
    return None if data is None else bytes(data)


# --- this station's blob rows --------------------------------------------------------------


def read_upload_cursor(conn: Connection) -> tuple[datetime, str] | None:
    """(stored_at, sha256) of the last blob the upload has dealt with; None before the first."""
    value = conn.scalar(select(_STATE.c.value).where(_STATE.c.key == UPLOAD_CURSOR_KEY))
    if not value:
        return None
    moment, sha = str(value).split("|")
    return datetime.fromisoformat(moment), sha


def store_upload_cursor(conn: Connection, cursor: tuple[datetime, str]) -> None:
    _put(conn, UPLOAD_CURSOR_KEY, f"{cursor[0].isoformat()}|{cursor[1]}")


def _put(conn: Connection, key: str, value: str) -> None:
    insert = sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert
    stmt = insert(_STATE).values(key=key, value=value)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def rescan_due(conn: Connection, now: datetime, every: timedelta) -> bool:
    """Whether the last pass from the first file began more than ``every`` ago (or the clock
    moved back past it): the upload then starts again from the first file."""
    value = conn.scalar(select(_STATE.c.value).where(_STATE.c.key == RESCAN_KEY))
    if not value:
        return True
    return abs(now - datetime.fromisoformat(str(value))) >= every


def start_rescan(conn: Connection, now: datetime) -> None:
    """The upload's cursor back before the first file, and when that was (in the same
    transaction: a pass cut short goes on from its cursor, it does not start again)."""
    conn.execute(delete(_STATE).where(_STATE.c.key == UPLOAD_CURSOR_KEY))
    _put(conn, RESCAN_KEY, now.isoformat())


def blobs_after(
    conn: Connection, cursor: tuple[datetime, str] | None, limit: int
) -> list[tuple[str, int, datetime]]:
    """(sha256, size, stored_at) of the blob rows after ``cursor``, in the order stored."""
    query = select(Blob.sha256, Blob.size, Blob.stored_at)
    if cursor is not None:
        query = query.where(tuple_(Blob.stored_at, Blob.sha256) > tuple_(*cursor))
    query = query.order_by(Blob.stored_at, Blob.sha256).limit(limit)
    return [(r[0], int(r[1]), r[2]) for r in conn.execute(query)]
