"""Evidence benchmark: storing throughput vs a raw hashlib read, and GUI frames while a
500 MB video is attached.

    .venv/bin/python bench/bench_evidence.py [--mb 500] [--rounds 3]

1. A generated file (an MP4 header and random bytes) in .tmp/ is stored with
   ``EvidenceStore.put_file`` (sniff, hash while copying in 1 MiB chunks to a staging file,
   fsync, rename, fsync the folder) and read with ``hashlib.file_digest``, interleaved, warm
   page cache for both. Target (issue 6): store throughput ÷ raw hash throughput ≥ 0.8.
2. Offscreen window with a 16 ms timer that repaints a widget and records the gap between
   ticks: idle, then while ``EvidenceService.attach_files`` attaches the same file on the
   write lane of ``ui/tasks.py`` with progress shown. Target: p95 gap attaching ÷ idle ≤ 1.5.
Every generated file is deleted at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = ROOT / ".tmp" / "bench-evidence"
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def make_file(path: Path, megabytes: int) -> None:
    block = os.urandom(8 * 1024 * 1024)  # random once, repeated: generation is not measured
    with path.open("wb") as out:
        out.write(MP4_HEAD)
        for _ in range(megabytes // 8):
            out.write(block)


def remove(path: Path) -> None:
    for item in path.rglob("*"):
        if item.is_file():
            item.chmod(0o644)
    shutil.rmtree(path, ignore_errors=True)


def throughput(source: Path, rounds: int) -> tuple[float, float, float]:
    from pakn_desktop.services.evidence.store import EvidenceStore

    size = source.stat().st_size
    with source.open("rb") as warm:
        hashlib.file_digest(warm, "sha256")
    raw: list[float] = []
    stored: list[float] = []
    for index in range(rounds):
        start = time.perf_counter()
        with source.open("rb") as read:
            hashlib.file_digest(read, "sha256")
        raw.append(time.perf_counter() - start)
        store = EvidenceStore(WORK / f"store{index}", max_bytes=size + 1)
        start = time.perf_counter()
        store.put_file(source)
        stored.append(time.perf_counter() - start)
        remove(WORK / f"store{index}")
    mb = size / 1e6
    raw_rate, store_rate = mb / statistics.median(raw), mb / statistics.median(stored)
    return raw_rate, store_rate, store_rate / raw_rate


def frames(source: Path, seconds: float) -> tuple[float, float, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve
    from pakn_desktop.services.evidence.service import EvidenceService
    from pakn_desktop.services.evidence.store import EvidenceStore
    from pakn_desktop.services.intake.service import IntakeService
    from pakn_desktop.ui.tasks import TaskContext, Tasks
    from tests.intake_data import form

    app = QApplication.instance() or QApplication([])
    env = resolve(data_dir=str(WORK / "data"))
    database = open_database(env)
    store = EvidenceStore(env.evidence_dir, max_bytes=source.stat().st_size + 1)
    saved = IntakeService(database, store).save(form())
    service = EvidenceService(database, store)
    label = QLabel("0 %")
    label.resize(400, 300)
    label.show()
    clock = QElapsedTimer()
    gaps: list[float] = []

    def tick() -> None:
        gaps.append(clock.nsecsElapsed() / 1e6)
        clock.restart()
        label.repaint()

    timer = QTimer(interval=16)
    timer.timeout.connect(tick)

    def measure(until: object) -> list[float]:
        gaps.clear()
        clock.start()
        timer.start()
        while not until():  # type: ignore[operator]
            app.processEvents()
            time.sleep(0.001)
        timer.stop()
        return gaps[1:]

    end = time.perf_counter() + seconds
    idle = measure(lambda: time.perf_counter() > end)
    tasks = Tasks()
    done: list[object] = []

    def attach(ctx: TaskContext) -> object:
        return service.attach_files(
            saved.code, [source], "file", progress=ctx.progress, should_cancel=ctx.is_cancelled
        )

    tasks.write(
        attach,
        context=True,
        on_result=done.append,
        on_error=done.append,
        on_progress=lambda d, t: label.setText(f"{100 * d // max(t, 1)} %"),
    )
    busy = measure(lambda: bool(done))
    tasks.shutdown()
    database.close()
    assert done and isinstance(done[0], list), done
    idle_p95, busy_p95 = percentile(idle, 0.95), percentile(busy, 0.95)
    return idle_p95, busy_p95, busy_p95 / idle_p95


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    source = WORK / "video.mp4"
    try:
        make_file(source, args.mb)
        raw_rate, store_rate, ratio = throughput(source, args.rounds)
        idle_p95, busy_p95, frame_ratio = frames(source, 3.0)
    finally:
        remove(WORK)
    store_ok = "OK" if ratio >= 0.8 else "FAIL"
    frame_ok = "OK" if frame_ratio <= 1.5 else "FAIL"
    line = (
        f"- {date.today().isoformat()} bench_evidence.py ({os.cpu_count()} cores, shared, "
        f"{args.mb} MB file, warm cache): store {store_rate:.0f} MB/s ÷ raw hashlib "
        f"{raw_rate:.0f} MB/s: {ratio:.2f} (target ≥ 0.8) {store_ok}; frame gap p95 attaching "
        f"{busy_p95:.1f} ms ÷ idle {idle_p95:.1f} ms: {frame_ratio:.2f} (target ≤ 1.5) {frame_ok}"
    )
    print(line)
    with (ROOT / "bench" / "README.md").open("a", encoding="utf-8") as readme:
        readme.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
