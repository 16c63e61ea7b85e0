"""Region capture on a real X server: the captured pixels are exactly the painted pattern's,
the console is hidden while choosing and back afterwards, Esc gives None."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.test_program_xvfb import _x_env, display  # noqa: F401  (fixture)

pytestmark = pytest.mark.xvfb
CHILD = Path(__file__).with_name("screen_capture_child.py")


def _run(x_display: str, tmp_path: Path, mode: str) -> dict[str, object]:
    out = tmp_path / mode
    out.mkdir()
    done = subprocess.run(
        [sys.executable, str(CHILD), mode, str(out)],
        env=_x_env(x_display, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=str(CHILD.parent.parent),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result: dict[str, object] = json.loads((out / "result.json").read_text(encoding="utf-8"))
    result["out"] = str(out)
    return result


def _rgb(path: Path) -> QImage:
    image = QImage(str(path))
    assert not image.isNull(), path
    return image.convertToFormat(QImage.Format.Format_RGB32)


def test_drag_captures_the_pattern_exactly(display: str, tmp_path: Path) -> None:  # noqa: F811
    result = _run(display, tmp_path, "drag")
    assert result["results"] == 1 and result["overlays_left"] == 0
    assert result["console_hidden_during"] and result["console_visible_after"]
    geometry = result["geometry"]
    assert isinstance(geometry, dict)
    assert geometry["logical"] == [163, 121, 179, 167]  # QRect(press, release), inclusive
    assert geometry["device"] == geometry["logical"] and geometry["device_pixel_ratio"] == 1.0
    out = Path(str(result["out"]))
    captured, expected = _rgb(out / "captured.png"), _rgb(out / "expected.png")
    assert (captured.width(), captured.height()) == (179, 167)
    assert captured.size() == expected.size()
    bad = [
        (x, y)
        for y in range(captured.height())
        for x in range(captured.width())
        if captured.pixel(x, y) != expected.pixel(x, y)
    ]
    assert bad == [], f"{len(bad)} pixels differ, first {bad[:5]}"


def test_escape_returns_none_and_restores_the_console(
    display: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    result = _run(display, tmp_path, "esc")
    assert result["results"] == 1 and result["capture"] is None
    assert result["console_visible_after"] and result["overlays_left"] == 0
