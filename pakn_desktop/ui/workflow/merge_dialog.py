"""The merge dialog: pick the report that survives, by case code or search words (the
linked original offered first). Keyboard first: type, ↑ ↓, Enter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
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

from pakn_desktop.services.workflow.merge import MergeCandidate, MergeChoices
from pakn_desktop.ui.workflow.dialogs import HeldDialog
from pakn_desktop.widgets.labels import status_label

SEARCH_DELAY_MS = 250
_ROW = Qt.ItemDataRole.UserRole


class MergeDialog(HeldDialog):
    """``search_requested(text)``: the bar runs the search on a worker and answers with
    ``show_candidates(text, rows)``; ``fields()`` names the chosen survivor."""

    search_requested = Signal(str)

    def __init__(self, choices: MergeChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(self.tr("Gộp hồ sơ %1").replace("%1", choices.code))
        self._choices = choices
        self._candidates: list[MergeCandidate] = []
        explain = QLabel(
            self.tr(
                "%1 sẽ được đánh dấu trùng và gộp vào phản ánh giữ lại: minh chứng được "
                "chuyển sang, diễn biến của cả hai được giữ và hiện chung ở phản ánh giữ lại."
            ).replace("%1", choices.code),
            self,
        )
        explain.setWordWrap(True)
        self.query = QLineEdit(self)
        self.query.setObjectName("mergeQuery")
        self.query.setPlaceholderText(self.tr("Mã hồ sơ (PA-…) hoặc từ khóa, không cần dấu"))
        self.query.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setObjectName("mergeResults")
        self.results.setWordWrap(True)  # code and state on one line, the summary under it
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hint = QLabel(self)
        self.hint.setObjectName("mergeHint")
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Gộp (Enter)"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Hủy (Esc)"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Tìm phản ánh giữ lại"), self.query)
        form.addRow(self.tr("Phản ánh giữ lại *"), self.results)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.refusal)
        layout.addWidget(self.buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(lambda: self.search_requested.emit(self.query.text()))
        self.query.textChanged.connect(self._typed)
        self.query.installEventFilter(self)
        self.results.currentItemChanged.connect(lambda *_a: self._update())
        self.results.itemDoubleClicked.connect(lambda _i: self.accept())
        self.resize(600, 440)
        self._fill(self._offered())
        self.query.setFocus()

    def ok_button(self) -> QPushButton:
        return self.ok

    def _offered(self) -> list[MergeCandidate]:
        suggested = self._choices.suggested
        return [] if suggested is None else [suggested]

    # --- searching ------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        if text.strip():
            self._debounce.start()
        else:
            self._debounce.stop()
            self._fill(self._offered())

    def show_candidates(self, query: str, rows: tuple[MergeCandidate, ...]) -> None:
        if query != self.query.text():
            return  # an answer to what the user typed before
        self._fill(list(rows))

    def _fill(self, rows: list[MergeCandidate]) -> None:
        self._candidates = rows
        self.results.clear()
        suggested = self._choices.suggested
        for n, row in enumerate(rows):
            text = f"{row.code} · {status_label(row.status)}"
            if suggested is not None and row.id == suggested.id:
                text += self.tr(" · phản ánh gốc đang liên kết")
            text += f"\n{row.summary}"
            item = QListWidgetItem(text, self.results)
            item.setData(_ROW, n)
        if rows:
            self.results.setCurrentRow(0)
        self._update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.results.count():
                step = -1 if event.key() == Qt.Key.Key_Up else 1
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    # --- the answer -----------------------------------------------------------------------

    def survivor(self) -> MergeCandidate | None:
        item = self.results.currentItem()
        return None if item is None else self._candidates[int(item.data(_ROW))]

    def _update(self) -> None:
        chosen = self.survivor()
        self.ok.setEnabled(chosen is not None and not self.busy)
        if chosen is not None:
            self.hint.setText(
                self.tr("Giữ lại: %1 — %2").replace("%1", chosen.code).replace("%2", chosen.summary)
            )
        elif self.query.text().strip():
            self.hint.setText(self.tr("Không có phản ánh nào có thể giữ lại khớp với từ khóa."))
        else:
            self.hint.setText(self.tr("Gõ mã hồ sơ hoặc từ khóa để tìm phản ánh giữ lại."))

    def fields(self) -> dict[str, Any]:
        chosen = self.survivor()
        assert chosen is not None
        return {"merge_into": str(chosen.id)}
