"""``pakn-desktop sync --once`` and ``--station`` through the real CLI entry point, against a
real PostgreSQL server database (decision 44)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pakn_desktop.cli import main

from .db_template import MigratedEnv
from .sync_data import server_scalar

SECRET = "matkhau-bi-mat"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.postgres
def test_sync_once_json_pushes_then_has_nothing_left(
    tmp_path: Path,
    migrated: MigratedEnv,
    pg_migrated_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PAKN_SYNC_URL", raising=False)
    data = str(migrated(tmp_path / "data").data_dir)
    code, out, err = _run(capsys, "--data-dir", data, "db", "upgrade", "--station", "HN07")
    assert code == 0, err
    code, _, err = _run(capsys, "--data-dir", data, "demo", "--tickets", "30")
    assert code == 0, err
    code, out, err = _run(
        capsys, "--data-dir", data, "sync", "--server", pg_migrated_url, "--once", "--json"
    )
    assert code == 0, err
    counts = json.loads(out)
    # The counts' keys are stable; the clock's offset to the server came with decision 47.
    assert set(counts) == {
        *("pushed", "pulled", "pending", "parked", "conflicts", "clock_offset_s"),
        *("files_uploaded", "files_bad", "files_more"),  # the evidence files (decision 50)
    }
    assert abs(counts["clock_offset_s"]) < 2  # one machine, one clock
    assert counts["pushed"] > 30 and counts["pending"] == counts["parked"] == 0
    assert counts["pulled"] == counts["conflicts"] == 0
    assert server_scalar(pg_migrated_url, "SELECT count(*) FROM ticket") == 30
    codes = "SELECT count(*) FROM station WHERE code = 'HN07'"
    assert server_scalar(pg_migrated_url, codes) == 1
    # The address from the environment; nothing left to send.
    monkeypatch.setenv("PAKN_SYNC_URL", pg_migrated_url)
    code, out, err = _run(capsys, "--data-dir", data, "sync", "--once")
    assert code == 0, err
    assert out.strip() == "pushed: 0, pulled: 0, pending: 0, parked: 0, conflicts: 0"


@pytest.mark.postgres
def test_a_second_station_pulls_the_first_ones_reports_and_counts_them(
    tmp_path: Path,
    migrated: MigratedEnv,
    pg_migrated_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = str(migrated(tmp_path / "first").data_dir)
    second = str(migrated(tmp_path / "second").data_dir)
    for data, code_ in ((first, "HN07"), (second, "HN08")):
        code, _, err = _run(capsys, "--data-dir", data, "db", "upgrade", "--station", code_)
        assert code == 0, err
    code, _, err = _run(capsys, "--data-dir", first, "demo", "--tickets", "20")
    assert code == 0, err
    sync = ("sync", "--server", pg_migrated_url, "--once", "--json")
    code, out, err = _run(capsys, "--data-dir", first, *sync)
    assert code == 0, err
    code, out, err = _run(capsys, "--data-dir", second, *sync)
    assert code == 0, err
    counts = json.loads(out)
    logged = "SELECT count(*) FROM change_log AS c JOIN station AS s ON s.id = c.station_id "
    assert counts["pulled"] == server_scalar(pg_migrated_url, logged + "WHERE s.code = 'HN07'")
    assert counts["pulled"] > 20 and counts["pending"] == 0
    here = f"sqlite:///{Path(second) / 'pakn.sqlite3'}"
    assert server_scalar(here, "SELECT count(*) FROM ticket") == 20
    code, out, err = _run(capsys, "--data-dir", second, *sync)
    assert json.loads(out)["pulled"] == 0  # nothing twice


def test_sync_without_a_server_address_is_refused_in_vietnamese(
    tmp_path: Path,
    migrated: MigratedEnv,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PAKN_SYNC_URL", raising=False)
    data = str(migrated(tmp_path / "data").data_dir)
    code, out, err = _run(capsys, "--data-dir", data, "sync", "--once", "--json")
    assert code == 3
    assert "Chưa có địa chỉ máy chủ đồng bộ" in err and "PAKN_SYNC_URL" in err
    assert json.loads(out)["refused"]["code"] == "sync_no_server"


def test_an_unreachable_server_never_shows_its_password(
    tmp_path: Path,
    migrated: MigratedEnv,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = migrated(tmp_path / "data").data_dir
    url = f"postgresql://pakn:{SECRET}@127.0.0.1:9/pakn"  # nothing listens on port 9
    monkeypatch.setenv("PAKN_SYNC_URL", url)
    code, out, err = _run(capsys, "--debug", "--data-dir", str(data), "sync", "--once")
    assert code == 1
    assert "Không đồng bộ được với máy chủ PostgreSQL 127.0.0.1:9/pakn" in err
    assert "vẫn được giữ nguyên" in err
    assert SECRET not in out + err
    log = (data / "logs" / "pakn.log").read_text(encoding="utf-8")
    assert "sync refused" in log and SECRET not in log


def test_the_keyrings_password_is_used_and_never_shown(
    tmp_path: Path,
    migrated: MigratedEnv,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring

    from pakn_desktop.services.sync import connection
    from tests.test_notify_smtp_auth import FileKeyring

    data = migrated(tmp_path / "data").data_dir
    url = "postgresql://pakn@127.0.0.1:9/pakn"  # no password: the keyring's; nothing on port 9
    monkeypatch.setenv("PAKN_SYNC_URL", url)
    monkeypatch.delenv("PAKN_SYNC_PASSWORD", raising=False)
    before = keyring.get_keyring()
    keyring.set_keyring(FileKeyring(tmp_path / "keyring.json"))
    asked: list[str | None] = []
    real = connection.password_for

    def spy(url: str, *others: Any) -> str | None:
        asked.append(real(url, *others))
        return asked[-1]

    monkeypatch.setattr(connection, "password_for", spy)
    try:
        keyring.set_password("pakn-desktop", "sync:pakn@127.0.0.1", SECRET)
        code, out, err = _run(capsys, "--debug", "--data-dir", str(data), "sync", "--once")
    finally:
        keyring.set_keyring(before)
    assert code == 1 and "Không đồng bộ được với máy chủ PostgreSQL 127.0.0.1:9/pakn" in err
    assert SECRET in asked  # the sync connected with it
    assert SECRET not in out + err
    log = (data / "logs" / "pakn.log").read_text(encoding="utf-8")
    assert "sync refused" in log and SECRET not in log


def test_a_station_code_is_fixed_once_the_database_has_one(
    tmp_path: Path, migrated: MigratedEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(migrated(tmp_path / "data").data_dir)
    code, _, err = _run(capsys, "--data-dir", data, "--station", "HN01", "stats")
    assert code == 0, err
    code, _, err = _run(capsys, "--data-dir", data, "--station", "HN01", "stats")
    assert code == 0, err  # the same code again: fine
    code, _, err = _run(capsys, "--data-dir", data, "db", "upgrade", "--station", "HN02")
    assert code == 1
    assert "thuộc máy trạm HN01" in err and "không đổi được" in err
    code, _, err = _run(capsys, "--data-dir", data, "--station", "hn-1", "stats")
    assert code == 1 and "mã máy trạm cần 2 đến 8 chữ in hoa" in err


def test_the_demo_database_is_never_synced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAKN_SYNC_URL", "postgresql://pakn@127.0.0.1:9/pakn")
    data = tmp_path / "data"
    demo = f"sqlite:///{data / 'demo.sqlite3'}"
    code, out, err = _run(capsys, "--data-dir", str(data), "--db", demo, "sync", "--once", "--json")
    assert code == 3
    assert "cơ sở dữ liệu mẫu" in err
    assert json.loads(out)["refused"]["code"] == "sync_demo"


@pytest.mark.postgres
def test_upgrading_the_server_records_no_station_even_with_pakn_station_set(
    tmp_path: Path,
    pg_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The administrator's own PAKN_STATION must not take that code on the server."""
    monkeypatch.setenv("PAKN_STATION", "HN01")
    data = str(tmp_path / "data")
    code, _, err = _run(capsys, "--data-dir", data, "--db", pg_url, "db", "upgrade")
    assert code == 0, err
    assert server_scalar(pg_url, "SELECT count(*) FROM station") == 0
    assert server_scalar(pg_url, "SELECT count(*) FROM change_log") == 0


@pytest.mark.postgres
def test_sync_watch_prints_a_round_and_stops_cleanly_on_sigterm(
    tmp_path: Path, migrated: MigratedEnv, pg_migrated_url: str
) -> None:
    import queue
    import signal
    import subprocess
    import sys
    import threading

    data = str(migrated(tmp_path / "data").data_dir)
    assert main(["--data-dir", data, "db", "upgrade", "--station", "HN09"]) == 0
    assert main(["--data-dir", data, "demo", "--tickets", "3"]) == 0
    run = "import sys; from pakn_desktop.cli import main; sys.exit(main(sys.argv[1:]))"
    argv = ["--data-dir", data, "sync", "--server", pg_migrated_url, "--watch", "--json"]
    proc = subprocess.Popen(
        [sys.executable, "-c", run, *argv, "--poll", "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in proc.stdout or ():
            lines.put(line)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        first = json.loads(lines.get(timeout=60))  # the first round, at once
        assert first["pushed"] > 3 and first["pending"] == 0
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(10)
    assert server_scalar(pg_migrated_url, "SELECT count(*) FROM ticket") == 3
