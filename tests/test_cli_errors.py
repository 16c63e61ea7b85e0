"""Every bad input the user can give the CLI: one clear line, exit ≠ 0, nothing half-written.

Real processes throughout: the installed ``pakn-desktop`` script, a second process holding a
SQLite lock, a real (refused) TCP connection.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pakn_desktop.data import migrate
from pakn_desktop.data.engine import make_engine

PROGRAM = Path(sys.executable).with_name("pakn-desktop")


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    assert PROGRAM.exists(), f"{PROGRAM} missing: bash scripts/setup.sh installs it"
    env = {k: v for k, v in os.environ.items() if k not in ("PAKN_DB_URL", "PAKN_DATA_DIR")}
    env.update(QT_QPA_PLATFORM="offscreen", PAKN_PG_CONNECT_TIMEOUT="3")
    return subprocess.run(
        [str(PROGRAM), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )


def assert_one_clear_line(done: subprocess.CompletedProcess[str]) -> str:
    """The process failed with exactly one line on stderr, and no traceback."""
    lines = done.stderr.strip().splitlines()
    assert done.returncode != 0, f"exit 0 on bad input; stdout={done.stdout!r}"
    assert "Traceback" not in done.stderr, done.stderr
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{done.stderr}"
    assert lines[0].startswith("pakn-desktop: "), lines[0]
    assert len(lines[0]) > len("pakn-desktop: ") + 10, f"message too thin: {lines[0]!r}"
    return lines[0]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _row_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def _migrated_sqlite(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()


# --- bad database URLs --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["foo://", "not a url", "mysql://user@127.0.0.1/pakn", "sqlite:////no/such/folder/x.db"],
)
def test_bad_url(tmp_path: Path, url: str) -> None:
    done = run_cli("--data-dir", str(tmp_path / "data"), "--db", url, "db", "upgrade")
    assert_one_clear_line(done)
    assert not Path("/no/such/folder").exists()


def test_unreachable_postgresql_fails_fast(tmp_path: Path) -> None:
    started = time.monotonic()
    done = run_cli(
        "--data-dir",
        str(tmp_path / "data"),
        "--db",
        "postgresql://pakn@127.0.0.1:1/pakn",  # nothing listens on port 1: refused at once
        "db",
        "upgrade",
    )
    elapsed = time.monotonic() - started
    assert_one_clear_line(done)
    assert elapsed < 15, f"took {elapsed:.1f}s to report an unreachable server"


# --- the SQLite file ----------------------------------------------------------------------


def _hold_lock(path: Path, *, wal: bool) -> subprocess.Popen[str]:
    """Another process holding an exclusive write transaction on ``path`` until stdin closes."""
    code = (
        "import sqlite3, sys\n"
        "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        f"con.execute('PRAGMA journal_mode={'WAL' if wal else 'DELETE'}')\n"
        "con.execute('BEGIN EXCLUSIVE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n"
        "con.execute('ROLLBACK')\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    return holder


def _release(holder: subprocess.Popen[str]) -> int:
    """Ends the lock holder; its exit status (asserted by the caller, outside ``finally``)."""
    assert holder.stdin is not None
    holder.stdin.close()
    return holder.wait(timeout=30)


def test_locked_new_database(tmp_path: Path) -> None:
    """A database another program has locked before the schema exists: no half schema."""
    db = tmp_path / "locked.sqlite3"
    holder = _hold_lock(db, wal=False)
    try:
        done = run_cli(
            "--data-dir", str(tmp_path / "data"), "--db", f"sqlite:///{db}", "db", "upgrade"
        )
    finally:
        released = _release(holder)
    assert released == 0, "the lock holder failed"
    line = assert_one_clear_line(done)
    assert "khoá" in line or "lock" in line.lower(), line
    assert _row_counts(db) == {}, "schema half-written under someone else's lock"


def test_locked_database_in_use(tmp_path: Path) -> None:
    """Another workstation process holds the write lock of a working (WAL) database."""
    db = tmp_path / "busy.sqlite3"
    _migrated_sqlite(db)
    before = _row_counts(db)
    holder = _hold_lock(db, wal=True)
    try:
        done = run_cli(
            "--data-dir",
            str(tmp_path / "data"),
            "--db",
            f"sqlite:///{db}",
            "demo",
            "--tickets",
            "3",
        )
    finally:
        released = _release(holder)
    assert released == 0, "the lock holder failed"
    line = assert_one_clear_line(done)
    assert "khoá" in line or "lock" in line.lower(), line
    assert _row_counts(db) == before, "rows written although the command failed"


def test_corrupt_database_file_is_left_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "pakn.sqlite3"
    db.write_bytes(os.urandom(64 * 1024))
    before = _snapshot(folder)
    done = run_cli("--data-dir", str(tmp_path / "data"), "--db", f"sqlite:///{db}", "db", "upgrade")
    line = assert_one_clear_line(done)
    assert "hỏng" in line or "corrupt" in line.lower(), line
    assert _snapshot(folder) == before, "the corrupt file (or its folder) was changed"


def test_corrupt_default_database_in_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "pakn.sqlite3").write_bytes(b"This is a text file, not a database.\n" * 200)
    before = _snapshot(data)
    done = run_cli("--data-dir", str(data), "stats", "--json")
    assert_one_clear_line(done)
    assert done.stdout == ""
    assert _snapshot(data) == before


# --- the data directory -------------------------------------------------------------------


def test_data_dir_below_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be\n", encoding="utf-8")
    done = run_cli("--data-dir", str(blocker / "data"), "db", "upgrade")
    assert_one_clear_line(done)
    assert blocker.read_text(encoding="utf-8") == "a file where a folder should be\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod 0500")
def test_read_only_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o500)
    try:
        done = run_cli("--data-dir", str(data), "db", "upgrade")
        assert_one_clear_line(done)
        assert list(data.iterdir()) == []
    finally:
        data.chmod(0o700)


# --- bad arguments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("demo", "--tickets", "-1"),
        ("demo", "--tickets", "abc"),
        ("demo", "--tickets", "1.5"),
        ("demo",),
        ("frobnicate",),
        ("db",),
        ("db", "explode"),
        ("--no-such-option",),
    ],
    ids=" ".join,
)
def test_bad_arguments(tmp_path: Path, args: tuple[str, ...]) -> None:
    data = tmp_path / "data"
    done = run_cli("--data-dir", str(data), *args)
    assert_one_clear_line(done)
    assert done.returncode == 2, "usage errors exit 2"
    assert not data.exists(), "a usage error created the data dir"
