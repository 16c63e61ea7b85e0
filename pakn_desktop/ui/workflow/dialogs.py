"""The small dialogs of the workflow's actions: a reason, a reject code, the competent body,
the original of a duplicate, a new due date, the result (with its attachments) and the
publication text. Each stays open while its action is written (``HeldDialog``): a refusal,
such as a report changed meanwhile on another workstation, is shown in it and nothing the
user typed is lost."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QObject, QSize, QTimeZone, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.domain.office_time import OFFICE_ZONE_NAME
from pakn_desktop.domain.workflow import Action
from pakn_desktop.services.workflow.publication import PublicationDraft
from pakn_desktop.ui.workflow.result_files import ResultFiles
from pakn_desktop.ui.workflow.words import REJECT_REASONS, action_label, refusal_text

# Actions whose only field is a reason (required by the state machine).
REASON_ONLY = frozenset({Action.RETURN, Action.REOPEN, Action.REOPEN_TO_UNIT, Action.PAUSE})
# Actions that need no dialog at all: one key, done.
NO_FIELDS = frozenset(
    {Action.SCREEN, Action.ACCEPT, Action.START, Action.ANSWER, Action.CLOSE, Action.RESUME}
)


class HeldDialog(QDialog):
    """With ``hold`` set, OK does not close: it emits ``submitted`` and waits. The action bar
    then calls ``finish()`` (written: close) or ``fail(text)`` (refused: the text shown in
    red, the form as the user left it, OK enabled again)."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hold = False
        self.busy = False
        self.refusal = QLabel(self)
        self.refusal.setObjectName("dialogRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #b42318; font-weight: bold;")
        self.refusal.hide()

    def ok_button(self) -> QPushButton | None:
        return None

    def _update(self) -> None:
        """Enable OK when the form is complete (each dialog's own rule)."""

    def accept(self) -> None:
        if not self.hold:
            super().accept()
            return
        ok = self.ok_button()
        if self.busy or (ok is not None and not ok.isEnabled()):
            return
        self.busy = True
        if ok is not None:
            ok.setEnabled(False)
        self.submitted.emit()

    def finish(self) -> None:
        self.busy = False
        super().accept()

    def fail(self, text: str) -> None:
        self.busy = False
        self.refusal.setText(text)
        self.refusal.show()
        self._update()
        ok = self.ok_button()
        if ok is not None:  # disabled while writing, it passed focus (and Enter) to Cancel
            ok.setDefault(True)
            if isinstance(self.focusWidget(), QPushButton):
                ok.setFocus()


class ActionDialog(HeldDialog):
    """One form per action; ``fields()`` gives the workflow's fields.

    ``attachments``: the result form offers files and pasted images (``files``)."""

    def __init__(
        self,
        action: Action,
        parent: QWidget | None = None,
        *,
        draft: PublicationDraft | None = None,
        attachments: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actionDialog")
        self.setWindowTitle(action_label(action))
        self._action = action
        self._blocked = False
        self._required: list[QLineEdit | QPlainTextEdit] = []
        self.form = QFormLayout()
        self.reason = QLineEdit(self)
        self.reason_code = QComboBox(self)
        self.target_body = QLineEdit(self)
        self.duplicate_of = QLineEdit(self)
        self.due_at = QDateTimeEdit(self)
        self.text = QPlainTextEdit(self)
        self.files: ResultFiles | None = None
        if attachments and action is Action.RECORD_RESULT:
            self.files = ResultFiles(self)
            self.text.installEventFilter(self)
        self._build(action, draft)
        for unused in (
            self.reason,
            self.reason_code,
            self.target_body,
            self.duplicate_of,
            self.due_at,
            self.text,
        ):
            if self.form.indexOf(unused) < 0:  # not in this action's form: not drawn at 0,0
                unused.hide()
        self._tab_order()
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
        if self.files is not None:  # room for the text and a few files, nothing squeezed
            self.resize(self.sizeHint().expandedTo(QSize(640, 0)))

    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _tab_order(self) -> None:
        """Tab follows the form top to bottom (the fields were created in another order)."""
        chain: list[QWidget] = []
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if widget is not None:
                chain.append(widget)
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Ctrl+V in the result text: an image or files on the clipboard become attachments,
        # text is pasted as text.
        if (
            self.files is not None
            and watched is self.text
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Paste)
            and self.files.paste(only_attachments=True)
        ):
            return True
        return super().eventFilter(watched, event)

    def _build(self, action: Action, draft: PublicationDraft | None) -> None:
        tr = self.tr
        if action in REASON_ONLY:
            self._add(tr("Lý do"), self.reason, required=True)
        elif action is Action.REJECT:
            self._build_reject()
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
            office = QTimeZone(OFFICE_ZONE_NAME.encode())  # the office's clock, as elsewhere
            self.due_at.setTimeZone(office)
            self.due_at.setDateTime(QDateTime.currentDateTime(office).addDays(7))
            self.form.addRow(tr("Hạn mới"), self.due_at)
        elif action in (Action.RECORD_RESULT, Action.EXPLAIN_DELAY):
            self._build_text(action)
        elif action is Action.PUBLISH:
            assert draft is not None
            self._build_publish(draft)
        if action is Action.REJECT:
            self.reason_code.setFocus()
        elif self._required:
            self._required[0].setFocus()

    def _build_text(self, action: Action) -> None:
        tr = self.tr
        if action is Action.EXPLAIN_DELAY:
            self.text.setPlaceholderText(
                tr(
                    "Vì sao đơn vị chưa có kết quả xử lý: nội dung này được công khai, "
                    "không ghi thông tin cá nhân của người phản ánh"
                )
            )
            self._add(tr("Lý do chậm"), self.text, required=True)
            return
        self.text.setPlaceholderText(tr("Kết quả xử lý của đơn vị"))
        self._add(tr("Kết quả"), self.text, required=True)
        if self.files is not None:
            self.form.addRow(tr("Tệp đính kèm"), self.files)

    def _build_reject(self) -> None:
        tr = self.tr
        for code, label in REJECT_REASONS.items():
            self.reason_code.addItem(tr(label), code)
        # No reason pre-chosen: a report is never rejected as spam by a stray Enter.
        self.reason_code.setPlaceholderText(tr("Chọn lý do (↑ ↓)"))
        self.reason_code.setCurrentIndex(-1)
        self.reason_code.currentIndexChanged.connect(lambda _i: self._update())
        self.form.addRow(tr("Lý do từ chối *"), self.reason_code)
        self._add(tr("Ghi chú"), self.reason)

    def _build_publish(self, draft: PublicationDraft) -> None:
        tr = self.tr
        self.text.setPlainText(draft.text)
        self._add(tr("Nội dung công khai"), self.text, required=True)
        note = QLabel(tr("Thông tin cá nhân của người phản ánh đã được che; hãy đọc lại."))
        note.setWordWrap(True)
        self.form.addRow("", note)
        if draft.refusal is not None:
            self.refusal.setText(tr("Không được công khai: ") + refusal_text(draft.refusal))
            self.refusal.show()
            self.text.setReadOnly(True)

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
        if self._action is Action.REJECT:
            filled = self.reason_code.currentIndex() >= 0
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(filled and not self._blocked and not self.busy)

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
        elif a is Action.EXPLAIN_DELAY:
            fields["reason"] = self.text.toPlainText().strip()
        return fields
