"""The small dialogs of the workflow's actions: a reason, a reject code, the competent body,
the original of a duplicate, a new due date, the result and the publication text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.domain.workflow import Action
from pakn_desktop.services.publication import PublicationDraft
from pakn_desktop.ui.workflow.words import REJECT_REASONS, action_label, refusal_text

# Actions whose only field is a reason (required by the state machine).
REASON_ONLY = frozenset({Action.RETURN, Action.REOPEN, Action.REOPEN_TO_UNIT})
# Actions that need no dialog at all: one key, done.
NO_FIELDS = frozenset({Action.SCREEN, Action.ACCEPT, Action.START, Action.ANSWER, Action.CLOSE})


class ActionDialog(QDialog):
    """One form per action; ``fields()`` gives the workflow's fields after ``exec()``."""

    def __init__(
        self,
        action: Action,
        parent: QWidget | None = None,
        *,
        draft: PublicationDraft | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actionDialog")
        self.setWindowTitle(action_label(action))
        self._action = action
        self._required: list[QLineEdit | QPlainTextEdit] = []
        self.form = QFormLayout()
        self.reason = QLineEdit(self)
        self.reason_code = QComboBox(self)
        self.target_body = QLineEdit(self)
        self.duplicate_of = QLineEdit(self)
        self.due_at = QDateTimeEdit(self)
        self.text = QPlainTextEdit(self)
        self.refusal = QLabel(self)
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #b42318; font-weight: bold;")
        self.refusal.hide()
        self._build(action, draft)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(action_label(action))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.refusal)
        layout.addWidget(self.buttons)
        for widget in self._required:
            widget.textChanged.connect(self._update)
        self._blocked = draft is not None and draft.refusal is not None and action is Action.PUBLISH
        self._update()

    def _build(self, action: Action, draft: PublicationDraft | None) -> None:
        tr = self.tr
        if action in REASON_ONLY:
            self._add(tr("Lý do"), self.reason, required=True)
        elif action is Action.REJECT:
            for code, label in REJECT_REASONS.items():
                self.reason_code.addItem(tr(label), code)
            self.form.addRow(tr("Lý do từ chối"), self.reason_code)
            self._add(tr("Ghi chú"), self.reason)
        elif action is Action.NOT_COMPETENT:
            self._add(tr("Cơ quan có thẩm quyền"), self.target_body, required=True)
            self._add(tr("Lý do"), self.reason, required=True)
        elif action is Action.MARK_DUPLICATE:
            self.duplicate_of.setPlaceholderText(tr("Mã hồ sơ gốc, ví dụ PA-261125-…"))
            self._add(tr("Trùng với phản ánh"), self.duplicate_of, required=True)
        elif action in (Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION):
            if action is Action.REQUEST_EXTENSION:
                self._add(tr("Lý do"), self.reason, required=True)
            self.due_at.setCalendarPopup(True)
            self.due_at.setDisplayFormat("dd/MM/yyyy HH:mm")
            self.due_at.setDateTime(QDateTime.currentDateTime().addDays(7))
            self.form.addRow(tr("Hạn mới"), self.due_at)
        elif action is Action.RECORD_RESULT:
            self.text.setPlaceholderText(tr("Kết quả xử lý của đơn vị"))
            self._add(tr("Kết quả"), self.text, required=True)
        elif action is Action.PUBLISH:
            assert draft is not None
            self.text.setPlainText(draft.text)
            self._add(tr("Nội dung công khai"), self.text, required=True)
            note = QLabel(tr("Thông tin cá nhân của người phản ánh đã được che; hãy đọc lại."))
            note.setWordWrap(True)
            self.form.addRow("", note)
            if draft.refusal is not None:
                self.refusal.setText(tr("Không được công khai: ") + refusal_text(draft.refusal))
                self.refusal.show()
                self.text.setReadOnly(True)
        if self._required:
            self._required[0].setFocus()

    def _add(
        self, label: str, widget: QLineEdit | QPlainTextEdit, *, required: bool = False
    ) -> None:
        self.form.addRow(label + (" *" if required else ""), widget)
        if required:
            self._required.append(widget)

    def _update(self) -> None:
        filled = all(
            (w.text() if isinstance(w, QLineEdit) else w.toPlainText()).strip()
            for w in self._required
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(filled and not self._blocked)

    def fields(self) -> dict[str, Any]:
        a = self._action
        fields: dict[str, Any] = {}
        if self.reason.text().strip():
            fields["reason"] = self.reason.text().strip()
        if a is Action.REJECT:
            fields["reason_code"] = self.reason_code.currentData()
        elif a is Action.NOT_COMPETENT:
            fields["target_body"] = self.target_body.text().strip()
        elif a is Action.MARK_DUPLICATE:
            fields["duplicate_of"] = self.duplicate_of.text().strip()
        elif a in (Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION):
            when = self.due_at.dateTime().toSecsSinceEpoch()
            fields["due_at"] = datetime.fromtimestamp(when, UTC).isoformat()
        elif a is Action.RECORD_RESULT:
            fields["result_text"] = self.text.toPlainText().strip()
        elif a is Action.PUBLISH:
            fields["publication_text"] = self.text.toPlainText().strip()
        return fields
