"""The window's keyboard actions, made so that none of them costs the first paint an enum load.

PySide builds a class's enum types on their first use, and every one of the Qt namespace's (93,
~50 ms) on the first use of any: ``QAction(text, parent)`` resolves through the icon overload
(QIcon's enums), ``setShortcut`` through the standard-key one, a shortcut context is a Qt
namespace enum. Before the first paint: ``QAction(parent)``, ``setText``, ``setShortcuts([…])``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def window_action(
    window: QWidget,
    text: str,
    key: str,
    slot: Callable[[], object],
    *,
    on: Iterable[QWidget] = (),
) -> QAction:
    """An action on ``key`` anywhere in ``window`` (QAction's default context), added to
    ``window`` or, if given, to the widgets ``on`` instead (see ``scope_to_widgets``)."""
    action = QAction(window)
    action.setText(text)
    action.setShortcuts([QKeySequence(key)])
    action.triggered.connect(lambda _checked=False: slot())
    for widget in list(on) or [window]:
        widget.addAction(action)
    return action


def scope_to_widgets(action: QAction) -> None:
    """``action`` answers only with the focus in a widget it was added to (or their children).
    Loads the Qt namespace's enums: call it after the first paint."""
    from PySide6.QtCore import Qt

    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
