"""The pull (decision 45): rows/s of a station's first pull of another station's changes, and
the wake latency of ``sync --watch`` from a push on station A to station B's pull committed.

    .venv/bin/python bench/bench_sync_pull.py --server postgresql://postgres@127.0.0.1:55432/postgres
        [--tickets 1000] [--tries 20]

``--server`` is an administrator's URL: one database is made there (migrated) and dropped
after. Station A gets ``--tickets`` demo reports and pushes them; station B, empty, pulls them
(timed: the server's reads and B's local writes, its tally and search triggers included).
Then B watches (poll interval 120 s) while A saves one report and pushes it ``--tries``
times: the time from A's push returning (its commit) to B's pull committed and handed to the
screens (``on_pulled``, before the round's own push and counts), p50 and p95.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_sync import server_database  # noqa: E402

from pakn_desktop.services.app_services import AppServices  # noqa: E402
from pakn_desktop.services.changes import Changes  # noqa: E402
from pakn_desktop.services.database import open_database  # noqa: E402
from pakn_desktop.services.demo import generate  # noqa: E402
from pakn_desktop.services.environment import resolve  # noqa: E402
from pakn_desktop.services.sync.pull import Puller  # noqa: E402
from pakn_desktop.services.sync.push import Pusher  # noqa: E402
from pakn_desktop.services.sync.watch import Round, Watcher  # noqa: E402
from tests.intake_data import form  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", default=os.environ.get("PAKN_TEST_PG_URL", ""))
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--tries", type=int, default=20)
    args = parser.parse_args()
    if not args.server:
        parser.error("--server URL (an administrator's PostgreSQL URL) is needed")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with server_database(args.server, root / "server") as url:
            env_a = resolve(data_dir=str(root / "a"), station="BENCHA")
            env_b = resolve(data_dir=str(root / "b"), station="BENCHB")
            a, b = open_database(env_a), open_database(env_b)
            try:
                generate(a, tickets=args.tickets, seed=1)
                pushed = Pusher(a, url).push()
                Pusher(b, url).push()
                started = time.perf_counter()
                pulled = Puller(Pusher(b, url)).pull()
                seconds = time.perf_counter() - started
                print(
                    f"{args.tickets} reports, {pushed.pushed} changes pushed by A; B pulled "
                    f"{pulled.pulled} in {seconds:.2f} s: {pulled.pulled / seconds:,.0f} rows/s "
                    f"({pulled.batches} batches)"
                )
                latencies, pages = wake_latencies(a, b, url, env_a, env_b, args.tries)
                notify = notify_latencies(url, args.tries)
            finally:
                a.close()
                b.close()

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[18] * 1000

    visible = [w + p for w, p in zip(latencies, pages, strict=True)]
    print(
        f"wake latency, A's push committed → B's pull committed and handed to the screens, "
        f"{len(latencies)} tries: "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95(latencies):.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    bound = p95(notify) + p95(pages) + 16
    verdict = "OK" if p95(visible) <= bound else "FAIL"
    print(
        f"visible in B's queue (wake + B's first queue page) p95 {p95(visible):.1f} ms; "
        f"NOTIFY alone p95 {p95(notify):.1f} ms (p50 {statistics.median(notify) * 1000:.1f}), "
        f"B's page query p95 {p95(pages):.1f} ms: target ≤ NOTIFY + page + 16 = "
        f"{bound:.1f} ms {verdict}"
    )
    return 0


def notify_latencies(url: str, tries: int) -> list[float]:
    """A bare NOTIFY committed on one connection until a LISTENing one has it."""
    from sqlalchemy import create_engine

    from pakn_desktop.data.sync_notify import CHANNEL, Listener

    listener = Listener(create_engine(url))
    sender = create_engine(url, isolation_level="AUTOCOMMIT")
    out: list[float] = []
    try:
        with sender.connect() as conn:
            for _ in range(tries):
                started = time.perf_counter()
                conn.exec_driver_sql(f"NOTIFY {CHANNEL}, 'bench'")
                assert listener.wait(10)
                out.append(time.perf_counter() - started)
    finally:
        listener.close()
        sender.dispose()
    return out


def wake_latencies(a, b, url, env_a, env_b, tries: int):  # type: ignore[no-untyped-def]
    """(push committed → B's round done, B's first queue page after it) per try."""
    from pakn_desktop.data.queue_types import QueueQuery

    queue_b = AppServices(lambda: b, env_b, as_login=False, environ={}).queue
    pages: list[float] = []
    done: list[tuple[float, int]] = []
    rounds: list[Round] = []
    cond = threading.Condition()

    def on_round(r: Round) -> None:
        with cond:
            rounds.append(r)
            cond.notify_all()

    def on_pulled(changes: Changes) -> None:
        # Where the window hands the pull to its screens (ui/main/watchers.py): the queue
        # reads its page then.
        with cond:
            done.append((time.perf_counter(), len(changes.reports)))
            cond.notify_all()

    stop = threading.Event()
    watcher = Watcher(b, url, poll_seconds=120, on_round=on_round, on_pulled=on_pulled)
    thread = threading.Thread(target=watcher.run, args=(stop,))
    thread.start()
    services = AppServices(lambda: a, env_a, as_login=False, environ={})
    latencies: list[float] = []
    try:
        with cond:
            assert cond.wait_for(lambda: len(rounds) >= 1, 60)
        assert watcher.listening.wait(60)
        for i in range(tries):
            services.intake.save(form(content=f"Đèn đường hỏng ở ngõ {i}, tối om."))
            with cond:
                seen = len(done)
            Pusher(a, url).push()
            pushed_at = time.perf_counter()
            with cond:
                assert cond.wait_for(lambda s=seen: len(done) > s and done[-1][1] > 0, 60)
                latencies.append(done[-1][0] - pushed_at)
            started = time.perf_counter()
            queue_b.first_page(QueueQuery(), 50)  # what B's queue reads on the hub's change
            pages.append(time.perf_counter() - started)
    finally:
        stop.set()
        thread.join(60)
    return latencies, pages


if __name__ == "__main__":
    sys.exit(main())
