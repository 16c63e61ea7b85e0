"""The real program with test hooks: ``python tests/intake_driver.py [pakn-desktop options]``.

It starts exactly as ``pakn-desktop`` does (``cli.main``: the same options, environment and
composition root), then hooks into the first main window. ``tests/test_intake_kill.py`` runs it
in a subprocess and needs it to type and to report, which a test outside the process cannot do
offscreen. The hooks, chosen by environment variables:

- ``PAKN_TEST_INTAKE_TYPE=<text>``: once the intake lists are loaded, start a call (F2), type
  the phone ``0912 345 678`` and ``<text>`` into the content as key events (as an operator
  would), then print ``TYPED`` on stdout. The draft is saved by the screen's own debounce.
- ``PAKN_TEST_INTAKE_IMAGE=<png file>``: with the above, also attach that image as a
  clipboard paste would, and print ``TYPED`` only once it is attached (stored).
- ``PAKN_TEST_INTAKE_STREAM=<text>``: once the lists are loaded, start a call, type the
  phone, then type ``<text>`` into the content one character every 40 ms, over and over,
  printing ``KEY <n> <time.monotonic()>`` after the n-th character: a test kills the program
  mid-typing and compares the draft with what was typed when.
- ``PAKN_TEST_INTAKE_REPORT=<file>``: once the lists and the open drafts are known, write
  ``{"offered": N, "bar": "Có N bản nháp chưa lưu"}``, resume the newest draft, then write
  ``{..., "content": …, "phone": …, "attachments": [{sha256, display_name, source}]}`` to
  ``<file>`` (once the draft's images are read back) and close the window.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pakn_desktop.app import Launched
    from pakn_desktop.services.environment import Environment
    from pakn_desktop.ui.intake.screen import IntakeScreen
    from pakn_desktop.ui.main.window import MainWindow

TYPE_ENV = "PAKN_TEST_INTAKE_TYPE"
REPORT_ENV = "PAKN_TEST_INTAKE_REPORT"
IMAGE_ENV = "PAKN_TEST_INTAKE_IMAGE"
STREAM_ENV = "PAKN_TEST_INTAKE_STREAM"
STREAM_MS = 40
TEST_PHONE = "0912 345 678"


def _json(state: dict[str, Any]) -> str:
    return json.dumps(state, ensure_ascii=False)


def install_if_asked(window: MainWindow) -> None:
    text = os.environ.get(TYPE_ENV)
    report = os.environ.get(REPORT_ENV)
    stream = os.environ.get(STREAM_ENV)
    if text is None and report is None and stream is None:
        return
    window.show_screen(0)  # Tiếp nhận: builds the screen, which starts loading
    screen = window.intake
    if text is not None:
        _when_ready(screen, lambda: _type(screen, text))
    if stream:
        _when_ready(screen, lambda: _stream(screen, stream))
    if report is not None:
        _report(window, screen, Path(report))


def _when_ready(screen: IntakeScreen, then: Any) -> None:
    if screen.lists is not None:
        then()
    else:
        screen.listsLoaded.connect(then)


def _type(screen: IntakeScreen, text: str) -> None:
    from pakn_desktop.ui.intake.example import type_text

    screen.new_call()
    type_text(screen.form.phone, TEST_PHONE)
    type_text(screen.form.content, text)
    image = os.environ.get(IMAGE_ENV)
    if image is None:
        _typed()
        return
    from PySide6.QtGui import QImage

    def attached(_count: int) -> None:
        screen.attachments.changed.disconnect(attached)
        _typed()

    screen.attachments.changed.connect(attached)
    screen.attachments.offer([QImage(image)], [])  # what a Ctrl+V of an image does


def _stream(screen: IntakeScreen, text: str) -> None:
    from PySide6.QtCore import QTimer

    from pakn_desktop.ui.intake.example import type_text

    screen.new_call()
    type_text(screen.form.phone, TEST_PHONE)
    timer = QTimer(screen)
    timer.setInterval(STREAM_MS)
    typed = [0]

    def one_key() -> None:
        type_text(screen.form.content, text[typed[0] % len(text)])
        typed[0] += 1
        print(f"KEY {typed[0]} {time.monotonic():.4f}", flush=True)

    timer.timeout.connect(one_key)
    timer.start()


def _typed() -> None:
    print("TYPED", flush=True)
    sys.stdout.flush()


def _report(window: MainWindow, screen: IntakeScreen, out: Path) -> None:
    state: dict[str, Any] = {}

    def maybe_resume(*_args: object) -> None:
        if "offered" in state or screen.lists is None or "drafts" not in state:
            return
        state["offered"] = len(state.pop("drafts"))
        state["bar"] = screen.drafts_bar.text.text() if screen.drafts_bar.isVisible() else ""
        out.write_text(_json(state), encoding="utf-8")
        if state["offered"]:
            screen.controller.loaded.connect(finish)
            screen.resume_newest()
        else:
            window.close()

    def listed(drafts: list[Any]) -> None:
        if "offered" not in state and "drafts" not in state:
            state["drafts"] = drafts
            maybe_resume()

    def finish(*_args: object) -> None:
        if screen.attachments.restoring:  # the draft's images are still being read back
            screen.attachments.changed.connect(finish)
            return
        state["content"] = screen.form.content.toPlainText()
        state["phone"] = screen.form.phone.text()
        state["attachments"] = [
            {
                "sha256": a.sha256,
                "display_name": a.display_name,
                "source": a.source,
                "size": len(a.data),
            }
            for a in screen.attachments.values()
        ]
        state["strip"] = screen.form.message.strip.count()
        out.write_text(_json(state), encoding="utf-8")
        window.close()

    screen.controller.draftsListed.connect(listed)
    screen.listsLoaded.connect(maybe_resume)


def main(argv: list[str]) -> int:
    """``pakn-desktop`` itself, with the hooks installed on the window its launch opens."""
    from pakn_desktop import app, cli

    launch = app.launch

    def launch_with_hooks(env: Environment) -> Launched:
        launched = launch(env)
        install_if_asked(launched.window)
        return launched

    app.launch = launch_with_hooks  # run() looks it up at call time
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
