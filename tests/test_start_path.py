"""What the window's first paint may not wait for: heavy modules stay off the start path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Imported after the first paint (database, charts, Excel, evidence), each measured at
# tens of milliseconds: bench/bench_startup.py holds the ratio, this test holds the cause.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "psycopg",
    "pyqtgraph",
    "numpy",
    "openpyxl",
    "PIL",
    "pakn_desktop.services.evidence.service",
    "pakn_desktop.ui.evidence.panel",
    "pakn_desktop.ui.queue.view",
    "pakn_desktop.ui.intake.screen",
    "pakn_desktop.ui.main.placeholder",  # its Qt-namespace enums cost ~15 ms
    "pakn_desktop.services.workflow.service",
    "pakn_desktop.services.intake.service",
    "pakn_desktop.domain.workflow",
)

PROBE = """
import json, sys
import pakn_desktop.cli
from PySide6.QtCore import QEvent, QObject
from pakn_desktop.app import launch
from pakn_desktop.services.environment import resolve

launched = launch(resolve(data_dir=sys.argv[1]))
window, app = launched.window, launched.app

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if obj is window and event.type() == QEvent.Type.Paint:
            print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in
                  ('sqlalchemy', 'alembic', 'psycopg', 'pyqtgraph', 'numpy', 'openpyxl', 'PIL')
                  or m.startswith('pakn_desktop.'))), flush=True)
            app.exit(0)
        return False

probe = FirstPaint()
window.installEventFilter(probe)
app.exec()
window.tasks.shutdown()
"""


def test_first_paint_imports_no_heavy_module(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[0]))
    assert "pakn_desktop.ui.main.window" in loaded  # the probe saw the real window paint
    early = sorted(name for name in HEAVY if name in loaded)
    assert early == [], f"imported before the first paint: {early}"
