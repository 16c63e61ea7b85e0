"""The intake form: every field of ``IntakeForm``, laid out in the order a caller tells it.

It holds no rule: values go out as an ``IntakeForm`` (``collect``), messages come back as a
``ValidationResult`` from the service (``show_result``). Per keystroke it only emits signals;
the screen debounces and hands the heavy parts (folding 1 MB of text) to a worker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.domain.enums import Kind, Urgency
from pakn_desktop.services.intake.form import IntakeForm, ValidationResult
from pakn_desktop.services.reference_lists import ReferenceLists
from pakn_desktop.widgets.folded_combo import FoldedComboBox
from pakn_desktop.widgets.labels import urgency_label
from pakn_desktop.widgets.location_picker import LocationPicker

from .fields import NOTE_STYLE, FieldBox, PasteAwareEdit, format_local_datetime
from .fields import parse_local_datetime as parse_time
from .message_panel import MessagePanel

CALL_CHANNEL = "hotline"
# Where a field's message shows when the field has no box of its own.
_REDIRECT = {
    "province_code": "place",
    "commune_code": "place",
    "summary": "content",
    "mode": "general",
    "received_at": "general",
    "call_started_at": "general",
    "call_ended_at": "general",
    "duplicate_of": "general",
}


class IntakeFormView(QWidget):
    edited = Signal()  # any field changed (O(1) per keystroke)
    phoneEdited = Signal(str)
    kindChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeForm")
        self.mode = "call"
        self.message = MessagePanel(self)
        self._build_editors()
        self._build_layout()
        self._connect()
        self.set_mode("call")

    # --- building -------------------------------------------------------------------------

    def _build_editors(self) -> None:
        tr = self.tr
        self.phone = QLineEdit(self)
        self.phone.setObjectName("phoneEdit")
        self.phone.setPlaceholderText(tr("0912 345 678, +84 912…, 84912…"))
        self.phone_shown = QLabel(self)
        self.phone_shown.setObjectName("phoneNormalised")
        self.phone_shown.setStyleSheet(NOTE_STYLE)
        self.name = QLineEdit(self)
        self.name.setObjectName("nameEdit")
        # The name an earlier report of this number gave: offered (placeholder, ↓ picks it),
        # never filled in, since the caller may be someone else on the same phone.
        self.offered_name = ""
        self.name_completer = QCompleter([], self.name)
        self.name_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.name.setCompleter(self.name_completer)
        self.name.installEventFilter(self)
        self.place = LocationPicker(self)
        self.address = QLineEdit(self)
        self.address.setPlaceholderText(tr("Số nhà, đường, tổ dân phố…"))
        self.event_at = QLineEdit(self)
        self.event_at.setPlaceholderText(tr("dd/mm/yyyy hh:mm, hh:mm (hôm nay), nay"))
        self.content = PasteAwareEdit(self, lines=7)
        self.content.setObjectName("contentEdit")
        self.content.setPlaceholderText(tr("Người dân phản ánh… (Ctrl+T: câu mẫu)"))
        self.kind = FoldedComboBox(self)
        self.category = FoldedComboBox(self, filtering=True)
        self.category.setObjectName("categoryCombo")
        self.urgency = FoldedComboBox(self)
        for u in Urgency:
            self.urgency.addItem(urgency_label(u.value), u.value)
        self.kind_note = QLabel(self)
        self.kind_note.setObjectName("kindNote")
        self.kind_note.setWordWrap(True)
        self.kind_note.setStyleSheet(NOTE_STYLE)
        self.kind_note.hide()
        self.answer = PasteAwareEdit(self, lines=3)
        self.answer.setPlaceholderText(tr("Đã trả lời trên cuộc gọi: hồ sơ kết thúc ngay khi lưu"))
        self.handling_note = PasteAwareEdit(self, lines=3)
        self.handling_note.setPlaceholderText(
            tr("Biên bản: đã xử lý thế nào, hoặc đề xuất chuyển đơn vị nào xử lý")
        )
        self.email = QLineEdit(self)
        self.reporter_address = QLineEdit(self)
        self.confidential = QCheckBox(tr("Giữ bí mật danh tính người phản ánh"), self)
        self.no_publish = QCheckBox(tr("Không công khai kết quả"), self)
        self.general = QLabel(self)  # messages of fields with no box (times of the call…)
        self.general.setWordWrap(True)
        self.general.hide()
        self.boxes: dict[str, FieldBox] = {
            "reporter_phone": FieldBox(tr("Số điện thoại"), self.phone, self),
            "reporter_name": FieldBox(tr("Họ tên người phản ánh"), self.name, self),
            "place": FieldBox(tr("Địa bàn: tỉnh/thành phố, xã/phường"), self.place, self),
            "address": FieldBox(tr("Địa chỉ cụ thể"), self.address, self),
            "event_at": FieldBox(tr("Thời điểm xảy ra"), self.event_at, self),
            "content": FieldBox(tr("Nội dung phản ánh"), self.content, self),
            "kind": FieldBox(tr("Loại"), self.kind, self),
            "category": FieldBox(tr("Lĩnh vực"), self.category, self),
            "urgency": FieldBox(tr("Mức độ khẩn"), self.urgency, self),
            "answer": FieldBox(tr("Câu trả lời (hỏi đáp)"), self.answer, self),
            "handling_note": FieldBox(
                tr("Cách xử lý / đề xuất (biên bản)"), self.handling_note, self
            ),
            "reporter_email": FieldBox(tr("Thư điện tử"), self.email, self),
            "reporter_address": FieldBox(tr("Địa chỉ người phản ánh"), self.reporter_address, self),
        }
        self.boxes.update(self.message.boxes)
        phone_box = self.boxes["reporter_phone"]
        phone_layout = phone_box.layout()
        assert isinstance(phone_layout, QBoxLayout)  # a FieldBox stacks its parts in a column
        phone_layout.insertWidget(2, self.phone_shown)

    def _build_layout(self) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        b = self.boxes
        grid.addWidget(b["reporter_phone"], 0, 0)
        grid.addWidget(b["reporter_name"], 0, 1, 1, 2)
        grid.addWidget(b["place"], 1, 0, 1, 3)
        grid.addWidget(b["address"], 2, 0, 1, 2)
        grid.addWidget(b["event_at"], 2, 2)
        grid.addWidget(b["content"], 3, 0, 1, 3)
        grid.addWidget(b["attachments"], 4, 0, 1, 3)
        grid.addWidget(b["kind"], 5, 0)
        grid.addWidget(b["category"], 5, 1)
        grid.addWidget(b["urgency"], 5, 2)
        grid.addWidget(self.kind_note, 6, 0, 1, 3)
        grid.addWidget(b["answer"], 7, 0, 1, 3)
        grid.addWidget(b["handling_note"], 8, 0, 1, 3)
        grid.addWidget(b["reporter_email"], 9, 0)
        grid.addWidget(b["reporter_address"], 9, 1, 1, 2)
        grid.addWidget(self.confidential, 10, 0, 1, 2)
        grid.addWidget(self.no_publish, 10, 2)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)
        for box in b.values():  # a box with a note under it must not push its row's captions
            if box is not b["content"] and grid.indexOf(box) >= 0:
                grid.setAlignment(box, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.general)
        layout.addWidget(self.message)
        layout.addLayout(grid)
        layout.addStretch(1)

    def _connect(self) -> None:
        for edit in (self.name, self.address, self.event_at, self.email, self.reporter_address):
            edit.textEdited.connect(self._changed)
        self.phone.textEdited.connect(self._phone_edited)
        self.name_completer.activated.connect(self._changed)  # the offered name, taken
        for edit in (self.event_at, self.message.message_at):
            edit.editingFinished.connect(lambda e=edit: _show_time_read(e))
        for text in (self.content, self.answer, self.handling_note):
            text.textChanged.connect(self._changed)
        for combo in (self.category, self.urgency):
            combo.currentIndexChanged.connect(self._changed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for box in (self.confidential, self.no_publish):
            box.toggled.connect(self._changed)
        self.place.changed.connect(self._changed)
        self.message.edited.connect(self._changed)

    # --- data in --------------------------------------------------------------------------

    def set_lists(self, lists: ReferenceLists) -> None:
        self._own_procedure = lists.own_procedure
        names = {c.code: c.name for c in lists.categories}
        for combo, choices in ((self.kind, lists.kinds), (self.category, lists.categories)):
            combo.blockSignals(True)
            combo.clear()
            for c in choices:
                parent = names.get(c.parent, "")
                combo.addItem(f"{c.name} ({parent.lower()})" if parent else c.name, c.code)
            combo.blockSignals(False)
        self.place.set_places(lists.provinces, lists.communes)
        self.message.set_channels(lists.channels)
        self._kind_changed()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        message = mode == "message"
        self.message.setVisible(message)
        self.boxes["handling_note"].setVisible(message)
        # A pasted conversation scrolls in its box; one line less keeps the handling note
        # above the fold at 1366×768.
        self.content.set_lines(6 if message else 7)
        self.show_attachments(message or self.message.strip.count() > 0)
        self.boxes["content"].caption.setText(
            self.tr("Nội dung tin nhắn (dán nguyên văn hội thoại)")
            if message
            else self.tr("Nội dung phản ánh")
        )
        self._set_tab_order()

    def clear(self) -> None:
        for edit in (self.phone, self.name, self.address, self.event_at, self.email):
            edit.clear()
        self.reporter_address.clear()
        for text in (self.content, self.answer, self.handling_note):
            text.clear()
        self.phone_shown.clear()
        self.place.clear()
        self.message.clear()
        self.kind.setCurrentIndex(0)
        self.category.setCurrentIndex(0)
        self.urgency.setCurrentIndex(0)
        self.confidential.setChecked(False)
        self.no_publish.setChecked(False)
        self.show_result(ValidationResult(), errors=True)

    def load(self, data: dict[str, Any], form: IntakeForm) -> None:
        """Fill from a draft: ``form`` parsed by the service's mapping, ``data`` for the
        text the operator typed but that did not parse (times)."""
        ui = data["_ui"] if isinstance(data.get("_ui"), dict) else {}
        self.set_mode(form.mode if form.mode in ("call", "message") else "call")
        self.phone.setText(form.reporter_phone)
        self.name.setText(form.reporter_name)
        self.place.set_location(form.province_code, form.commune_code)
        self.address.setText(form.address)
        self.event_at.setText(ui.get("event_at_text") or format_local_datetime(form.event_at))
        self.content.setPlainText(form.content)
        _select(self.kind, form.kind)
        _select(self.category, form.category)
        _select(self.urgency, form.urgency)
        self.answer.setPlainText(form.answer)
        self.handling_note.setPlainText(form.handling_note)
        self.email.setText(form.reporter_email)
        self.reporter_address.setText(form.reporter_address)
        self.confidential.setChecked(form.confidential)
        self.no_publish.setChecked(form.no_publish)
        m = self.message
        _select(m.channel, form.channel)
        m.sender_name.setText(form.sender_name)
        m.sender_profile_url.setText(form.sender_profile_url)
        m.message_url.setText(form.message_url)
        m.message_at.setText(ui.get("message_at_text") or format_local_datetime(form.message_at))
        self.phoneEdited.emit(form.reporter_phone)

    # --- data out -------------------------------------------------------------------------

    def collect(self, **extra: Any) -> tuple[IntakeForm, dict[str, str]]:
        """The form as typed, and the UI's own parse problems (field → message) for times
        that are not times; ``extra`` sets the fields the screen owns (timer, attachments)."""
        problems: dict[str, str] = {}
        times = {}
        for name, edit in (("event_at", self.event_at), ("message_at", self.message.message_at)):
            try:
                times[name] = parse_time(edit.text())
            except ValueError:
                times[name] = None
                problems[name] = self.tr(
                    "Không hiểu thời điểm này; nhập dd/mm/yyyy hh:mm, hh:mm hoặc “nay”"
                )
        message = self.mode == "message"
        form = IntakeForm(
            mode=self.mode,
            channel=str(self.message.channel.currentData() or "") if message else CALL_CHANNEL,
            kind=str(self.kind.currentData() or ""),
            category=str(self.category.currentData() or ""),
            content=self.content.toPlainText(),
            urgency=str(self.urgency.currentData() or "normal"),
            province_code=self.place.province_code(),
            commune_code=self.place.commune_code(),
            address=self.address.text(),
            event_at=times["event_at"],
            reporter_name=self.name.text(),
            reporter_phone=self.phone.text(),
            reporter_email=self.email.text(),
            reporter_address=self.reporter_address.text(),
            confidential=self.confidential.isChecked(),
            no_publish=self.no_publish.isChecked(),
            answer=self.answer.toPlainText() if self._is_question() else "",
            handling_note=self.handling_note.toPlainText() if message else "",
            sender_name=self.message.sender_name.text() if message else "",
            sender_profile_url=self.message.sender_profile_url.text() if message else "",
            message_url=self.message.message_url.text() if message else "",
            message_at=times["message_at"] if message else None,
            **extra,
        )
        return form, problems

    def typed_times(self) -> dict[str, str]:
        return {
            "event_at_text": self.event_at.text(),
            "message_at_text": self.message.message_at.text(),
        }

    # --- messages -------------------------------------------------------------------------

    def show_result(
        self, result: ValidationResult, *, errors: bool, problems: dict[str, str] | None = None
    ) -> QWidget | None:
        """Errors (when ``errors``) and warnings under their fields; returns the editor of the
        first error in the form's order, for the focus."""
        messages: dict[str, list[tuple[str, bool]]] = {}
        for e in result.errors if errors else ():
            messages.setdefault(_REDIRECT.get(e.field, e.field), []).append((e.message, True))
        for name, text in (problems or {}).items():
            messages.setdefault(name, []).append((text, True))
        for w in result.warnings:
            messages.setdefault(_REDIRECT.get(w.field, w.field), []).append((w.message, False))
        wrong: list[QWidget] = []
        for name, box in self.boxes.items():
            found = messages.pop(name, [])
            if not found:
                box.clear_message()
                continue
            is_error = any(err for _t, err in found)
            box.show_message("\n".join(t for t, _e in found), error=is_error)
            if is_error and box.isVisibleTo(self):
                wrong.append(self._focus_target(name, box, result))
        rest = [t for items in messages.values() for t, _e in items]
        self.general.setText("\n".join(rest))
        self.general.setStyleSheet("color: #c62828;")
        self.general.setVisible(bool(rest))
        order = self.tab_chain()
        wrong.sort(key=lambda w: order.index(w) if w in order else len(order))
        return wrong[0] if wrong else None

    def _focus_target(self, name: str, box: FieldBox, result: ValidationResult) -> QWidget:
        if name == "place":
            province = any(e.field == "province_code" for e in result.errors)
            return self.place.province if province else self.place.commune
        if name == "attachments":
            return self.message.strip
        return box.editor

    # --- behaviour ------------------------------------------------------------------------

    def tab_chain(self) -> list[QWidget]:
        """The visible editors as they are laid out, top to bottom and left to right: in
        message mode the message's own fields come first (they are above the form)."""
        chain: list[QWidget] = [
            *(self.message.editors() if self.mode == "message" else []),
            self.phone,
            self.name,
            self.place.province,
            self.place.commune,
            self.address,
            self.event_at,
            self.content,
            *self.message.attachment_editors(),
            self.kind,
            self.category,
            self.urgency,
            self.answer,
            self.handling_note,
            self.email,
            self.reporter_address,
            self.confidential,
            self.no_publish,
        ]
        return [w for w in chain if w.isVisibleTo(self)]

    def first_editor(self) -> QWidget:
        return self.tab_chain()[0] if self.mode == "call" else self.message.sender_name

    def _set_tab_order(self) -> None:
        chain = self.tab_chain()
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002, FBT001 (Qt's signature)
        """Tab walks ``tab_chain``: setTabOrder alone left the strip's buttons leading back
        to the place picker (the focus chain of widgets moved between layouts), and boxes
        shown or hidden later (the answer, the strip) change the chain anyway."""
        chain = self.tab_chain()
        current = QApplication.focusWidget()
        if current in chain:
            step = chain.index(current) + (1 if next else -1)
            if 0 <= step < len(chain):
                target = chain[step]
                reason = (
                    Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
                )
                target.setFocus(reason)
                parent = self.parentWidget()
                scroll = parent.parentWidget() if parent is not None else None
                if isinstance(scroll, QScrollArea):
                    scroll.ensureWidgetVisible(target)
                return True
        return super().focusNextPrevChild(next)

    def _is_question(self) -> bool:
        return bool(self.kind.currentData() == Kind.HOI_DAP.value)

    def _changed(self, *_args: object) -> None:
        self.edited.emit()

    def _phone_edited(self, text: str) -> None:
        self.phoneEdited.emit(text)
        self.edited.emit()

    def _kind_changed(self, *_args: object) -> None:
        kind = str(self.kind.currentData() or "")
        self.boxes["answer"].setVisible(kind == Kind.HOI_DAP.value)
        notes = []
        if kind in getattr(self, "_own_procedure", frozenset()):
            notes.append(
                self.tr(
                    "Khiếu nại, tố cáo không theo quy trình PAKN: hồ sơ được ghi nhận và chuyển "
                    "cơ quan giải quyết theo thủ tục riêng (Luật Khiếu nại 2011, Luật Tố cáo 2018)."
                )
            )
        if kind == Kind.TO_CAO.value:
            notes.append(
                self.tr(
                    "Danh tính người tố cáo được pháp luật bảo vệ: không xuất hiện trong báo cáo, "
                    "thông báo, công khai hay bản sao gửi đơn vị khác."
                )
            )
            self.confidential.setChecked(True)
        self.confidential.setEnabled(kind != Kind.TO_CAO.value)
        self.kind_note.setText("\n".join(notes))
        self.kind_note.setVisible(bool(notes))
        self._set_tab_order()  # the answer box came or went
        self.kindChanged.emit(kind)
        self.edited.emit()

    def show_attachments(self, visible: bool) -> None:
        self.boxes["attachments"].setVisible(visible)
        self._set_tab_order()

    def offer_name(self, name: str) -> None:
        self.offered_name = name
        self.name.setPlaceholderText(
            self.tr("Tên đã dùng: %1 — bấm ↓ để chọn").replace("%1", name) if name else ""
        )
        model = self.name_completer.model()
        assert isinstance(model, QStringListModel)
        model.setStringList([name] if name else [])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.name
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.offered_name
            and not self.name.text()
        ):
            self.name_completer.complete()
            return True
        return super().eventFilter(watched, event)

    def set_phone_shown(self, text: str) -> None:
        self.phone_shown.setText(text)
        self.phone_shown.setVisible(bool(text))


def _show_time_read(edit: QLineEdit) -> None:
    """ "nay", "08:30"… become the full time they were read as, so the operator sees it."""
    try:
        value = parse_time(edit.text())
    except ValueError:
        return  # left as typed; the save says what is wrong with it
    shown = format_local_datetime(value)
    if value is not None and shown != edit.text():
        edit.setText(shown)


def _select(combo: QComboBox, code: str) -> None:
    index = combo.findData(code)
    if index >= 0:
        combo.setCurrentIndex(index)
