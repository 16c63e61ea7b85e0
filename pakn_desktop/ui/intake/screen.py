"""The intake screen: call bar, form, and beside it the caller's history, possible duplicates
and drafts. The widgets live here; the background work lives in ``controller``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.services.app_services import AppServices
from pakn_desktop.services.intake.form import IntakeForm, SavedTicket
from pakn_desktop.services.reference_lists import ReferenceLists
from pakn_desktop.ui.intake.attachment_strip import accept_attachment_drag, take_attachment_drop
from pakn_desktop.ui.tasks import Tasks
from pakn_desktop.widgets.labels import local_datetime, status_label

from .actions import action_specs
from .attachment_handler import AttachmentHandler
from .call_bar import CallBar
from .controller import IntakeController, PhoneLookup
from .form import IntakeFormView
from .overlays import DraftsBar, SavedBanner, intake_help
from .phrases_menu import PhrasesMenu
from .side_panels import ListPanel, drafts_panel, duplicates_panel, history_panel


class IntakeScreen(QWidget):
    message = Signal(str)  # for the status bar
    listsLoaded = Signal()

    def __init__(
        self,
        services: AppServices,
        tasks: Tasks,
        parent: QWidget | None = None,
        *,
        window_keys: bool = True,
    ) -> None:
        """``window_keys``: also bind F2/F3 here (a screen on its own); the main window binds
        them itself, window-wide, and passes False."""
        super().__init__(parent)
        self.setObjectName("intakeScreen")
        self._window_keys = window_keys
        self._tasks = tasks
        self._services = services  # used on workers: the database opens there
        self.lists: ReferenceLists | None = None
        self.duplicate_of = ""
        self.call_bar = CallBar(self)
        self.call_bar.timer.clock = services.now  # the server's time, as the save counts it
        self.drafts_bar = DraftsBar(self)
        self.banner = SavedBanner(self)
        self.form = IntakeFormView(self)
        self.history = history_panel(self)
        self.duplicates = duplicates_panel(self)
        self.drafts = drafts_panel(self)
        self.help = intake_help(self)
        self.controller = IntakeController(self, services, tasks)
        self.attachments = AttachmentHandler(self, tasks, services)
        self.phrases = PhrasesMenu(self)
        self._layout()
        self.actions_by_name: dict[str, QAction] = {}
        self._build_actions()
        self._connect()
        self.setAcceptDrops(True)
        self._set_mode("call")
        self.history.set_status(self._history_prompt())
        self.duplicates.set_status(self._duplicates_prompt())

    # --- building -------------------------------------------------------------------------

    def _layout(self) -> None:
        # Not "scroll": that would shadow QWidget.scroll(), which moves the widget's pixels.
        self.form_scroll = QScrollArea(self)
        self.form_scroll.setObjectName("formScroll")
        self.form_scroll.setWidget(self.form)
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side = QSplitter(Qt.Orientation.Vertical, self)
        side.setObjectName("intakeSide")
        for panel in (self.history, self.duplicates, self.drafts):
            side.addWidget(panel)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 2)
        side.setStretchFactor(2, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("intakeSplitter")
        self.splitter.addWidget(self.form_scroll)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setCollapsible(0, False)
        # The form needs ~720 px; the rest goes to the lists (codes, dates, statuses, due).
        self.splitter.setSizes([760, 540])
        bars = QVBoxLayout()
        bars.setContentsMargins(8, 4, 8, 0)
        bars.addWidget(self.drafts_bar)
        bars.addWidget(self.banner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.call_bar)
        layout.addLayout(bars)
        body = QHBoxLayout()
        body.setContentsMargins(4, 0, 4, 4)
        body.addWidget(self.splitter)
        layout.addLayout(body, 1)

    def _build_actions(self) -> None:
        handlers: dict[str, Callable[[], None]] = {
            "new_call": self.new_call,
            "new_message": self.new_message,
            "save": self.controller.save,
            "end_call": self.end_call,
            "hold": self.hold,
            "drafts": lambda: self._focus_list(self.drafts),
            "resume": self.resume_newest,
            "phrases": self.phrases.open,
            "history": lambda: self._focus_list(self.history),
            "duplicates": lambda: self._focus_list(self.duplicates),
            "link_duplicate": self.link_duplicate,
            "unlink_duplicate": lambda: self.set_duplicate(""),
            "paste_image": self.attachments.paste_clipboard,
            "attach_file": self.attachments.choose_files,
            "capture_region": self.attachments.capture_region,
            "capture_window": self.attachments.capture_window,
            "copy_code": self.banner.copy_code,
            "focus_phone": lambda: self.focus_field(self.form.phone),
            "focus_place": lambda: self.focus_field(self.form.place.commune),
            "focus_content": lambda: self.focus_field(self.form.content),
            "focus_kind": lambda: self.focus_field(self.form.kind),
            "dismiss": self.dismiss,
            "help": self.help.toggle,
        }
        for spec in action_specs():
            if spec.window_wide and not self._window_keys:
                continue
            action = QAction(spec.label, self)
            action.setShortcuts([QKeySequence(k) for k in spec.keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _c=False, h=handlers[spec.name]: h())
            self.addAction(action)
            self.actions_by_name[spec.name] = action

    def _connect(self) -> None:
        c = self.controller
        self.form.edited.connect(c.edited)
        self.form.phoneEdited.connect(c.phone_edited)
        self.call_bar.newCall.connect(self.new_call)
        self.call_bar.newMessage.connect(self.new_message)
        self.call_bar.hold.connect(self.hold)
        self.call_bar.save.connect(c.save)
        self.call_bar.help.connect(self.help.toggle)
        self.drafts_bar.resume.connect(self.resume_newest)
        self.drafts_bar.showList.connect(lambda: self._focus_list(self.drafts))
        self.drafts.activated.connect(lambda d: c.open_draft(d.id))
        self.drafts.deleteRequested.connect(self._discard_draft)
        self.duplicates.activated.connect(lambda _c: self.link_duplicate())
        strip = self.form.message.strip
        strip.dropped.connect(self.attachments.offer)
        strip.removed.connect(self.attachments.remove)
        for text in (self.form.content, self.form.handling_note, self.form.answer):
            text.imagesOffered.connect(self.attachments.offer)
        self.form.message.paste_button.clicked.connect(self.attachments.paste_clipboard)
        self.form.message.file_button.clicked.connect(self.attachments.choose_files)
        self.form.message.capture_button.clicked.connect(self.attachments.capture_region)
        self.form.message.window_button.clicked.connect(self.attachments.capture_window)

    # --- start and modes ------------------------------------------------------------------

    def start(self) -> None:
        """Load the pick lists and the open drafts (both in the background)."""
        services = self._services
        self._tasks.read(
            lambda: services.reference_lists(),
            key="intake-lists",
            on_result=self._lists_loaded,
            on_error=self.background_failed,
        )
        self.controller.list_drafts()

    def _lists_loaded(self, lists: ReferenceLists) -> None:
        self.lists = lists
        self.controller.quiet = True
        try:
            self.form.set_lists(lists)
        finally:
            self.controller.quiet = False
        self.listsLoaded.emit()

    def new_call(self) -> None:
        self._new("call")
        self.call_bar.timer.start()
        self.focus_field(self.form.phone)

    def new_message(self) -> None:
        self._new("message")
        self.focus_field(self.form.message.sender_name)

    def _new(self, mode: str) -> None:
        held = self.controller.dirty or self.controller.draft_id is not None
        self.controller.save_draft()
        self.controller.reset()
        self.banner.hide()
        self._set_mode(mode)
        if held:
            self.message.emit(self.tr("Phiếu trước được giữ trong danh sách bản nháp (Ctrl+B)"))

    def _set_mode(self, mode: str) -> None:
        self.form.set_mode(mode)
        self.call_bar.set_mode(mode)

    def end_call(self) -> None:
        self.call_bar.timer.stop()
        self.controller.edited()

    def hold(self) -> None:
        """Put this call on hold: its draft is saved now; an empty form takes the next."""
        if not (self.controller.dirty or self.controller.draft_id is not None):
            return
        self.controller.save_draft()
        self.controller.reset()
        self.call_bar.set_status(self.tr("Đã giữ cuộc gọi trong bản nháp"))
        self.focus_field(self.form.first_editor())

    def resume_newest(self) -> None:
        """Open the most recent draft other than this form's (the list is read afresh: a
        hold a moment ago may not be in the panel yet)."""
        self.drafts_bar.hide()
        self.controller.resume_newest()

    def dismiss(self) -> None:
        if self.help.isVisible():
            self.help.hide()
        elif self.banner.isVisible():
            self.banner.hide()
        elif self.drafts_bar.isVisible():
            self.drafts_bar.hide()

    # --- the form's values ----------------------------------------------------------------

    def collect(self) -> tuple[IntakeForm, dict[str, str]]:
        timer = self.call_bar.timer
        call = self.form.mode == "call"
        started = timer.started_at if call else None
        ended = (timer.ended_at or timer.clock()) if call and started else None
        return self.form.collect(
            call_started_at=started,
            call_ended_at=ended,
            attachments=self.attachments.values(),
            duplicate_of=self.duplicate_of,
        )

    def clear_form(self) -> None:
        self.form.clear()
        self.attachments.clear()
        self.set_duplicate("")
        self.call_bar.timer.reset()
        self.call_bar.set_status("")
        self.form.set_phone_shown("")
        self.form.offer_name("")
        # An empty list says why (it was blank after a save, a hold or a new call).
        self.history.set_rows([], self._history_prompt())
        self.duplicates.set_rows([], self._duplicates_prompt())

    def _history_prompt(self) -> str:
        return self.tr("Nhập số điện thoại để xem các phản ánh trước đây")

    def _duplicates_prompt(self) -> str:
        return self.tr("Chọn lĩnh vực, địa bàn và nhập nội dung để dò trùng")

    def load_form(self, data: dict[str, Any], form: IntakeForm, *, on_hold_here: bool) -> None:
        """Fill the form from a draft. The call timer goes on for a call held in this session
        (``on_hold_here``) whose timer was running; any other call shows the length it had
        when its draft was last written (a crash cut it there, or the operator ended it)."""
        self._set_mode(form.mode if form.mode in ("call", "message") else "call")
        self.form.load(data, form)
        self.attachments.restore(form.attachments)
        self.set_duplicate(form.duplicate_of)
        status = self.tr("Đã mở lại bản nháp")
        started, ended = form.call_started_at, form.call_ended_at
        if form.mode == "call" and started is not None:
            ui = data["_ui"] if isinstance(data.get("_ui"), dict) else {}
            running = bool(ui.get("call_running", ended is None))
            if running and on_hold_here:
                self.call_bar.timer.start(started)
            else:
                self.call_bar.timer.show_finished(started, ended or started)
                if running:
                    status = self.tr(
                        "Đã khôi phục bản nháp; thời lượng cuộc gọi tính đến lần lưu cuối"
                    )
        self.call_bar.set_status(status)
        self.focus_field(self.form.content)

    def set_duplicate(self, code: str) -> None:
        if code != self.duplicate_of:
            self.duplicate_of = code
            self.controller.edited()
        self.call_bar.set_duplicate(code)

    def link_duplicate(self) -> None:
        candidate = self.duplicates.current()
        if candidate is None:
            self.message.emit(self.tr("Chưa có hồ sơ nào có thể trùng để đánh dấu"))
            return
        self.set_duplicate(candidate.code)
        self.message.emit(
            self.tr("Khi lưu, phản ánh này được ghi là trùng với %1").replace("%1", candidate.code)
        )

    # --- results from the controller ------------------------------------------------------

    def show_history(self, found: PhoneLookup) -> None:
        shown, items = found.shown, found.items
        self.form.set_phone_shown(f"→ {shown}" if shown else "")
        self.form.offer_name(found.known_name)
        if not shown:
            empty = self.tr("Nhập đủ số điện thoại để xem các phản ánh trước đây")
        else:
            empty = self.tr("Người gọi lần đầu: chưa có phản ánh nào")
        self.history.set_rows(items, empty)
        if items:
            total = found.reports
            text = self.tr("%1 phản ánh trước đây của số này").replace("%1", str(total))
            if total > len(items):
                text += self.tr(" (hiện %1 gần nhất)").replace("%1", str(len(items)))
            self.history.set_status(text)
        self.controller.historyShown.emit(items)

    def show_candidates(self, candidates: list[Any]) -> None:
        self.duplicates.set_rows(candidates, self.tr("Không thấy hồ sơ nào giống trong 30 ngày"))
        self.controller.candidatesShown.emit(candidates)

    def show_drafts(self, drafts: list[Any], current: uuid.UUID | None) -> None:
        self.drafts.set_rows(drafts, self.tr("Không có bản nháp nào"))
        waiting = [d for d in drafts if d.id != current]
        if waiting:
            self.drafts_bar.offer(len(waiting))
        else:
            self.drafts_bar.hide()

    def show_saved(self, ticket: SavedTicket) -> None:
        parts = [self.tr("Trạng thái: %1").replace("%1", status_label(ticket.status))]
        if ticket.forward_due_at is not None:
            due = local_datetime(ticket.forward_due_at)
            parts.append(self.tr("Hạn chuyển xử lý: %1").replace("%1", due))
        if ticket.due_at is not None:
            parts.append(self.tr("Hạn giải quyết: %1").replace("%1", local_datetime(ticket.due_at)))
        detail = " · ".join(parts)
        if ticket.warnings:
            detail += "\n" + "\n".join(w.message for w in ticket.warnings)
        self.banner.show_code(ticket.code, detail)
        self.call_bar.set_status(self.tr("Đã lưu %1").replace("%1", ticket.code))
        self.message.emit(self.tr("Đã lưu hồ sơ %1").replace("%1", ticket.code))
        self.focus_field(self.form.first_editor())

    def background_failed(self, error: BaseException) -> None:
        from pakn_desktop.ui.errors import error_text

        text = error_text(error)
        self.call_bar.set_status(self.tr("Lỗi: %1").replace("%1", text))
        self.message.emit(self.tr("Lỗi: %1").replace("%1", text))

    # --- focus and drops ------------------------------------------------------------------

    def focus_field(self, widget: QWidget) -> None:
        self.form_scroll.ensureWidgetVisible(widget)
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_list(self, panel: ListPanel) -> None:
        panel.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _discard_draft(self, draft: Any) -> None:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self,
            self.tr("Bỏ bản nháp"),
            self.tr("Bỏ bản nháp “%1”? Nội dung đã nhập sẽ mất.").replace("%1", draft.title),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.discard_draft(draft.id)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accept_attachment_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        take_attachment_drop(event, self.attachments.offer)
