"""Chart panels over pyqtgraph: bars that report clicks, built once and fed new numbers.

This module imports pyqtgraph; only the dashboard imports it, and the dashboard is built when
first shown (DESIGN.md, "Known traps": pyqtgraph costs start-up time).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from pakn_desktop.widgets.save_path import ask_save_path

# Bars are axis-aligned rectangles: antialiasing buys nothing and doubles the paint time.
pg.setConfigOptions(antialias=False, background="w", foreground="#344054")

ELIDE = 30  # characters of a unit name on an axis


class ClickableBars(pg.BarGraphItem):  # type: ignore[misc]  # pyqtgraph is untyped
    """A ``BarGraphItem`` whose bars report a left click with their index."""

    sigBarClicked = Signal(int)

    def __init__(self, **opts: object) -> None:
        super().__init__(**opts)
        self._rects: np.ndarray | None = None

    def set_bars(self, **opts: object) -> None:
        self.setOpts(**opts)
        self._rects = None  # worked out on the next click, not on every refresh

    def bar_rects(self) -> np.ndarray:
        """(x0, y0, x1, y1) per bar, in data coordinates."""
        o = self.opts
        horizontal = o.get("x0") is not None and o.get("width") is not None
        if horizontal:
            x0 = np.asarray(o["x0"], float)
            w = np.asarray(o["width"], float)
            y = np.asarray(o["y"], float)
            h = np.asarray(o["height"], float)
            x0, w = np.broadcast_arrays(x0, w)
            y, h = np.broadcast_arrays(y, h)
            return np.column_stack([x0, y - h / 2, x0 + w, y + h / 2])
        x = np.asarray(o["x"], float)
        w = np.asarray(o["width"], float)
        y0 = np.asarray(o.get("y0") if o.get("y0") is not None else 0.0, float)
        h = np.asarray(o["height"], float)
        x, w = np.broadcast_arrays(x, w)
        y0, h = np.broadcast_arrays(y0, h)
        y0, h = y0 * np.ones_like(x), h * np.ones_like(x)
        return np.column_stack(
            [x - w / 2, np.minimum(y0, y0 + h), x + w / 2, np.maximum(y0, y0 + h)]
        )

    def bar_at(self, point: QPointF) -> int | None:
        if self._rects is None:
            self._rects = self.bar_rects()
        r = self._rects
        if not len(r):
            return None
        px, py = point.x(), point.y()
        hit = np.nonzero((r[:, 0] <= px) & (px <= r[:, 2]) & (r[:, 1] <= py) & (py <= r[:, 3]))[0]
        if not len(hit):
            return None
        return int(hit[0])

    def mouseClickEvent(self, ev: object) -> None:  # noqa: N802 (pyqtgraph's name)
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        index = self.bar_at(ev.pos())  # type: ignore[attr-defined]
        if index is not None:
            ev.accept()  # type: ignore[attr-defined]
            self.sigBarClicked.emit(index)


class ChartPanel(QWidget):
    """A titled plot with a context action that exports it to PNG."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_widget = pg.PlotWidget(self)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setTitle(title, size="11pt", bold=True)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        # No grid: an axis draws its grid lines in its own picture, which covers the whole
        # plot, so every bar change replays it (measured: 11 of a refresh's 13 ms of paint).
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setTickFont(font)
        self.title = title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)
        self.plot_widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        export = QAction(self.tr("Xuất ảnh PNG…"), self.plot_widget)
        export.triggered.connect(self._ask_export)
        self.plot_widget.addAction(export)
        self.export_action = export

    def _ask_export(self) -> None:
        path = ask_save_path(
            self, self.tr("Xuất biểu đồ"), f"{self.title}.png", self.tr("Ảnh PNG (*.png)"), ".png"
        )
        if path is not None:
            self.export_png(path)

    def export_png(self, path: str | Path) -> bool:
        """The chart as it is on screen (``QWidget.grab``: the same pixels, any platform)."""
        return bool(self.plot_widget.grab().save(str(path), "PNG"))

    def set_categories(
        self, labels: Sequence[str], *, axis: str = "bottom", every: int = 1
    ) -> None:
        ticks = [(i, text) for i, text in enumerate(labels) if i % max(every, 1) == 0]
        self.plot.getAxis(axis).setTicks([ticks, []])


def elide(text: str, limit: int = ELIDE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def brush(color: str) -> QColor:
    return QColor(color)
