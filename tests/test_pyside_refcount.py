"""Known trap (DESIGN.md): PySide6 6.12.0 on Python 3.11 drops a reference to None on every
Python override returning None, until the interpreter aborts in ``none_dealloc``."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

ROOT = Path(__file__).resolve().parents[1]
REPAINTS = 20_000
BAD = "6.12.0"


class _Painted(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        self.paints += 1
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().window())
        painter.end()
        # falls off the end: returns None to C++, which is what 6.12.0 miscounts


def test_none_refcount_survives_many_repaints(qtbot: QtBot) -> None:
    widget = _Painted()
    qtbot.addWidget(widget)
    widget.resize(16, 16)
    # grab() paints through the Python paintEvent whatever the platform; on "offscreen"
    # repaint() of a shown widget never reaches it.
    widget.grab()  # warm up: the first paint may create cached objects holding None

    before = sys.getrefcount(None)
    done = 0
    # The bug loses one reference per call; other noise is a few at most. Checking after a
    # first small batch turns the bug into a failed assertion before it can abort pytest.
    for batch in (1_000, REPAINTS - 1_000):
        for _ in range(batch):
            widget.grab()
        done += batch
        lost = before - sys.getrefcount(None)
        assert lost < 100, f"None lost {lost} references in {done} repaints"

    assert widget.paints > REPAINTS, "grab() did not call the Python paintEvent"


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the trap is on Python 3.11 only")
def test_installed_pyside6_is_not_the_broken_release() -> None:
    assert pyside_version != BAD, f"PySide6 {BAD} aborts Python 3.11 after many repaints"


def test_lock_files_pin_a_safe_pyside6() -> None:
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text(encoding="utf-8")
        pins = re.findall(r"^pyside6-essentials==(\S+)", text, flags=re.MULTILINE | re.IGNORECASE)
        assert pins, f"{lock} does not pin PySide6-Essentials"
        assert BAD not in pins, f"{lock} pins PySide6 {BAD}"
