"""A known caller: the history's count is every earlier report of the number (also beyond the
rows shown), and the name last given with it is offered (placeholder, ↓), never filled in.
A protected reporter (tố cáo, confidential) is never counted, named or hinted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pakn_desktop.domain.enums import Kind
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.caller_history import DEFAULT_LIMIT
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.ui.intake.screen import IntakeScreen
from pakn_desktop.ui.main.window import MainWindow

from .intake_data import form
from .test_intake_screen import keys, start_call, window  # noqa: F401 (fixtures)

PHONE = "0903 111 222"


def _save(database: Database, env: Environment, **changes: object) -> None:
    service = IntakeService(database, EvidenceStore(env.evidence_dir))
    service.save(form(reporter_phone=PHONE, **changes))


def _type_phone(qtbot: QtBot, screen: IntakeScreen) -> None:
    screen.form.phone.setFocus()
    with qtbot.waitSignal(screen.controller.historyShown, timeout=10_000):
        keys(qtbot, PHONE.replace(" ", ""))
    qtbot.waitUntil(
        lambda: screen.history.model.rowCount() > 0 or bool(screen.history.status.text())
    )


def test_count_beyond_the_rows_shown_and_the_name_offered(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
    database: Database,
    env: Environment,
) -> None:
    earlier = DEFAULT_LIMIT + 3
    for i in range(earlier):
        name = "Nguyễn Thị Lan" if i == earlier - 1 else ("Lan" if i == 0 else "")
        _save(database, env, reporter_name=name, content=f"Đèn đường hỏng lần {i + 1}.")
    screen = start_call(qtbot, window)
    _type_phone(qtbot, screen)
    assert screen.history.model.rowCount() == DEFAULT_LIMIT
    status = screen.history.status.text()
    assert status == f"{earlier} phản ánh trước đây của số này (hiện {DEFAULT_LIMIT} gần nhất)"
    name = screen.form.name
    assert name.text() == ""  # offered, not filled in
    assert name.placeholderText() == "Tên đã dùng: Nguyễn Thị Lan — bấm ↓ để chọn"

    name.setFocus()
    qtbot.keyClick(name, Qt.Key.Key_Down)
    popup = screen.form.name_completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().data(popup.model().index(0, 0)) == "Nguyễn Thị Lan"
    with qtbot.waitSignal(screen.controller.draftSaved, timeout=5000):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert name.text() == "Nguyễn Thị Lan"
    assert QApplication.focusWidget() is name

    screen.new_call()  # another call: no name offered from the last number
    assert screen.form.name.placeholderText() == ""


def test_a_protected_reporter_is_never_named_hinted_or_counted(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
    database: Database,
    env: Environment,
) -> None:
    _save(database, env, reporter_name="Trần Văn Bình", content="Cống tắc ở hẻm 4.")
    _save(database, env, reporter_name="Trần Văn Bình", content="Cống lại tắc ở hẻm 4.")
    _save(
        database,
        env,
        kind=Kind.TO_CAO.value,
        reporter_name="Lê Thị Mật",
        confidential=True,
        content="Tố cáo cán bộ phường nhận tiền khi cấp phép xây dựng.",
    )
    _save(database, env, reporter_name="Phạm Kín", confidential=True, content="Xin giữ kín.")
    screen = start_call(qtbot, window)
    _type_phone(qtbot, screen)
    hint = screen.form.name.placeholderText()
    assert hint == "Tên đã dùng: Trần Văn Bình — bấm ↓ để chọn"
    assert "Mật" not in hint and "Kín" not in hint
    assert screen.history.status.text().startswith("2 phản ánh trước đây của số này")
    screen.form.name.setFocus()
    qtbot.keyClick(screen.form.name, Qt.Key.Key_Down)
    popup = screen.form.name_completer.popup()
    qtbot.waitUntil(popup.isVisible)
    offered = [
        popup.model().data(popup.model().index(r, 0)) for r in range(popup.model().rowCount())
    ]
    assert offered == ["Trần Văn Bình"]


def test_a_number_with_only_protected_reports_offers_nothing(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
    database: Database,
    env: Environment,
) -> None:
    _save(
        database,
        env,
        kind=Kind.TO_CAO.value,
        reporter_name="Lê Thị Mật",
        confidential=True,
        content="Tố cáo cán bộ phường nhận tiền khi cấp phép xây dựng.",
    )
    screen = start_call(qtbot, window)
    _type_phone(qtbot, screen)
    assert screen.form.name.placeholderText() == ""
    assert screen.form.name_completer.model().rowCount() == 0
    assert "Mật" not in screen.history.status.text()
