"""The sync over a network that fails (issue 16's reliability tests): a TCP proxy written in
the tests (``tests/tcp_proxy.py``) stands between the stations and the real PostgreSQL
server, and drops COMMIT replies, cuts connections, or goes down altogether."""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

import pytest

from pakn_desktop.services.database import Database
from pakn_desktop.services.sync.errors import SyncRefused
from pakn_desktop.services.sync.push import Pusher

from .db_template import MigratedEnv
from .sync_data import outbox_rows, server_scalar, server_ticket_ids, station, take_reports
from .tcp_proxy import PgProxy

pytestmark = pytest.mark.postgres

DROPS = 1_000


def test_a_thousand_commit_replies_dropped_duplicate_nothing(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """The server applies a batch and commits; its reply never reaches the station, which
    therefore keeps the batch and sends it again on the next push. A thousand times."""
    with station(migrated, tmp_path / "a", "HN01") as a, PgProxy(pg_migrated_url) as proxy:
        saved = take_reports(a, 120)
        changes = outbox_rows(a.database)
        proxy.drop_share = 0.5
        pusher = Pusher(a.database, proxy.url, batch_size=1, keep_connection=True)  # as a watcher
        refusals = 0
        while proxy.dropped < DROPS:
            if outbox_rows(a.database) == 0:  # everything arrived: more to push
                saved += take_reports(a, 40)
                changes += outbox_rows(a.database)
            try:
                pusher.push()
            except SyncRefused as refusal:
                assert refusal.code == "sync_unreachable"
                refusals += 1
        proxy.drop_share = 0.0
        final = pusher.push()
        pusher.close()
        assert final.parked == 0
        assert outbox_rows(a.database) == 0
        assert refusals == proxy.dropped >= DROPS
        arrived = server_ticket_ids(pg_migrated_url)
        assert len(arrived) == len(set(arrived)) == len(saved)
        assert set(arrived) == set(saved)
        logged = server_scalar(pg_migrated_url, "SELECT count(*) FROM change_log")
        distinct = server_scalar(
            pg_migrated_url, "SELECT count(DISTINCT change_id) FROM change_log"
        )
        assert logged == distinct == changes
        tallied = "SELECT coalesce(sum(n), 0) FROM tally WHERE dim = 'st'"
        assert server_scalar(pg_migrated_url, tallied) == len(saved)  # counted once each


KILLS = 20


def test_a_station_killed_mid_push_twenty_times_loses_and_doubles_nothing(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """A push in a process of its own, killed (SIGKILL) at a COMMIT on its way to the server
    or just after the server's reply reached it (the station about to prune), at a different
    transaction each time, with new reports saved between the kills."""
    import os
    import signal
    import subprocess
    import sys

    with station(migrated, tmp_path / "a", "HN01") as a, PgProxy(pg_migrated_url) as proxy:
        saved: list[uuid.UUID] = []
        made: set[str] = set()  # every change the station made (its outbox before each push)
        killed = 0
        for attempt in range(KILLS):
            saved += take_reports(a, 12)
            made |= _outbox_change_ids(a.database)
            child = subprocess.Popen(
                [sys.executable, "-m", "tests.sync_push_child", str(a.data_dir), proxy.url, "4"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            # Where it dies, in turn: before a batch reaches the server (at the batch's
            # change-log write), at its COMMIT on the way, or once the COMMIT's reply is
            # back (the station about to prune). At a different batch each time.
            at = 1 + attempt % 5
            counter = ("log_writes", "commits", "replies")[attempt % 3]
            start = getattr(proxy, counter) + (2 if counter != "log_writes" else 0)

            def kill(count: int, start: int = start, at: int = at, pid: int = child.pid) -> None:
                if count - start == at:
                    os.kill(pid, signal.SIGKILL)

            hook = {"log_writes": "on_log_write", "commits": "on_commit", "replies": "on_reply"}
            setattr(proxy, hook[counter], kill)
            _, err = child.communicate(timeout=120)
            proxy.on_log_write = proxy.on_commit = proxy.on_reply = None
            assert child.returncode in (0, -signal.SIGKILL), err
            killed += child.returncode == -signal.SIGKILL
        assert killed >= KILLS - 2  # the pushes were killed, not finished before
        final = Pusher(a.database, pg_migrated_url).push()
        assert final.parked == 0
        assert outbox_rows(a.database) == 0
        arrived = server_ticket_ids(pg_migrated_url)
        assert len(arrived) == len(set(arrived)) == len(saved)
        assert set(arrived) == set(saved)
        logged = server_scalar(pg_migrated_url, "SELECT count(*) FROM change_log")
        assert logged == len(made)  # each change applied once
        assert _server_change_ids(pg_migrated_url) == made  # none lost, none invented


PER_STATION = 3_334
HEALED_WITHIN_S = 60.0


def test_three_stations_entering_reports_through_cuts_every_two_seconds_arrive_once(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """Three stations, each running ``sync --watch`` in a process of its own, enter 3,334
    reports each while every connection to the server is cut every 2 s. Once the network
    heals, every outbox is empty within 60 s, and the server holds 10,002 distinct reports,
    each once."""
    import json
    import queue
    import signal
    import subprocess
    import sys
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    codes = ("HN01", "HN02", "HN03")
    run = "import sys; from pakn_desktop.cli import main; sys.exit(main(sys.argv[1:]))"
    with contextlib.ExitStack() as stack:
        proxy = stack.enter_context(PgProxy(pg_migrated_url))
        stations = [stack.enter_context(station(migrated, tmp_path / code, code)) for code in codes]
        lines: queue.Queue[tuple[int, float, dict[str, int]]] = queue.Queue()
        watchers: list[subprocess.Popen[str]] = []
        readers: list[threading.Thread] = []
        for index, services in enumerate(stations):
            argv = ["--data-dir", str(services.data_dir), "sync", "--server", proxy.url]
            log = stack.enter_context(open(tmp_path / f"{codes[index]}.log", "w"))  # noqa: SIM115
            proc = subprocess.Popen(
                [sys.executable, "-c", run, *argv, "--watch", "--json", "--poll", "1"],
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
            watchers.append(proc)

            def read(index: int = index, proc: subprocess.Popen[str] = proc) -> None:
                for line in proc.stdout or ():
                    lines.put((index, time.monotonic(), json.loads(line)))

            readers.append(threading.Thread(target=read, daemon=True))
            readers[-1].start()
        try:
            proxy.cut_every(2.0)
            with ThreadPoolExecutor(max_workers=len(stations)) as pool:
                saved = list(pool.map(lambda s: take_reports(s, PER_STATION), stations))
            entered = time.monotonic()
            assert proxy.cuts >= 2  # the network did fail while they worked
            proxy.heal()
            healed = time.monotonic()
            # Each watcher prints a line per round that moved anything, with what is left:
            # the first line after its station's last save that leaves nothing pending,
            # confirmed by the outbox itself (a round may have counted before the last save).
            empty: set[int] = set()
            while len(empty) < len(stations):
                left = healed + HEALED_WITHIN_S - time.monotonic()
                index, at, counts = lines.get(timeout=max(left, 0.001))
                settled = at >= entered and counts["pending"] == 0
                if settled and outbox_rows(stations[index].database) == 0:
                    empty.add(index)
            took = time.monotonic() - healed
            print(f"outboxes empty {took:.1f} s after the heal, {proxy.cuts} cuts")
        finally:
            proxy.heal()
            for proc in watchers:
                proc.send_signal(signal.SIGTERM)
            for proc in watchers:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        assert took <= HEALED_WITHIN_S
        mine = [report for reports in saved for report in reports]
        assert len(mine) == 3 * PER_STATION == 10_002
        total = server_scalar(pg_migrated_url, "SELECT count(*) FROM ticket")
        distinct = server_scalar(pg_migrated_url, "SELECT count(DISTINCT id) FROM ticket")
        assert total == distinct == 10_002
        assert set(server_ticket_ids(pg_migrated_url)) == set(mine)
        logged = server_scalar(pg_migrated_url, "SELECT count(*) FROM change_log")
        assert logged == server_scalar(
            pg_migrated_url, "SELECT count(DISTINCT change_id) FROM change_log"
        )


def _outbox_change_ids(database: Database) -> set[str]:
    from sqlalchemy import text

    with database.engine.connect() as conn:
        rows = conn.execute(text("SELECT change_id FROM outbox")).scalars()
        return {uuid.UUID(str(r)).hex for r in rows}


def _server_change_ids(url: str) -> set[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {r.hex for r in conn.execute(text("SELECT change_id FROM change_log")).scalars()}
    finally:
        engine.dispose()
