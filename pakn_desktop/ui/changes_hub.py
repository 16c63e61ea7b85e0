"""The one road by which every write reaches the screens: a ``services.changes.Changes``,
published once, heard by every screen, each deciding what to read again (Anki's
``operation_did_execute``). Built where the window is composed, passed by constructors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # a type only: the window paints before services.changes is loaded
    from pakn_desktop.services.changes import Changes


class ChangesHub(QObject):
    # (Changes, initiator): the object that made the change, or None. The screen that made
    # one has shown it already and may skip its own redraw (Anki's ``initiator``).
    changed = Signal(object, object)

    def publish(self, changes: Changes, initiator: object | None = None) -> None:
        """Tell every screen; a change of nothing is not told."""
        if changes:
            self.changed.emit(changes, initiator)
