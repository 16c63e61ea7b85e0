"""The image viewer: zoom with the wheel or Ctrl+/Ctrl−, pan by dragging, fit, 1:1.

The image is decoded on a worker (``load_image``) and handed over as a QImage; the dialog
only turns it into a pixmap. Opening it is a ``viewed`` custody event (the caller records it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QImage,
    QImageReader,
    QKeySequence,
    QPainter,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.widgets.image_read import read_image

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.02, 32.0


def load_image(path: Path) -> QImage:
    """Worker side: the full image, turned as its EXIF orientation says."""
    image = read_image(path)  # HEIC too
    if image.isNull():
        raise ValueError(QImageReader(str(path)).errorString())
    return image


class ZoomView(QGraphicsView):
    zoomChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceImageView")
        self.setScene(QGraphicsScene(self))
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self._item)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setBackgroundBrush(Qt.GlobalColor.darkGray)
        self._fitting = True

    def set_image(self, image: QImage) -> None:
        self._item.setPixmap(QPixmap.fromImage(image))
        self.scene().setSceneRect(self._item.boundingRect())
        self.fit()

    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        wanted = min(max(self.zoom() * factor, MIN_ZOOM), MAX_ZOOM)
        self._fitting = False
        self.scale(wanted / self.zoom(), wanted / self.zoom())
        self.zoomChanged.emit(self.zoom())

    def fit(self) -> None:
        self._fitting = True
        if not self._item.pixmap().isNull():
            self.fitInView(self._item, Qt.AspectRatioMode.KeepAspectRatio)
        self.zoomChanged.emit(self.zoom())

    def actual_size(self) -> None:
        self._fitting = False
        self.resetTransform()
        self.zoomChanged.emit(self.zoom())

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP**steps)
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:  # "fit" keeps fitting as it resizes
        super().resizeEvent(event)
        if self._fitting:
            self.fit()


class ImageViewer(QDialog):
    """Non-modal: an operator compares the screenshot with the report text beside it."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceViewer")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.view = ZoomView(self)
        self.status = QLabel(self.tr("Đang mở ảnh…"), self)
        bar = QHBoxLayout()
        for text, keys, slot in (
            (self.tr("Vừa khung"), ("Ctrl+0",), self.view.fit),
            (self.tr("1:1"), ("Ctrl+1",), self.view.actual_size),
            (self.tr("Phóng to"), ("Ctrl++", "Ctrl+="), lambda: self.view.zoom_by(ZOOM_STEP)),
            (self.tr("Thu nhỏ"), ("Ctrl+-",), lambda: self.view.zoom_by(1 / ZOOM_STEP)),
        ):
            button = QPushButton(f"{text} ({keys[0]})", self)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, s=slot: s())
            bar.addWidget(button)
            for key in keys:  # the dialog owns the shortcuts: they work whatever has focus
                self._shortcut(key, slot)
        bar.addStretch(1)
        bar.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.view.zoomChanged.connect(self._zoom_shown)
        self.resize(960, 720)
        self._size_text = ""

    def _shortcut(self, key: str, slot: Callable[[], None]) -> None:
        action = QAction(self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _c=False: slot())
        self.addAction(action)

    def show_image(self, image: QImage) -> None:
        self._size_text = f"{image.width()} × {image.height()} px"
        self.view.set_image(image)

    def show_error(self, text: str) -> None:
        self.status.setText(text)

    def show_fetching(self, done: int, total: int) -> None:
        """Another station's file coming from the sync server (closing the viewer stops it)."""
        mb = self.locale().toString
        self.status.setText(
            self.tr("Đang tải ảnh từ máy chủ: %1 / %2 MB (đóng cửa sổ để dừng)")
            .replace("%1", mb(done / 1e6, "f", 1))
            .replace("%2", mb(total / 1e6, "f", 1))
        )

    def _zoom_shown(self, zoom: float) -> None:
        if self._size_text:
            self.status.setText(f"{self._size_text} · {zoom * 100:.0f}%")
