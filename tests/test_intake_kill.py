"""The real program, killed with SIGKILL mid-typing, offers and restores its draft on restart.

Runs the program twice in subprocesses (offscreen platform) through ``tests/intake_driver.py``,
which starts it as ``pakn-desktop --data-dir TMP`` does and adds test hooks: the first run
starts a call and types into the form; once the draft row holds the typed text it is killed
with SIGKILL (no close, no flush); the second run must offer the draft ("Có 1 bản nháp chưa
lưu") and restore it, with the image pasted before the kill (read back from the evidence store
by its hash); saving the restored draft stores its evidence row on that same file.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select as sql_select

from pakn_desktop.data.models import Evidence
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.drafts import DraftService
from pakn_desktop.services.intake.form import form_from_mapping
from pakn_desktop.services.intake.service import IntakeService

from .intake_data import BEN_THANH, DRAINAGE, HCMC, form, png
from .intake_driver import IMAGE_ENV, REPORT_ENV, STREAM_ENV, TEST_PHONE, TYPE_ENV

PROGRAM = [sys.executable, str(Path(__file__).with_name("intake_driver.py"))]
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


def _drafts(env: Environment) -> list[dict[str, object]]:
    db = open_database(env, upgrade=False)
    try:
        drafts = DraftService(db)
        return [drafts.load(d.id) for d in drafts.list_open()]
    finally:
        db.close()


def _typed_with_image(env: Environment) -> bool:
    return any(d.get("content") == TEXT and d.get("attachments") for d in _drafts(env))


def test_draft_survives_kill_9_of_the_real_program(
    env: Environment, database: Database, tmp_path: Path
) -> None:
    # One report already there, so the first start does not spend its time on demo data.
    IntakeService(database).save(form())
    database.close()
    image = tmp_path / "dan.png"
    image.write_bytes(png(24, 16, seed=5))
    log = (tmp_path / "first.log").open("w")
    first = subprocess.Popen(
        [*PROGRAM, "--data-dir", str(env.data_dir)],
        env=_env({TYPE_ENV: TEXT, IMAGE_ENV: str(image)}),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        _wait_for_line(first, "TYPED")
        deadline = time.monotonic() + TIMEOUT_S
        while not _typed_with_image(env):  # the debounced draft, written within ~1 s
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
        [*PROGRAM, "--data-dir", str(env.data_dir)],
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

    (attachment,) = seen["attachments"]
    assert seen["strip"] == 1 and attachment["source"] == "clipboard"
    store = EvidenceStore(env.evidence_dir)
    stored = store.read_bytes(attachment["sha256"])  # the program's PNG of the pasted image
    assert attachment["size"] == len(stored)
    assert hashlib.sha256(stored).hexdigest() == attachment["sha256"]

    # Saving the restored draft makes the evidence row on the file stored before the kill.
    db = open_database(env, upgrade=False)
    try:
        (draft,) = DraftService(db).list_open()
        data = DraftService(db).load(draft.id)
        restored = form_from_mapping(
            {**data, "category": DRAINAGE, "province_code": HCMC, "commune_code": BEN_THANH},
            strict=False,
        )
        assert [a.sha256 for a in restored.attachments] == [attachment["sha256"]]
        saved = IntakeService(db, store).save(restored, draft_id=draft.id)
        with db.engine.connect() as conn:
            rows = conn.execute(sql_select(Evidence).where(Evidence.ticket_id == saved.id)).all()
        assert [(r.sha256, r.source) for r in rows] == [(attachment["sha256"], "clipboard")]
        assert DraftService(db).list_open() == []
    finally:
        db.close()


def test_kill_9_while_typing_without_a_pause_loses_at_most_a_second(
    env: Environment, database: Database
) -> None:
    """The real program types a character every 40 ms (``STREAM_ENV``), never pausing; it
    is killed with SIGKILL after a few seconds. The draft on disk must hold everything typed
    more than 1 s before the kill (it waited 3.6 s for a pause before)."""
    IntakeService(database).save(form())
    database.close()
    first = subprocess.Popen(
        [*PROGRAM, "--data-dir", str(env.data_dir)],
        env=_env({STREAM_ENV: TEXT}),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    typed_at: dict[int, float] = {}
    try:
        assert first.stdout is not None
        deadline = time.monotonic() + TIMEOUT_S
        while len(typed_at) < 70:  # ~2.8 s of typing, past the old 3 s only with its tail
            assert time.monotonic() < deadline, "the program never typed"
            ready, _, _ = select.select([first.stdout], [], [], 0.5)
            if ready:
                line = first.stdout.readline()
                assert line or first.poll() is None, "the program exited on its own"
                if line.startswith("KEY "):
                    _key, n, at = line.split()
                    typed_at[int(n)] = float(at)
        killed_at = time.monotonic()
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL
        for line in first.stdout.read().splitlines():  # keys printed before the kill
            if line.startswith("KEY "):
                _key, n, at = line.split()
                typed_at[int(n)] = float(at)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()

    drafts = _drafts(env)
    assert len(drafts) == 1, f"{len(drafts)} drafts after {len(typed_at)} keys without a pause"
    kept = len(str(drafts[0]["content"]))
    assert kept > 0
    lost = [at for n, at in typed_at.items() if n > kept]
    assert not lost or killed_at - min(lost) <= 1.0, (kept, len(typed_at), killed_at - min(lost))
