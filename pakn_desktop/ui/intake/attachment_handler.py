"""The report's attachments: offered by paste, drop or file dialog, made ready on a worker
(PNG encoding, reading the file, the image check, a thumbnail, storing the bytes in the
evidence store), shown in the strip; a resumed draft's read back from the store by hash."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QFileDialog, QWidget

from pakn_desktop.services.intake.form import Attachment
from pakn_desktop.ui.intake.attachment_strip import offered
from pakn_desktop.ui.tasks import Tasks

from .attachments import Prepared, from_file, from_image, from_store, stored

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.services.evidence.store import EvidenceStore
    from pakn_desktop.ui.intake.screen_capture import RegionCapture

    from .controller import IntakeController
    from .form import IntakeFormView


# What the intake takes (services/evidence/sniff.py decides by the bytes; the names only
# filter the dialog): a fanpage message is often a voice note.
EVIDENCE_FILES = (
    "Chứng cứ (*.png *.jpg *.jpeg *.gif *.webp *.heic *.heif *.m4a *.mp3 *.ogg *.opus *.aac"
    " *.wav *.amr *.mp4 *.mov *.3gp *.pdf *.docx *.xlsx);;Mọi tệp (*)"
)
Result = tuple[list[Prepared], list[str]]  # ready, and the problems as Vietnamese lines


def prepare(images: list[QImage], paths: list[str], store: EvidenceStore | None = None) -> Result:
    """Worker side: every offered image made ready and stored."""
    ready: list[Prepared] = []
    problems: list[str] = []
    for image in images:
        try:
            ready.append(stored(store, from_image(image, "clipboard")))
        except OSError as bad:
            problems.append(f"{bad.strerror or bad}")
        except ValueError as bad:
            problems.append(str(bad))
    for path in paths:
        try:
            ready.append(from_file(path, "drop", store))
        except OSError as bad:
            problems.append(f"{path}: {bad.strerror or bad}")
        except ValueError as bad:  # EvidenceError: not an image, empty, too large
            problems.append(f"{path}: {bad}")
    return ready, problems


def _prepare_capture(
    image: QImage, geometry: dict[str, Any], store: EvidenceStore | None = None
) -> Result:
    try:
        return [stored(store, from_image(image, "screenshot", geometry))], []
    except OSError as bad:
        return [], [f"{bad.strerror or bad}"]
    except ValueError as bad:
        return [], [str(bad)]


def read_back(references: tuple[Attachment, ...], store: EvidenceStore | None) -> Result:
    """Worker side: a resumed draft's attachments read back from the store."""
    ready: list[Prepared] = []
    problems: list[str] = []
    for reference in references:
        try:
            ready.append(from_store(store, reference))
        except ValueError as bad:
            problems.append(str(bad))
    return ready, problems


class AttachmentHost(Protocol):
    """What the handler uses of the intake screen (which builds it, so is not imported here)."""

    @property
    def form(self) -> IntakeFormView: ...

    @property
    def controller(self) -> IntakeController: ...

    @property
    def message(self) -> SignalInstance: ...

    def background_failed(self, error: BaseException) -> None: ...

    def window(self) -> QWidget: ...


