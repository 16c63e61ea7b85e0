"""Small pieces the evidence panel shares: the reason asked before a detach, and the words
for an error (a known one from the environment, or a bug said plainly)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from pakn_desktop.services.evidence.errors import EvidenceError

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("EvidencePanel", text)


def error_text(error: BaseException) -> str:
    """Vietnamese words for ``error``: the store's refusal, a disk or database problem, or —
    for anything else, which is a bug — its type, logged with the traceback."""
    if isinstance(error, EvidenceError):
        return error.message
    if isinstance(error, OSError):
        name = f"{error.filename}: " if error.filename else ""
        return _tr("Lỗi đọc/ghi tệp: %1").replace("%1", f"{name}{error.strerror or error}")
    from pakn_desktop.data.errors import classify

    known = classify(error)
    if known is not None:
        return known.message
    log.error("evidence task failed", exc_info=error)
    return _tr("Lỗi không mong đợi: %1").replace("%1", f"{type(error).__name__}: {error}")


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
