"""Small pieces the evidence panel shares: the reason asked before a detach."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget


def _tr(text: str) -> str:
    return QCoreApplication.translate("EvidencePanel", text)


def ask_reason(parent: QWidget, name: str, then: Callable[[str], None]) -> QInputDialog:
    """The confirmation of a detach: the reason is required (custody names it); the dialog
    opens without blocking and calls ``then(reason)`` on OK."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("detachReason")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowTitle(_tr("Gỡ minh chứng khỏi hồ sơ"))
    dialog.setLabelText(
        _tr(
            "Gỡ “%1” khỏi hồ sơ? Tệp gốc vẫn được lưu làm chứng cứ, "
            "chỉ được đánh dấu đã gỡ.\n\nLý do:"
        ).replace("%1", name)
    )
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setOkButtonText(_tr("Gỡ"))
    dialog.setCancelButtonText(_tr("Huỷ"))

    def chosen(text: str) -> None:
        if text.strip():
            then(text.strip())

    dialog.textValueSelected.connect(chosen)
    dialog.open()
    return dialog
