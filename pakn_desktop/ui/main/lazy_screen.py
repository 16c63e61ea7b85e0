"""A page of the main window that builds its real screen the first time it is needed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)


class LazyScreen(QWidget, Generic[W]):
    """Holds a factory; ``content`` builds the widget on first access and keeps it.

    The window paints its frame (navigation, status bar) before any screen's modules are
    imported or its widgets built: a screen is useless before the database is open anyway.
    """

    def __init__(
        self, build: Callable[[], W], parent: QWidget | None = None, *, build_on_show: bool = False
    ) -> None:
        """``build_on_show``: build when first shown (cheap screens); otherwise only when the
        owner asks for ``content`` (screens that need the database, built once it is open)."""
        super().__init__(parent)
        self._build = build
        self._build_on_show = build_on_show
        self._screen: W | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        # Centred by stretches, not Qt.AlignmentFlag: the window's first paint shows this page,
        # and PySide builds all of the Qt namespace's enum types on its first use.
        self._waiting = QWidget(self)
        row = QHBoxLayout(self._waiting)
        row.addStretch(1)
        row.addWidget(QLabel(self.tr("Đang tải…"), self._waiting))
        row.addStretch(1)
        self._layout.addWidget(self._waiting)

    def showEvent(self, event: QShowEvent) -> None:
        if self._build_on_show:
            self.content  # noqa: B018 - property access builds it
        super().showEvent(event)

    @property
    def built(self) -> bool:
        return self._screen is not None

    # Not "screen": that would shadow QWidget.screen(), the display this widget is on.
    @property
    def content(self) -> W:
        if self._screen is None:
            screen = self._build()
            self._layout.removeWidget(self._waiting)
            self._waiting.deleteLater()
            self._layout.addWidget(screen)
            self._screen = screen
        return self._screen
