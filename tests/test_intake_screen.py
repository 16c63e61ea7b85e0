"""The intake screen inside the real main window, driven from the keyboard (pytest-qt, offscreen).

Vietnamese letters are typed with ``type_text`` (QTest.sendKeyEvent carrying the text): Qt's
``QTest.keyClicks`` only maps Latin-1 characters to key codes and aborts on "ễ". ASCII goes
through ``qtbot.keyClicks`` like everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pakn_desktop.data.models import Draft, Evidence, Reporter, Ticket
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.ui.intake.screen import IntakeScreen
from pakn_desktop.ui.main.window import INTAKE, QUEUE, MainWindow

from .intake_data import BEN_THANH, DRAINAGE, HCMC, form, png
from .qt_helpers import open_window, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier
ORIGINAL = "Cống bị tắc ở đường Lê Lợi, nước tràn lên vỉa hè gây mùi hôi."


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> Iterator[MainWindow]:
    yield open_window(qtbot, database, env, tmp_path, size=(1400, 900), start="no", shown="active")


def earlier_reports(database: Database, env: Environment, n: int = 2) -> list[SavedTicket]:
    service = IntakeService(database, EvidenceStore(env.evidence_dir))
    return [service.save(form(content=f"{ORIGINAL} Lần {i + 1}.")) for i in range(n)]


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def keys(qtbot: QtBot, text: str) -> None:
    """Type into whatever has the focus, like the operator."""
    if text.isascii():
        qtbot.keyClicks(focused(), text)
    else:
        type_text(focused(), text)


def key(qtbot: QtBot, which: Qt.Key, modifier: Qt.KeyboardModifier = NONE) -> None:
    qtbot.keyClick(focused(), which, modifier)


def start_call(qtbot: QtBot, window: MainWindow) -> IntakeScreen:
    key(qtbot, Qt.Key.Key_F2)
    screen = window.intake
    qtbot.waitUntil(lambda: screen.lists is not None)
    assert window.current_screen() == INTAKE
    return screen


def count(database: Database, table: type) -> int:
    with database.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def save_by_key(qtbot: QtBot, screen: IntakeScreen) -> SavedTicket:
    with qtbot.waitSignal(screen.controller.saved, timeout=10_000) as blocker:
        key(qtbot, Qt.Key.Key_Return, CTRL)
    return blocker.args[0]


def test_a_whole_call_from_the_keyboard(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    assert window.current_screen() == QUEUE
    screen = start_call(qtbot, window)  # F2 from the queue
    assert screen.call_bar.timer.running
    assert focused() is screen.form.phone
    keys(qtbot, "0912 345 678")
    key(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "Nguyễn Văn An")
    key(qtbot, Qt.Key.Key_Tab)  # province: left empty, the commune sets it
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is screen.form.place.commune
    keys(qtbot, "phuong ben thanh")
    key(qtbot, Qt.Key.Key_Tab)  # takes the top suggestion and moves on
    assert screen.form.place.commune_code() == BEN_THANH
    assert screen.form.place.province_code() == HCMC
    keys(qtbot, "12 Lê Lợi")
    key(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "24/11/2025 07:45")
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is screen.form.content
    keys(qtbot, ORIGINAL)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is screen.form.kind  # Phản ánh is the first kind
    key(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "cap thoat")  # accent-free type-to-select
    assert screen.form.category.currentData() == DRAINAGE
    key(qtbot, Qt.Key.Key_Tab)
    keys(qtbot, "k")  # Khẩn
    assert screen.form.urgency.currentData() == "urgent"
    qtbot.waitUntil(lambda: "0912 345 678" in screen.form.phone_shown.text())
    saved = save_by_key(qtbot, screen)

    assert screen.banner.isVisible()
    assert screen.banner.code.text() == saved.code
    assert screen.banner.code.font().pointSizeF() >= 26
    assert screen.form.content.toPlainText() == ""  # ready for the next call
    assert not screen.call_bar.timer.running
    with database.engine.connect() as conn:
        row = conn.execute(select(Ticket).where(Ticket.code == saved.code)).one()
        reporter = conn.execute(select(Reporter).where(Reporter.id == row.reporter_id)).one()
    assert (row.channel_code, row.kind, row.category_code) == ("hotline", "phan_anh", DRAINAGE)
    assert (row.province_code, row.commune_code, row.address) == (HCMC, BEN_THANH, "12 Lê Lợi")
    assert row.urgency == "urgent" and row.content == ORIGINAL and row.status == "new"
    # typed "24/11/2025 07:45": the office's wall clock (UTC+7), whatever the machine's zone
    assert row.event_at == datetime(2025, 11, 24, 0, 45, tzinfo=UTC)
    assert (reporter.full_name, reporter.phone) == ("Nguyễn Văn An", "+84912345678")
    assert count(database, Draft) == 0  # the draft went with the save
    with qtbot.waitSignal(QGuiApplication.clipboard().dataChanged):
        key(qtbot, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().text() == saved.code


FORMATS = ["0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678"]


@pytest.mark.parametrize("typed", FORMATS)
def test_caller_history_for_every_way_of_typing_the_number(
    qtbot: QtBot, window: MainWindow, database: Database, env: Environment, typed: str
) -> None:
    earlier = earlier_reports(database, env)
    screen = start_call(qtbot, window)
    with qtbot.waitSignal(screen.controller.historyShown, timeout=5000, check_params_cb=bool):
        keys(qtbot, typed)
    panel = screen.history
    assert panel.model.rowCount() == 2
    shown = {panel.model.data(panel.model.index(r, 0)) for r in range(2)}
    assert shown == {t.code for t in earlier}
    assert panel.model.data(panel.model.index(0, 2)) == "Mới tiếp nhận"
    assert panel.model.data(panel.model.index(0, 3))  # the deadline
    assert "+84912345678" in screen.form.phone_shown.text()


def test_duplicate_candidate_for_text_without_diacritics_and_link(
    qtbot: QtBot, window: MainWindow, database: Database, env: Environment
) -> None:
    (first,) = earlier_reports(database, env, n=1)
    screen = start_call(qtbot, window)
    f = screen.form
    f.category.setCurrentIndex(f.category.findData(DRAINAGE))
    f.place.set_location(HCMC, BEN_THANH)
    f.content.setFocus()
    with qtbot.waitSignal(screen.controller.candidatesShown, timeout=5000, check_params_cb=bool):
        keys(qtbot, "Cong bi tac o duong Le Loi, nuoc tran len via he gay mui hoi")
    assert screen.duplicates.current().code == first.code
    key(qtbot, Qt.Key.Key_D, CTRL)
    assert screen.duplicate_of == first.code and screen.call_bar.duplicate.isVisible()
    saved = save_by_key(qtbot, screen)
    assert saved.status == "duplicate"


def fill_valid(screen: IntakeScreen) -> None:
    f = screen.form
    f.phone.setText("0912 345 678")
    f.name.setText("Nguyễn Văn An")
    f.place.set_location(HCMC, BEN_THANH)
    f.content.setPlainText(ORIGINAL)
    f.category.setCurrentIndex(f.category.findData(DRAINAGE))


def paste_nul(qtbot: QtBot, screen: IntakeScreen) -> None:
    screen.form.content.clear()
    QGuiApplication.clipboard().setText("Cống bị tắc\x00 ở Lê Lợi")
    screen.form.content.setFocus()
    key(qtbot, Qt.Key.Key_V, CTRL)
    assert "\x00" in screen.form.content.toPlainText()


def commune_elsewhere(qtbot: QtBot, screen: IntakeScreen) -> None:
    screen.form.place.province.setFocus()
    keys(qtbot, "ha noi")
    key(qtbot, Qt.Key.Key_Tab)
    assert screen.form.place.province_code() == "01"


def typed_into(widget_name: str, text: str, clear: bool = True):  # noqa: ANN201
    def change(qtbot: QtBot, screen: IntakeScreen) -> None:
        widget = getattr(screen.form, widget_name)
        widget.setFocus()
        if clear:
            widget.clear()
        if text:
            keys(qtbot, text)

    return change


BAD_INPUTS = {
    "nul": (paste_nul, "content", "ký tự điều khiển"),
    "phone": (typed_into("phone", "0912 34"), "reporter_phone", "Số điện thoại không hợp lệ"),
    "email": (typed_into("email", "an@@mail"), "reporter_email", "thư điện tử không hợp lệ"),
    "commune": (commune_elsewhere, "place", "không thuộc tỉnh/thành phố"),
    "empty": (typed_into("content", ""), "content", "Chưa nhập nội dung"),
    "future": (typed_into("event_at", "01/01/2099 08:00"), "event_at", "tương lai"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_shows_its_message_by_the_field_and_stores_nothing(
    qtbot: QtBot, window: MainWindow, database: Database, case: str
) -> None:
    change, box_name, words = BAD_INPUTS[case]
    screen = start_call(qtbot, window)
    fill_valid(screen)
    change(qtbot, screen)
    with qtbot.waitSignal(screen.controller.saveRefused, timeout=5000):
        key(qtbot, Qt.Key.Key_Return, CTRL)
    box = screen.form.boxes[box_name]
    assert box.has_error(), f"no message under {box_name}"
    assert words.lower() in box.message.text().lower()
    assert focused() in (box.editor, screen.form.place.commune, screen.form.place.province)
    assert count(database, Ticket) == 0
    # Fixing it clears the line (checked again on a worker as the operator types).
    if case == "phone":
        with qtbot.waitSignal(screen.controller.checked, timeout=5000):
            keys(qtbot, "5 678")
        assert not box.has_error()


def test_no_diacritics_warns_without_blocking(qtbot: QtBot, window: MainWindow) -> None:
    screen = start_call(qtbot, window)
    fill_valid(screen)
    screen.form.content.clear()
    screen.form.content.setFocus()
    with qtbot.waitSignal(screen.controller.checked, timeout=5000):
        keys(qtbot, "Cong bi tac o duong Le Loi nuoc tran len via he")
    box = screen.form.boxes["content"]
    assert box.message.isVisible() and not box.has_error()
    assert "không có dấu" in box.message.text()
    saved = save_by_key(qtbot, screen)
    assert saved.warnings


def test_a_1mb_paste_stays_responsive_and_saves_nothing(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    screen = start_call(qtbot, window)
    line = "Nước thải tràn ra đường, mùi hôi nồng nặc kéo dài nhiều ngày liền. " * 2
    big = (line + "\n") * (1_000_000 // (len(line) + 1))
    QGuiApplication.clipboard().setText(big)
    screen.form.content.setFocus()
    key(qtbot, Qt.Key.Key_V, CTRL)  # how long it takes: bench/bench_paste.py
    for char in "abc":
        key(qtbot, getattr(Qt.Key, f"Key_{char.upper()}"))
    assert len(screen.form.content.toPlainText()) == len(big) + 3
    with qtbot.waitSignal(screen.controller.draftSaved, timeout=10_000):
        pass  # the debounced draft (1 MB of JSON) is written on the write lane
    assert count(database, Ticket) == 0


def test_pasting_an_image_from_the_clipboard_attaches_it(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    screen = start_call(qtbot, window)
    fill_valid(screen)
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    QGuiApplication.clipboard().setImage(image)
    screen.form.content.setFocus()
    with qtbot.waitSignal(screen.attachments.changed, timeout=5000):
        key(qtbot, Qt.Key.Key_V, CTRL)
    assert screen.form.content.toPlainText() == ORIGINAL  # no text pasted
    strip = screen.form.message.strip
    assert strip.count() == 1 and strip.isVisibleTo(screen)
    (attachment,) = screen.attachments.values()
    assert attachment.data.startswith(b"\x89PNG") and attachment.source == "clipboard"
    save_by_key(qtbot, screen)
    assert count(database, Evidence) == 1


def test_dropping_a_png_file_attaches_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, env: Environment
) -> None:
    screen = start_call(qtbot, window)
    key(qtbot, Qt.Key.Key_F3)  # message mode shows the strip
    path = tmp_path / "anh chup.png"
    path.write_bytes(png(16, 12, seed=7))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    strip = screen.form.message.strip
    # QApplication delivers drag events only while the platform runs a drag (sendEvent of a
    # QDropEvent is dropped before any widget sees it), so the strip's handlers get the
    # events the viewport would forward to them.
    at, copy, left = QPoint(20, 20), Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    enter = QDragEnterEvent(at, copy, mime, left, NONE)
    strip.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(at), copy, mime, left, NONE)
    with qtbot.waitSignal(screen.attachments.changed, timeout=5000):
        strip.dropEvent(drop)
    assert drop.isAccepted()
    (attachment,) = screen.attachments.values()
    assert attachment.display_name == "anh chup.png"
    stored = EvidenceStore(env.evidence_dir).read_bytes(attachment.sha256)
    assert stored == path.read_bytes() and attachment.data == b""  # streamed, not held
    assert strip.item(0).text() == "anh chup.png"


def test_hold_a_call_take_another_and_switch_back(
    qtbot: QtBot, window: MainWindow, database: Database
) -> None:
    screen = start_call(qtbot, window)
    keys(qtbot, "0912 345 678")
    with qtbot.waitSignal(screen.controller.draftSaved, timeout=5000) as first:
        key(qtbot, Qt.Key.Key_H, CTRL)  # on hold: saved now, empty form
    assert screen.form.phone.text() == ""
    key(qtbot, Qt.Key.Key_F2)
    keys(qtbot, "0987 654 321")
    with qtbot.waitSignal(screen.controller.loaded, timeout=5000):
        key(qtbot, Qt.Key.Key_R, CTRL)  # resume the other draft
    assert screen.form.phone.text() == "0912 345 678"
    assert screen.controller.draft_id == first.args[0]
    qtbot.waitUntil(lambda: screen.drafts.model.rowCount() == 2)
    assert count(database, Draft) == 2


def test_kinds_with_their_own_procedure_and_help(qtbot: QtBot, window: MainWindow) -> None:
    screen = start_call(qtbot, window)
    kind = screen.form.kind
    kind.setCurrentIndex(kind.findData("to_cao"))
    note = screen.form.kind_note.text()
    assert "thủ tục riêng" in note and "Danh tính người tố cáo được pháp luật bảo vệ" in note
    assert screen.form.confidential.isChecked() and not screen.form.confidential.isEnabled()
    kind.setCurrentIndex(kind.findData("hoi_dap"))
    assert screen.form.boxes["answer"].isVisibleTo(screen)
    key(qtbot, Qt.Key.Key_F1)
    assert screen.help.isVisible()
    assert any("F2" in keys_text for keys_text, _label in screen.help.rows)
    key(qtbot, Qt.Key.Key_Escape)
    assert not screen.help.isVisible()


def test_question_answered_on_the_call_is_closed_at_once(qtbot: QtBot, window: MainWindow) -> None:
    screen = start_call(qtbot, window)
    fill_valid(screen)
    screen.form.kind.setCurrentIndex(screen.form.kind.findData("hoi_dap"))
    screen.form.answer.setFocus()
    key(qtbot, Qt.Key.Key_T, CTRL)  # quick phrases
    menu = screen.phrases.menu
    qtbot.waitUntil(menu.isVisible)
    menu.actions()[4].trigger()  # "tra cứu bằng mã hồ sơ"
    assert "mã hồ sơ" in screen.form.answer.toPlainText()
    saved = save_by_key(qtbot, screen)
    assert saved.status == "closed"
