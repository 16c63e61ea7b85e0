"""The location picker over today's map: accent-free type-ahead, province from commune, speed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pakn_desktop.services.reference_lists import ReferenceLists, load_reference_lists
from pakn_desktop.widgets.folded_combo import FoldedComboBox
from pakn_desktop.widgets.location_picker import LocationPicker
from pakn_desktop.widgets.place_search import PlaceSearch

from .db_template import MigratedEnv
from .intake_data import BEN_THANH, HANOI, HCMC, HOAN_KIEM


@pytest.fixture(scope="module")
def lists(
    tmp_path_factory: pytest.TempPathFactory, migrated: MigratedEnv
) -> Iterator[ReferenceLists]:
    from pakn_desktop.services.database import open_database

    db = open_database(migrated(tmp_path_factory.mktemp("map")))
    try:
        yield load_reference_lists(db)
    finally:
        db.close()


@pytest.fixture
def picker(qtbot: QtBot, lists: ReferenceLists) -> LocationPicker:
    widget = LocationPicker()
    qtbot.addWidget(widget)
    widget.set_places(lists.provinces, lists.communes)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def test_today_map_is_loaded(lists: ReferenceLists) -> None:
    assert len(lists.provinces) == 34
    assert len(lists.communes) == 3321
    assert {c.code for c in lists.kinds} >= {"phan_anh", "khieu_nai", "to_cao"}
    assert lists.own_procedure == {"khieu_nai", "to_cao"}
    drainage = next(c for c in lists.categories if c.code.endswith("cap_thoat_nuoc"))
    assert drainage.parent == "ha_tang_do_thi"


def test_typing_without_accents_finds_ben_thanh(qtbot: QtBot, picker: LocationPicker) -> None:
    picker.commune.setFocus()
    qtbot.keyClicks(picker.commune, "phuong ben thanh")
    assert picker.suggestions()[0] == "Phường Bến Thành — Thành phố Hồ Chí Minh"
    qtbot.keyClick(picker.commune, Qt.Key.Key_Return)
    assert picker.commune.text() == "Phường Bến Thành"
    assert picker.commune_code() == BEN_THANH
    assert picker.province_code() == HCMC  # the commune brings its province


def test_arrow_keys_choose_among_suggestions(qtbot: QtBot, picker: LocationPicker) -> None:
    picker.commune.setFocus()
    qtbot.keyClicks(picker.commune, "hoan kiem")
    names = picker.suggestions()
    assert names[0].startswith("Phường Hoàn Kiếm")
    qtbot.keyClick(picker.commune, Qt.Key.Key_Down)
    qtbot.keyClick(picker.commune, Qt.Key.Key_Return)
    assert picker.commune_code() == HOAN_KIEM and picker.province_code() == HANOI


def test_a_chosen_province_narrows_the_suggestions(qtbot: QtBot, picker: LocationPicker) -> None:
    picker.province.setFocus()
    qtbot.keyClicks(picker.province, "ha noi")
    assert picker.province_code() == HANOI
    picker.commune.setFocus()
    qtbot.keyClicks(picker.commune, "phuong")
    assert picker.suggestions() and all("—" not in s for s in picker.suggestions())
    qtbot.keyClicks(picker.commune, " ben thanh")
    assert picker.suggestions() == []  # Bến Thành is not in Hà Nội


def test_typed_but_not_picked_is_returned_as_typed(qtbot: QtBot, picker: LocationPicker) -> None:
    picker.commune.setText("Phường Không Có")
    assert picker.commune_code() == "Phường Không Có"  # the form's validation names it


def test_restore_codes(picker: LocationPicker) -> None:
    picker.set_location(HCMC, BEN_THANH)
    assert picker.province.currentText() == "Thành phố Hồ Chí Minh"
    assert picker.commune.text() == "Phường Bến Thành"
    picker.clear()
    assert picker.province_code() == "" and picker.commune_code() == ""


def test_search_ranks_and_folds_d(lists: ReferenceLists) -> None:
    search = PlaceSearch(lists.communes)
    assert search.find("ben thanh")[0].code == BEN_THANH
    assert search.find("PHƯỜNG BẾN THÀNH")[0].code == BEN_THANH
    found = search.find("dong da")  # đ folds to d
    assert found and found[0].name.startswith("Phường Đống Đa")
    assert search.find("ben thanh", province_code=HANOI) == []
    assert search.exact("ben thanh", HCMC).code == BEN_THANH  # type: ignore[union-attr]


def test_folded_combo_selects_without_accents(qtbot: QtBot) -> None:
    combo = FoldedComboBox()
    qtbot.addWidget(combo)
    combo.addItems(["Trật tự đô thị", "Cấp thoát nước (hạ tầng đô thị)", "Chiếu sáng"])
    qtbot.keyClicks(combo, "cap")
    assert combo.currentIndex() == 1
