"""Qt's own buttons and dialogs speak Vietnamese once the application is configured."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from pakn_desktop.ui.application import configure


def test_standard_buttons_and_the_file_dialog_are_vietnamese(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    configure(app)
    # The program's own words (Vietnamese source text) and Qt's unlisted ones pass through.
    assert QCoreApplication.translate("Labels", "Mới tiếp nhận") == "Mới tiếp nhận"
    assert QCoreApplication.translate("QPlatformTheme", "Unlisted words") == "Unlisted words"
    assert QLabel(QCoreApplication.translate("MainWindow", "Hàng đợi")).text() == "Hàng đợi"
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
    dialog.show()
    texts = {w.toolTip() for w in dialog.findChildren(QWidget)}
    texts |= {w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)}
    for view in dialog.findChildren(QTreeView):
        model = view.model()
        horizontal = Qt.Orientation.Horizontal
        texts |= {str(model.headerData(c, horizontal)) for c in range(model.columnCount())}
    texts.discard("")
    assert {"&Tìm trong:", "&Tên tệp:", "&Loại tệp:", "Tên", "Kích thước"} <= texts
    # Every Vietnamese word here has a marked letter; an English one left would not.
    assert not [text for text in texts if text.isascii()]
