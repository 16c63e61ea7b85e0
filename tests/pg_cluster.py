"""Two PostgreSQL instances of a test's own: a primary and a streaming replica of it
(``pg_basebackup -R``), for the failover test (decision 48).

The binaries and the unprivileged user come from ``scripts/test.sh``: ``PAKN_TEST_PG_BIN``
(Debian's ``/usr/lib/postgresql/N/bin``) and ``PAKN_TEST_PG_RUNAS`` (the user the server runs
as when the tests run as root: PostgreSQL refuses root; empty otherwise). Without them the
test is skipped, or fails when PostgreSQL is required (``tests.pg.pg_required``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from .local_servers import free_port
from .pg import pg_required

ENV_BIN = "PAKN_TEST_PG_BIN"
ENV_RUNAS = "PAKN_TEST_PG_RUNAS"
READY_S = 20.0  # a start, a promotion, the replica's catching up: seconds at most


def _require(reason: str) -> None:
    if pg_required():
        pytest.fail(reason)
    pytest.skip(reason)


def server_binaries() -> tuple[Path, str]:
    """(the binaries' folder, the user to run them as, "" for this one); skips or fails
    without them."""
    folder = os.environ.get(ENV_BIN, "")
    if not folder or not (Path(folder) / "pg_ctl").is_file():
        _require(f"{ENV_BIN} is not set: bash scripts/test.sh names the PostgreSQL binaries")
    user = os.environ.get(ENV_RUNAS, "")
    if os.geteuid() == 0 and not user:
        _require(f"{ENV_RUNAS} is not set: PostgreSQL refuses to run as root")
    return Path(folder), user


@dataclass
class Instance:
    name: str
    port: int
    data: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


@dataclass
class Cluster:
    """A primary and its replica; ``synchronous``: the primary's commit waits until the
    replica has flushed it (``synchronous_standby_names``)."""

    bin: Path
    user: str
    root: Path
    primary: Instance
    replica: Instance
    synchronous: bool
    stalled: int | None = None  # a frozen WAL sender, killed at the latest when cleaning up

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run_pg(self.bin, self.user, self.root, *args, check=check)

    def start(self, node: Instance) -> None:
        start_pg(self.bin, self.user, self.root, node)

    def stop_immediately(self, node: Instance, *, wait: bool = True) -> None:
        """As a crash: no checkpoint, every connection cut at once."""
        how = "-w" if wait else "-W"
        self.run("pg_ctl", "-D", str(node.data), "-m", "immediate", how, "stop", check=False)

    def wal_sender(self) -> int:
        """The process id of the primary's WAL sender (the replica's link)."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.primary.url())
        try:
            with engine.connect() as conn:
                return int(conn.execute(text("SELECT pid FROM pg_stat_replication")).scalar_one())
        finally:
            engine.dispose()

    def stall(self, sender: int) -> None:
        """Freezes the WAL sender (SIGSTOP): the replica hears nothing more, as over a
        stalled link."""
        os.kill(sender, signal.SIGSTOP)
        self.stalled = sender

    def crash_primary(self, stalled_sender: int | None = None) -> None:
        """The primary stopped as in a crash; a stalled WAL sender killed without sending
        what it held (the postmaster would otherwise wait 5 s for it)."""
        self.stop_immediately(self.primary, wait=False)  # every backend goes at once
        if stalled_sender is not None:
            self.kill_stalled(stalled_sender)
        self.stop_immediately(self.primary)  # until the postmaster is gone

    def kill_stalled(self, sender: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(sender, signal.SIGKILL)
        if self.stalled == sender:
            self.stalled = None

    def promote(self, node: Instance) -> None:
        self.run("pg_ctl", "-D", str(node.data), "-w", "-t", "60", "promote")

    def log(self, node: Instance) -> Path:
        return self.root / f"{node.name}.log"

    def tail(self, node: Instance) -> str:
        path = self.log(node)
        return path.read_text(errors="replace")[-2000:] if path.exists() else "(no log)"

    def multi_host_url(self, database: str = "postgres") -> str:
        """The stations' address: both hosts, the one that accepts writes chosen by libpq."""
        return (
            f"postgresql+psycopg://postgres@/{database}?host=127.0.0.1:{self.primary.port},"
            f"127.0.0.1:{self.replica.port}&target_session_attrs=read-write"
        )


def run_pg(
    bin: Path, user: str, root: Path, *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """A PostgreSQL program from ``bin``, as ``user`` when given, in ``root``."""
    command = [str(bin / args[0]), *args[1:]]
    if user:
        command = ["runuser", "-u", user, "--", *command]
    # From the temp folder: the unprivileged user may not enter the checkout's.
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=60)
    if check and done.returncode != 0:
        raise AssertionError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def start_pg(bin: Path, user: str, root: Path, node: Instance) -> None:
    log = root / f"{node.name}.log"
    options = f"-h 127.0.0.1 -p {node.port} -k {root} -c fsync=off"
    done = run_pg(
        bin, user, root, "pg_ctl", "-D", str(node.data), "-l", str(log), "-w", "-t", "60",
        "-o", options, "start", check=False,
    )  # fmt: skip
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
        raise AssertionError(f"{node.name} did not start: {tail}")


@contextmanager
def password_server(password: str) -> Iterator[Instance]:
    """One instance that asks for a password over TCP (scram-sha-256; the suite's own server
    trusts every login): user ``postgres`` with ``password``. Stopped and removed after."""
    folder, user = server_binaries()
    root = Path(tempfile.mkdtemp(prefix="pakn-password.", dir="/tmp"))
    secret = root / "password"
    secret.write_text(password + "\n", encoding="utf-8")
    if user:
        shutil.chown(root, user)
        shutil.chown(secret, user)
    node = Instance("password", free_port(), root / "data")
    try:
        run_pg(
            folder, user, root, "initdb", "-D", str(node.data), "-U", "postgres",
            "--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={secret}",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        secret.unlink()
        start_pg(folder, user, root, node)
        yield node
    finally:
        if (node.data / "postmaster.pid").exists():
            run_pg(folder, user, root, "pg_ctl", "-D", str(node.data), "-m", "immediate", "-w",
                   "stop", check=False)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


def _append(conf: Path, lines: list[str]) -> None:
    with conf.open("a", encoding="utf-8") as out:  # the owner (the server's user) is kept
        out.write("\n# pakn failover test\n" + "\n".join(lines) + "\n")


def wait_for(what: str, check: Callable[[], bool], cluster: Cluster) -> None:
    """Until ``check()`` holds (polled), else an AssertionError naming ``what``."""
    deadline = time.monotonic() + READY_S
    while not check():
        if time.monotonic() > deadline:
            logs = cluster.tail(cluster.primary) + cluster.tail(cluster.replica)
            raise AssertionError(f"{what}: not within {READY_S:.0f} s; {logs}")
        time.sleep(0.05)


def _sync_state(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT sync_state FROM pg_stat_replication")).scalars()
            return ",".join(found)
    finally:
        engine.dispose()


@contextmanager
def replicated_cluster(*, synchronous: bool = True) -> Iterator[Cluster]:
    """A primary on a free port and a replica streaming from it, both stopped and their
    folders removed afterwards, whatever happened."""
    folder, user = server_binaries()
    root = Path(tempfile.mkdtemp(prefix="pakn-failover.", dir="/tmp"))
    if user:
        shutil.chown(root, user)
    primary = Instance("primary", free_port(), root / "primary")
    replica = Instance("replica", free_port(), root / "replica")
    cluster = Cluster(folder, user, root, primary, replica, synchronous)
    try:
        # --no-sync here and in pg_basebackup: the data is thrown away (seconds saved).
        cluster.run(
            "initdb", "-D", str(primary.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip
        # A commit is acknowledged once the replica has flushed it ('*': any standby):
        # what the station was told is saved survives the primary's loss.
        names = "'*'" if synchronous else "''"
        _append(primary.data / "postgresql.conf", [f"synchronous_standby_names = {names}"])
        cluster.start(primary)
        cluster.run(
            "pg_basebackup", "-D", str(replica.data), "-h", "127.0.0.1", "-p", str(primary.port),
            "-U", "postgres", "-R", "-X", "stream", "-c", "fast", "--no-sync",
        )  # fmt: skip
        # Promoted, the replica is alone: waiting for a standby of its own would hang every
        # commit (Patroni's synchronous_mode lifts it the same way when no standby is left).
        _append(replica.data / "postgresql.conf", ["synchronous_standby_names = ''"])
        cluster.start(replica)
        wanted = "sync" if synchronous else "async"
        wait_for(
            f"the replica streaming ({wanted})",
            lambda: _sync_state(primary.url()) == wanted,
            cluster,
        )
        yield cluster
    finally:
        if cluster.stalled is not None:  # a test that failed between the stall and the crash
            cluster.kill_stalled(cluster.stalled)
        for node in (replica, primary):
            if (node.data / "postmaster.pid").exists():
                cluster.stop_immediately(node)
        shutil.rmtree(root, ignore_errors=True)


def is_primary(url: str) -> bool:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return not conn.execute(text("SELECT pg_is_in_recovery()")).scalar_one()
    finally:
        engine.dispose()
