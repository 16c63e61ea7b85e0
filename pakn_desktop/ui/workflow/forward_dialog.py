"""The forward dialog: lead unit (routing suggestion pre-selected, accent-free type-ahead),
coordinating units, a note. Keyboard first: type, arrows, Enter."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.domain.text import fold
from pakn_desktop.services.workflow.forward_choices import ForwardChoices
from pakn_desktop.services.workflow.unit_choices import UnitChoice
from pakn_desktop.ui.workflow.dialogs import HeldDialog

_UNIT = Qt.ItemDataRole.UserRole


def _matches(unit: UnitChoice, words: list[str]) -> bool:
    return all(w in unit.folded for w in words)


class ForwardDialog(HeldDialog):
    """``fields()`` gives the workflow's forward fields."""

    def __init__(
        self, choices: ForwardChoices, parent: QWidget | None = None, *, title: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("forwardDialog")
        self.setWindowTitle(title or self.tr("Chuyển xử lý"))
        self._choices = choices
        self.filter = QLineEdit(self)
        self.filter.setObjectName("unitFilter")
        self.filter.setPlaceholderText(self.tr("Gõ tên đơn vị, không cần dấu…"))
        self.filter.setClearButtonEnabled(True)
        self.lead = QListWidget(self)
        self.lead.setObjectName("leadUnits")
        self.coordinating = QListWidget(self)
        self.coordinating.setObjectName("coordinatingUnits")
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("Ghi chú cho đơn vị (không bắt buộc)"))
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        for unit in choices.units:
            name = unit.name
            if unit.id == choices.suggested:
                name += self.tr("  (gợi ý theo quy tắc phân công)")
            item = QListWidgetItem(name, self.lead)
            item.setData(_UNIT, unit)
            other = QListWidgetItem(unit.name, self.coordinating)
            other.setData(_UNIT, unit)
            other.setFlags(other.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            other.setCheckState(Qt.CheckState.Unchecked)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Chuyển (Enter)"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy (Esc)"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form = QFormLayout()
        form.addRow(self.tr("Tìm đơn vị"), self.filter)
        form.addRow(self.tr("Đơn vị chủ trì"), self.lead)
        form.addRow(self.tr("Đơn vị phối hợp"), self.coordinating)
        form.addRow(self.tr("Ghi chú"), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        # Said before the forward, not found out later: the unit will not be told.
        self.unsent = QLabel(self)
        self.unsent.setObjectName("unsentWarning")
        self.unsent.setWordWrap(True)
        self.unsent.setStyleSheet("color: #b54708; font-weight: bold;")
        self.unsent.hide()
        layout.addWidget(self.unsent)
        layout.addWidget(self.refusal)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)
        self.lead.currentItemChanged.connect(lambda *_a: self._update())
        self.resize(560, 520)
        self._select(choices.suggested or choices.current_lead)
        self.filter.setFocus()
        self._update()

    def warn_unsent(self, text: str | None) -> None:
        """Show why the unit's SMS / e-mail would not go out (None: they would)."""
        self.unsent.setText(text or "")
        self.unsent.setVisible(bool(text))
        if text:  # the warning's line is added, not taken from the unit lists
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    # --- keyboard: the filter line steers the lead list -------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self._step(-1 if event.key() == Qt.Key.Key_Up else 1)
                return True
        return super().eventFilter(watched, event)

    def _step(self, delta: int) -> None:
        rows = [r for r in range(self.lead.count()) if not self.lead.item(r).isHidden()]
        if not rows:
            return
        current = self.lead.currentRow()
        at = rows.index(current) if current in rows else -1
        self.lead.setCurrentRow(rows[max(0, min(len(rows) - 1, at + delta))])

    def _filter(self, text: str) -> None:
        words = fold(text).split()
        first: int | None = None
        for row in range(self.lead.count()):
            item = self.lead.item(row)
            shown = _matches(item.data(_UNIT), words)
            item.setHidden(not shown)
            if shown and first is None:
                first = row
        current = self.lead.currentItem()
        if current is None or current.isHidden():
            self.lead.setCurrentRow(first if first is not None else -1)
        self._update()

    def _select(self, unit_id: uuid.UUID | None) -> None:
        for row in range(self.lead.count()):
            if self.lead.item(row).data(_UNIT).id == unit_id:
                self.lead.setCurrentRow(row)
                self.lead.scrollToItem(self.lead.item(row))
                return

    def ok_button(self) -> QPushButton:
        return self.ok

    def _update(self) -> None:
        unit = self.lead_unit()
        self.ok.setEnabled(unit is not None and not self.busy)
        visible = any(not self.lead.item(r).isHidden() for r in range(self.lead.count()))
        if unit is None and visible:
            self.hint.setText(self.tr("Chọn đơn vị chủ trì: gõ tên hoặc dùng ↑ ↓."))
        elif unit is None:
            self.hint.setText(self.tr("Không có đơn vị nào khớp."))
        else:
            self.hint.setText(self.tr("Chủ trì: %1").replace("%1", unit.name))

    # --- the answer -----------------------------------------------------------------------

    def lead_unit(self) -> UnitChoice | None:
        item = self.lead.currentItem()
        if item is None or item.isHidden():
            return None
        unit: UnitChoice = item.data(_UNIT)
        return unit

    def fields(self) -> dict[str, Any]:
        lead = self.lead_unit()
        assert lead is not None
        coordinating = [
            self.coordinating.item(r).data(_UNIT).id
            for r in range(self.coordinating.count())
            if self.coordinating.item(r).checkState() == Qt.CheckState.Checked
            and self.coordinating.item(r).data(_UNIT).id != lead.id
        ]
        fields: dict[str, Any] = {"lead_unit_id": lead.id, "coordinating_unit_ids": coordinating}
        if self.note.text().strip():
            fields["reason"] = self.note.text().strip()
        return fields
