"""The real program, killed with SIGKILL mid-typing, offers and restores its draft on restart.

Runs ``pakn-desktop --data-dir TMP`` twice in subprocesses (offscreen platform) with the test
hooks of ``pakn_desktop/ui/intake/test_hook.py``: the first run starts a call and types into
the form; once the draft row holds the typed text it is killed with SIGKILL (no close, no
flush); the second run must offer the draft ("Có 1 bản nháp chưa lưu") and restore it.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.drafts import DraftService
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.intake import IntakeService
from pakn_desktop.ui.intake.test_hook import REPORT_ENV, TEST_PHONE, TYPE_ENV

from .intake_data import form

PROGRAM = Path(sys.executable).with_name("pakn-desktop")
TEXT = "Cống bị tắc ở hẻm 42 Lê Lợi, nước tràn vào nhà dân 🚧 từ 5 giờ sáng"
TIMEOUT_S = 60


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PAKN_DB_URL", "PAKN_DATA_DIR")}
    env.update(QT_QPA_PLATFORM="offscreen", **extra)
    return env


def _wait_for_line(program: subprocess.Popen[str], wanted: str) -> None:
    assert program.stdout is not None
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        ready, _, _ = select.select([program.stdout], [], [], 0.5)
        if ready:
            line = program.stdout.readline()
            if line.strip() == wanted:
                return
            if not line and program.poll() is not None:
                break
    raise AssertionError(f"no {wanted!r} from the program (exit {program.poll()})")


def _draft_contents(env: Environment) -> list[str]:
    db = open_database(env, upgrade=False)
    try:
        drafts = DraftService(db)
        return [str(drafts.load(d.id).get("content", "")) for d in drafts.list_open()]
    finally:
        db.close()


def test_draft_survives_kill_9_of_the_real_program(
    env: Environment, database: Database, tmp_path: Path
) -> None:
    # One report already there, so the first start does not spend its time on demo data.
    IntakeService(database).save(form())
    database.close()
    log = (tmp_path / "first.log").open("w")
    first = subprocess.Popen(
        [str(PROGRAM), "--data-dir", str(env.data_dir)],
        env=_env({TYPE_ENV: TEXT}),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        _wait_for_line(first, "TYPED")
        deadline = time.monotonic() + TIMEOUT_S
        while TEXT not in _draft_contents(env):  # the debounced draft, written within ~1 s
            assert time.monotonic() < deadline, "the draft never reached the database"
            assert first.poll() is None, "the program exited on its own"
            time.sleep(0.1)
        first.send_signal(signal.SIGKILL)  # mid-call: no close event, no flush
        assert first.wait(timeout=10) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
        log.close()

    report = tmp_path / "report.json"
    second = subprocess.run(
        [str(PROGRAM), "--data-dir", str(env.data_dir)],
        env=_env({REPORT_ENV: str(report)}),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert second.returncode == 0, second.stderr[-2000:]
    seen = json.loads(report.read_text(encoding="utf-8"))
    assert seen["offered"] == 1
    assert seen["bar"] == "Có 1 bản nháp chưa lưu"
    assert seen["content"] == TEXT
    assert seen["phone"] == TEST_PHONE
