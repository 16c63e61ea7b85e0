"""A full disk under the database and the evidence store: one Vietnamese line, exit 1, and
no report half-saved. A real small file system (a tmpfs, which only root may mount); skipped
where it cannot be mounted."""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.intake_data import png
from tests.test_cli_errors import assert_one_clear_line, run_cli
from tests.test_cli_intake import VALID


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(folder: Path) -> Path:
    """Write a filler file until the file system refuses; the filler, to free it later."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        for size in (1 << 20, 1 << 12):  # big steps, then the last few blocks
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def _tickets(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute("SELECT count(*) FROM ticket").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("with_image", [False, True], ids=["database", "evidence"])
def test_intake_on_a_full_disk(small_disk: Path, tmp_path: Path, with_image: bool) -> None:
    data = small_disk / "data"
    assert run_cli("--data-dir", str(data), "db", "upgrade").returncode == 0
    report = dict(VALID)
    if with_image:
        image = base64.b64encode(png(300, 300, seed=7)).decode()
        report["attachments"] = [{"display_name": "anh.png", "data_base64": image}]
    path = tmp_path / "report.json"  # the input lives elsewhere: only the data folder is full
    path.write_text(json.dumps(report), encoding="utf-8")
    filler = _fill(small_disk)
    try:
        done = run_cli("--data-dir", str(data), "intake", "--json", str(path))
    finally:
        filler.unlink()
    line = assert_one_clear_line(done)
    assert "đầy" in line, line
    assert done.stdout == "", "a case code was printed for a report that was not saved"
    assert _tickets(data / "pakn.sqlite3") == 0
    again = run_cli("--data-dir", str(data), "intake", "--json", str(path))
    assert again.returncode == 0 and again.stdout.startswith("PA-"), again.stderr
    assert _tickets(data / "pakn.sqlite3") == 1
