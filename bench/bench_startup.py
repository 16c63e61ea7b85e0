"""Cold start to first paint: the real main window ÷ a bare QMainWindow (target ≤ 1.5).

    .venv/bin/python bench/bench_startup.py [--runs 7]

Each start is a fresh interpreter; the parent times from spawning it to reading the line the
child prints from inside its first paint event (same harness for both). The real start is
``app.launch(env)`` — exactly what ``pakn-desktop`` runs before its event loop — on the cached
1k-report benchmark database (bench_queue.py builds it). Also reported, not part of the target:
the time until the queue's first rows are painted (the database opens after the first paint).

Both start from compiled bytecode, as an installed app does (pip and the PyInstaller build
write it): the package is compiled once before the runs, so a PYTHONDONTWRITEBYTECODE in the
environment does not make every real start compile the package's sources again.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1400, 860)

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("window", flush=True)
            app.quit()
        return False

probe = FirstPaint()
window.installEventFilter(probe)
window.show()
app.exec()
"""

REAL = """
import sys
import pakn_desktop.cli  # what the entry point imports first
from PySide6.QtCore import QEvent, QObject, QTimer
from pakn_desktop.app import launch
from pakn_desktop.services.environment import resolve

launched = launch(resolve(data_dir=sys.argv[1]))
window, app = launched.window, launched.app
window.resize(1400, 860)
# The queue screen is built once the database is open (after the first paint): watch for it
# without touching window.queue, which would build it early and distort what is measured.
queue_page = window.stack.widget(1)
model = viewport = None

class FirstPaint(QObject):
    window_done = False

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            if obj is window and not self.window_done:
                self.window_done = True
                print("window", flush=True)
            elif obj is viewport and model.rowCount() and model.row_object(0) is not None:
                print("rows", flush=True)
                window.close()
                app.quit()
        return False

probe = FirstPaint()
window.installEventFilter(probe)

def hook_queue():
    global model, viewport
    if viewport is None and queue_page.built:
        model, viewport = window.queue.model, window.queue.table.viewport()
        viewport.installEventFilter(probe)
        poll.stop()

poll = QTimer()
poll.timeout.connect(hook_queue)
poll.start(2)
app.exec()
launched.database.close()
"""


def start(code: str, *args: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert child.stdout is not None
    marks: dict[str, float] = {}
    for line in child.stdout:
        marks.setdefault(line.strip(), time.perf_counter() - t0)
    if child.wait(timeout=120) != 0:
        raise RuntimeError(f"start-up child failed with {child.returncode}")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_queue import ensure_db

    data_dir = str(ensure_db(1_000))
    # Without it, PYTHONDONTWRITEBYTECODE=1 (set in some shells and CI) makes each real start
    # compile ~60 modules from source (100-200 ms on a loaded 2-core machine), which neither an
    # installed app nor the bare window (PySide's own modules are compiled) ever does.
    compileall.compile_dir(ROOT / "pakn_desktop", quiet=1)
    start(BARE)  # warm the OS file cache for both, so "cold" means a fresh process
    start(REAL, data_dir)
    bare: list[float] = []
    real: list[float] = []
    rows: list[float] = []
    for _ in range(args.runs):  # interleaved, so drift hits both alike
        bare.append(start(BARE)["window"])
        marks = start(REAL, data_dir)
        real.append(marks["window"])
        rows.append(marks["rows"])
    b, r, q = (statistics.median(x) * 1e3 for x in (bare, real, rows))
    ratio = r / b
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    print(f"bare QMainWindow first paint: median {b:.0f} ms ({args.runs} runs, {platform})")
    print(f"PAKN main window first paint: median {r:.0f} ms; queue rows painted: {q:.0f} ms")
    line = f"cold start to first paint real/bare: {ratio:.2f} (target ≤ 1.5) " + (
        "OK" if ratio <= 1.5 else "FAIL"
    )
    print(line)
    readme = Path(__file__).with_name("README.md")
    with readme.open("a") as f:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d")
        f.write(
            f"- {stamp} bench_startup.py ({platform}, {os.cpu_count()} cores): bare {b:.0f} ms, "
            f"real {r:.0f} ms, queue rows {q:.0f} ms; {line}\n"
        )
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
