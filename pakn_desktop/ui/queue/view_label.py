"""A saved view's name with its count, as the view selector and the window's navigation show it.

Its own module: the navigation paints before the queue's modules load (tests/test_start_path.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def view_label(label: str, count: int | None, widget: QWidget) -> str:
    """The view's name with its count in the widget's locale: "Quá hạn (1.234)"."""
    if count is None:
        return label
    return f"{label} ({widget.locale().toString(count)})"
