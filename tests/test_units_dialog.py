"""The units dialog: Ctrl+Alt+U from the main window; an administrator adds a unit and its
contact from the keyboard, the list filters as one types, a unit with history is deactivated;
other roles only look."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.unit_checks import ContactInput
from pakn_desktop.services.units import UnitsService
from pakn_desktop.services.workflow.forward_choices import forward_choices
from pakn_desktop.services.workflow.routing import RoutingService
from pakn_desktop.services.workflow.service import WorkflowService
from pakn_desktop.services.workflow.unit_choices import active_units
from pakn_desktop.ui.admin.units_dialog import UnitsDialog
from pakn_desktop.ui.main.window import MainWindow
from pakn_desktop.ui.workflow.forward_dialog import ForwardDialog
from tests.qt_helpers import open_window
from tests.workflow_data import save_report


@pytest.fixture
def city(database: Database) -> uuid.UUID:
    units = UnitsService(database)
    city = units.add_unit("UBND Thành phố Hồ Chí Minh").id
    for name in ("Sở Y tế", "Sở Xây dựng", "Công an Thành phố"):
        units.add_unit(
            name, parent_id=city, contacts=[ContactInput("Văn thư", phone="0283 822 1234")]
        )
    return city


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path, city: uuid.UUID
) -> Iterator[MainWindow]:
    yield open_window(qtbot, database, env, tmp_path)


def _open(qtbot: QtBot, window: MainWindow, role: str) -> UnitsDialog:
    window.role_box.setCurrentIndex(window.role_box.findData(role))
    window.activateWindow()
    qtbot.keyClick(
        window,
        Qt.Key.Key_U,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    qtbot.waitUntil(lambda: window.admin.units_dialog is not None)
    dialog = window.admin.units_dialog
    assert isinstance(dialog, UnitsDialog)
    qtbot.waitUntil(lambda: dialog.data is not None, timeout=10_000)
    return dialog


def _render(dialog: UnitsDialog, name: str) -> None:
    out = os.environ.get("PAKN_RENDER_DIR")
    if out:
        dialog.resize(1366, 768)
        dialog.apply_filter()
        dialog.grab().save(str(Path(out) / f"{name}.png"))


def test_an_administrator_adds_a_unit_and_its_contact(
    qtbot: QtBot, window: MainWindow, database: Database, city: uuid.UUID
) -> None:
    dialog = _open(qtbot, window, "admin")
    assert dialog.model.rowCount() == 4
    qtbot.waitUntil(dialog.name.hasFocus)
    dialog.name.setText("UBND phường Bến Thành")  # QTest types ASCII only; an IME inserts this
    qtbot.keyClicks(dialog.parent_unit, "ubnd thanh")  # no accents
    assert dialog.parent_unit.currentData() == city
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    added = UnitsService(database).find("UBND phường Bến Thành", city)
    assert added is not None and added.active and added.contacts == ()
    assert dialog.editing == added.id, "the new unit stays in the form, for its contacts"
    assert dialog.model.rowCount() == 5

    # A bad number is refused in Vietnamese; nothing typed is lost.
    dialog.contact_name.setText("Trần Thị Liên")
    qtbot.keyClicks(dialog.contact_phone, "12345")
    qtbot.mouseClick(dialog.save_contact_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.errors.isVisible, timeout=10_000)
    assert "Số điện thoại không hợp lệ" in dialog.errors.text()
    assert dialog.contact_name.text() == "Trần Thị Liên"

    dialog.contact_phone.clear()
    qtbot.keyClicks(dialog.contact_phone, "0912 345 678")
    qtbot.keyClicks(dialog.contact_email, "lien@example.org")
    dialog.receives_email.setChecked(False)
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.mouseClick(dialog.save_contact_button, Qt.MouseButton.LeftButton)
    unit = UnitsService(database).find("UBND phường Bến Thành", city)
    assert unit is not None
    [contact] = unit.contacts
    assert (contact.name, contact.phone, contact.email) == (
        "Trần Thị Liên",
        "+84912345678",
        "lien@example.org",
    )
    assert contact.receives_sms and not contact.receives_email
    assert dialog.contacts.rowCount() == 1
    assert dialog.contacts.item(0, 2).text() == "0912 345 678"
    assert dialog.contacts.item(0, 5).text() == "Không"
    assert not dialog.errors.isVisible()

    # The list filters as one types, without accents, by contact too.
    with qtbot.waitSignal(dialog.filtered, timeout=5_000) as shown:
        qtbot.keyClicks(dialog.filter, "ben thanh")
    assert shown.args == [1]
    dialog.filter.clear()
    with qtbot.waitSignal(dialog.filtered, timeout=5_000) as shown:
        qtbot.keyClicks(dialog.filter, "0283")
    assert shown.args == [3]
    dialog.filter.clear()
    _render(dialog, "units_dialog_admin")


def test_a_unit_with_history_is_deactivated_not_deleted(
    qtbot: QtBot, window: MainWindow, database: Database, env: Environment, city: uuid.UUID
) -> None:
    units = UnitsService(database)
    health = units.find("Sở Y tế", city)
    spare = units.add_unit("Tổ công tác tạm thời")
    assert health is not None
    ticket = save_report(database, EvidenceStore(env.evidence_dir))
    WorkflowService(database).act(ticket, "forward", "operator", None, {"lead_unit_id": health.id})
    dialog = _open(qtbot, window, "admin")

    def choose(name: str) -> None:
        [row] = [r for r, u in enumerate(dialog.model.rows) if u.name == name]
        dialog.table.setCurrentIndex(dialog.model.index(row, 0))  # as a click would
        assert dialog.editing == dialog.model.rows[row].id

    choose("Sở Y tế")
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert "ngừng hoạt động" in dialog.status.text()
    kept = units.find("Sở Y tế", city)
    assert kept is not None and not kept.active
    assert health.id not in {u.id for u in active_units(database)}
    [row] = [r for r, u in enumerate(dialog.model.rows) if u.name == "Sở Y tế"]
    assert dialog.model.index(row, 3).data() == "Ngừng"
    # The forward dialog of another report no longer offers it, as lead or coordinating.
    another = save_report(database, EvidenceStore(env.evidence_dir))
    choices = forward_choices(database, RoutingService(database), another)
    forward = ForwardDialog(choices)
    qtbot.addWidget(forward)
    offered = {forward.lead.item(i).text() for i in range(forward.lead.count())}
    also = {forward.coordinating.item(i).text() for i in range(forward.coordinating.count())}
    assert "Sở Xây dựng" in offered and "Sở Y tế" not in offered | also

    choose("Tổ công tác tạm thời")
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert units.find(spare.name) is None, "nothing referred to it: deleted"
    assert dialog.status.text() == "Đã xóa đơn vị."


def test_an_operator_sees_the_units_read_only(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open(qtbot, window, "operator")
    assert not dialog.editable
    assert dialog.model.rowCount() == 4
    assert not dialog.save_button.isEnabled() and not dialog.name.isEnabled()
    assert "Chỉ vai trò Quản trị" in dialog.status.text()
    dialog.close()
