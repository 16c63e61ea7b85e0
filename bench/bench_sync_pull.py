"""The pull (decision 45): rows/s of a station's first pull of another station's changes, and
the wake latency of ``sync --watch`` from a push on station A to station B's pull finishing.

    .venv/bin/python bench/bench_sync_pull.py --server postgresql://postgres@127.0.0.1:55432/postgres
        [--tickets 1000] [--tries 20]

``--server`` is an administrator's URL: one database is made there (migrated) and dropped
after. Station A gets ``--tickets`` demo reports and pushes them; station B, empty, pulls them
(timed: the server's reads and B's local writes, its tally and search triggers included).
Then B watches (poll interval 120 s) while A saves one report and pushes it ``--tries``
times: the time from A's push returning (its commit) to B's round ending, p50 and p95.
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
                latencies = wake_latencies(a, b, url, env_a, args.tries)
            finally:
                a.close()
                b.close()
    q = statistics.quantiles(latencies, n=20)
    print(
        f"wake latency, A's push committed → B's pull done, {len(latencies)} tries: "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {q[18] * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    return 0


def wake_latencies(a, b, url, env_a, tries: int) -> list[float]:  # type: ignore[no-untyped-def]
    done: list[tuple[float, int]] = []
    cond = threading.Condition()

    def on_round(r: Round) -> None:
        with cond:
            done.append((time.perf_counter(), r.counts.pulled))
            cond.notify_all()

    stop = threading.Event()
    watcher = Watcher(b, url, poll_seconds=120, on_round=on_round)
    thread = threading.Thread(target=watcher.run, args=(stop,))
    thread.start()
    services = AppServices(lambda: a, env_a, as_login=False, environ={})
    latencies: list[float] = []
    try:
        with cond:
            assert cond.wait_for(lambda: len(done) >= 1, 60)
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
    finally:
        stop.set()
        thread.join(60)
    return latencies


if __name__ == "__main__":
    sys.exit(main())
