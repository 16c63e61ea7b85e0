"""What the window's first paint may not wait for: heavy modules stay off the start path."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

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
    # The queue's views, types and service (dataclasses, zoneinfo, the filter bar's widget
    # enums: ~40 ms): the navigation lists the views by name only (services.view_names).
    "pakn_desktop.ui.queue.saved_views",
    "pakn_desktop.services.queue_views",
    "pakn_desktop.services.queue",
    "pakn_desktop.data.queue_types",
    "pakn_desktop.widgets.shortcut_help",  # imports Qt (below); built on the first F1
    "pakn_desktop.services.changes",  # a dataclass and an enum; the window names it as a type
    "uuid",  # imports platform, which compiles nine regular expressions
    "platform",
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
            import PySide6.QtCore
            print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in
                  ('sqlalchemy', 'alembic', 'psycopg', 'pyqtgraph', 'numpy', 'openpyxl', 'PIL',
                   'uuid', 'platform')
                  or m.startswith('pakn_desktop.'))), flush=True)
            print(json.dumps("Qt" in vars(PySide6.QtCore)), flush=True)
            app.exit(0)
        return False

probe = FirstPaint()
window.installEventFilter(probe)
app.exec()
window.tasks.shutdown()
"""


@pytest.fixture(scope="module")
def first_paint(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], bool]:
    """The modules loaded when the real window first paints, and whether PySide had built
    the Qt namespace (``PySide6.QtCore.Qt``) by then (one real start for the module)."""
    tmp_path = tmp_path_factory.mktemp("start")
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
    lines = done.stdout.strip().splitlines()
    return set(json.loads(lines[0])), bool(json.loads(lines[1]))


def test_first_paint_imports_no_heavy_module(first_paint: tuple[set[str], bool]) -> None:
    loaded, _qt = first_paint
    assert "pakn_desktop.ui.main.window" in loaded  # the probe saw the real window paint
    early = sorted(name for name in HEAVY if name in loaded)
    assert early == [], f"imported before the first paint: {early}"


def test_first_paint_does_not_build_the_qt_namespace(first_paint: tuple[set[str], bool]) -> None:
    """The first use of ``Qt`` (any of its enums: an alignment, a shortcut context, a window
    state) makes PySide build all 93 of the namespace's enum types, ~50 ms, which is a third
    of what the window may add to a bare QMainWindow (bench_startup.py). The main window's
    path uses none of them before its first paint (ui/main/window_actions.py)."""
    loaded, qt = first_paint
    assert "pakn_desktop.ui.main.window" in loaded
    assert not qt, "PySide6.QtCore.Qt was built before the first paint"
