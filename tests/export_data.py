"""A queue to export: the keyset tests' rows, both protected reports (tests.protected_data)
and an ordinary report by a person whose identity a revealing export may show."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from tests.identity_scan import Planted
from tests.intake_data import form
from tests.protected_data import PROTECTED, save_protected
from tests.queue_data import fill_tickets

# An ordinary reporter: masked by default, shown when leadership confirms.
LAN = Planted(name="Ôn Thị Ngọc Lành", phone="0938246517")


def fill_export(database: Database, env: Environment, rows: int = 600) -> None:
    fill_tickets(database.engine, rows)
    intake = IntakeService(database, EvidenceStore(env.evidence_dir))
    for which in sorted(PROTECTED):
        save_protected(intake, which)
    intake.save(
        form(
            reporter_name=LAN.name,
            reporter_phone=LAN.phones_typed()[0],
            summary=f"Chị {LAN.name} ({LAN.phones_typed()[1]}) báo đèn đường hỏng",
        )
    )


def xlsx_text(path: Path) -> bytes:
    """Every XML part of a workbook, joined: what an identity scan must read."""
    with zipfile.ZipFile(path) as book:
        return b"\n".join(book.read(name) for name in book.namelist())


@contextmanager
def tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """A small file system at ``folder`` (read-only, or tiny to fill); skipped without root."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
