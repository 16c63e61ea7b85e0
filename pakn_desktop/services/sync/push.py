"""The push: this workstation's outbox to the shared server, exactly once (decision 44).

1. The station is recorded on the server (code ↔ id) in the first transaction; a second
   station with the same code is refused before anything is sent.
2. Changes go in local order, in batches of ``batch_size``, one server transaction each. The
   server applies a change only if its ``change_id`` is new to its change log, in the same
   transaction (``data.sync_server``): a replay after a crash, a timeout or a lost COMMIT
   reply adds nothing.
3. A batch the server refuses is sent again with a savepoint per change: a refused change
   (a constraint, a bad payload) is parked here with the server's reason, the rest goes.
4. Once the server has committed a batch, its outbox rows are deleted here (pruned): the
   tally's triggers keep the pending count exact.
5. A large first push (more than ``copy_threshold`` pending inserts in a row) goes through
   COPY into a staging table and one INSERT … SELECT per table, as idempotent as a batch.
6. On the connection it has anyway, the push first reads the server's clock for the deadline
   clock (``DeadlineClock.measure_on``, decision 47): deadlines count on the server's time.

Nothing here blocks a save: the local write transactions are short (prune, park), and the
network waits happen outside them.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy import exc as sa_exc

from pakn_desktop.data import migrate, sync_local, sync_server
from pakn_desktop.data.engine import make_engine, retry_when_busy
from pakn_desktop.data.errors import ErrorCode, KnownError, classify
from pakn_desktop.data.sync_local import Change, Parked
from pakn_desktop.data.types import utcnow
from pakn_desktop.services.workstation import describe_url

from . import errors

if TYPE_CHECKING:
    from pakn_desktop.services.clock import ClockReading, DeadlineClock
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.evidence.store import EvidenceStore

    from .files import FilesUploaded

log = logging.getLogger(__name__)
T = TypeVar("T")

BATCH_SIZE = 500
COPY_THRESHOLD = 5_000  # pending inserts in a row from which a push goes through COPY
COPY_CHUNK = 50_000  # changes staged per COPY transaction (bounded memory)
SCHEMA_RECHECK_S = 60.0  # a kept server connection checks the schema again after this
_SCHEMA_CHECKED = "pakn_schema_checked"  # on the server connection's info: when it did


@dataclass(frozen=True)
class PushResult:
    pushed: int  # changes the server applied in this push
    replayed: int  # changes it already had (a replay): acknowledged, applied before
    parked: int  # changes it refused in this push, kept here with the reason
    copied: int  # of ``pushed``, through the COPY path
    batches: int  # server transactions
    seconds: float
    clock: ClockReading | None = None  # the station clock against the server's, this push
    files: FilesUploaded | None = None  # the evidence files uploaded after it (decision 50)


@dataclass(frozen=True)
class _Station:
    id: uuid.UUID
    code: str
    name: str
    created_at: Any


def _poison(error: BaseException) -> bool:
    """A change the server refuses for what it is (not for the connection)."""
    if isinstance(error, sync_server.MissingRow | sa_exc.IntegrityError | sa_exc.DataError):
        return True
    if isinstance(error, sa_exc.DBAPIError):
        state = str(getattr(error.orig, "sqlstate", None) or "")
        return state[:2] in ("22", "23") or state in ("42703", "42804")
    return False


def _reason(error: BaseException) -> str:
    """The server's reason in one line, without the values (a name, a phone number)."""
    if isinstance(error, sync_server.MissingRow):
        return f"Máy chủ từ chối: {error}"
    orig = getattr(error, "orig", None) or error
    diag = getattr(orig, "diag", None)
    primary = getattr(diag, "message_primary", None) or str(orig).splitlines()[0]
    state = getattr(orig, "sqlstate", None)
    return f"Máy chủ từ chối ({state}): {primary}" if state else f"Máy chủ từ chối: {primary}"


