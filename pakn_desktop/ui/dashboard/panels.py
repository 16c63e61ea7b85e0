"""The five dashboard charts. Each builds its plot items once; ``show`` swaps numbers in.

A click on a bar emits ``picked`` with a ``Pick``: the queue filter for that bar and its label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from pakn_desktop.domain.office_time import OFFICE_OFFSET
from pakn_desktop.services.dashboard import FORWARD_TARGET_MIN, Snapshot

from .charts import ChartPanel, ClickableBars, elide

LOCAL = OFFICE_OFFSET
CHANNEL_COLOURS = (
    "#1570ef",
    "#f79009",
    "#12b76a",
    "#7a5af8",
    "#ee46bc",
    "#06aed4",
    "#667085",
    "#b54708",
    "#344054",
)
STATE_COLOURS = {
    "on_track": "#12b76a",
    "at_risk": "#f79009",
    "overdue": "#d92d20",
    "paused": "#6b8eb8",  # neutral: waiting for the citizen, the clock stopped
    "no_due": "#98a2b3",
}


@dataclass(frozen=True)
class Pick:
    """A clicked bar: the queue filter fields it stands for, and words for the filter chip."""

    label: str
    filters: dict[str, Any] = field(default_factory=dict)


class IntakePanel(ChartPanel):
    """Reports received per hour (or day) by channel: stacked bars, one item per channel."""

    picked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Tiếp nhận theo giờ và kênh"), parent)
        self.plot.setLabel("left", self.tr("Số phản ánh"))
        self.legend = self.plot.addLegend(offset=(-8, 8), colCount=3, labelTextSize="8pt")
        self.items: list[ClickableBars] = []
        self._channels: tuple[tuple[str, str], ...] = ()
        self._snapshot: Snapshot | None = None
        self._starts: tuple[Any, ...] = ()
        self._top = 0.0

    def show(self, snap: Snapshot) -> None:  # type: ignore[override]
        intake = snap.intake
        self._snapshot = snap
        if intake.channels != self._channels:  # rare: a channel appears or goes
            for item in self.items:
                self.plot.removeItem(item)
            self.legend.clear()
            self.items = []
            for number, (code, name) in enumerate(intake.channels):
                colour = CHANNEL_COLOURS[number % len(CHANNEL_COLOURS)]
                item = ClickableBars(x=[], height=[], width=0.8, brush=colour, pen=None)
                item.sigBarClicked.connect(lambda i, c=code, n=name: self._clicked(c, n, i))
                self.plot.addItem(item)
                self.legend.addItem(item, name)
                self.items.append(item)
            self._channels = intake.channels
        x = np.arange(len(intake.starts), dtype=float)
        base = np.zeros(len(x))
        for item, counts in zip(self.items, intake.counts, strict=True):
            heights = np.asarray(counts, dtype=float)
            shown = item.opts.get("height")
            # Only the channels whose stack moved are re-made (one save moves one or two).
            if (
                shown is None
                or len(shown) != len(x)
                or not np.array_equal(shown, heights)
                or not np.array_equal(item.opts.get("y0"), base)
            ):
                item.set_bars(x=x, height=heights, y0=base.copy(), width=0.8)
            base += heights
        # Headroom above the tallest stack for the legend's three rows.
        top = max(float(base.max(initial=0)) * 2.0, 1.0)
        if top != self._top:
            self._top = top
            self.plot.setYRange(0, top, padding=0)
        if self._starts == intake.starts:
            return
        self._starts = intake.starts
        local = [s + LOCAL for s in intake.starts]
        if intake.step >= timedelta(days=1):
            labels = [t.strftime("%d/%m") for t in local]
            self.set_categories(labels, every=max(1, len(labels) // 12))
        elif len(local) > 24:  # a week of hours: one tick per day, at midnight
            ticks = [(i, t.strftime("%d/%m")) for i, t in enumerate(local) if t.hour == 0]
            self.plot.getAxis("bottom").setTicks([ticks, []])
        else:
            self.set_categories([t.strftime("%H:%M") for t in local], every=2)
        self.plot.setXRange(-0.6, max(len(x) - 0.4, 0.4), padding=0)

    def _clicked(self, code: str, name: str, index: int) -> None:
        snap = self._snapshot
        if snap is None or index >= len(snap.intake.starts):
            return
        start = snap.intake.starts[index]
        end = start + snap.intake.step
        when = (start + LOCAL).strftime("%d/%m %H:%M")
        self.picked.emit(
            Pick(
                f"{name} · {when}",
                {"channel": code, "received_from": start, "received_to": end},
            )
        )


class CategoryBars(ChartPanel):
    """Bars over named categories (one item); ``filters_for(index)`` says what a bar means."""

    picked = Signal(object)

    def __init__(
        self, title: str, y_label: str, parent: QWidget | None = None, horizontal: bool = False
    ) -> None:
        super().__init__(title, parent)
        self.horizontal = horizontal
        self.plot.setLabel("bottom" if horizontal else "left", y_label)
        self.bars = ClickableBars(x=[], height=[], width=0.7, pen=None, brush="#1570ef")
        self.bars.sigBarClicked.connect(self._clicked)
        self.plot.addItem(self.bars)
        self.picks: list[Pick | None] = []
        self._shown: tuple[Any, ...] = ()

    def set_values(
        self, labels: list[str], values: list[float], colours: list[str], picks: list[Pick | None]
    ) -> None:
        self.picks = picks
        key = (tuple(labels), tuple(values), tuple(colours))
        if key == self._shown:  # same bars: only the filters behind them are new
            return
        self._shown = key
        n = len(values)
        brushes = [pg.mkBrush(c) for c in colours]
        top = max(values, default=0) or 1
        if self.horizontal:
            y = np.arange(n, dtype=float)
            self.bars.set_bars(x0=0.0, y=y, height=0.7, width=np.asarray(values), brushes=brushes)
            self.set_categories(labels, axis="left")
            self.plot.setYRange(-0.6, max(n - 0.4, 0.4), padding=0)
            self.plot.setXRange(0, top * 1.05, padding=0)
        else:
            x = np.arange(n, dtype=float)
            self.bars.set_bars(x=x, height=np.asarray(values), width=0.7, brushes=brushes)
            self.set_categories(labels)
            self.plot.setXRange(-0.6, max(n - 0.4, 0.4), padding=0)
            self.plot.setYRange(0, top * 1.2, padding=0)

    def _clicked(self, index: int) -> None:
        if 0 <= index < len(self.picks) and self.picks[index] is not None:
            self.picked.emit(self.picks[index])


def state_labels(widget: QWidget) -> dict[str, str]:
    tr = widget.tr
    return {
        "on_track": tr("Trong hạn"),
        "at_risk": tr("Sắp quá hạn"),
        "overdue": tr("Quá hạn"),
        "paused": tr("Tạm dừng"),
        "no_due": tr("Chưa có hạn"),
    }


def fill_states(panel: CategoryBars, snap: Snapshot) -> None:
    names = state_labels(panel)
    keys = [
        k
        for k in ("on_track", "at_risk", "overdue", "paused", "no_due")
        if k not in ("paused", "no_due") or snap.by_state.get(k, 0)
    ]
    picks: list[Pick | None] = [Pick(names[k], {"deadline": k, "now": snap.now}) for k in keys]
    labels = [f"{names[k]} ({snap.by_state[k]})" for k in keys]
    panel.set_values(
        labels, [snap.by_state[k] for k in keys], [STATE_COLOURS[k] for k in keys], picks
    )


def fill_units(panel: CategoryBars, snap: Snapshot) -> None:
    # Bottom-up on the axis: the best rate is drawn on top.
    units = list(reversed(snap.units))
    labels = [f"{elide(u.name)} ({u.closed})" for u in units]
    values = [round(u.rate * 100, 1) for u in units]
    colours = ["#12b76a" if v >= 90 else "#f79009" if v >= 70 else "#d92d20" for v in values]
    picks: list[Pick | None] = [
        Pick(
            elide(u.name),
            {"unit": u.unit_id, "received_from": snap.range.start, "received_to": snap.range.end},
        )
        for u in units
    ]
    panel.set_values(labels, values, colours, picks)
    panel.plot.setXRange(0, 105, padding=0)


def age_labels(panel: QWidget, edges: tuple[timedelta, ...]) -> list[str]:
    def words(d: timedelta) -> str:
        hours = d.total_seconds() / 3600
        return f"{hours:g} giờ" if hours < 24 else f"{hours / 24:g} ngày"

    labels = [panel.tr("< %1").replace("%1", words(edges[0]))]
    for a, b in zip(edges, edges[1:], strict=False):
        low, high = words(a), words(b)
        same_unit = low.split()[1] == high.split()[1]
        labels.append(f"{low.split()[0] if same_unit else low}–{high}")
    labels.append(panel.tr("> %1").replace("%1", words(edges[-1])))
    return labels


def fill_backlog(panel: CategoryBars, snap: Snapshot, open_statuses: tuple[str, ...]) -> None:
    """Bin i holds ages in [edges[i-1], edges[i]): received in (now − edges[i], now −
    edges[i-1]] (data.dashboard.backlog_ages); the queue's range is [from, to), hence + 1 µs."""
    edges, now, tick = snap.backlog_edges, snap.now, timedelta(microseconds=1)
    labels = age_labels(panel, edges)
    picks: list[Pick | None] = []
    for i in range(len(edges) + 1):
        low = now - edges[i] + tick if i < len(edges) else None
        high = now - edges[i - 1] + tick if i > 0 else None
        picks.append(
            Pick(
                panel.tr("Tồn %1").replace("%1", labels[i]),
                {"statuses": open_statuses, "received_from": low, "received_to": high},
            )
        )
    colours = ["#1570ef"] * len(snap.backlog)
    panel.set_values(labels, [float(v) for v in snap.backlog], colours, picks)


