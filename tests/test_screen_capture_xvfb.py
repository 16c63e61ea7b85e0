"""Region capture on a real X server: the captured pixels are exactly the painted pattern's,
the console is hidden while choosing and back afterwards, Esc gives None; the same under
HiDPI scaling (QT_SCALE_FACTOR=2: the capture is in device pixels) and on the second of two
monitors of one desktop (Xvfb split in two with RandR monitors)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_program_xvfb import display  # noqa: F401  (fixture)
from tests.xvfb_helpers import differing_pixels, need, rgb, run_child, x_env, xvfb_server

pytestmark = pytest.mark.xvfb
CHILD = Path(__file__).with_name("screen_capture_child.py")
DRAG = [163, 121, 179, 167]  # the child's drag, QRect(press, release), relative to its screen
MONITORS = (("LEFT", "800/211x600/159+0+0", "screen"), ("RIGHT", "800/211x600/159+800+0", "none"))


@pytest.fixture
def two_monitors(tmp_path: Path) -> Iterator[str]:
    """One 1600×600 X screen split into two 800×600 RandR monitors, LEFT and RIGHT; -noreset,
    or the server would forget them when xrandr disconnects."""
    with xvfb_server(tmp_path, "-noreset", "-screen", "0", "1600x600x24") as x_display:
        env = x_env(x_display, tmp_path)
        for name, geometry, output in MONITORS:
            subprocess.run(
                [need("xrandr"), "--setmonitor", name, geometry, output],
                env=env,
                capture_output=True,
                timeout=20,
                check=True,
            )
        yield x_display


def _assert_pattern_captured(result: dict[str, Any], size: tuple[int, int]) -> None:
    out = Path(str(result["out"]))
    captured, expected = rgb(out / "captured.png"), rgb(out / "expected.png")
    assert (captured.width(), captured.height()) == size
    bad = differing_pixels(captured, expected)
    assert bad == [], f"{len(bad)} pixels differ, first {bad[:5]}"


def test_drag_captures_the_pattern_exactly(display: str, tmp_path: Path) -> None:  # noqa: F811
    result = run_child(CHILD, display, tmp_path, "drag")
    assert result["results"] == 1 and result["overlays_left"] == 0
    assert result["console_hidden_during"] and result["console_visible_after"]
    geometry = result["geometry"]
    assert geometry["logical"] == DRAG
    assert geometry["device"] == geometry["logical"] and geometry["device_pixel_ratio"] == 1.0
    _assert_pattern_captured(result, (179, 167))


def test_hidpi_capture_is_in_device_pixels(display: str, tmp_path: Path) -> None:  # noqa: F811
    # 1600×1000 device pixels at ratio 2: a 800×500 logical screen; the pattern window paints
    # its blocks at 2x, so every block edge falls on an even device pixel.
    result = run_child(CHILD, display, tmp_path, "drag", extra_env={"QT_SCALE_FACTOR": "2"})
    (screen,) = result["screens"]
    assert screen["geometry"] == [0, 0, 800, 500] and screen["device_pixel_ratio"] == 2.0
    assert result["results"] == 1 and result["overlays_left"] == 0
    assert result["console_hidden_during"] and result["console_visible_after"]
    geometry = result["geometry"]
    assert geometry["device_pixel_ratio"] == 2.0
    assert geometry["logical"] == DRAG
    assert geometry["device"] == [2 * v for v in DRAG]
    _assert_pattern_captured(result, (2 * DRAG[2], 2 * DRAG[3]))


def test_capture_on_the_second_monitor(two_monitors: str, tmp_path: Path) -> None:
    result = run_child(CHILD, two_monitors, tmp_path, "drag", "RIGHT")
    screens = {s["name"]: s["geometry"] for s in result["screens"]}
    assert screens == {"LEFT": [0, 0, 800, 600], "RIGHT": [800, 0, 800, 600]}, result["screens"]
    assert sorted(result["overlay_screens"]) == ["LEFT", "RIGHT"]  # every screen is frozen
    assert result["pattern_screen"] == "RIGHT"
    assert result["results"] == 1 and result["overlays_left"] == 0
    assert result["console_hidden_during"] and result["console_visible_after"]
    geometry = result["geometry"]
    assert geometry["screen"] == "RIGHT" and geometry["device_pixel_ratio"] == 1.0
    assert geometry["logical"] == [800 + DRAG[0], *DRAG[1:]]  # desktop coordinates
    assert geometry["device"] == DRAG  # in RIGHT's own grab
    _assert_pattern_captured(result, (179, 167))


def test_escape_returns_none_and_restores_the_console(
    display: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    result = run_child(CHILD, display, tmp_path, "esc")
    assert result["results"] == 1 and result["capture"] is None
    assert result["console_visible_after"] and result["overlays_left"] == 0
