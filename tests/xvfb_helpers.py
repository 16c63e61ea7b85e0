"""Shared by the xvfb-marked tests: start an Xvfb server, the environment of an X client on
it, run a Qt child process there, and read back the images it wrote."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage


def need(tool: str) -> str:
    """The tool's path; a skip where it is missing (a failure on CI or PAKN_REQUIRE_XVFB)."""
    path = shutil.which(tool)
    if path is None:
        reason = f"{tool} not installed (bash scripts/setup.sh --test installs it)"
        if os.environ.get("CI", "").lower() == "true" or os.environ.get("PAKN_REQUIRE_XVFB"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@contextmanager
def xvfb_server(tmp_path: Path, *args: str) -> Iterator[str]:
    """A fresh Xvfb (``args``: its screen options) on a display number it picks itself."""
    xvfb = need("Xvfb")
    read_end, write_end = os.pipe()
    log = (tmp_path / "xvfb.log").open("w")
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), *args, "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=log,
        stderr=log,
    )
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], 30)
        number = os.read(read_end, 64).decode().strip() if ready else ""
        assert number.isdigit(), f"Xvfb gave no display number; see {tmp_path / 'xvfb.log'}"
        yield f":{number}"
    finally:
        os.close(read_end)
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def x_env(display: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PAKN_DB_URL", "PAKN_DATA_DIR")}
    runtime = tmp_path / "xdg-runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        XDG_RUNTIME_DIR=str(runtime),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    return env


def run_child(
    child: Path,
    x_display: str,
    tmp_path: Path,
    *args: str,
    extra_env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Runs ``child ARGS[0] OUT ARGS[1:]`` on the display; its ``OUT/result.json``, with
    ``out`` (the directory of the images it wrote) added."""
    out = tmp_path / args[0]
    out.mkdir()
    env = x_env(x_display, tmp_path)
    env.update(extra_env or {})
    done = subprocess.run(
        [sys.executable, str(child), args[0], str(out), *args[1:]],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=str(child.parent.parent),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result: dict[str, Any] = json.loads((out / "result.json").read_text(encoding="utf-8"))
    result["out"] = str(out)
    return result


def rgb(path: Path) -> QImage:
    image = QImage(str(path))
    assert not image.isNull(), path
    return image.convertToFormat(QImage.Format.Format_RGB32)


def differing_pixels(captured: QImage, expected: QImage) -> list[tuple[int, int]]:
    assert captured.size() == expected.size(), (captured.size(), expected.size())
    return [
        (x, y)
        for y in range(captured.height())
        for x in range(captured.width())
        if captured.pixel(x, y) != expected.pixel(x, y)
    ]
