"""``pakn-desktop screenshot``: every screen and dialog rendered offscreen on a demo database, at
1366×768, not blank; every dialog class of ui/admin, ui/workflow and ui/evidence has a shot (a new
dialog without one fails here). The contact sheet is composed from them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import numpy  # noqa: F401 - OpenBLAS starts its threads on import: before the leak check counts
import pytest
from PIL import Image
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from pakn_desktop.services.environment import resolve
from pakn_desktop.ui.screenshot import render
from pakn_desktop.ui.screenshot.render import SIZE, render_all, render_screen, shots
from pakn_desktop.ui.screenshot.sheet import compress, contact_sheet

from .qt_helpers import no_thread_leaks  # noqa: F401 (fixture)

pytestmark = [pytest.mark.usefixtures("no_thread_leaks")]

PACKAGES = ("pakn_desktop.ui.admin", "pakn_desktop.ui.workflow", "pakn_desktop.ui.evidence")
# The workflow dialogs' and the administration dialogs' shared bases: never shown by themselves.
BASES = {"HeldDialog", "AdminDialog"}


def dialog_classes() -> set[str]:
    """Every QDialog subclass defined in PACKAGES (their modules imported one by one)."""
    found: set[str] = set()
    for package in PACKAGES:
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            module = importlib.import_module(f"{package}.{info.name}")
            for name, value in vars(module).items():
                if (
                    inspect.isclass(value)
                    and issubclass(value, QDialog)
                    and value.__module__ == module.__name__
                ):
                    found.add(name)
    return found


def distinct_colours(path: Path) -> int:
    with Image.open(path) as image:
        small = image.convert("RGB").resize((96, 54))
    return len(small.getcolors(96 * 54) or ())


def test_the_enumeration_finds_the_dialogs_known_today() -> None:
    known = {
        "SlaSettingsDialog",
        "RoutingRulesDialog",
        "NotifySettingsDialog",
        "UnitsDialog",
        "SyncServerDialog",
    }
    known |= {"ForwardDialog", "ActionDialog", "MergeDialog", "ImageViewer", "RedactionDialog"}
    assert known | BASES <= dialog_classes()


def test_every_screen_and_dialog_renders(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "DEMO_TICKETS", 400)  # enough for every status the shots need
    env = resolve(data_dir=str(tmp_path / "data"))
    out = tmp_path / "shots"
    out.mkdir()
    made = render_all(env, out)
    assert [item.shot.name for item in made] == list(shots())
    for item in made:
        with Image.open(item.path) as image:
            assert image.size == SIZE, item.shot.name
        assert distinct_colours(item.path) > 40, f"{item.shot.name} looks blank"
        assert item.shot.caption
    shown = {item.dialog for item in made if item.dialog is not None}
    missing = dialog_classes() - BASES - shown
    assert not missing, f"dialogs without a screenshot (ui/screenshot/dialogs.py): {missing}"
    # Each workflow shot is of the action it names (not another dialog left open).
    titles = {item.shot.name: item.dialog for item in made}
    assert titles["forward"] == "ForwardDialog" and titles["merge"] == "MergeDialog"
    assert titles["result"] == titles["publish"] == titles["pause"] == "ActionDialog"

    compress([item.path for item in made])
    sheet = contact_sheet(made, out / "contact-sheet.png")
    with Image.open(sheet) as image:
        assert image.width > 1000 and image.height > 1000
    assert distinct_colours(sheet) > 40
    for item in made:
        with Image.open(item.path) as image:
            assert image.size == SIZE  # under the budget: not downscaled


def test_one_screen_by_name_and_a_bad_name_refused(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pakn_desktop.data.errors import KnownError

    env = resolve(data_dir=str(tmp_path / "data"))
    with pytest.raises(KnownError, match="không có màn hình 'nope'"):
        render_screen(env, "nope", tmp_path / "x.png")
    with pytest.raises(KnownError, match="kích thước quá nhỏ"):
        render_screen(env, "admin", tmp_path / "x.png", size=(100, 100))
    monkeypatch.setattr(render, "DEMO_TICKETS", 50)
    target = render_screen(env, "reports", tmp_path / "reports.png", size=(1280, 720))
    with Image.open(target) as image:
        assert image.size == (1280, 720)
