"""The real program on a real X server: it starts, maps its window, draws it, and quits.

Starts Xvfb on a free display (``-displayfd``), runs ``pakn-desktop --data-dir TMP`` on it with
the xcb platform, waits for the top-level window, takes a screenshot of the root window with a
separate X client, checks the window's area is really drawn, then closes the program.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.xvfb_helpers import need as _need
from tests.xvfb_helpers import x_env as _x_env
from tests.xvfb_helpers import xvfb_server

pytestmark = pytest.mark.xvfb

PROGRAM = Path(sys.executable).with_name("pakn-desktop")
SCREEN = (1600, 1000)
START_TIMEOUT_S = 60

GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
pixmap = app.primaryScreen().grabWindow(0)
sys.exit(0 if not pixmap.isNull() and pixmap.save(sys.argv[1], "PNG") else 1)
"""


@pytest.fixture
def display(tmp_path: Path) -> Iterator[str]:
    """A fresh Xvfb server on a display number it picks itself; killed afterwards."""
    with xvfb_server(tmp_path, "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24") as number:
        yield number


def _xdotool(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [_need("xdotool"), *args], env=env, capture_output=True, text=True, timeout=20, check=False
    )
    return done.stdout if done.returncode == 0 else ""


def _geometry(env: dict[str, str], window: str) -> tuple[int, int, int, int]:
    fields = dict(
        line.split("=", 1)
        for line in _xdotool(env, "getwindowgeometry", "--shell", window).split()
        if "=" in line
    )
    return int(fields["X"]), int(fields["Y"]), int(fields["WIDTH"]), int(fields["HEIGHT"])


def _tail(log: Path, lines: int = 25) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _main_window(env: dict[str, str], program: subprocess.Popen[bytes], log: Path) -> str:
    """Waits (bounded) for a mapped top-level window titled ``…PAKN…``; the largest wins."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if program.poll() is not None:
            raise AssertionError(f"the program exited early ({program.returncode}):\n{_tail(log)}")
        windows = _xdotool(env, "search", "--onlyvisible", "--name", "PAKN").split()
        sized = [(w, _geometry(env, w)) for w in windows]
        sized = [(w, g) for w, g in sized if g[2] >= 200 and g[3] >= 150]
        if sized:
            return max(sized, key=lambda item: item[1][2] * item[1][3])[0]
        time.sleep(0.5)
    raise AssertionError(f"no window titled PAKN mapped in {START_TIMEOUT_S}s:\n{_tail(log)}")


def _screenshot(env: dict[str, str], out: Path) -> QImage:
    done = subprocess.run(
        [sys.executable, "-c", GRAB, str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"screenshot failed: {done.stderr}"
    image = QImage(str(out))
    assert not image.isNull(), f"unreadable screenshot {out}"
    return image.convertToFormat(QImage.Format.Format_RGB32)


def _colours(image: QImage, rect: tuple[int, int, int, int], step: int = 3) -> int:
    """Distinct colours in ``rect`` (x, y, w, h), sampling every ``step`` pixels."""
    x, y, w, h = rect
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + w, image.width()), min(y + h, image.height())
    data = bytes(image.constBits())
    stride = image.bytesPerLine()
    seen: set[bytes] = set()
    for row in range(y0, y1, step):
        line = data[row * stride + x0 * 4 : row * stride + x1 * 4]
        seen.update(line[i : i + 4] for i in range(0, len(line), 4 * step))
    return len(seen)


def _close(env: dict[str, str], program: subprocess.Popen[bytes], window: str) -> str:
    """Ctrl+Q first (as a user would); SIGTERM if that does not end it. Returns which."""
    _xdotool(env, "windowfocus", "--sync", window)
    _xdotool(env, "key", "--clearmodifiers", "ctrl+q")
    try:
        program.wait(timeout=20)
        return "ctrl+q"
    except subprocess.TimeoutExpired:
        pass
    program.send_signal(signal.SIGTERM)
    try:
        program.wait(timeout=20)
        return "SIGTERM"
    except subprocess.TimeoutExpired:
        program.kill()
        program.wait()
        raise AssertionError("the program ignored Ctrl+Q and SIGTERM") from None


def test_program_shows_its_window_on_a_real_x_server(display: str, tmp_path: Path) -> None:
    assert PROGRAM.exists(), f"{PROGRAM} missing: bash scripts/setup.sh installs it"
    env = _x_env(display, tmp_path)
    log = tmp_path / "program.log"
    output = log.open("wb")
    program = subprocess.Popen(
        [str(PROGRAM), "--data-dir", str(tmp_path / "data")],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        window = _main_window(env, program, log)
        x, y, w, h = _geometry(env, window)
        # A first start with no saved layout opens a window one can work in, not a sliver.
        assert w >= 1200 and h >= 750, f"window opened at {w}x{h}"
        shot = tmp_path / "screen.png"
        # The window may still be filling in: allow a few seconds for a drawn frame.
        deadline = time.monotonic() + 15
        while True:
            image = _screenshot(env, shot)
            colours = _colours(image, (x, y, w, h))
            if colours >= 24 or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert (image.width(), image.height()) == SCREEN
        assert colours >= 24, (
            f"the window's area {w}x{h}+{x}+{y} looks blank ({colours} colours): see {shot}"
        )
        how = _close(env, program, window)
        assert program.returncode is not None
    finally:
        if program.poll() is None:
            program.kill()
            program.wait()
        output.close()
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text
    if how == "ctrl+q":
        assert program.returncode == 0, f"exit {program.returncode} after Ctrl+Q:\n{text}"
