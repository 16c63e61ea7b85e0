"""Bulk forward and close of the queue's selected rows (``WorkflowService.act_many``), with a
summary of what was done and what was refused, and why."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from pakn_desktop.domain.workflow import Action
from pakn_desktop.services.forward_choices import ForwardChoices
from pakn_desktop.ui.tasks import Tasks
from pakn_desktop.ui.workflow.backend import WorkflowBackend
from pakn_desktop.ui.workflow.forward_dialog import ForwardDialog
from pakn_desktop.ui.workflow.words import refusal_text

# Several selected reports at once (the help overlay names the same keys).
BULK_FORWARD_KEY, BULK_CLOSE_KEY = "Ctrl+Shift+F5", "Ctrl+Shift+W"


class BulkBar(QWidget):
    """Shown while two or more rows are selected. ``selection()`` gives (id, code) pairs."""

    done = Signal(object)  # services.workflow.BulkResult
    message = Signal(str)

    def __init__(
        self,
        backend: Callable[[], WorkflowBackend],
        tasks: Tasks,
        selection: Callable[[], list[tuple[uuid.UUID, str]]],
        role: Callable[[], str],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkBar")
        self._backend = backend
        self._tasks = tasks
        self._selection = selection
        self._role = role
        self.dialog: ForwardDialog | None = None
        self.count = QLabel(self)
        self.forward = QPushButton(self.tr("Chuyển xử lý hàng loạt (Ctrl+Shift+F5)"), self)
        self.close_all = QPushButton(self.tr("Kết thúc hàng loạt (Ctrl+Shift+W)"), self)
        self.summary = QLabel(self)
        self.summary.setObjectName("bulkSummary")
        self.summary.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.count, self.forward, self.close_all):
            layout.addWidget(widget)
        layout.addWidget(self.summary, 1)
        self.forward.clicked.connect(self.ask_forward)
        self.close_all.clicked.connect(lambda: self.run(Action.CLOSE, {}))
        for key, slot in ((BULK_FORWARD_KEY, self.ask_forward), (BULK_CLOSE_KEY, self._close)):
            shortcut = QShortcut(QKeySequence(key), parent)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.hide()

    def selection_changed(self) -> None:
        rows = len(self._selection())
        self.count.setText(self.tr("Đã chọn %1 phản ánh").replace("%1", str(rows)))
        self.setVisible(rows > 1 or bool(self.summary.text()))
        self.forward.setEnabled(rows > 1)
        self.close_all.setEnabled(rows > 1)

    def _close(self) -> None:
        if len(self._selection()) > 1:
            self.run(Action.CLOSE, {})

    def ask_forward(self) -> None:
        if len(self._selection()) < 2:
            return
        backend = self._backend
        self._tasks.read(lambda: backend().units(), key="bulk-units", on_result=self._open_forward)

    def _open_forward(self, choices: ForwardChoices) -> None:
        dialog = ForwardDialog(choices, self, title=self.tr("Chuyển xử lý hàng loạt"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.run(Action.FORWARD, dialog.fields()))
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def run(self, action: Action, fields: dict[str, Any]) -> None:
        pairs = self._selection()
        if len(pairs) < 2:
            return
        codes = dict(pairs)
        ids = [tid for tid, _code in pairs]
        backend, role = self._backend, self._role()
        self.summary.setText(self.tr("Đang thực hiện…"))
        self._tasks.write(
            lambda: backend().act_many(ids, action.value, role, fields),
            on_result=lambda result: self._finished(result, codes),
            on_error=lambda error: self.summary.setText(str(error)),
        )

    def _finished(self, result: Any, codes: dict[uuid.UUID, str]) -> None:
        text = self.tr("Xong %1 phản ánh").replace("%1", str(len(result.done)))
        if result.refused:
            named = "; ".join(
                f"{codes.get(tid, tid)}: {refusal_text(code, detail)}"
                for tid, code, detail in result.refused
            )
            text += self.tr(", %1 bị từ chối — ").replace("%1", str(len(result.refused)))
            text += named
        self.summary.setText(text)
        self.setVisible(True)
        self.message.emit(text)
        self.done.emit(result)
