"""The result form's attachments: files chosen or dropped, images pasted. Nothing is stored
here: the list is handed to the worker that stores it as evidence when the result is saved
(``services.workflow.results``), so a cancelled form leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.services.evidence.records import EvidenceBytes
from pakn_desktop.widgets.mime_evidence import MimeEvidence, evidence_from_mime

_ENTRY = Qt.ItemDataRole.UserRole
_THUMB = 40
# Path | EvidenceBytes | (name, QImage, source): a file, bytes, an image still to encode.
Entry = Path | EvidenceBytes | tuple[str, QImage, str]


class _List(QListWidget):
    removed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and item is not None:
            self.takeItem(self.row(item))
            self.removed.emit()
            return
        super().keyPressEvent(event)


class ResultFiles(QWidget):
    """``pending()``: what to store, as the evidence helpers take it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultFiles")
        self.setAcceptDrops(True)
        self._entries: dict[int, Entry] = {}  # by the key in the list item (no Qt variants)
        self.list = _List(self)
        self.list.setObjectName("resultFileList")
        self.list.setIconSize(QSize(_THUMB, _THUMB))
        self.list.setMinimumHeight(96)
        self.list.setToolTip(self.tr("Delete: bỏ tệp đã chọn"))
        self.list.removed.connect(self._changed)
        self.choose = QPushButton(self.tr("Chọn tệp… (Ctrl+O)"), self)
        self.choose.setObjectName("resultChooseFiles")
        self.choose.clicked.connect(self.choose_files)
        self.paste_button = QPushButton(self.tr("Dán ảnh (Ctrl+Shift+V)"), self)
        self.paste_button.setObjectName("resultPaste")
        self.paste_button.clicked.connect(lambda: self.paste())
        for key, slot in (("Ctrl+O", self.choose_files), ("Ctrl+Shift+V", self.paste)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        self.note = QLabel(self)
        self.note.setObjectName("resultFilesNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.choose)
        buttons.addWidget(self.paste_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        self._changed()

    # --- adding ---------------------------------------------------------------------------

    def choose_files(self) -> None:
        paths, _chosen = QFileDialog.getOpenFileNames(self, self.tr("Tệp kết quả xử lý"))
        self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> None:
        self.add(MimeEvidence(files=list(paths)))

    def paste(self, *, only_attachments: bool = False) -> bool:
        """The clipboard's images or files as attachments; True when something was taken.
        ``only_attachments``: leave plain text alone (Ctrl+V in the result text)."""
        mime = QGuiApplication.clipboard().mimeData()
        if only_attachments and not _carries_attachment(mime):
            return False
        found = evidence_from_mime(mime, "clipboard", encode=False)
        if not found:
            self.note.setText(self.tr("Bộ nhớ tạm không có ảnh hay tệp nào"))
            return False
        self.add(found)
        return True

    def add(self, found: MimeEvidence) -> None:
        for path in found.files:
            self._item(path, path.name, self._file_icon())
        for item in found.items:
            self._item(item, item.name or self.tr("ảnh dán"), self._file_icon())
        for name, image, source in found.images:
            icon = QIcon(QPixmap.fromImage(_thumbnail(image)))
            self._item((name, image, source), name, icon)
        self._changed()

    def _item(self, entry: Entry, name: str, icon: QIcon) -> None:
        key = len(self._entries)
        self._entries[key] = entry
        item = QListWidgetItem(icon, name, self.list)
        item.setData(_ENTRY, key)
        item.setToolTip(str(entry) if isinstance(entry, Path) else name)

    def _file_icon(self) -> QIcon:
        return self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def _changed(self) -> None:
        count = self.list.count()
        if count:
            text = self.tr("%1 tệp sẽ được lưu làm minh chứng kết quả khi ghi kết quả")
            self.note.setText(text.replace("%1", str(count)))
        else:
            self.note.setText(
                self.tr("Chưa có tệp. Kéo thả tệp vào đây, hoặc dán ảnh (Ctrl+V trong ô kết quả).")
            )
        self.changed.emit()

    # --- drops ----------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _carries_attachment(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        found = evidence_from_mime(event.mimeData(), "drop", encode=False)
        if found:
            event.acceptProposedAction()
            self.add(found)
        else:
            event.ignore()

    # --- the answer -----------------------------------------------------------------------

    def pending(self) -> MimeEvidence:
        """Files, bytes and images (to encode on the worker), in the list's order."""
        out = MimeEvidence()
        for row in range(self.list.count()):
            entry = self._entries[int(self.list.item(row).data(_ENTRY))]
            if isinstance(entry, Path):
                out.files.append(entry)
            elif isinstance(entry, EvidenceBytes):
                out.items.append(entry)
            else:
                out.images.append(entry)
        return out


def _carries_attachment(mime: QMimeData) -> bool:
    if mime.hasImage():
        return True
    return mime.hasUrls() and any(u.isLocalFile() for u in mime.urls())


def _thumbnail(image: QImage) -> QImage:
    return image.scaled(
        _THUMB,
        _THUMB,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )
