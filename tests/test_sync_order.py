"""Two stations' pushes writing one row at once (decision 52), on a real PostgreSQL server: the
server's row and every station end with the same value. A's push takes its transaction id
first and is held before it writes the row; B's push of the same field must not commit
between (it waits for the server's push lock), so the change log's order is the order in
which the row was written. Without the lock, B commits first, A's write lands last on the
server, and a station applying the log in order keeps B's: the stations and the server
disagree for good."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from pakn_desktop.data import sync_server
from pakn_desktop.data.models import Ticket
from pakn_desktop.services.app_services import AppServices
from pakn_desktop.services.sync.pull import Puller
from pakn_desktop.services.sync.push import Pusher

from .db_template import MigratedEnv
from .sync_data import station, take_reports

pytestmark = pytest.mark.postgres

WAIT_S = 30.0


def _sync(services: AppServices, url: str) -> None:
    pusher = Pusher(services.database, url)
    pusher.push()
    Puller(pusher).pull()


def _summary(services: AppServices, report: Any) -> str:
    with services.database.engine.connect() as conn:
        return str(conn.scalar(select(Ticket.summary).where(Ticket.id == report)))


def _edit(services: AppServices, report: Any, summary: str) -> None:
    with services.database.write_sessions.begin() as session:
        ticket = session.get(Ticket, report)
        assert ticket is not None
        ticket.summary = summary


def _until(what: str, check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {WAIT_S:.0f} s")
        time.sleep(0.02)


def test_two_pushes_of_one_field_at_once_end_with_one_winner_everywhere(
    migrated: MigratedEnv,
    tmp_path: Path,
    pg_migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
        station(migrated, tmp_path / "c", "HN03") as c,
    ):
        (report,) = take_reports(a, 1)
        for services in (a, b, c):
            _sync(services, pg_migrated_url)
        _edit(a, report, "Tóm tắt của A")
        _edit(b, report, "Tóm tắt của B")

        # A's push is held after it logged its changes (its transaction id taken), before it
        # writes the report's row.
        logged, go = threading.Event(), threading.Event()
        real = sync_server.log_changes
        holder: dict[str, threading.Thread] = {}

        def held(conn: Any, station_id: Any, changes: Any) -> Any:
            new = real(conn, station_id, changes)
            if threading.current_thread() is holder.get("a") and not logged.is_set():
                logged.set()
                assert go.wait(WAIT_S)
            return new

        monkeypatch.setattr(sync_server, "log_changes", held)
        failures: list[BaseException] = []

        def push(services: AppServices) -> None:
            try:
                Pusher(services.database, pg_migrated_url).push()
            except BaseException as error:  # re-raised by the test below
                failures.append(error)

        push_a = threading.Thread(target=push, args=(a,))
        holder["a"] = push_a
        push_a.start()
        assert logged.wait(WAIT_S)
        push_b = threading.Thread(target=push, args=(b,))
        push_b.start()
        server = create_engine(pg_migrated_url)
        try:

            def b_waits_or_done() -> bool:
                if not push_b.is_alive():
                    return True
                with server.connect() as conn:
                    waiting = conn.execute(
                        text("SELECT count(*) FROM pg_locks WHERE NOT granted")
                    ).scalar_one()
                return int(waiting) > 0

            _until("B's push waiting for the server's push lock", b_waits_or_done)
            go.set()
            push_a.join(WAIT_S)
            push_b.join(WAIT_S)
            assert not failures, failures
            with server.connect() as conn:
                on_server = conn.scalar(
                    text("SELECT summary FROM ticket WHERE id = :id"), {"id": report}
                )
        finally:
            server.dispose()
        monkeypatch.setattr(sync_server, "log_changes", real)
        for services in (c, a, b, c):
            _sync(services, pg_migrated_url)
        assert [_summary(s, report) for s in (a, b, c)] == [on_server] * 3
        assert on_server == "Tóm tắt của B"  # B's wrote the row after A's commit
