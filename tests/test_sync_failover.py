"""Failover (decision 48): two PostgreSQL instances of the test's own, a primary and a
streaming replica. A station pushes through the multi-host address
(``target_session_attrs=read-write``); after some batches the replica stops hearing from the
primary (its WAL sender frozen, as over a stalled link), then the primary crashes
(``-m immediate``) and the replica is promoted. The interrupted push is refused in Vietnamese
with the outbox kept; ``sync --watch``'s loop then reaches the new primary through the same
address.

With synchronous replication the new primary holds every report exactly once: a commit the
station was told about was on the replica first. With asynchronous replication the same
failover loses the batches the station was told about while the replica lagged (the second
test shows it), which is why the server's recipe replicates synchronously."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pakn_desktop.data.sync_local import Parked
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import resolve
from pakn_desktop.services.sync.errors import SyncRefused
from pakn_desktop.services.sync.push import Pusher
from pakn_desktop.services.sync.watch import Round, Watcher

from .db_template import MigratedEnv
from .pg_cluster import Cluster, is_primary, replicated_cluster, wait_for
from .sync_data import outbox_rows, server_scalar, server_ticket_ids, station, take_reports

pytestmark = pytest.mark.postgres

REPORTS = 200
BATCH = 5  # small batches: the push is still going when the primary goes
STALL_AFTER = 8  # batches the replica has (synchronously or not) before its link stalls
LAG_BATCHES = 3  # asynchronous: batches acknowledged to the station that the replica lacks
WATCH_S = 20.0


@pytest.fixture
def sync_cluster() -> Iterator[Cluster]:
    with replicated_cluster(synchronous=True) as both:
        yield both


@pytest.fixture
def async_cluster() -> Iterator[Cluster]:
    with replicated_cluster(synchronous=False) as both:
        yield both


class Watched(Pusher):
    """A push that counts the batches the server acknowledged and sets ``reached`` at
    ``STALL_AFTER``; it carries on meanwhile."""

    def __init__(self, database: Database, url: str) -> None:
        super().__init__(database, url, batch_size=BATCH)
        self.acknowledged = 0
        self.stalled_at = 0  # batches acknowledged when the replica's link stalled
        self.waited = False  # a commit was then waiting for the replica's confirmation
        self.reached = threading.Event()

    def _acknowledge(self, seqs: list[int], refused: list[Parked]) -> None:
        super()._acknowledge(seqs, refused)
        self.acknowledged += 1
        if self.acknowledged == STALL_AFTER:
            self.reached.set()


@dataclass
class Outcome:
    saved: set[uuid.UUID]  # the reports the station saved
    changes: int  # its outbox rows before the push
    refusal: SyncRefused  # what the interrupted push said
    left: int  # outbox rows after it
    acknowledged: int  # batches the old primary acknowledged
    stalled_at: int  # batches acknowledged when the replica's link stalled
    waited: bool  # when it crashed, a commit was waiting for the replica
    rounds: list[Round]
    offline: list[str]  # the watch's rounds that found no primary
    after: int  # outbox rows once the watch went through
    arrived: list[uuid.UUID]  # the new primary's tickets (repeats kept)
    logged: int  # the new primary's change log rows


def _server_database(cluster: Cluster, folder: Path) -> None:
    """The shared database ``pakn`` on the primary, migrated as ``db upgrade`` does."""
    admin = create_engine(cluster.primary.url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text('CREATE DATABASE "pakn"'))
    finally:
        admin.dispose()
    open_database(resolve(db=cluster.primary.url("pakn"), data_dir=str(folder))).close()


def _waiting_for_replica(cluster: Cluster) -> bool:
    """A commit on the primary waits for the replica's confirmation (synchronous)."""
    sql = "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'"
    return server_scalar(cluster.primary.url(), sql) > 0


def _fail_over(cluster: Cluster, pusher: Watched, done: threading.Event) -> None:
    """After ``STALL_AFTER`` batches: the link stalls; once the station has a commit the
    replica lacks (told about it, or waiting for it), the primary crashes and the replica is
    promoted."""
    try:
        sender = cluster.wal_sender()
        if not pusher.reached.wait(WATCH_S):
            return
        cluster.stall(sender)
        pusher.stalled_at = pusher.acknowledged
        wait_for(
            "a commit the replica lacks",
            lambda: (
                pusher.acknowledged >= pusher.stalled_at + LAG_BATCHES
                or _waiting_for_replica(cluster)
            ),
            cluster,
        )
        pusher.waited = _waiting_for_replica(cluster)
        cluster.crash_primary(sender)
        cluster.promote(cluster.replica)
    finally:
        done.set()


def _watch_until_pushed(database: Database, url: str) -> tuple[list[Round], list[str]]:
    """``sync --watch``'s loop (a short poll) until one round went through: (the rounds,
    the offline messages of the rounds that could not reach a primary)."""
    stop = threading.Event()
    rounds: list[Round] = []
    offline: list[str] = []
    failures: list[BaseException] = []

    def on_round(done: Round) -> None:
        rounds.append(done)
        stop.set()

    watcher = Watcher(database, url, poll_seconds=0.2, on_round=on_round, on_offline=offline.append)

    def run() -> None:
        try:
            watcher.run(stop)
        except BaseException as error:  # reported by the test
            failures.append(error)

    thread = threading.Thread(target=run, name="watch")
    thread.start()
    thread.join(WATCH_S)
    stop.set()
    thread.join()
    assert not failures, failures
    return rounds, offline


