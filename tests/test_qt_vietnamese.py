"""Qt's own buttons and dialogs speak Vietnamese once the application is configured."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
)
from pytestqt.qtbot import QtBot

from pakn_desktop.ui.application import configure


def test_standard_buttons_and_the_file_dialog_are_vietnamese(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    configure(app)
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, "PAKN", "Xóa?", buttons.Yes | buttons.No)
    box.addButton(buttons.Cancel)
    box.addButton(buttons.Ok)
    qtbot.addWidget(box)
    texts = sorted(b.text().replace("&", "") for b in box.buttons())
    assert texts == ["Có", "Hủy", "Không", "Đồng ý"]
    row = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
    )
    qtbot.addWidget(row)
    assert sorted(b.text() for b in row.buttons()) == ["Lưu", "Đóng"]

    dialog = QFileDialog(None, "Chọn tệp")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    shown = {b.text().replace("&", "") for b in dialog.findChildren(QDialogButtonBox)[0].buttons()}
    assert shown == {"Mở", "Hủy"}
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert "&Tên tệp:" in labels and not any(t.startswith(("File", "Look")) for t in labels)
