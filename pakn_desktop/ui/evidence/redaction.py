"""The redaction dialog: drag rectangles over faces, names and phone numbers; Ctrl+Z takes
the last one back; "Lưu bản che" asks for the derived copy (the caller makes it on a worker
through ``RedactionService``). Rectangles are kept in the image's own pixels, whatever the
zoom the dialog shows it at, since that is what the service blacks out."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.services.redaction import Rect

MIN_SIDE = 3  # image pixels: a click without a drag is not a rectangle
_PREVIEW = QColor(0, 0, 0)
_OUTLINE = QColor(255, 193, 7)


class RedactionCanvas(QWidget):
    """The image scaled to fit, with the rectangles painted black over it."""

    changed = Signal(int)  # how many rectangles

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redactionCanvas")
        self._image = image
        self._rects: list[QRect] = []  # image pixels
        self._origin: QPointF | None = None
        self._drag = QRect()
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 150)

    def sizeHint(self) -> QSize:
        return self._image.size().boundedTo(QSize(1000, 680)).expandedTo(QSize(320, 240))

    def rectangles(self) -> list[QRect]:
        return list(self._rects)

    def add_rectangle(self, rect: QRect) -> None:
        bounded = rect.normalized().intersected(self._image.rect())
        if bounded.width() >= MIN_SIDE and bounded.height() >= MIN_SIDE:
            self._rects.append(bounded)
            self.changed.emit(len(self._rects))
            self.update()

    def undo(self) -> None:
        if self._rects:
            self._rects.pop()
            self.changed.emit(len(self._rects))
            self.update()

    # --- geometry between widget and image --------------------------------------------------

    def _target(self) -> QRectF:
        """Where the image is drawn: scaled to fit (never enlarged), centred."""
        w, h = self._image.width(), self._image.height()
        if not w or not h:
            return QRectF()
        scale = min(self.width() / w, self.height() / h, 1.0)
        size = QSize(round(w * scale), round(h * scale))
        left = (self.width() - size.width()) / 2
        top = (self.height() - size.height()) / 2
        return QRectF(left, top, size.width(), size.height())

    def _to_image(self, point: QPointF) -> QPointF:
        target = self._target()
        scale = target.width() / self._image.width() if self._image.width() else 1.0
        return QPointF((point.x() - target.left()) / scale, (point.y() - target.top()) / scale)

    def _to_widget(self, rect: QRect) -> QRectF:
        target = self._target()
        scale = target.width() / self._image.width() if self._image.width() else 1.0
        return QRectF(
            target.left() + rect.x() * scale,
            target.top() + rect.y() * scale,
            rect.width() * scale,
            rect.height() * scale,
        )

    # --- input and painting ---------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._origin = self._to_image(event.position())
            self._drag = QRect()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._origin is not None:
            self._drag = _rect(self._origin, self._to_image(event.position()))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._origin is not None:
            rect = _rect(self._origin, self._to_image(event.position()))
            self._origin, self._drag = None, QRect()
            self.add_rectangle(rect)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(self._target(), self._image)
        for rect in self._rects:
            painter.fillRect(self._to_widget(rect), _PREVIEW)
        if not self._drag.isEmpty():
            painter.fillRect(self._to_widget(self._drag), QColor(0, 0, 0, 150))
            painter.setPen(QPen(_OUTLINE, 2, Qt.PenStyle.DashLine))
            painter.drawRect(self._to_widget(self._drag))
        painter.end()


def _rect(a: QPointF, b: QPointF) -> QRect:
    return QRect(
        QPoint(round(a.x()), round(a.y())), QPoint(round(b.x()), round(b.y()))
    ).normalized()


class RedactionDialog(QDialog):
    """``saveRequested`` carries the rectangles; the caller answers with :meth:`saved` or
    :meth:`failed` (the work runs on a worker, so the dialog stays responsive)."""

    saveRequested = Signal(object)  # list[Rect]

    def __init__(self, title: str, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redactionDialog")
        self.setWindowTitle(self.tr("Che thông tin — %1").replace("%1", title))
        self.canvas = RedactionCanvas(image, self)
        hint = QLabel(
            self.tr(
                "Kéo chuột để che khuôn mặt, họ tên, số điện thoại… Ctrl+Z: bỏ vùng vừa che. "
                "Bản che là một bản sao mới; ảnh gốc giữ nguyên."
            ),
            self,
        )
        hint.setWordWrap(True)
        self.count = QLabel(self)
        self.undo_button = QPushButton(self.tr("Bỏ vùng vừa che (Ctrl+Z)"), self)
        self.save_button = QPushButton(self.tr("Lưu bản che"), self)
        self.save_button.setDefault(True)
        cancel = QPushButton(self.tr("Huỷ"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(buttons)
        undo = QAction(self)
        undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        undo.triggered.connect(self.canvas.undo)
        self.addAction(undo)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        self.canvas.changed.connect(self._count_changed)
        self._count_changed(0)

    def add_rectangle(self, rect: QRect) -> None:
        self.canvas.add_rectangle(rect)

    def rectangles(self) -> list[Rect]:
        return [Rect(r.x(), r.y(), r.width(), r.height()) for r in self.canvas.rectangles()]

    def save(self) -> None:
        rects = self.rectangles()
        if not rects:
            return
        self.save_button.setEnabled(False)
        self.count.setText(self.tr("Đang lưu bản che…"))
        self.saveRequested.emit(rects)

    def saved(self) -> None:
        self.accept()

    def failed(self, text: str) -> None:
        self.save_button.setEnabled(True)
        self.count.setText(text)

    def _count_changed(self, count: int) -> None:
        self.save_button.setEnabled(count > 0)
        self.undo_button.setEnabled(count > 0)
        self.count.setText(self.tr("%1 vùng che").replace("%1", str(count)) if count else "")
