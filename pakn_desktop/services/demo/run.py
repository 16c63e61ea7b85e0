"""``generate``: demo reports in chunks, one transaction each, with progress and cancel."""

from __future__ import annotations

import gc
import hashlib
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import Connection

from pakn_desktop.data import demo_reads
from pakn_desktop.data.demo_reads import RUNS_KEY as RUNS_KEY
from pakn_desktop.data.demo_rows import Chunk
from pakn_desktop.data.demo_writer import writer_for
from pakn_desktop.data.stations import local_station
from pakn_desktop.domain.case_code import check_station_code

from ..changes import Changes
from ..database import Database
from .clock import DAY, iso, us_of, uuid7
from .generator import HISTORY_DAYS, Generator

log = logging.getLogger(__name__)

CHUNK_TICKETS = 4_000  # ~20k synced rows (+ as many outbox rows) per transaction

Progress = Callable[[int, int], None]


def demo_station_code(local_code: str) -> str:
    """The code of the station demo data is filed under, from the local station's code.

    Demo reports go to the shared server like any others, so each station's demo data has its
    own station (and case codes, unit codes and ids): ``HN01`` -> ``DHN01``. A local code too
    long to prefix is hashed instead, so that two long codes never end up alike.
    """
    check_station_code(local_code)
    if len(local_code) < 8:
        return check_station_code("D" + local_code)
    digest = hashlib.sha256(local_code.encode()).hexdigest()
    return check_station_code("D" + digest[:7].upper())


def _local_station_code(database: Database) -> str:
    with database.write_sessions.begin() as session:
        return local_station(session).code


def _demo_station(conn: Connection, code: str, rng: random.Random, now_us: int) -> tuple[str, bool]:
    found = demo_reads.station_id(conn, code)
    if found is not None:
        return str(found), False
    return uuid7(rng, now_us - HISTORY_DAYS * DAY), True


# What a run changes: too many reports to name them.
CHANGES = Changes.of(every_report=True)


def generate(
    database: Database,
    tickets: int,
    seed: int = 1,
    *,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
) -> int:
    """Add ``tickets`` demo reports received over the 90 days before ``now``; return how many.

    The reports belong to this database's demo station (``demo_station_code`` of the local
    station, which is created if missing). Same seed, ``now`` and local station code on a
    fresh database give identical rows, ids included; another station draws other ids; a
    second call on the same database continues the case-code numbering. Written in
    chunks of ``CHUNK_TICKETS`` reports, each one transaction with its outbox rows, so a
    cancel (checked before each chunk) or a failure leaves whole chunks only. One writer
    thread commits a chunk while the calling thread makes the next; ``progress`` and
    ``should_cancel`` are called on the calling thread.
    """
    if tickets < 0:
        raise ValueError(f"tickets must be >= 0, got {tickets}")
    if tickets == 0:
        return 0
    now_us = us_of(now or datetime.now(UTC))
    engine = database.engine
    started = time.perf_counter()
    local_code = _local_station_code(database)
    code = demo_station_code(local_code)
    with engine.connect() as conn:
        runs = demo_reads.runs(conn)
        # Each station and each run on a database draws from its own stream: ids never repeat.
        rng = random.Random(f"pakn-demo:{code}:{seed}:{runs}")
        station_id, new_station = _demo_station(conn, code, rng, now_us)
        gen = Generator(conn, rng, now_us, station_id, code)
        station_uuid = uuid.UUID(station_id)
        counters = demo_reads.case_counters(conn, station_uuid)
        writer = writer_for(conn)
        conn.rollback()
    known_days = set(counters)
    plan = gen.days(tickets)
    station = None
    if new_station:
        station = {
            "id": station_id,
            "code": code,
            "name": f"Dữ liệu mẫu của máy trạm {local_code}",
            "created_at": iso(gen.window_start),
        }

    def write(chunk: Chunk, first: bool, inserted: threading.Event) -> None:
        try:
            with database.writer.begin() as conn:
                if first:
                    if station is not None:
                        writer.insert(conn, "station", [station])
                    demo_reads.set_runs(conn, runs + 1)
                writer.write_chunk(conn, chunk, station_uuid, known_days)
                inserted.set()  # the commit (write-out and fsync) follows, without the GIL
        finally:
            inserted.set()

    created = 0
    # Millions of short-lived, acyclic dicts and tuples: the cyclic collector's passes over
    # them cost a quarter of the run and would free nothing (reference counting does).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="demo-writer") as lane:
            chunks = gen.chunks(plan, counters, CHUNK_TICKETS)
            chunk = next(chunks, None)
            while chunk is not None:
                if should_cancel is not None and should_cancel():
                    break
                inserted = threading.Event()
                done = lane.submit(write, chunk, created == 0, inserted)
                # Wait while the rows go in (both sides would fight over the GIL), then make
                # the next chunk while SQLite commits this one.
                inserted.wait()
                following = next(chunks, None)
                done.result()  # a failed chunk raises here; nothing after it is written
                created += len(chunk.tickets)
                if progress is not None:
                    progress(created, tickets)
                chunk = following
    finally:
        if collecting:
            gc.enable()
    elapsed = time.perf_counter() - started
    log.info("demo: %d reports in %.1f s (%.0f/s)", created, elapsed, created / max(elapsed, 1e-9))
    return created
