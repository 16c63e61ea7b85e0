"""``pakn-desktop sync --once`` and ``--station`` through the real CLI entry point, against a
real PostgreSQL server database (decision 44)."""

from __future__ import annotations

import json
from pathlib import Path

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
    assert set(counts) == {"pushed", "pulled", "pending", "parked", "conflicts"}
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
