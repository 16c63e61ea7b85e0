"""A combo box whose type-to-select ignores accents: "cap thoat" selects "Cấp thoát nước".

Qt's own keyboard search compares letters exactly, so an operator without a Vietnamese input
method (or typing fast without tones) could not reach most entries from the keyboard.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QModelIndex, QStringListModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from pakn_desktop.domain.text import fold

from .place_search import bare_name

RESET_S = 1.0  # a pause this long starts a new search, as Qt's own keyboard search does


class FoldedComboBox(QComboBox):
    """``filtering``: typing also opens a list of every item matching what was typed (folded,
    anywhere in the name), for long lists (categories, provinces): the best match is
    selected at once as before, ↓/↑ and Enter or a click take another one."""

    def __init__(self, parent: QWidget | None = None, *, filtering: bool = False) -> None:
        super().__init__(parent)
        self._typed = ""
        self._last = 0.0
        self._typing = False
        self._matches: list[int] = []
        self.matches: QCompleter | None = None
        if filtering:
            self.matches = QCompleter(QStringListModel(self), self)
            self.matches.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
            self.matches.setWidget(self)
            self.matches.setMaxVisibleItems(12)
            # QCompleter.activated is overloaded (str, QModelIndex); the stubs know one.
            self.matches.activated[QModelIndex].connect(self._match_taken)  # type: ignore[index]
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
        self._show_matches()
        event.accept()

    def matching(self, typed: str) -> list[int]:
        """The items whose folded name holds every typed word, best first."""
        words = fold(typed).split()
        if not words:
            return []
        found = [i for i in range(self.count()) if all(w in fold(self.itemText(i)) for w in words)]
        best = self.find_folded(typed)
        return sorted(found, key=lambda i: (i != best, i))

    def _show_matches(self) -> None:
        if self.matches is None:
            return
        self._matches = self.matching(self._typed)
        model = self.matches.model()
        assert isinstance(model, QStringListModel)
        texts = [self.itemText(i) for i in self._matches]
        if not texts:
            texts = [self.tr("Không có mục nào khớp “%1”").replace("%1", self._typed)]
        model.setStringList(texts)
        self.matches.complete(self.rect())

    def _match_taken(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self._matches):
            self._typing = True
            try:
                self.setCurrentIndex(self._matches[index.row()])
            finally:
                self._typing = False

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
