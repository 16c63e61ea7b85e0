"""Ctrl+T: a numbered menu of quick phrases, inserted where the operator was typing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QPoint
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QPlainTextEdit, QWidget

from .actions import quick_phrases

if TYPE_CHECKING:
    from .form import IntakeFormView


class PhrasesHost(Protocol):
    """What the menu uses of the intake screen (which builds it, so is not imported here)."""

    @property
    def form(self) -> IntakeFormView: ...

    def focus_field(self, widget: QWidget) -> None: ...


class PhrasesMenu(QObject):
    def __init__(self, screen: PhrasesHost) -> None:
        assert isinstance(screen, QWidget)  # the screen also owns the menu
        super().__init__(screen)
        self._screen = screen
        self.menu = QMenu(screen)
        self.menu.setObjectName("phrasesMenu")
        self._target: QWidget | None = None
        for number, (title, text) in enumerate(quick_phrases(), start=1):
            action = self.menu.addAction(f"&{number}  {title}")
            action.setToolTip(text)
            action.triggered.connect(lambda _c=False, t=text: self.insert(t))

    def open(self) -> None:
        """Show the menu at the text cursor (non-blocking: a digit or Enter picks)."""
        focused = QApplication.focusWidget()
        form = self._screen.form
        if isinstance(focused, QLineEdit | QPlainTextEdit) and form.isAncestorOf(focused):
            self._target = focused
        else:
            self._target = form.content
        target = self._target
        if isinstance(target, QPlainTextEdit):
            spot = target.viewport().mapToGlobal(target.cursorRect().bottomLeft())
        else:
            spot = target.mapToGlobal(QPoint(0, target.height()))
        self.menu.popup(spot)

    def insert(self, text: str) -> None:
        target = self._target or self._screen.form.content
        if isinstance(target, QPlainTextEdit):
            target.insertPlainText(text)
        elif isinstance(target, QLineEdit):
            target.insert(text)
            target.textEdited.emit(target.text())  # a program insert is still the operator's
        self._screen.focus_field(target)
