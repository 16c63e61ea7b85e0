"""``sync --watch`` (decision 46): a push by station A wakes a watching station B through the
server's NOTIFY, long before B's poll interval; stopping ends it cleanly."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pakn_desktop.services.sync.push import Pusher
from pakn_desktop.services.sync.watch import Round, Watcher

from .db_template import MigratedEnv
from .sync_data import server_ticket_ids, station, take_reports, ticket_ids

pytestmark = pytest.mark.postgres

POLL_S = 120.0  # B would poll only after this
WAKE_TIMEOUT_S = 30.0  # generous, and well under the poll interval


class Rounds:
    """The watcher's rounds, waited on with a condition."""

    def __init__(self) -> None:
        self.done: list[Round] = []
        self._cond = threading.Condition()

    def __call__(self, done: Round) -> None:
        with self._cond:
            self.done.append(done)
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: len(self.done) >= count, timeout)


def test_a_push_by_a_wakes_a_watching_b_before_its_poll(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        Pusher(a.database, pg_migrated_url).push()  # A known to the server
        rounds = Rounds()
        order: list[object] = []  # what the watcher handed out, in its order
        stop = threading.Event()
        watcher = Watcher(
            b.database,
            pg_migrated_url,
            poll_seconds=POLL_S,
            on_round=lambda done: (order.append(done), rounds(done)),
            on_pulled=order.append,
        )
        errors: list[BaseException] = []

        def run() -> None:
            try:
                watcher.run(stop)
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)

        thread = threading.Thread(target=run, name="sync-watch-b")
        thread.start()
        try:
            assert rounds.wait_for(1, WAKE_TIMEOUT_S)  # the first round, at once
            assert watcher.listening.wait(WAKE_TIMEOUT_S)
            (own,) = take_reports(b, 1)  # B's own, not pushed yet
            reports = take_reports(a, 3)
            Pusher(a.database, pg_migrated_url).push()
            assert rounds.wait_for(2, WAKE_TIMEOUT_S), "B was not woken by A's push"
            woke = rounds.done[1]
            assert woke.woken and woke.counts.pulled > 0
            assert woke.changes.created == frozenset(reports)
            assert set(reports) <= ticket_ids(b.database)
            # A's reports went to B's screens first, then B pushed its own in that round.
            pulled, done = order[-2:]
            assert done is woke and pulled == woke.changes
            assert woke.counts.pending == 0 and own in server_ticket_ids(pg_migrated_url)
        finally:
            stop.set()
            thread.join(WAKE_TIMEOUT_S)
        assert not thread.is_alive() and not errors
