"""The intake screen's long pick lists filter as the operator types (folded, anywhere in the
name), and its side lists say so when they are empty."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pakn_desktop.domain.text import fold
from pakn_desktop.ui.main.window import MainWindow

from .intake_data import DRAINAGE
from .test_intake_screen import (  # noqa: F401 (window: fixture)
    fill_valid,
    keys,
    save_by_key,
    start_call,
    window,
)


def _shown(combo) -> list[str]:  # noqa: ANN001
    model = combo.matches.model()
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def test_categories_filter_as_the_operator_types(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
) -> None:
    screen = start_call(qtbot, window)
    category = screen.form.category
    category.setFocus()
    keys(qtbot, "nuoc")  # "nước" anywhere in the name, typed without accents
    popup = category.matches.popup()
    qtbot.waitUntil(popup.isVisible)
    shown = _shown(category)
    assert 0 < len(shown) < category.count()
    assert all("nuoc" in fold(text) for text in shown)
    everything = [category.itemText(i) for i in range(category.count())]
    assert shown == sorted(
        (t for t in everything if "nuoc" in fold(t)),
        key=lambda t: (t != category.currentText(), everything.index(t)),
    )
    drainage = category.itemText(category.findData(DRAINAGE))
    assert drainage in shown
    row = shown.index(drainage)
    popup.setCurrentIndex(popup.model().index(row, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert category.currentData() == DRAINAGE


def test_a_province_typed_that_matches_nothing_says_so(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
) -> None:
    screen = start_call(qtbot, window)
    province = screen.form.place.province
    province.setFocus()
    keys(qtbot, "xyzq")
    qtbot.waitUntil(province.matches.popup().isVisible)
    assert _shown(province) == ["Không có mục nào khớp “xyzq”"]


def test_every_side_list_says_when_it_is_empty(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
) -> None:
    screen = start_call(qtbot, window)
    panels = (screen.history, screen.duplicates, screen.drafts)
    qtbot.waitUntil(lambda: all(p.status.text() for p in panels), timeout=10_000)
    fill_valid(screen)
    save_by_key(qtbot, screen)  # the form is reset: the lists are empty again
    for panel in panels:
        assert panel.model.rowCount() == 0 or panel is screen.history
        if panel.model.rowCount() == 0:
            assert panel.status.isVisible() and panel.status.text(), panel.objectName()