class ForwardPanel(CategoryBars):
    """Forward time (receipt → first assignment) against the 5-minute target."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Thời gian chuyển xử lý so với mục tiêu 5 phút"),
            self.tr("Số phản ánh"),
            parent,
        )
        self.plot.setLabel("bottom", self.tr("Phút từ lúc tiếp nhận đến lúc chuyển"))
        self.target = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen("#d92d20", width=2, style=Qt.PenStyle.DashLine),
            label=self.tr("Mục tiêu 5 phút"),
            labelOpts={"position": 0.92, "color": "#d92d20", "anchors": [(0, 0), (0, 0)]},
        )
        self.plot.addItem(self.target)

    def fill(self, snap: Snapshot) -> None:
        edges = snap.forward_edges_min
        labels = [f"<{edges[0]:g}"]
        labels += [f"{a:g}–{b:g}" for a, b in zip(edges, edges[1:], strict=False)]
        labels.append(f">{edges[-1]:g}")
        colours = [
            "#12b76a" if i < len(edges) and edges[i] <= FORWARD_TARGET_MIN else "#d92d20"
            for i in range(len(labels))
        ]
        # Bin i holds [edges[i-1], edges[i]) minutes (data.dashboard.forward_minutes); the
        # queue's forward-time filter is the same half-open range over the same expression.
        picks: list[Pick | None] = []
        for i, label in enumerate(labels):
            low = edges[i - 1] if i > 0 else None
            high = edges[i] if i < len(edges) else None
            picks.append(
                Pick(
                    self.tr("Chuyển xử lý %1 phút").replace("%1", label),
                    {
                        "forward_minutes": (low, high),
                        "received_from": snap.range.start,
                        "received_to": snap.range.end,
                    },
                )
            )
        self.set_values(labels, [float(v) for v in snap.forward], colours, picks)
        # Between the bar ending at 5 minutes and the next one.
        self.target.setValue(list(edges).index(FORWARD_TARGET_MIN) + 0.5)


class ForwardDaysPanel(ChartPanel):
    """Per office day of receipt: reports forwarded within their forward deadline (5 minutes,
    green) and late (red), stacked (``Snapshot.forward_days``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Chuyển xử lý trong 5 phút và trễ hạn, theo ngày"), parent)
        self.plot.setLabel("left", self.tr("Số phản ánh"))
        self.legend = self.plot.addLegend(offset=(-8, 8), colCount=2, labelTextSize="8pt")
        self.on_time = ClickableBars(x=[], height=[], width=0.7, brush="#12b76a", pen=None)
        self.late = ClickableBars(x=[], height=[], width=0.7, brush="#d92d20", pen=None)
        for item, name in (
            (self.on_time, self.tr("Chuyển đúng hạn")),
            (self.late, self.tr("Chuyển quá hạn")),
        ):
            self.plot.addItem(item)
            self.legend.addItem(item, name)
        self._shown: tuple[Any, ...] = ()

    def fill(self, snap: Snapshot) -> None:
        days = snap.forward_days
        key = (days.starts, days.on_time, days.late)
        if key == self._shown:
            return
        self._shown = key
        x = np.arange(len(days.starts), dtype=float)
        ok = np.asarray(days.on_time, dtype=float)
        late = np.asarray(days.late, dtype=float)
        self.on_time.set_bars(x=x, height=ok, y0=np.zeros(len(x)), width=0.7)
        self.late.set_bars(x=x, height=late, y0=ok.copy(), width=0.7)
        labels = [(s + LOCAL).strftime("%d/%m") for s in days.starts]
        self.set_categories(labels, every=max(1, len(labels) // 10))
        top = float((ok + late).max(initial=0))
        # Headroom for the legend's row above the tallest stack.
        self.plot.setYRange(0, max(top * 1.35, 1.0), padding=0)
        self.plot.setXRange(-0.6, max(len(x) - 0.4, 0.4), padding=0)
