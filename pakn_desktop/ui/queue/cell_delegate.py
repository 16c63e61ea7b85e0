"""The queue's cells painted from pre-shaped text.

Qt's own delegate asks the model for nine roles of every cell (each a call into Python) and
lays the text out again on every paint (shaping, then eliding). Here one call
(:meth:`QueueModel.look`) gives what a cell shows; each (text, width, weight) is elided once,
drawn as a string the first time and shaped into a ``QStaticText`` from the second, kept
while it is likely to be painted again. The panel
(selection, hover, a status badge) and the focus frame are still drawn by the style, so a
cell looks as before (bench/README.md, bench_queue.py: a page step's paint).
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPalette,
    QStaticText,
)
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionFocusRect,
    QStyleOptionViewItem,
    QWidget,
)

from pakn_desktop.ui.queue.model import QueueModel

# A screen of rows is ~300 cells: this keeps the last ~15 screens shaped.
CACHE_SIZE = 5000

_SELECTED = QStyle.StateFlag.State_Selected.value
_HOVER = QStyle.StateFlag.State_MouseOver.value
_FOCUS = QStyle.StateFlag.State_HasFocus.value
_ENABLED = QStyle.StateFlag.State_Enabled.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewItem
_FOCUS_FRAME = QStyle.PrimitiveElement.PE_FrameFocusRect
_FOCUS_RECT = QStyle.SubElement.SE_ItemViewItemFocusRect
_FRAME_STATE = QStyle.StateFlag.State_KeyboardFocusChange | QStyle.StateFlag.State_Item
_RESETS = frozenset((QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.PaletteChange))


class CellDelegate(QStyledItemDelegate):
    """Paints :class:`QueueModel`'s cells (the view's font, or the model's bold one)."""

    def __init__(self, model: QueueModel, view: QWidget) -> None:
        super().__init__(view)
        self._model = model
        self._view = view
        self._shaped: OrderedDict[tuple[str, int, bool], str | QStaticText] = OrderedDict()
        # Per weight: the metrics that elide, and the line height Qt's layout has (its
        # fractional height rounded: QFontMetrics.height() may be a pixel more).
        self._metrics: dict[bool, tuple[QFontMetrics, int, float]] = {}
        self._colors: dict[tuple[int, bool], QColor] = {}
        self._style: QStyle | None = None  # the view's style, its text margin, its font:
        self._margin = 0  # read at the first paint after a change (see eventFilter)
        self._font = QFont()
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _RESETS:
            self._style = None  # the shapes, metrics and colours are the old font's, palette's
        return False

    def _reset(self) -> QStyle:
        style = self._style = self._view.style()
        self._margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        self._font = QFont(self._view.font())
        self._shaped.clear()
        self._metrics.clear()
        self._colors.clear()
        return style

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        text, foreground, font, background = self._model.look(index)
        style = self._style or self._reset()
        o: object = option  # PySide's stubs omit QStyleOption's fields
        widget: QWidget = self._view
        state = o.state.value  # type: ignore[attr-defined]
        if background is not None or state & (_SELECTED | _HOVER):
            if background is not None:
                o.backgroundBrush = background  # type: ignore[attr-defined]
            style.drawPrimitive(_PANEL, option, painter, widget)
        if text:
            rect = o.rect  # type: ignore[attr-defined]
            width = rect.width() - 2 * self._margin
            if width > 0:
                # The model's font sets what it changes (bold); the rest is the view's.
                font = self._font if font is None else font.resolve(self._font)
                shaped, height, ascent = self._shape(str(text), width, font)
                selected = bool(state & _SELECTED)
                if foreground is not None and not selected:
                    color = foreground.color()
                else:
                    color = self._color(state, selected, o)
                painter.save()
                painter.setFont(font)
                painter.setPen(color)
                # Centred as QStyle.alignedRect centres Qt's own text layout.
                top = rect.y() + rect.height() // 2 - height // 2
                if isinstance(shaped, str):  # painted once: laid out as Qt's delegate does
                    painter.drawText(QPointF(rect.x() + self._margin, top + ascent), shaped)
                else:
                    painter.drawStaticText(rect.x() + self._margin, top, shaped)
                painter.restore()
        if state & _FOCUS:
            self._focus_frame(painter, option, state, style)

    def _focus_frame(
        self, painter: QPainter, option: QStyleOptionViewItem, state: int, style: QStyle
    ) -> None:
        """The current cell's frame, as QCommonStyle draws it for an item view's item."""
        frame = QStyleOptionFocusRect()
        frame.initFrom(self._view)
        o: object = option
        f: object = frame
        f.state = o.state | _FRAME_STATE  # type: ignore[attr-defined]
        f.rect = style.subElementRect(_FOCUS_RECT, option, self._view)  # type: ignore[attr-defined]
        f.palette = o.palette  # type: ignore[attr-defined]
        f.backgroundColor = o.palette.color(  # type: ignore[attr-defined]
            self._group(state),
            QPalette.ColorRole.Highlight if state & _SELECTED else QPalette.ColorRole.Window,
        )
        style.drawPrimitive(_FOCUS_FRAME, frame, painter, self._view)

    def _color(self, state: int, selected: bool, option: object) -> QColor:
        """The palette's text colour for the cell's state (selected or not, its group)."""
        key = (state & (_ENABLED | _ACTIVE), selected)
        color = self._colors.get(key)
        if color is None:
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            palette: QPalette = option.palette  # type: ignore[attr-defined]
            color = self._colors[key] = palette.color(self._group(state), role)
        return color

    @staticmethod
    def _group(state: int) -> QPalette.ColorGroup:
        if not state & _ENABLED:
            return QPalette.ColorGroup.Disabled
        return QPalette.ColorGroup.Normal if state & _ACTIVE else QPalette.ColorGroup.Inactive

    def _shape(self, text: str, width: int, font: QFont) -> tuple[str | QStaticText, int, float]:
        """The text elided to ``width``: as a string the first time (shaping it into a
        ``QStaticText`` costs more than drawing it once: a page step paints rows never seen),
        shaped from the second; with the font's line height and ascent."""
        bold = font.bold()
        known = self._metrics.get(bold)
        if known is None:
            exact = QFontMetricsF(font)
            known = self._metrics[bold] = (
                QFontMetrics(font),
                round(exact.height()),
                exact.ascent(),
            )
        metrics, height, ascent = known
        key = (text, width, bold)
        shaped = self._shaped.get(key)
        if shaped is None:
            shaped = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        else:
            self._shaped.move_to_end(key)
            if isinstance(shaped, str):
                static = QStaticText(shaped)
                static.setTextFormat(Qt.TextFormat.PlainText)
                static.prepare(font=font)
                shaped = static
            else:
                return shaped, height, ascent
        self._shaped[key] = shaped
        if len(self._shaped) > CACHE_SIZE:
            self._shaped.popitem(last=False)
        return shaped, height, ascent
