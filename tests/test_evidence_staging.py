"""``.staging/`` leftovers of a crash are removed when the store is opened (issue 13); a file
another process is staging at that moment is not."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from pakn_desktop.services.evidence.staging import SAFE_AGE
from pakn_desktop.services.evidence.store import STAGING, EvidenceStore
from tests.evidence_samples import ALLOWED, image

# A process that stages one file, then dies at once ("crash") or waits for a line on stdin
# before committing it ("wait"): another workstation process saving at the same moment.
_CHILD = """
import os, sys
from pathlib import Path
from pakn_desktop.services.evidence.store import EvidenceStore
store = EvidenceStore(Path(sys.argv[1]))
staged = store.stage_bytes(bytes.fromhex(sys.argv[2]))
print(staged.temp, flush=True)
if sys.argv[3] == "crash":
    os._exit(9)
sys.stdin.readline()
print(store.commit(staged).sha256, flush=True)
"""


def _child(root: Path, data: bytes, how: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(root), data.hex(), how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _age(path: Path) -> None:
    """As if written before the safe age: what a crash an hour ago looks like."""
    old = time.time() - SAFE_AGE - 60
    os.utime(path, (old, old))


def test_a_crash_leftover_is_removed_when_the_store_is_opened(tmp_path: Path) -> None:
    root = tmp_path / "store"
    crashed = _child(root, ALLOWED["application/pdf"], "crash")
    out, _ = crashed.communicate(timeout=60)
    assert crashed.returncode == 9
    temp = Path(out.strip())
    assert temp.is_file()  # a half-done copy, as after a kill
    _age(temp)
    _age(temp.parent)
    EvidenceStore(root)
    assert not temp.exists()
    assert [p for p in (root / STAGING).rglob("*")] == []


def test_another_process_staging_now_is_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "store"
    data = image("PNG", (12, 9))
    saving = _child(root, data, "wait")
    try:
        assert saving.stdout is not None and saving.stdin is not None
        temp = Path(saving.stdout.readline().strip())
        assert temp.is_file()
        _age(temp)
        _age(temp.parent)  # old enough: only its lock says it is in use
        store = EvidenceStore(root)  # opened while the other process is between stage and commit
        assert temp.is_file()
        saving.stdin.write("\n")
        saving.stdin.flush()
        sha = saving.stdout.readline().strip()
        assert saving.wait(timeout=60) == 0
    finally:
        if saving.poll() is None:
            saving.kill()
            saving.wait()
    assert store.verify(sha) and store.read_bytes(sha) == data


def test_loose_files_go_by_age_only(tmp_path: Path) -> None:
    """Files directly in .staging/ (the layout before per-process folders): no lock says
    whether they are in use, so only the old ones go."""
    staging = tmp_path / "store" / STAGING
    staging.mkdir(parents=True)
    old, young = staging / ".tmp-old", staging / ".tmp-young"
    old.write_bytes(b"x" * 100)
    young.write_bytes(b"y" * 100)
    _age(old)
    EvidenceStore(tmp_path / "store")
    assert not old.exists() and young.exists()
