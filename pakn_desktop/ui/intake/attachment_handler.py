"""The report's attachments: offered by paste, drop or file dialog, made ready on a worker
(PNG encoding, reading the file, the image check, a thumbnail), shown in the strip."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog

from pakn_desktop.services.intake_form import Attachment
from pakn_desktop.ui.tasks import Tasks
from pakn_desktop.widgets.attachment_strip import offered

from .attachments import Prepared, from_file, from_image

if TYPE_CHECKING:
    from pakn_desktop.widgets.screen_capture import RegionCapture

    from .screen import IntakeScreen


def prepare(images: list[QImage], paths: list[str]) -> tuple[list[Prepared], list[str]]:
    """Worker side: every offered image made ready; the problems as Vietnamese lines."""
    ready: list[Prepared] = []
    problems: list[str] = []
    for image in images:
        try:
            ready.append(from_image(image, "clipboard"))
        except ValueError as bad:
            problems.append(str(bad))
    for path in paths:
        try:
            ready.append(from_file(path, "drop"))
        except OSError as bad:
            problems.append(f"{path}: {bad.strerror or bad}")
        except ValueError as bad:  # EvidenceError: not an image, empty, too large
            problems.append(f"{path}: {bad}")
    return ready, problems


def _prepare_capture(image: QImage, geometry: dict[str, Any]) -> tuple[list[Prepared], list[str]]:
    try:
        return [from_image(image, "screenshot", geometry)], []
    except ValueError as bad:
        return [], [str(bad)]


class AttachmentHandler(QObject):
    changed = Signal(int)  # how many are attached

    def __init__(self, screen: IntakeScreen, tasks: Tasks) -> None:
        super().__init__(screen)
        self._screen = screen
        self._tasks = tasks
        self._items: dict[int, Attachment] = {}
        self._next = 1
        self.capture: RegionCapture | None = None  # the one in progress

    def values(self) -> tuple[Attachment, ...]:
        return tuple(self._items.values())

    def offer(self, images: list[QImage], paths: list[str]) -> None:
        if not images and not paths:
            return
        copies = [image.copy() for image in images]  # the worker gets its own
        self._tasks.read(
            lambda: prepare(copies, list(paths)),
            on_result=self._ready,
            on_error=self._screen.background_failed,
        )

    def paste_clipboard(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        images, paths = offered(mime) if mime is not None else ([], [])
        if not images and not paths:
            self._screen.message.emit(self.tr("Bộ nhớ tạm không có ảnh"))
            return
        self.offer(images, paths)

    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self._screen,
            self.tr("Chọn ảnh đính kèm"),
            "",
            self.tr("Ảnh (*.png *.jpg *.jpeg *.gif *.webp)"),
        )
        if paths:
            self.offer([], paths)

    def capture_region(self) -> None:
        """Message mode: hide the console, let the operator drag a region on any screen
        (Esc cancels), attach it as a screenshot with its screen geometry."""
        if self._screen.form.mode != "message":
            self._screen.message.emit(
                self.tr("Chụp màn hình vùng dùng khi tiếp nhận tin nhắn (F3)")
            )
            return
        if self.capture is not None:
            return  # one capture at a time: a second Ctrl+Shift+S while the overlay is up
        from pakn_desktop.widgets.screen_capture import RegionCapture

        capture = RegionCapture(self._screen.window(), self)
        self.capture = capture
        capture.finished.connect(self._captured)
        capture.start()

    def _captured(self, capture: Any) -> None:
        if self.capture is not None:
            self.capture.deleteLater()
            self.capture = None
        if capture is None:
            self._screen.message.emit(self.tr("Đã huỷ chụp màn hình"))
            return
        self.add_captured(capture.image, capture.geometry.as_json())

    def add_captured(self, image: QImage, geometry: dict[str, Any]) -> None:
        """A captured region into the form's attachments (source "screenshot")."""
        copy = image.copy()  # the worker gets its own
        self._tasks.read(
            lambda: _prepare_capture(copy, geometry),
            on_result=self._ready,
            on_error=self._screen.background_failed,
        )

    def remove(self, key: int) -> None:
        if self._items.pop(key, None) is not None:
            self._count_changed()

    def clear(self) -> None:
        self._items.clear()
        self._screen.form.message.strip.clear()
        self._screen.form.message.set_attachment_count(0)

    def _ready(self, result: tuple[list[Prepared], list[str]]) -> None:
        ready, problems = result
        strip = self._screen.form.message.strip
        for item in ready:
            key = self._next
            self._next += 1
            self._items[key] = item.attachment
            strip.add(key, item.attachment.display_name, item.thumbnail)
        if problems:
            self._screen.form.boxes["attachments"].show_message("\n".join(problems))
        if ready:
            self._count_changed()

    def _count_changed(self) -> None:
        count = len(self._items)
        form = self._screen.form
        form.message.set_attachment_count(count)
        form.show_attachments(form.mode == "message" or count > 0)
        self._screen.controller.edited()
        self.changed.emit(count)
