"""The routing rules dialog: Ctrl+Alt+R from the main window, administrators edit from the
keyboard, the forward dialog then pre-selects the rule's unit; other roles only look."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.workflow.routing import RoutingService
from pakn_desktop.ui.admin.routing_dialog import RoutingRulesDialog
from pakn_desktop.ui.main.window import MainWindow
from pakn_desktop.ui.queue.cells import COL_CODE
from pakn_desktop.ui.queue.model import ObjectRole
from pakn_desktop.ui.workflow.forward_dialog import ForwardDialog
from tests.intake_data import BEN_THANH, DRAINAGE, HCMC
from tests.qt_helpers import open_window
from tests.workflow_data import add_unit, save_report


@pytest.fixture
def units(database: Database) -> dict[str, uuid.UUID]:
    return {
        "BN": add_unit(database, "BN", name="UBND phường Bến Nghé"),
        "TD": add_unit(database, "TD", name="UBND phường Tân Định"),
        "CTN": add_unit(database, "CTN", name="Công ty Cấp thoát nước"),
    }


@pytest.fixture
def window(
    qtbot: QtBot,
    database: Database,
    env: Environment,
    tmp_path: Path,
    units: dict[str, uuid.UUID],
) -> Iterator[MainWindow]:
    save_report(database, EvidenceStore(env.evidence_dir))  # drainage, Bến Thành
    yield open_window(qtbot, database, env, tmp_path)


def _open(qtbot: QtBot, window: MainWindow, role: str) -> RoutingRulesDialog:
    window.role_box.setCurrentIndex(window.role_box.findData(role))
    window.activateWindow()
    qtbot.keyClick(
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    qtbot.waitUntil(lambda: window.admin.routing_dialog is not None)
    dialog = window.admin.routing_dialog
    assert isinstance(dialog, RoutingRulesDialog)
    qtbot.waitUntil(lambda: dialog.unit.count() > 1, timeout=10_000)
    return dialog


def _rules(database: Database) -> int:
    return len(RoutingService(database).list_rules())


def test_an_administrator_adds_a_rule_and_the_forward_dialog_follows_it(
    qtbot: QtBot, window: MainWindow, database: Database, units: dict[str, uuid.UUID]
) -> None:
    dialog = _open(qtbot, window, "admin")
    assert dialog.editable and dialog.save_button.isEnabled()
    qtbot.waitUntil(dialog.category.hasFocus)
    qtbot.keyClicks(dialog.category, "cap thoat")  # no accents: Cấp thoát nước
    assert dialog.category.currentData() == DRAINAGE
    qtbot.keyClicks(dialog.place.commune, "ben thanh")
    qtbot.keyClick(dialog.place.commune, Qt.Key.Key_Tab)  # takes the first suggestion
    assert (dialog.place.province_code(), dialog.place.commune_code()) == (HCMC, BEN_THANH)
    qtbot.keyClicks(dialog.unit, "cong ty cap")
    assert dialog.unit.currentData() == units["CTN"]
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.keyClick(dialog.unit, Qt.Key.Key_Return)  # the form's default button: save
    (rule,) = RoutingService(database).list_rules()
    assert (rule.category_code, rule.province_code, rule.commune_code, rule.unit_id) == (
        DRAINAGE,
        HCMC,
        BEN_THANH,
        units["CTN"],
    )
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text().startswith("Cấp thoát nước")
    assert dialog.table.item(0, 2).text() == "Phường Bến Thành"
    # The test box asks the forward dialog's question.
    qtbot.keyClicks(dialog.test_category, "cap thoat")
    qtbot.keyClicks(dialog.test_place.commune, "ben thanh")
    qtbot.keyClick(dialog.test_place.commune, Qt.Key.Key_Tab)
    with qtbot.waitSignal(dialog.tested, timeout=10_000) as found:
        qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert found.args is not None and found.args[0].unit_id == units["CTN"]
    assert "Công ty Cấp thoát nước" in dialog.test_result.text()
    _render(dialog, "routing_rules_admin")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()

    # The forward dialog of a matching report pre-selects the unit.
    window.role_box.setCurrentIndex(window.role_box.findData("operator"))
    queue = window.queue
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    queue.table.setFocus()
    queue.table.selectRow(0)
    item = queue.model.data(queue.model.index(0, COL_CODE), ObjectRole)
    actions = queue.detail.action_bar
    assert actions is not None
    qtbot.waitUntil(lambda: actions._ticket == item.id and bool(actions.allowed()))
    qtbot.keyClick(queue.table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: isinstance(actions.dialog, ForwardDialog), timeout=10_000)
    forward = actions.dialog
    assert isinstance(forward, ForwardDialog)
    lead = forward.lead_unit()
    assert lead is not None and lead.id == units["CTN"]
    forward.reject()
    QApplication.processEvents()


def test_an_operator_sees_the_rules_read_only(
    qtbot: QtBot, window: MainWindow, database: Database, units: dict[str, uuid.UUID]
) -> None:
    RoutingService(database).add_rule("admin", unit_id=units["BN"], province_code=HCMC)
    dialog = _open(qtbot, window, "operator")
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert not dialog.editable
    assert not dialog.save_button.isEnabled() and not dialog.unit.isEnabled()
    assert not dialog.category.isEnabled() and not dialog.delete_button.isEnabled()
    assert "Chỉ vai trò Quản trị" in dialog.status.text()
    dialog.table.setCurrentCell(0, 0)  # shown in the form, still not editable
    assert dialog.unit.currentData() == units["BN"] and not dialog.unit.isEnabled()
    qtbot.keyClick(dialog.unit, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert dialog.confirm is None and _rules(database) == 1
    # Testing stays open to everyone.
    qtbot.keyClicks(dialog.test_category, "cap thoat")
    dialog.test_place.set_location(HCMC, "")
    with qtbot.waitSignal(dialog.tested, timeout=10_000) as found:
        qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert found.args is not None and found.args[0].unit_id == units["BN"]
    _render(dialog, "routing_rules_operator")
    dialog.reject()


def test_a_rule_without_a_unit_is_refused_and_nothing_is_stored(
    qtbot: QtBot, window: MainWindow, database: Database, units: dict[str, uuid.UUID]
) -> None:
    dialog = _open(qtbot, window, "admin")
    qtbot.waitUntil(dialog.category.hasFocus)
    qtbot.keyClicks(dialog.category, "cap thoat")
    qtbot.keyClick(dialog.category, Qt.Key.Key_Return)
    assert dialog.errors.isVisible()
    assert "Chọn đơn vị chủ trì." in dialog.errors.text()
    assert _rules(database) == 0
    # A commune typed but never picked from the suggestions is refused too.
    qtbot.keyClicks(dialog.unit, "tan dinh")
    dialog.place.commune.setText("phuong khong co")
    qtbot.keyClick(dialog.unit, Qt.Key.Key_Return)
    assert "Xã/phường không có trong danh mục" in dialog.errors.text()
    assert _rules(database) == 0
    # The same place, category and priority as a stored rule: refused (the service too).
    dialog.place.clear()
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.keyClick(dialog.unit, Qt.Key.Key_Return)
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert dialog.unit.currentIndex() == 0 and dialog.delete_button.isEnabled() is False
    qtbot.keyClicks(dialog.category, "cap thoat")
    qtbot.keyClicks(dialog.unit, "ben nghe")
    qtbot.keyClick(dialog.unit, Qt.Key.Key_Return)
    assert "Đã có quy tắc cùng lĩnh vực" in dialog.errors.text()
    _render(dialog, "routing_rules_refused")
    assert _rules(database) == 1
    dialog.reject()


def _render(dialog: RoutingRulesDialog, name: str) -> None:
    out = os.environ.get("PAKN_RENDER_DIR")
    if out:
        dialog.grab().save(str(Path(out) / f"{name}.png"))
