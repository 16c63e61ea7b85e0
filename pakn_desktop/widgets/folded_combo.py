"""A combo box whose type-to-select ignores accents: "cap thoat" selects "Cấp thoát nước".

Qt's own keyboard search compares letters exactly, so an operator without a Vietnamese input
method (or typing fast without tones) could not reach most entries from the keyboard.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QWidget

from pakn_desktop.domain.text import fold

from .place_search import bare_name

RESET_S = 1.0  # a pause this long starts a new search, as Qt's own keyboard search does


class FoldedComboBox(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._typed = ""
        self._last = 0.0
        self._typing = False
        # A choice made otherwise (a form reset, the mouse) starts the next search afresh.
        self.currentIndexChanged.connect(self._forget_typed)

    def _forget_typed(self, _index: int) -> None:
        if not self._typing:
            self._typed = ""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        shortcut = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        if self.isEditable() or not text or not text.isprintable() or shortcut:
            super().keyPressEvent(event)
            return
        now = time.monotonic()
        self._typed = (self._typed if now - self._last < RESET_S else "") + text
        self._last = now
        index = self.find_folded(self._typed)
        if index >= 0:
            self._typing = True
            try:
                self.setCurrentIndex(index)
            finally:
                self._typing = False
        event.accept()

    def find_folded(self, typed: str) -> int:
        """The best item for ``typed`` (folded): its name starts with it, then the name
        without "tỉnh"/"thành phố"/"phường" does, then every typed word starts a word of the
        name, then the name contains it; -1 when none does."""
        wanted = fold(typed)
        if not wanted:
            return -1
        words = wanted.split()
        best, best_rank = -1, 4
        for i in range(self.count()):
            name = fold(self.itemText(i))
            if name.startswith(wanted):
                rank = 0
            elif bare_name(name).startswith(wanted):
                rank = 1
            elif all(any(t.startswith(w) for t in name.split()) for w in words):
                rank = 2
            elif wanted in name:
                rank = 3
            else:
                continue
            if rank < best_rank:
                best, best_rank = i, rank
        return best
