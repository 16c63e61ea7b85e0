"""At 1366×768 the main window stays within the screen: on first start, after restoring a
geometry saved on a larger monitor, on every screen and report, and in what it saves.

Qt reads the screen size when the application starts, so the window runs in a subprocess
on the offscreen platform configured with one 1366×768 screen (with window frames)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .db_template import MigratedEnv

SCREEN = {
    "synchronousWindowSystemEvents": True,
    "windowFrameMargins": True,
    "screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96}],
}


def _run(tmp_path: Path, start: str, migrated: MigratedEnv) -> dict[str, object]:
    migrated(tmp_path / "data")  # the probe opens an already migrated database
    config = tmp_path / "screen.json"
    config.write_text(json.dumps(SCREEN))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    probe = Path(__file__).with_name("window_fit_probe.py")
    done = subprocess.run(
        [sys.executable, str(probe), str(tmp_path / "data"), str(tmp_path / "ui.ini"), start],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _inside(rect: list[int], width: int, height: int) -> bool:
    x, y, w, h = rect
    return x >= 0 and y >= 0 and x + w <= width and y + h <= height


@pytest.mark.parametrize("start", ["first", "big"])
def test_the_window_stays_on_a_1366x768_screen(
    tmp_path: Path, start: str, migrated: MigratedEnv
) -> None:
    out = _run(tmp_path, start, migrated)
    width, height = out["area"]  # type: ignore[misc]
    assert (width, height) == (1366, 768)
    screens = out["screens"]
    assert isinstance(screens, dict) and len(screens) == 46
    outside = {name: rect for name, rect in screens.items() if not _inside(rect, width, height)}
    assert not outside
    minimum = out["minimum"]  # with every warning and a long database URL in the status bar
    assert isinstance(minimum, list) and minimum[0] <= width and minimum[1] <= height
    saved = out["saved"]
    assert isinstance(saved, list) and _inside(saved, width, height), saved
