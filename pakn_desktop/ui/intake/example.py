"""A call and a message typed into the intake screen, for ``pakn-desktop screenshot
intake-call|intake-message`` (the manual and reviews): what an operator sees mid-work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from .screen import IntakeScreen


def type_text(widget: QWidget, text: str) -> None:
    """Key events carrying ``text``, as an operator types it (QTest.keyClicks only knows
    Latin-1 key codes); the tests type Vietnamese the same way (``tests/qt_helpers.py``)."""
    for char in text:
        code = Qt.Key.Key_Return if char == "\n" else Qt.Key.Key_unknown
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, code, char, Qt.KeyboardModifier.NoModifier
        )


@dataclass(frozen=True)
class Example:
    """A real caller of the demo data (so the history shows) and one of their reports (so
    a near-identical text shows as a possible duplicate)."""

    phone: str
    name: str
    province_code: str
    commune_code: str
    category: str
    summary: str


def fill_example(screen: IntakeScreen, mode: str, example: Example) -> Callable[[], bool]:
    """Type the example into the screen; returns "the side panels have their answers"."""
    done = {"history": mode != "call", "duplicates": False, "image": mode != "message"}
    screen.controller.historyShown.connect(lambda _items: done.update(history=True))
    screen.controller.candidatesShown.connect(lambda _items: done.update(duplicates=True))
    screen.attachments.changed.connect(lambda _n: done.update(image=True))
    form = screen.form
    if mode == "call":
        screen.new_call()
        type_text(form.phone, example.phone)
        type_text(form.name, example.name)
        form.event_at.setText("nay")
    else:
        screen.new_message()
        message = form.message
        type_text(message.sender_name, "Minh Anh Nguyễn")
        message.sender_profile_url.setText("https://facebook.com/minhanh.nguyen.92")
        message.message_url.setText("https://facebook.com/messages/t/1029384756")
        message.message_at.setText("nay")
        form.handling_note.setPlainText(
            "Đã tiếp nhận, lưu ảnh chụp tin nhắn và chuyển UBND phường xử lý theo thẩm quyền."
        )
        screen.attachments.offer([_screenshot_like()], [])
    form.place.set_location(example.province_code, example.commune_code)
    form.address.setText("Hẻm 42 " + ("Lê Lợi" if mode == "call" else "Nguyễn Trãi"))
    form.category.setCurrentIndex(max(0, form.category.findData(example.category)))
    if mode == "call":
        type_text(form.content, example.summary + " Người dân đề nghị xử lý sớm.")
    else:
        type_text(form.content, f"[09:12] Minh Anh: Chào ad 👋 {example.summary}\n[09:13] Ad: ")
    return lambda: all(done.values())


def _screenshot_like() -> QImage:
    """A stand-in for a pasted screenshot of the conversation."""
    image = QImage(360, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("#e9ecf2"))
    painter = QPainter(image)
    painter.fillRect(0, 0, 360, 36, QColor("#1877f2"))
    painter.setPen(Qt.GlobalColor.white)
    painter.setFont(QFont("DejaVu Sans", 12))
    painter.drawText(12, 24, "Messenger")
    painter.setPen(Qt.GlobalColor.black)
    painter.fillRect(12, 60, 240, 40, QColor("#ffffff"))
    painter.drawText(20, 85, "Chào ad, đèn đường hỏng…")
    painter.fillRect(108, 120, 240, 40, QColor("#d8e6ff"))
    painter.drawText(116, 145, "Cảm ơn bạn, ad đã ghi nhận")
    painter.end()
    return image
