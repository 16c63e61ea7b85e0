"""The evidence of one report in the queue's detail pane: the thumbnail strip and what an
operator does with it (open, attach, paste, drop, redact, detach, export the archive).

Every load, save, hash and decode runs through ``ui.tasks`` (writes on the serial lane); the
widgets get plain values (``AttachedEvidence``, QImage) and the panel never touches a file.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.services.evidence import flags
from pakn_desktop.services.evidence.records import AttachedEvidence
from pakn_desktop.ui.errors import error_text
from pakn_desktop.ui.tasks import Tasks
from pakn_desktop.widgets.mime_evidence import MimeEvidence
from pakn_desktop.widgets.save_path import ask_save_path

from .dialogs import ask_reason
from .job_bar import JobBar
from .strip import EvidenceStrip
from .thumbs import ThumbnailCache, is_image, make_thumbnail

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.ui.tasks import TaskContext

    from .redaction import RedactionDialog
    from .viewer import ImageViewer

log = logging.getLogger(__name__)
_FILES = "Minh chứng (*.png *.jpg *.jpeg *.gif *.webp *.heic *.pdf *.mp4 *.mov *.mp3 *.m4a *.wav *.ogg *.amr *.docx *.xlsx);;Mọi tệp (*)"  # noqa: E501


class EvidencePanel(QWidget):
    changed = Signal()  # evidence or custody events of the shown report changed

    def __init__(
        self,
        services: AppServices,
        tasks: Tasks,
        parent: QWidget | None = None,
        *,
        thumbnails: ThumbnailCache | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidencePanel")
        self._services = services  # read on workers only: the database may not be open yet
        self._tasks = tasks
        self._thumbs = thumbnails or ThumbnailCache()
        self._ticket: uuid.UUID | None = None
        self._code = ""
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl  # tests replace it
        self.viewer: ImageViewer | None = None
        self.redaction: RedactionDialog | None = None
        self.message_box: QMessageBox | None = None
        self._build()

    def _build(self) -> None:
        tr = self.tr
        self.title = QLabel(tr("Minh chứng"), self)
        self.title.setObjectName("evidenceTitle")
        self.attach_button = QPushButton(tr("Đính kèm…"), self)
        self.attach_button.setToolTip(tr("Chọn một hoặc nhiều tệp; Ctrl+V để dán ảnh"))
        self.redact_button = QPushButton(tr("Che thông tin…"), self)
        self.detach_button = QPushButton(tr("Gỡ…"), self)
        self.archive_button = QPushButton(tr("Xuất biên bản lưu trữ…"), self)
        self.strip = EvidenceStrip(self)
        self.job = JobBar(self._tasks, self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.status, 1)
        # The archive under the strip: the header stays narrow enough for the text beside it.
        for row, button in (
            (head, self.attach_button),
            (head, self.redact_button),
            (head, self.detach_button),
            (foot, self.archive_button),
        ):
            button.setAutoDefault(False)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.strip, 1)
        layout.addWidget(self.job)
        layout.addLayout(foot)
        self.attach_button.clicked.connect(self.choose_files)
        self.redact_button.clicked.connect(lambda: self.redact(self.strip.current()))
        self.detach_button.clicked.connect(lambda: self.ask_detach(self.strip.current()))
        self.archive_button.clicked.connect(self.choose_archive)
        self.job.busyChanged.connect(lambda _busy: self._update_buttons())
        self.job.cancelled.connect(self._cancelled)
        self.strip.opened.connect(self.open_item)
        self.strip.offered.connect(self.attach_offered)
        self.strip.currentItemChanged.connect(lambda *_a: self._update_buttons())
        self.strip.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.strip.customContextMenuRequested.connect(self._menu)
        self.set_ticket(None, "")

    # --- the report shown -----------------------------------------------------------------

    def set_ticket(self, ticket_id: uuid.UUID | None, code: str) -> None:
        if ticket_id == self._ticket and ticket_id is not None:
            self._code = code  # the detail was re-read: the strip is already current
            return
        self.job.cancel()
        self._ticket, self._code = ticket_id, code
        self.strip.clear()
        self.status.clear()
        self._update_buttons()
        if ticket_id is not None:
            self.reload()

    def reload(self, *, after_writes: bool = False) -> None:
        """``after_writes``: queue behind the serial write lane, so the list read sees what
        a just-cancelled attach may still have committed."""
        ticket = self._ticket
        if ticket is None:
            return
        services = self._services
        self._tasks.submit(
            lambda: services.evidence.list_for_ticket(ticket),
            lane="write" if after_writes else "read",
            on_result=lambda items: self._listed(ticket, items),
            on_error=self._failed,
            key=None if after_writes else "evidence-list",
        )

    def _listed(self, ticket: uuid.UUID, items: list[AttachedEvidence]) -> None:
        if ticket != self._ticket:
            return
        self.strip.set_items(items)
        live = sum(1 for e in items if e.detached_at is None)
        self.title.setText(self.tr("Minh chứng (%1)").replace("%1", str(live)))
        if not items:
            self.status.setText(self.tr("Chưa có minh chứng. Dán (Ctrl+V) hoặc kéo thả tệp vào."))
        self._update_buttons()
        for sha in {e.sha256 for e in items if is_image(e.mime)}:
            cached = self._thumbs.get(sha)
            if cached is not None:
                self.strip.set_thumbnail(sha, cached)
            else:
                self._make_thumbnail(sha)

    def _make_thumbnail(self, sha: str) -> None:
        services = self._services  # the cache folder or made now, on a worker
        self._tasks.read(
            lambda: make_thumbnail(services.evidence_store.path_of(sha), sha, services.thumbs_dir),
            on_result=lambda image: self._thumb_ready(sha, image),
            on_error=lambda _error: self.strip.set_thumbnail(sha, QImage()),
        )

    def _thumb_ready(self, sha256: str, image: QImage) -> None:
        if not image.isNull():
            self._thumbs.put(sha256, image)
        self.strip.set_thumbnail(sha256, image)

    def _update_buttons(self) -> None:
        chosen = self.strip.current()
        busy = self.job.busy()
        live = chosen is not None and chosen.detached_at is None
        has_ticket = self._ticket is not None
        self.attach_button.setEnabled(has_ticket and not busy)
        self.archive_button.setEnabled(has_ticket and not busy)
        self.redact_button.setEnabled(live and chosen is not None and is_image(chosen.mime))
        self.detach_button.setEnabled(live)
        self.strip.setEnabled(has_ticket)

    def _menu(self, at: QPoint) -> None:
        chosen = self.strip.current()
        if chosen is None:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Mở"), lambda: self.open_item(chosen))
        if chosen.detached_at is None:
            if is_image(chosen.mime):
                menu.addAction(self.tr("Che thông tin…"), lambda: self.redact(chosen))
            menu.addAction(self.tr("Gỡ khỏi hồ sơ…"), lambda: self.ask_detach(chosen))
        menu.popup(self.strip.viewport().mapToGlobal(at))

    # --- opening --------------------------------------------------------------------------

    def open_item(self, item: AttachedEvidence | None) -> None:
        """Images in the viewer (a ``viewed`` event); everything else through a read-only
        copy handed to the system's player or viewer (an ``exported`` event)."""
        if item is None:
            return
        services = self._services
        if not is_image(item.mime):
            if self.job.busy():
                return
            self.status.setText(self.tr("Đang mở bằng chương trình của hệ thống…"))
            # Another station's file is fetched first, on the read lane with the job bar's
            # progress and Huỷ: a video coming over the network must not hold up the saves
            # queued on the write lane behind it.
            self.job.run(
                lambda ctx: services.evidence.local_path(
                    item.sha256, ctx.progress, ctx.is_cancelled
                ),
                lambda _path: self._open_copy(item),
                self._failed,
                lane="read",
            )
            return
        from .viewer import ImageViewer, load_image

        viewer = ImageViewer(item.display_name, self)
        self.viewer = viewer
        viewer.destroyed.connect(lambda: self._forget("viewer", viewer))
        viewer.show()

        def shown(image: QImage) -> None:
            if self.viewer is viewer:
                viewer.show_image(image)

        def failed(error: BaseException) -> None:
            if self.viewer is viewer:
                viewer.show_error(error_text(error))

        def fetching(done: int, total: int) -> None:
            if self.viewer is viewer:
                viewer.show_fetching(done, total)

        reading = self._tasks.read(
            lambda ctx: load_image(
                services.evidence.local_path(item.sha256, ctx.progress, ctx.is_cancelled)
            ),
            context=True,
            on_result=shown,
            on_error=failed,
            on_progress=fetching,
        )
        # Closed before the file came: the fetch stops at its next chunk (and resumes later).
        viewer.destroyed.connect(lambda *_a: reading.cancel())
        self._tasks.write(
            lambda: services.evidence.record_view(item.id),
            on_result=lambda _r: self.changed.emit(),
            on_error=self._failed,
        )

    def _open_copy(self, item: AttachedEvidence) -> None:
        services = self._services
        self._tasks.write(
            lambda: services.open_copies.open_copy(item),
            on_result=self._copy_ready,
            on_error=self._failed,
        )

    def _copy_ready(self, path: Path) -> None:
        self.status.setText(self.tr("Đã mở bản sao chỉ đọc: %1").replace("%1", path.name))
        self.changed.emit()
        if not self.open_url(QUrl.fromLocalFile(str(path))):
            self._show_error(self.tr("Không có chương trình nào mở được tệp này"))

    # --- attaching ------------------------------------------------------------------------

    def choose_files(self) -> None:
        if self._ticket is None:
            return
        paths, _chosen = QFileDialog.getOpenFileNames(
            self, self.tr("Đính kèm minh chứng"), "", self.tr(_FILES)
        )
        if paths:
            self.attach(MimeEvidence(files=[Path(p) for p in paths]), "file")

    def attach_offered(self, found: MimeEvidence, source: str) -> None:
        if not found:
            self.status.setText(self.tr("Không có ảnh hay tệp nào để đính kèm"))
            return
        self.attach(found, source)

    def attach(self, found: MimeEvidence, source: str) -> None:
        """All of it or nothing (the service's rule): a refused file names itself in a
        message box and the report keeps what it had."""
        ticket = self._ticket
        if ticket is None or self.job.busy():
            return
        services = self._services
        files = list(found.files)
        count = len(found.files) + len(found.items) + len(found.images)
        self.status.setText(self.tr("Đang đính kèm %1 tệp…").replace("%1", str(count)))
        self.job.run(
            # Pasted image data is encoded to PNG here, on the worker (~70 ms a screenshot).
            lambda ctx: services.evidence.attach(
                ticket, files, found.encoded_items(), source, ctx.progress, ctx.is_cancelled
            ),
            self._attached,
            self._failed,
        )

    def _attached(self, added: list[AttachedEvidence]) -> None:
        fresh = [e for e in added if not e.already_attached]
        text = self.tr("Đã đính kèm %1 tệp").replace("%1", str(len(fresh)))
        if len(fresh) < len(added):
            text += self.tr(" (%1 tệp đã có trong hồ sơ)").replace(
                "%1", str(len(added) - len(fresh))
            )
        # Kept as they came but worth a word (decision 25): said here, not hidden in the log.
        for item in fresh:
            for code in item.warnings:
                text += f"\n{item.display_name}: {flags.message(code)}"
        self.status.setText(text)
        self.reload()
        self.changed.emit()

    # --- detaching, redaction, archive ------------------------------------------------------

    def ask_detach(self, item: AttachedEvidence | None) -> None:
        if item is None or item.detached_at is not None:
            return
        ask_reason(self, item.display_name, lambda reason: self.detach(item, reason))

    def detach(self, item: AttachedEvidence, reason: str) -> None:
        services = self._services
        self._tasks.write(
            lambda: services.evidence.detach(item.id, reason),
            on_result=lambda _r: self._detached(),
            on_error=self._failed,
        )

    def _detached(self) -> None:
        self.status.setText(self.tr("Đã gỡ khỏi hồ sơ (tệp vẫn được lưu làm chứng cứ)"))
        self.reload()
        self.changed.emit()

    def redact(self, item: AttachedEvidence | None) -> None:
        if item is None or not is_image(item.mime):
            return
        from .viewer import load_image

        services = self._services
        self._tasks.read(
            lambda: load_image(services.evidence_store.path_of(item.sha256)),
            on_result=lambda image: self._open_redaction(item, image),
            on_error=self._failed,
        )

    def _open_redaction(self, item: AttachedEvidence, image: QImage) -> None:
        from .redaction import RedactionDialog

        dialog = RedactionDialog(item.display_name, image, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.redaction = dialog
        dialog.destroyed.connect(lambda: self._forget("redaction", dialog))
        services = self._services

        def save(rects: list[Any]) -> None:
            self._tasks.write(
                lambda: services.redaction.redact(item.id, rects),
                on_result=lambda made: self._redacted(dialog, made),
                on_error=lambda e: self._redaction_failed(dialog, e),
            )

        dialog.saveRequested.connect(save)
        dialog.open()

    def _redaction_failed(self, dialog: RedactionDialog, error: BaseException) -> None:
        if self.redaction is dialog:
            dialog.failed(error_text(error))
        else:
            self._failed(error)

    def _redacted(self, dialog: RedactionDialog, made: AttachedEvidence) -> None:
        if self.redaction is dialog:
            dialog.saved()
        self.status.setText(self.tr("Đã lưu bản che: %1").replace("%1", made.display_name))
        self.reload()
        self.changed.emit()

    def choose_archive(self) -> None:
        if self._ticket is None:
            return
        path = ask_save_path(
            self,
            self.tr("Xuất biên bản lưu trữ"),
            f"bien-ban-{self._code or 'ho-so'}.zip",
            self.tr("Tệp nén ZIP (*.zip)"),
            ".zip",
        )
        if path is not None:
            self.export_archive(path)

    def export_archive(self, out: Path) -> None:
        ticket = self._ticket
        if ticket is None or self.job.busy():
            return
        services = self._services
        self.status.setText(self.tr("Đang xuất biên bản lưu trữ…"))
        self.job.run(lambda ctx: _archive(services, ticket, out, ctx), self._archived, self._failed)

    def _archived(self, result: Any) -> None:
        self.status.setText(
            self.tr("Đã xuất biên bản lưu trữ: %1 (%2 tệp)")
            .replace("%1", str(result.path))
            .replace("%2", str(result.files))
        )
        self.changed.emit()

    def _cancelled(self) -> None:
        self.status.setText(self.tr("Đã huỷ"))
        # Behind the cancelled task in the write lane: the list shows whatever it committed.
        self.reload(after_writes=True)

    # --- errors ---------------------------------------------------------------------------

    def _failed(self, error: BaseException) -> None:
        self._show_error(error_text(error))

    def _forget(self, name: str, widget: QWidget) -> None:
        if getattr(self, name, None) is widget:
            setattr(self, name, None)

    def _show_error(self, text: str) -> None:
        """A message box that does not block (``open``): the app keeps running under it."""
        self.status.setText(text)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Minh chứng"), text, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.destroyed.connect(lambda: self._forget("message_box", box))
        box.open()


def _archive(services: AppServices, ticket: uuid.UUID, out: Path, ctx: TaskContext) -> Any:
    """The report's archive package (on a worker). The console cannot prove an authorised
    role yet: a denouncer's identity stays out."""
    from pakn_desktop.services.archive import build_archive

    return build_archive(
        services.evidence,
        out,
        ticket=ticket,
        reveal_identity=False,
        progress=ctx.progress,
        should_cancel=ctx.is_cancelled,
    )
