"""The pull: other stations' changes from the shared server into this workstation's database
(decision 46).

1. The server decides what this station receives (``sync_pull``): other stations' changes
   after the station's cursor (tx, server_seq), only from transactions below the oldest one
   still running, so a transaction that commits late is never passed.
2. Each batch is applied here by primary key, in the server's order, with the new cursor, in
   one local write transaction (``data.sync_apply``): a crash keeps both or neither, and a
   pull again applies nothing twice.
3. The writes are Core statements on the writer: the outbox hook sees nothing, so a pulled
   change is never pushed back; the tally and search triggers run as for any write.

The server's read is one short read-only transaction per batch; the local write waits for
no network.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from pakn_desktop.data import sync_apply, sync_server
from pakn_desktop.data.engine import retry_when_busy
from pakn_desktop.services.changes import Changes, Topic, topics_of

from .push import Pusher

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from pakn_desktop.data.sync_apply import Applied, Pulled

log = logging.getLogger(__name__)

BATCH_SIZE = 1000


@dataclass(frozen=True)
class PullResult:
    pulled: int  # changes applied here
    skipped: int  # not for this database (a table or column it does not have)
    missing: int  # updates or deletes of rows this station does not have
    refused: int  # changes this database refused (a constraint here), left out and logged
    conflicts: int  # changes whose columns this station set again later: its values kept
    batches: int
    seconds: float
    changes: Changes  # for the GUI's hub, like a local write's


class Puller:
    """Pulls into ``pusher``'s database from its server (the same address and checks)."""

    def __init__(self, pusher: Pusher, *, batch_size: int = BATCH_SIZE) -> None:
        self._pusher = pusher
        self.batch_size = batch_size

    def pull(self) -> PullResult:
        started = time.perf_counter()
        station = self._pusher.station_id()
        db = self._pusher.database
        with db.engine.connect() as conn:
            cursor = sync_apply.read_cursor(conn)
        pulled = skipped = missing = refused = conflicts = batches = 0
        created: set[uuid.UUID] = set()
        updated: set[uuid.UUID] = set()
        topics: set[Topic] = set()
        engine = self._pusher.server_engine()

        def reader() -> Connection:
            # Each read is one statement (sync_pull takes its snapshot inside): no BEGIN and
            # COMMIT round trips around them, which were half of a woken pull's on loopback.
            return engine.connect().execution_options(isolation_level="AUTOCOMMIT")

        try:
            with self._pusher.on_server(reader) as server:
                self._pusher.on_server(lambda: self._pusher.check_schema(server))
                while True:
                    batch = self._pusher.on_server(
                        lambda: self._read(server, station, cursor)  # noqa: B023
                    )
                    if not batch:
                        break
                    done = self._apply(batch, station)
                    cursor = (batch[-1].tx, batch[-1].server_seq)
                    pulled, skipped = pulled + done.applied, skipped + done.skipped
                    missing, batches = missing + done.missing, batches + 1
                    conflicts += done.conflicts
                    refused += done.refused
                    created |= done.created
                    updated |= done.updated
                    topics |= topics_of(done.tables)
                    if len(batch) < self.batch_size:
                        break
        except BaseException:
            self._pusher.forget_connections()
            raise
        finally:
            self._pusher.done_with_server()
        changes = Changes.reports_created(created) | Changes.reports_updated(
            updated - created, *topics
        )
        if pulled:
            log.info("sync pull from %s: %d applied", self._pusher.where, pulled)
        seconds = time.perf_counter() - started
        return PullResult(pulled, skipped, missing, refused, conflicts, batches, seconds, changes)

    def _read(self, server: Connection, station: uuid.UUID, after: tuple[int, int]) -> list[Pulled]:
        with server.begin():
            return sync_server.pull(server, station, after, self.batch_size)

    def _apply(self, batch: list[Pulled], station: uuid.UUID) -> Applied:
        def work(*, careful: bool = False, deferred: bool = False) -> Applied:
            with self._pusher.database.writer.begin() as conn:
                return sync_apply.apply(conn, batch, station, careful=careful, deferred=deferred)

        try:
            return retry_when_busy(work)  # keys checked row by row: parents come first
        except IntegrityError:
            pass
        try:
            return retry_when_busy(lambda: work(deferred=True))  # a child before its parent
        except IntegrityError:
            log.info("sync pull: a batch refused here, applied again change by change")
            return retry_when_busy(lambda: work(careful=True))
