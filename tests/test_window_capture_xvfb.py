"""Window capture on a real X server (no window manager: the root's children are the
windows): another process shows a backdrop and a pattern window above it; a click in the
overlay takes the topmost window under the point, pixel for pixel and at its exact size,
with its title; a click on the bare root takes nothing (the overlay stays); Esc cancels."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_program_xvfb import _x_env, display  # noqa: F401  (fixture)
from tests.xvfb_helpers import rgb as _rgb

pytest.importorskip("Xlib")
pytestmark = pytest.mark.xvfb
CHILD = Path(__file__).with_name("window_capture_child.py")
PATTERN = [231, 149, 333, 217]
BACKDROP = [60, 50, 700, 520]


@pytest.fixture
def other_app(display: str, tmp_path: Path) -> Iterator[None]:  # noqa: F811
    shown = subprocess.Popen(
        [sys.executable, str(CHILD), "show"],
        env=_x_env(display, tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=str(CHILD.parent.parent),
    )
    try:
        assert shown.stdout is not None
        line = shown.stdout.readline()
        assert line.strip() == "ready", line + (shown.stderr.read() if shown.stderr else "")
        yield
    finally:
        shown.terminate()
        shown.wait(timeout=10)


@pytest.fixture
def steps(display: str, other_app: None, tmp_path: Path) -> dict[str, Any]:  # noqa: F811
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, str(CHILD), "capture", str(out)],
        env=_x_env(display, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=str(CHILD.parent.parent),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result: dict[str, Any] = json.loads((out / "result.json").read_text(encoding="utf-8"))
    result["out"] = out
    return result


def test_window_mode_on_x11(steps: dict[str, Any]) -> None:
    # One capture process runs every step (starting Qt costs more than a step).
    out: Path = steps["out"]
    pattern = steps["pattern"]
    assert pattern["window_mode_available"] is True
    assert pattern["console_hidden_during"] and pattern["console_visible_after"]
    assert pattern["hovered"] == "Messenger — Nguyễn Văn Ánh"
    assert pattern["results"] == 1 and pattern["overlays_left"] == 0
    geometry = pattern["capture"]
    assert geometry["window"]["title"] == "Messenger — Nguyễn Văn Ánh"
    assert geometry["window"]["rect"] == PATTERN
    assert geometry["logical"] == PATTERN and geometry["device"] == PATTERN
    captured, expected = _rgb(out / "pattern.png"), _rgb(out / "expected.png")
    assert (captured.width(), captured.height()) == (PATTERN[2], PATTERN[3])
    bad = [
        (x, y)
        for y in range(captured.height())
        for x in range(captured.width())
        if captured.pixel(x, y) != expected.pixel(x, y)
    ]
    assert bad == [], f"{len(bad)} pixels differ, first {bad[:5]}"

    backdrop = steps["backdrop"]
    assert backdrop["hovered"] == "Trình duyệt"
    assert backdrop["capture"]["window"]["rect"] == BACKDROP
    image = _rgb(out / "backdrop.png")
    assert (image.width(), image.height()) == (BACKDROP[2], BACKDROP[3])
    assert image.pixelColor(5, 5).getRgb()[:3] == (128, 128, 128)  # the backdrop's own grey
    # The pattern above it is in the picture too: the window as the user saw it.
    assert image.pixel(PATTERN[0] - BACKDROP[0], PATTERN[1] - BACKDROP[1]) == expected.pixel(0, 0)

    background = steps["background"]
    assert background["hovered"] is None
    assert background["results_after_click"] == 0 and background["overlays_before_esc"] == 1
    assert background["results"] == 1 and background["capture"] is None
    assert background["overlays_left"] == 0 and background["console_visible_after"]

    esc = steps["esc"]
    assert esc["results"] == 1 and esc["capture"] is None and esc["overlays_left"] == 0
    assert esc["console_visible_after"]
