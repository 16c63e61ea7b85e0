"""What a shot is, and what its builder works with: the types every builder module shares."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from pakn_desktop.services.database import Database
    from pakn_desktop.ui.main.window import MainWindow

QUEUE = 1  # the navigation's row of the queue screen


@dataclass
class Session:
    """What a shot's builder works with: the window (started, queue loaded), its database,
    and ``wait(condition)``, which runs the event loop until the condition holds."""

    app: QApplication
    window: MainWindow
    database: Database
    wait: Callable[[Callable[[], bool]], None]
    drafts: list[uuid.UUID] = field(default_factory=list)  # intake drafts made, removed after

    def settle(self) -> None:
        """Every read the window started has answered and been painted."""
        self.wait(lambda: not self.window.tasks.pending())
        for _ in range(5):  # let the last dataChanged repaint
            self.app.processEvents()


@dataclass(frozen=True)
class Shot:
    """``build`` brings the window to the shot's state; it returns the dialog it opened, or
    None when the window itself is the shot. ``caption``: the contact sheet's words."""

    name: str
    caption: str
    build: Callable[[Session], QWidget | None]
