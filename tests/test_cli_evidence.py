"""``pakn-desktop evidence add CODE FILE…`` and ``evidence verify``, as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.form import SavedTicket
from tests.evidence_samples import ALLOWED, REFUSED


def _cli(env: Environment, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pakn_desktop.cli", "--data-dir", str(env.data_dir), *args]
    clean = {k: v for k, v in os.environ.items() if k not in ("PAKN_DB_URL", "PAKN_DATA_DIR")}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=clean)


def _files(tmp_path: Path) -> tuple[Path, Path]:
    photo, record = tmp_path / "hiện trường.png", tmp_path / "ghi âm.m4a"
    photo.write_bytes(ALLOWED["image/png"])
    record.write_bytes(ALLOWED["audio/mp4"])
    return photo, record


def test_add_prints_hash_and_name_then_verify_is_clean(
    env: Environment, tmp_path: Path, ticket: SavedTicket
) -> None:
    photo, record = _files(tmp_path)
    done = _cli(env, "evidence", "add", ticket.code, str(photo), str(record))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    store = EvidenceStore(env.evidence_dir)
    assert [line.split("  ", 1)[1] for line in lines] == ["hiện trường.png", "ghi âm.m4a"]
    assert all(store.verify(line.split()[0]) for line in lines)
    done = _cli(env, "evidence", "verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 tệp đúng, 0 tệp thiếu, 0 tệp bị thay đổi" in done.stdout


def test_bad_file_stores_nothing_and_says_why(
    env: Environment, tmp_path: Path, ticket: SavedTicket
) -> None:
    photo, _ = _files(tmp_path)
    bad = tmp_path / "hoa-don.pdf"
    bad.write_bytes(REFUSED["elf.jpg"][0])
    done = _cli(env, "evidence", "add", ticket.code, str(photo), str(bad))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().startswith("pakn-desktop: hoa-don.pdf: Tệp chương trình")
    assert len(done.stderr.strip().splitlines()) == 1
    assert list(EvidenceStore(env.evidence_dir).stored_hashes()) == []
    done = _cli(env, "evidence", "add", "PA-000000-9999", str(photo))
    assert done.returncode == 1 and "PA-000000-9999" in done.stderr


def test_flipped_byte_and_missing_file_are_named(
    env: Environment, tmp_path: Path, ticket: SavedTicket
) -> None:
    photo, record = _files(tmp_path)
    done = _cli(env, "evidence", "add", "--json", ticket.code, str(photo), str(record))
    assert done.returncode == 0, done.stderr
    flipped, gone = json.loads(done.stdout)
    store = EvidenceStore(env.evidence_dir)
    path = store.path_of(flipped["sha256"])
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[20] ^= 0x40
    path.write_bytes(bytes(data))
    store.path_of(gone["sha256"]).unlink()
    done = _cli(env, "evidence", "verify")
    assert done.returncode != 0
    out = done.stdout
    assert f"BỊ THAY ĐỔI: {flipped['sha256']}  hiện trường.png  [{ticket.code}]" in out
    assert f"THIẾU: {gone['sha256']}  ghi âm.m4a  [{ticket.code}]" in out
    report = json.loads(_cli(env, "evidence", "verify", "--json").stdout)
    assert {p["kind"] for p in report["problems"]} == {"missing", "altered"}


def test_archive_command_writes_the_zip(
    env: Environment, tmp_path: Path, ticket: SavedTicket
) -> None:
    import zipfile

    photo, record = _files(tmp_path)
    assert _cli(env, "evidence", "add", ticket.code, str(photo), str(record)).returncode == 0
    out = tmp_path / "bien-ban.zip"
    done = _cli(env, "evidence", "archive", ticket.code, "--out", str(out), "--redacted")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as archive:
        assert {"manifest.json", "record.html"} <= set(archive.namelist())
    done = _cli(env, "evidence", "archive", "PA-000000-0001", "--out", str(out))
    assert done.returncode == 1 and done.stderr.count("\n") == 1
