"""The report's evidence as a strip of thumbnails: name, size, a type tile for non-images, a
badge on redacted copies and detached files. Paste (Ctrl+V) and drops are forwarded as
``MimeEvidence``; the widget itself reads no file and writes nothing."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QLocale, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPixmap,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

from pakn_desktop.services.evidence.records import AttachedEvidence
from pakn_desktop.widgets.mime_evidence import MimeEvidence, evidence_from_mime

from .thumbs import SIZE, is_image, type_tile, with_badge

ItemRole = Qt.ItemDataRole.UserRole + 1  # the row's AttachedEvidence
_DERIVED = QColor(21, 101, 192)
_DETACHED = QColor(120, 120, 120)


def size_text(size: int, locale: QLocale) -> str:
    """ "48 B", "1,2 MB": short units, the locale's decimal sign (Qt's own wording varies by
    language, "bytes" in one and "byte" in another)."""
    value, unit = float(size), "B"
    for unit in ("B", "KB", "MB", "GB"):  # noqa: B007 (the last unit reached is wanted)
        if value < 1024 or unit == "GB":
            break
        value /= 1024
    digits = 0 if unit == "B" or value >= 100 else 1
    return f"{locale.toString(value, 'f', digits)} {unit}"


class EvidenceStrip(QListWidget):
    """One item per evidence row; ``activated`` (double-click, Enter) opens it."""

    opened = Signal(object)  # AttachedEvidence
    offered = Signal(object, str)  # MimeEvidence, source ("clipboard" or "drop")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceStrip")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setIconSize(QSize(SIZE, SIZE))
        line = self.fontMetrics().lineSpacing()
        self.setGridSize(QSize(SIZE + 40, SIZE + 2 * line + 14))
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setAcceptDrops(True)
        self.setToolTip(self.tr("Dán (Ctrl+V) hoặc kéo thả tệp vào đây để đính kèm"))
        self.itemActivated.connect(self._activated)

    def set_items(self, items: list[AttachedEvidence]) -> None:
        chosen = self.current()
        self.clear()
        for evidence in items:
            item = QListWidgetItem(self)
            item.setData(ItemRole, evidence)
            size = size_text(evidence.size, self.locale())
            # One elided line of name, one of size: every tile the same height.
            name = self.fontMetrics().elidedText(
                evidence.display_name, Qt.TextElideMode.ElideMiddle, self.gridSize().width() - 10
            )
            item.setText(f"{name}\n{size}")
            item.setToolTip(self._tooltip(evidence, size))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            if evidence.detached_at is not None:
                item.setForeground(_DETACHED)
            self._set_picture(item, evidence, None)
            if chosen is not None and evidence.id == chosen.id:
                self.setCurrentItem(item)

    def set_thumbnail(self, sha256: str, image: QImage) -> None:
        for row in range(self.count()):
            item = self.item(row)
            evidence: AttachedEvidence = item.data(ItemRole)
            if evidence.sha256 == sha256:
                self._set_picture(item, evidence, image)

    def current(self) -> AttachedEvidence | None:
        item = self.currentItem()
        if item is None:
            return None
        evidence: AttachedEvidence = item.data(ItemRole)
        return evidence

    def select(self, evidence_id: uuid.UUID) -> None:
        for row in range(self.count()):
            if self.item(row).data(ItemRole).id == evidence_id:
                self.setCurrentRow(row)
                return

    def _set_picture(
        self, item: QListWidgetItem, evidence: AttachedEvidence, image: QImage | None
    ) -> None:
        if image is not None and not image.isNull():
            base = QPixmap.fromImage(image)
        elif is_image(evidence.mime) and image is None:
            base = QPixmap()  # the thumbnail is on its way: an empty slot, no flicker of a tile
        else:
            base = type_tile(evidence.mime)
        # Always a square canvas, an empty one while the thumbnail is on its way: wide and
        # tall pictures line up, and the view's uniform item size counts the icon.
        if evidence.detached_at is not None:
            base = with_badge(base, self.tr("Đã gỡ"), _DETACHED)
        elif evidence.derived_from is not None:
            base = with_badge(base, self.tr("Bản che"), _DERIVED)
        else:
            base = with_badge(base, "", _DERIVED)
        item.setIcon(QIcon(base))

    def _tooltip(self, e: AttachedEvidence, size: str) -> str:
        lines = [e.display_name, f"{e.mime} · {size}", f"SHA-256: {e.sha256[:16]}…"]
        if e.derived_from is not None:
            lines.append(self.tr("Bản đã che thông tin (bản gốc giữ nguyên)"))
        if e.detached_at is not None:
            lines.append(self.tr("Đã gỡ khỏi hồ sơ (tệp vẫn được lưu làm chứng cứ)"))
        return "\n".join(lines)

    def _activated(self, item: QListWidgetItem) -> None:
        self.opened.emit(item.data(ItemRole))

    # --- paste and drop -------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        super().keyPressEvent(event)

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        found = (
            evidence_from_mime(mime, "clipboard", encode=False)
            if mime is not None
            else MimeEvidence()
        )
        self.offered.emit(found, "clipboard")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._accept_if_useful(event, event.mimeData())

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._accept_if_useful(event, event.mimeData())

    def dropEvent(self, event: QDropEvent) -> None:
        found = evidence_from_mime(event.mimeData(), "drop", encode=False)
        if found:
            event.acceptProposedAction()
            self.offered.emit(found, "drop")
        else:
            event.ignore()

    @staticmethod
    def _accept_if_useful(event: QDragMoveEvent, mime: QMimeData) -> None:
        # Cheap checks only while the mouse moves; the drop decodes.
        if mime.hasUrls() or mime.hasImage() or mime.hasHtml():
            event.acceptProposedAction()
        else:
            event.ignore()