class AttachmentHandler(QObject):
    changed = Signal(int)  # how many are attached
    keptInDraft = Signal(object)  # uuid: a held draft received an image made ready late
    refused = Signal(str)  # the Vietnamese lines shown by the attachments box

    def __init__(self, screen: AttachmentHost, tasks: Tasks, services: AppServices) -> None:
        assert isinstance(screen, QWidget)  # the screen also owns the handler
        super().__init__(screen)
        self._screen = screen
        self._tasks = tasks
        self._services = services  # used on workers: the database opens there
        self._items: dict[int, Attachment] = {}
        self._next = 1
        # A resumed draft's attachments while they are read back: still part of the form
        # (a draft saved meanwhile keeps them; the save needs only their hashes).
        self._pending: tuple[Attachment, ...] = ()
        # Bumped by clear(): a worker's result for a form that is gone (held, saved, another
        # draft opened) is dropped rather than added to the next one.
        self._generation = 0
        self.capture: RegionCapture | None = None  # the one in progress

    def values(self) -> tuple[Attachment, ...]:
        return (*self._items.values(), *self._pending)

    def _run(self, work: Callable[[EvidenceStore | None], Result], *, restoring: bool) -> None:
        """``work`` on a reader (the store writes files, not the database), its result for
        this form, or for the draft it came from if the form was put on hold meanwhile."""
        services, generation = self._services, self._generation
        origin = self._screen.controller.draft_id
        self._tasks.read(
            lambda: work(services.evidence_store),
            on_result=lambda result: self._ready(result, generation, origin, restoring=restoring),
            on_error=self._screen.background_failed,
        )

    def _offer_work(self, work: Callable[[EvidenceStore | None], Result]) -> None:
        # An image on its way is already an edit: the form gets its draft id now, so an
        # image still being prepared when the call is put on hold has a draft to go to.
        self._screen.controller.edited()
        self._run(work, restoring=False)

    def offer(self, images: list[QImage], paths: list[str]) -> None:
        if not images and not paths:
            return
        copies = [image.copy() for image in images]  # the worker gets its own
        chosen = list(paths)
        self._offer_work(lambda store: prepare(copies, chosen, store))

    def restore(self, attachments: tuple[Attachment, ...]) -> None:
        """A resumed draft's attachments, read back from the store by hash (on a worker)."""
        self._pending = tuple(a for a in attachments if a.sha256)
        if self._pending:
            pending = self._pending
            self._run(lambda store: read_back(pending, store), restoring=True)

    @property
    def restoring(self) -> bool:
        return bool(self._pending)

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
            self.tr("Chọn tệp làm chứng cứ"),
            "",
            self.tr(EVIDENCE_FILES),
        )
        if paths:
            self.offer([], paths)

    def capture_region(self) -> None:
        """Message mode: hide the console, let the operator drag a region on any screen
        (Esc cancels), attach it as a screenshot with its screen geometry."""
        self._start_capture("region")

    def _start_capture(self, mode: str) -> None:
        # Not a parameter of capture_region: a button's clicked(bool) would fill it.
        if self._screen.form.mode != "message":
            self._screen.message.emit(
                self.tr("Chụp màn hình vùng dùng khi tiếp nhận tin nhắn (F3)")
            )
            return
        if self.capture is not None:
            return  # one capture at a time: a second Ctrl+Shift+S while the overlay is up
        from pakn_desktop.ui.intake.screen_capture import RegionCapture

        capture = RegionCapture(self._screen.window(), self, mode=mode)
        self.capture = capture
        capture.finished.connect(self._captured)
        capture.start()

    def capture_window(self) -> None:
        """Message mode: click another program's window (the browser showing Messenger);
        its pixels and title are attached as a screenshot. Where the window system lists
        no windows (Wayland) the overlay falls back to dragging a region, and says so."""
        from PySide6.QtGui import QGuiApplication

        if self._screen.form.mode == "message" and QGuiApplication.platformName() not in (
            "xcb",
            "windows",
        ):
            self._screen.message.emit(
                self.tr("Không chọn được cửa sổ trên hệ thống này: hãy kéo chọn vùng quanh nó")
            )
        self._start_capture("window")

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
        self._offer_work(lambda store: _prepare_capture(copy, geometry, store))

    def remove(self, key: int) -> None:
        if self._items.pop(key, None) is not None:
            self._count_changed()

    def clear(self) -> None:
        self._generation += 1
        self._pending = ()
        self._items.clear()
        self._screen.form.message.strip.clear()
        self._screen.form.message.set_attachment_count(0)

    def _ready(
        self, result: Result, generation: int, origin: uuid.UUID | None, *, restoring: bool
    ) -> None:
        ready, problems = result
        if generation != self._generation:
            # Made ready for a form no longer on screen: a held draft's reading back is done
            # again when it is resumed; a new image goes to the draft it was attached to.
            if restoring or not ready or origin is None:
                return
            if origin != self._screen.controller.draft_id:
                self._keep_in_draft(origin, tuple(item.attachment for item in ready))
                return
            # that draft is on screen again: the image joins the form as usual
        if restoring:
            self._pending = ()
        strip = self._screen.form.message.strip
        for item in ready:
            key = self._next
            self._next += 1
            self._items[key] = item.attachment
            strip.add(key, item.attachment.display_name, item.thumbnail)
        if problems:
            text = "\n".join(problems)
            self._screen.form.boxes["attachments"].show_message(text)
            # In call mode the box is hidden until something is attached: a refusal shown in
            # a hidden box would look like a file silently ignored.
            self._screen.form.show_attachments(True)
            self.refused.emit(text)
        if ready or restoring:
            # a restored draft is unchanged unless something could not be read back
            self._count_changed(edited=not restoring or bool(problems))

    def _keep_in_draft(self, draft_id: uuid.UUID, attachments: tuple[Attachment, ...]) -> None:
        services = self._services
        refs = [a.as_reference() for a in attachments]
        self._tasks.write(
            lambda: services.drafts.add_attachments(draft_id, refs),
            on_result=lambda _added: self._kept_in_draft(draft_id),
            on_error=self._screen.background_failed,
        )

    def _kept_in_draft(self, draft_id: uuid.UUID) -> None:
        self._screen.controller.list_drafts()
        self.keptInDraft.emit(draft_id)

    def _count_changed(self, *, edited: bool = True) -> None:
        count = len(self._items)
        form = self._screen.form
        form.message.set_attachment_count(count)
        form.show_attachments(form.mode == "message" or count > 0)
        if edited:
            self._screen.controller.edited()
        self.changed.emit(count)