def _push_through_failover(cluster: Cluster, migrated: MigratedEnv, folder: Path) -> Outcome:
    _server_database(cluster, folder / "server")
    url = cluster.multi_host_url("pakn")
    with station(migrated, folder / "a", "HN01") as a:
        saved = set(take_reports(a, REPORTS))
        changes = outbox_rows(a.database)
        pusher = Watched(a.database, url)
        done = threading.Event()
        failover = threading.Thread(
            target=_fail_over, args=(cluster, pusher, done), name="failover"
        )
        failover.start()
        try:
            with pytest.raises(SyncRefused) as refused:
                pusher.push()
            left = outbox_rows(a.database)
            # The next rounds go through the same address, started while the replica is
            # being promoted: until it accepts writes a round is refused (no host does) and
            # tried again at the next poll; then libpq skips the dead host for the new one.
            rounds, offline = _watch_until_pushed(a.database, url)
        finally:
            pusher.reached.set()  # the failover thread waits for nothing
            failover.join()
        assert done.is_set()
        after = outbox_rows(a.database)
    new_primary = cluster.replica.url("pakn")
    assert is_primary(new_primary)
    engine = create_engine(new_primary)
    try:
        with engine.connect() as conn:
            arrived = list(conn.scalars(text("SELECT id FROM ticket")))
            logged = int(conn.execute(text("SELECT count(*) FROM change_log")).scalar_one())
    finally:
        engine.dispose()
    return Outcome(
        saved,
        changes,
        refused.value,
        left,
        pusher.acknowledged,
        pusher.stalled_at,
        pusher.waited,
        rounds,
        offline,
        after,
        arrived,
        logged,
    )


def test_a_promoted_synchronous_replica_takes_the_push_over_and_nothing_is_lost(
    sync_cluster: Cluster, migrated: MigratedEnv, tmp_path: Path
) -> None:
    started = time.monotonic()
    seen = _push_through_failover(sync_cluster, migrated, tmp_path)
    # The primary went while the station was pushing: refused, the rest kept here.
    assert seen.refusal.code == "sync_unreachable"
    assert "Không đồng bộ được" in seen.refusal.message
    assert "vẫn được giữ nguyên" in seen.refusal.message
    # The primary crashed with a commit waiting for the replica: never acknowledged.
    assert seen.waited and seen.acknowledged >= STALL_AFTER
    assert 0 < seen.left < seen.changes
    assert seen.rounds, f"no round reached the new primary: {seen.offline}"
    assert seen.rounds[-1].counts.pending == seen.rounds[-1].counts.parked == seen.after == 0
    assert all("Không đồng bộ được" in words for words in seen.offline)
    # Every report once on the new primary, and every change the station saved: none lost
    # with the old primary, none applied twice.
    assert len(seen.arrived) == len(set(seen.arrived)) == REPORTS
    assert set(seen.arrived) == seen.saved
    assert seen.logged == seen.changes
    assert time.monotonic() - started < 30


def test_with_asynchronous_replication_the_same_failover_loses_what_the_station_was_told(
    async_cluster: Cluster, migrated: MigratedEnv, tmp_path: Path
) -> None:
    """Why the recipe replicates synchronously: the batches the old primary acknowledged
    while the replica lagged were pruned from the outbox, and the new primary never had
    them."""
    seen = _push_through_failover(async_cluster, migrated, tmp_path)
    assert seen.refusal.code == "sync_unreachable"
    assert not seen.waited and seen.acknowledged >= seen.stalled_at + LAG_BATCHES
    assert seen.rounds
    assert len(seen.arrived) == len(set(seen.arrived))  # no repeat, but:
    lost = seen.saved - set(seen.arrived)
    assert lost, "asynchronous replication lost nothing: the stall did not hold"
    assert seen.logged < seen.changes


def test_a_standby_is_refused_as_read_only_and_read_write_finds_the_primary(
    sync_cluster: Cluster, migrated: MigratedEnv, tmp_path: Path
) -> None:
    """The replica reached on its own (an address without ``target_session_attrs``, or a
    demoted primary): the first write is refused in Vietnamese, as an unreachable server
    (the watch tries again), the outbox kept. The replica listed first with
    ``read-write``: libpq passes over it to the primary."""
    _server_database(sync_cluster, tmp_path / "server")
    replica, primary = sync_cluster.replica, sync_cluster.primary
    with station(migrated, tmp_path / "a", "HN01") as a:
        saved = take_reports(a, 3)
        pending = outbox_rows(a.database)
        with pytest.raises(SyncRefused) as refused:
            Pusher(a.database, replica.url("pakn")).push()
        assert refused.value.code == "sync_unreachable"
        assert "bản sao chỉ đọc" in refused.value.message
        assert "target_session_attrs=read-write" in refused.value.message
        assert outbox_rows(a.database) == pending
        replica_first = (
            f"postgresql://postgres@127.0.0.1:{replica.port},127.0.0.1:{primary.port}/pakn"
            "?target_session_attrs=read-write"
        )
        result = Pusher(a.database, replica_first).push()
        assert result.pushed == pending and outbox_rows(a.database) == 0
    arrived = set(server_ticket_ids(primary.url("pakn")))
    assert arrived == set(saved)
