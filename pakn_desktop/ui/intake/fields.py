"""Building blocks of the intake form: a field with its error line, the paste-aware text box,
and the date-time text the operator types ("24/11 08:30", "08:30", "nay")."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtGui import QFont, QKeySequence, QTextOption
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from pakn_desktop.domain.office_time import OFFICE_ZONE, as_office, office_now, to_office
from pakn_desktop.ui.intake.attachment_strip import carries_attachment, offered

ERROR_STYLE = "color: #c62828;"
WARNING_STYLE = "color: #8a5a00;"
NOTE_STYLE = "color: #1f5fa8;"

_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d")
_NOW_WORDS = {"nay", "bay gio", "now", "bây giờ"}


class FieldBox(QWidget):
    """A caption, the editor, and a red line under it for this field's message."""

    def __init__(self, caption: str, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.caption = QLabel(caption, self)
        font = QFont(self.caption.font())
        font.setBold(True)
        self.caption.setFont(font)
        self.caption.setBuddy(editor)
        self.message = QLabel(self)
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(editor)
        layout.addWidget(self.message)

    def show_message(self, text: str, *, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else WARNING_STYLE)
        self.message.setProperty("isError", error)
        self.message.setVisible(bool(text))

    def clear_message(self) -> None:
        self.message.clear()
        self.message.hide()

    def has_error(self) -> bool:
        return self.message.isVisible() and bool(self.message.property("isError"))


class PasteAwareEdit(QPlainTextEdit):
    """A plain text box (1 MB pastes stay fast) that turns pasted/dropped images into
    attachments instead of text; Tab moves focus (an operator's form, not an editor)."""

    imagesOffered = Signal(object, object)  # list[QImage], list[str] (paths)

    def __init__(self, parent: QWidget | None = None, *, lines: int = 4) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.set_lines(lines)

    def set_lines(self, lines: int) -> None:
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * lines + 12)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return carries_attachment(source) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        images, paths = offered(source)
        if images or (paths and _only_files(source)):
            self.imagesOffered.emit(images, paths)
            return
        super().insertFromMimeData(source)


def _only_files(source: QMimeData) -> bool:
    """A file manager's drop carries the URLs as text too; do not paste "file:///…"."""
    text = source.text().strip()
    return all(line.strip().startswith("file:") for line in text.splitlines() if line.strip())


def parse_local_datetime(text: str, today: date | None = None) -> datetime | None:
    """What the operator typed as a local, timezone-aware time; None when empty.

    "24/11/2026 08:30", "24/11 08:30" (this year), "08:30" (today), "24/11/2026" (midnight),
    ISO, or "nay"/"bây giờ" for now. ValueError when it is none of these.
    """
    value = " ".join(text.split())
    if not value:
        return None
    if value.lower() in _NOW_WORDS:
        return office_now().replace(second=0, microsecond=0)
    today = today or office_now().date()
    for fmt in _FORMATS:
        try:
            return as_office(datetime.strptime(value, fmt))
        except ValueError:
            continue
    for fmt in ("%d/%m %H:%M", "%d/%m"):
        try:
            parsed = datetime.strptime(f"{value}/{today.year}", fmt + "/%Y")
        except ValueError:
            continue
        return as_office(parsed)
    try:
        clock = datetime.strptime(value, "%H:%M").time()
    except ValueError:
        pass
    else:
        return datetime.combine(today, clock, tzinfo=OFFICE_ZONE)
    try:
        return as_office(datetime.fromisoformat(value))
    except ValueError:
        raise ValueError(value) from None


def format_local_datetime(value: datetime | None) -> str:
    return "" if value is None else to_office(value).strftime("%d/%m/%Y %H:%M")


def shortcut_text(sequence: str) -> str:
    """A key sequence as the platform shows it (Ctrl+Return → Ctrl+Return)."""
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


__all__ = [
    "ERROR_STYLE",
    "NOTE_STYLE",
    "WARNING_STYLE",
    "FieldBox",
    "PasteAwareEdit",
    "format_local_datetime",
    "parse_local_datetime",
    "shortcut_text",
]