class Pusher:
    """Pushes ``database``'s outbox to the server at ``server_url`` (never logged whole)."""

    def __init__(
        self,
        database: Database,
        server_url: str,
        *,
        batch_size: int = BATCH_SIZE,
        copy_threshold: int = COPY_THRESHOLD,
        copy_chunk: int = COPY_CHUNK,
        keep_connection: bool = False,
        clock: DeadlineClock | None = None,
        files: EvidenceStore | None = None,
        passwords: Callable[[str], str | None] | None = None,
    ) -> None:
        self._db = database
        # The password of an address without one (url → password): the composition root's,
        # which also knows one typed for this session only (decision 51); else the
        # environment's and the keyring's (``connection.password_for``).
        self._passwords = passwords
        # The evidence store whose files follow the rows after each push (decision 50); None:
        # rows only (a script's push, most tests).
        self._files = files
        self._url = server_url
        # With ``keep_connection`` (the watcher, ``sync --once``: the owner calls ``close``),
        # one engine serves every round, push and pull: a new one costs a connection and the
        # dialect's first-connect queries each time. Its connections are dropped after a
        # failure. Without it, each push or pull closes what it opened.
        self._keep = keep_connection
        self._engine: Engine | None = None
        # The one deadline clock (AppServices.clock) takes the server's time; one of its own
        # otherwise, which still stores the offset for the station's next start.
        self._clock = clock
        self._known_station: _Station | None = None
        self.batch_size = batch_size
        self.copy_threshold = copy_threshold
        self.copy_chunk = copy_chunk

    @property
    def where(self) -> str:
        return describe_url(self._url)  # host and database, never the user or password

    # The pull (``pull.Puller``) goes through the same address, station and checks.
    @property
    def database(self) -> Database:
        return self._db

    def station_id(self) -> uuid.UUID:
        return self._station().id

    def server_engine(self) -> Engine:
        """The engine of this pusher's rounds, kept between them (``close`` ends it)."""
        if self._engine is None:
            self._engine = self._server_engine()
        return self._engine

    def new_server_engine(self) -> Engine:
        """An engine of its own, for a caller that owns it (the watcher's listener)."""
        return self._server_engine()

    def forget_connections(self) -> None:
        """After a failure: the kept connections may be dead; the next round opens anew."""
        if self._engine is not None:
            self._engine.dispose()

    def done_with_server(self) -> None:
        """The end of a push or a pull: the connection stays only if it is to be kept."""
        if not self._keep:
            self.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def on_server(self, work: Callable[[], T]) -> T:
        return self._server(work)

    def check_schema(self, server: Connection) -> None:
        """The server's schema at this station's revision, else refused (nothing changed).

        Once per server connection and ``SCHEMA_RECHECK_S``: a server is upgraded rarely,
        and the check's round trips were a tenth of every woken pull (bench/README.md). A new
        connection (after a failure, a failover) checks again."""
        info = server.connection.info
        checked = info.get(_SCHEMA_CHECKED)
        now = time.monotonic()
        if checked is not None and now - checked < SCHEMA_RECHECK_S:
            return
        with server.begin():
            here = migrate.head_revision()
            found = sync_server.revision(server)
        if found != here:
            raise errors.server_schema(found, here)
        info[_SCHEMA_CHECKED] = now

    def push(self) -> PushResult:
        started = time.perf_counter()
        station = self._station()
        with self._db.engine.connect() as conn:
            upto = sync_local.last_seq(conn)
            large = sync_local.pending_count(conn) > self.copy_threshold
        engine = self.server_engine()
        clock = self.deadline_clock()
        try:
            with self._server(engine.connect) as server:
                reading = self._server(lambda: clock.measure_on(server))
                self._server(lambda: self._register(server, station))
                counts = self._push_all(server, station.id, upto, large)
                files = self._upload_files(server)
        except BaseException:
            self.forget_connections()
            raise
        finally:
            self.done_with_server()
        return PushResult(*counts, time.perf_counter() - started, reading, files)

    def _upload_files(self, server: Connection) -> FilesUploaded | None:
        """The files after the rows; a server lost meanwhile does not undo the push (its
        changes are acknowledged): the upload resumes at the next round."""
        if self._files is None:
            return None
        from .files import FilesUploaded, FileUploader

        try:
            return FileUploader(self, self._files).upload(server)
        except errors.SyncRefused as refusal:
            log.warning("sync files: upload cut short: %s", refusal.message)
            self.forget_connections()
            return FilesUploaded(more=True)

    def deadline_clock(self) -> DeadlineClock:
        if self._clock is None:
            from pakn_desktop.services.clock import DeadlineClock

            self._clock = DeadlineClock(self._db)
        return self._clock

    # --- the steps --------------------------------------------------------------------------

    def _station(self) -> _Station:
        """This database's station, read (or recorded) once: it never changes after."""
        from pakn_desktop.data.stations import local_station

        def work() -> _Station:
            with self._db.write_sessions.begin() as session:
                s = local_station(session)
                return _Station(s.id, s.code, s.name, s.created_at)

        if self._known_station is None:
            self._known_station = retry_when_busy(work)
        return self._known_station

    def _server_engine(self) -> Engine:
        from .connection import password_for

        # An address without a password: the session's, PAKN_SYNC_PASSWORD or the keyring's,
        # else ~/.pgpass (libpq's own).
        password = (self._passwords or password_for)(self._url)
        engine = make_engine(self._url, password=password)
        if engine.dialect.name != "postgresql":
            engine.dispose()
            raise errors.not_a_server(self.where)
        return engine

    def _register(self, server: Connection, station: _Station) -> None:
        self.check_schema(server)
        with server.begin():
            sync_server.lock_station(server, station.id)
            holder = sync_server.register_station(
                server, station.id, station.code, station.name, station.created_at
            )
        if holder.id != station.id:
            raise errors.station_code_taken(station.code)
        if holder.code != station.code:
            raise errors.station_known_as(holder.code, station.code)

    def _push_all(
        self, server: Connection, station_id: uuid.UUID, upto: int, large: bool
    ) -> tuple[int, int, int, int, int]:
        pushed = replayed = parked = copied = batches = 0
        after = 0
        while True:
            if large:
                run = self._local(
                    partial(
                        sync_local.leading_inserts, after=after, upto=upto, limit=self.copy_chunk
                    )
                )
                if len(run) >= self.copy_threshold:
                    new = self._copy(server, station_id, run)
                    if new is not None:
                        self._acknowledge([c.seq for c in run], [])
                        pushed, copied = pushed + new, copied + new
                        replayed, batches = replayed + len(run) - new, batches + 1
                        after = run[-1].seq
                        continue
                large = False  # the rest (or a refused run) goes in batches
            batch = self._local(
                partial(sync_local.read_batch, after=after, upto=upto, limit=self.batch_size)
            )
            if not batch:
                break
            new, refused = self._server(partial(self._send, server, station_id, batch))
            refused_seqs = {p.seq for p in refused}
            self._acknowledge([c.seq for c in batch if c.seq not in refused_seqs], refused)
            pushed, parked, batches = pushed + new, parked + len(refused), batches + 1
            replayed += len(batch) - new - len(refused)
            after = batch[-1].seq
        log.info(
            "sync push to %s: %d applied, %d already there, %d parked",
            self.where,
            pushed,
            replayed,
            parked,
        )
        return pushed, replayed, parked, copied, batches

    def _send(
        self, server: Connection, station_id: uuid.UUID, batch: list[Change]
    ) -> tuple[int, list[Parked]]:
        """One batch in one server transaction: (changes applied now, changes refused)."""
        refused = [Parked(c.seq, p) for c in batch if (p := sync_server.problem(c))]
        bad = {p.seq for p in refused}
        good = [c for c in batch if c.seq not in bad]
        try:
            with server.begin():
                sync_server.lock_push(server)
                new = sync_server.log_changes(server, station_id, good) if good else set()
                sync_server.apply(server, [c for c in good if c.change_id in new])
            return len(new), refused
        except Exception as error:
            if not _poison(error):
                raise
        # Again, a savepoint per change: the refused ones are rolled back alone.
        applied = 0
        with server.begin():
            sync_server.lock_push(server)
            for change in good:
                try:
                    with server.begin_nested():
                        if sync_server.log_changes(server, station_id, [change]):
                            sync_server.apply(server, [change])
                            applied += 1
                except Exception as error:
                    if not _poison(error):
                        raise
                    refused.append(Parked(change.seq, _reason(error)))
        refused.sort(key=lambda p: p.seq)
        return applied, refused

    def _copy(self, server: Connection, station_id: uuid.UUID, run: list[Change]) -> int | None:
        """The COPY path for a run of inserts; None when the server refused something in it
        (the run then goes in batches, which find the change to park)."""

        def work() -> int:
            with server.begin():
                sync_server.lock_push(server)
                return sync_server.copy_inserts(server, station_id, run)

        try:
            return self._server(work)
        except Exception as error:
            if isinstance(error, errors.SyncRefused) or not _poison(error):
                raise
            log.info("sync push: a COPY run was refused, sent again in batches")
            return None

    # --- the two databases ------------------------------------------------------------------

    def _local(self, read: Callable[[Connection], T]) -> T:
        with self._db.engine.connect() as conn:
            return read(conn)

    def _acknowledge(self, seqs: list[int], refused: list[Parked]) -> None:
        """After the server's commit: prune what it has, park what it refused."""
        now = utcnow()

        def work() -> None:
            with self._db.writer.begin() as conn:
                sync_local.prune(conn, seqs)
                sync_local.park(conn, refused, now)

        retry_when_busy(work)

    def _server(self, work: Callable[[], T]) -> T:
        """``work()`` on the server; a connection failure becomes a SyncRefused naming the
        server (never its password), the outbox untouched."""
        try:
            return work()
        except errors.SyncRefused:
            raise
        except Exception as error:
            if _poison(error):
                raise
            known = classify(error)
            if isinstance(known, KnownError) and known.code is ErrorCode.AUTH:
                raise errors.login_refused(self.where) from None
            # READ_ONLY: a standby (a failover under way, or an address without
            # target_session_attrs): refused like an unreachable server, so that the watch
            # tries again at its next poll instead of stopping with a crash.
            if not isinstance(known, KnownError) or known.code not in (
                ErrorCode.UNREACHABLE,
                ErrorCode.BAD_URL,
                ErrorCode.READ_ONLY,
            ):
                raise
            raise errors.SyncRefused(
                "sync_unreachable",
                f"Không đồng bộ được với máy chủ {self.where}: {known.message}. "
                "Các thay đổi chưa gửi vẫn được giữ nguyên trên máy này.",
            ) from None
