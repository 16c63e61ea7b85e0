"""Thumbnails of the evidence attached to a report (a picture of its kind with its name for
a voice note, a video, a document); accepts drops; Delete removes one.

At most a couple of dozen items (the form caps attachments), so a QListWidget in icon mode is
the right size of tool. The widget only shows and forwards: the screen prepares the bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QImage,
    QKeyEvent,
    QPixmap,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

KeyRole = Qt.ItemDataRole.UserRole + 1


def offered(mime: QMimeData) -> tuple[list[QImage], list[str]]:
    """The images and local file paths a clipboard or drop carries."""
    images: list[QImage] = []
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QImage) and not image.isNull():
            images.append(image.copy())
        elif isinstance(image, QPixmap) and not image.isNull():
            images.append(image.toImage())
    paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
    return images, paths


def carries_attachment(mime: QMimeData) -> bool:
    images, paths = offered(mime)
    return bool(images or paths)


def accept_attachment_drag(event: QDropEvent) -> None:
    """A drag entering or moving over a drop target: let it in only with something to attach."""
    if carries_attachment(event.mimeData()):
        event.acceptProposedAction()
    else:
        event.ignore()


def take_attachment_drop(
    event: QDropEvent, take: Callable[[list[QImage], list[str]], None]
) -> None:
    """A drop's images and local paths go to ``take``; a drop of neither is refused."""
    images, paths = offered(event.mimeData())
    if images or paths:
        event.acceptProposedAction()
        take(images, paths)
    else:
        event.ignore()


class AttachmentStrip(QListWidget):
    dropped = Signal(object, object)  # list[QImage], list[str] (paths)
    removed = Signal(int)  # key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentStrip")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        # 72 px thumbnails: the strip, the buttons beside it and the handling note under it
        # fit a 1366×768 screen in message mode (room left for a horizontal scroll bar).
        self.setIconSize(QSize(72, 72))
        self.setGridSize(QSize(104, 100))
        self.setMovement(QListView.Movement.Static)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setAcceptDrops(True)
        self.setFixedHeight(118)
        self.setToolTip(
            self.tr(
                "Dán ảnh (Ctrl+V) hoặc kéo thả tệp vào đây: ảnh, ghi âm, video, PDF, Word, "
                "Excel; Delete để bỏ tệp đã chọn"
            )
        )

    def add(self, key: int, name: str, thumbnail: QImage) -> None:
        icon = QIcon(QPixmap.fromImage(thumbnail)) if not thumbnail.isNull() else QIcon()
        item = QListWidgetItem(icon, name, self)
        item.setData(KeyRole, key)
        item.setToolTip(name)

    def keys(self) -> list[int]:
        return [int(self.item(i).data(KeyRole)) for i in range(self.count())]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and item is not None:
            key = int(item.data(KeyRole))
            self.takeItem(self.row(item))
            self.removed.emit(key)
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accept_attachment_drag(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        accept_attachment_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        take_attachment_drop(event, self.dropped.emit)
