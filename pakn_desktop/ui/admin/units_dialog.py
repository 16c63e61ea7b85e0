"""Đơn vị xử lý: the unit catalogue and each unit's contact people, for administrators.

The list on the left filters as one types (without accents: "ben thanh" finds "Bến Thành", a
contact's name or number finds its unit); picking a unit puts it in the form on the right with
its contacts below. Removing a unit that has history deactivates it instead: it is then offered
nowhere, but its reports still name it. Reads and writes run on workers; other roles see the
catalogue read-only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.domain.phone import shown_phone
from pakn_desktop.services.unit_checks import ContactInput, UnitProblem
from pakn_desktop.services.units import ContactView, UnitsEditorData, UnitsService, UnitView
from pakn_desktop.ui.admin.base import AdminDialog, admin_table, close_button, error_line
from pakn_desktop.ui.admin.units_model import UnitsModel
from pakn_desktop.widgets.folded_combo import FoldedComboBox
from pakn_desktop.widgets.location_picker import LocationPicker

_ID = Qt.ItemDataRole.UserRole
CONTACT_COLUMNS = ("Họ tên", "Chức vụ", "Điện thoại", "Thư điện tử", "Nhận SMS", "Nhận thư")
FILTER_DELAY_MS = 120  # a burst of keys filters once


class UnitsDialog(AdminDialog):
    changed = Signal()  # a unit or contact was stored or removed
    filtered = Signal(int)  # rows shown after a filter pass

    NAME = "unitsDialog"
    TITLE = "Đơn vị xử lý và người liên hệ"
    LOADING = "Đang tải danh mục đơn vị…"

    def _prepare(self, units: Callable[[], UnitsService]) -> None:
        self._units = units
        self.data: UnitsEditorData | None = None
        self.by_id: dict[uuid.UUID, UnitView] = {}
        self.editing: uuid.UUID | None = None  # the unit in the form; None: a new one
        self.editing_contact: uuid.UUID | None = None

    def _first_read(self, units: Callable[[], UnitsService]) -> Callable[[], UnitsEditorData]:
        return lambda: units().editor_data()

    def _status_line(self) -> QLabel:
        return self.status

    # --- building -------------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        self.filter = QLineEdit(self)
        self.filter.setObjectName("unitFilter")
        self.filter.setPlaceholderText(
            tr("Lọc: gõ tên đơn vị, người liên hệ hoặc số điện thoại (không cần dấu)")
        )
        self.filter.setClearButtonEnabled(True)
        self.show_inactive = QCheckBox(tr("Cả đơn vị ngừng hoạt động"), self)
        self.show_inactive.setChecked(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(lambda _t: self._filter_timer.start())
        self.show_inactive.toggled.connect(lambda _c: self.apply_filter())
        self.model = UnitsModel()
        self.table = QTableView(self)
        self.table.setObjectName("unitsTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 190), (2, 150), (3, 80)):
            header.resizeSection(column, width)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._row_chosen())
        self.count = QLabel(self)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.filter, 1)
        filters.addWidget(self.show_inactive)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)

        self.name = QLineEdit(self)
        self.name.setObjectName("unitName")
        self.name.setPlaceholderText(tr("Ví dụ: UBND phường Bến Thành"))
        self.parent_unit = FoldedComboBox(self)
        self.parent_unit.setObjectName("unitParent")
        self.place = LocationPicker(self)
        self.place.province.setItemText(0, tr("— Không gắn địa bàn —"))
        self.active = QCheckBox(tr("Đang hoạt động (được chọn khi chuyển xử lý)"), self)
        self.active.setChecked(True)
        self.new_button = QPushButton(tr("Đơn vị mới (Ctrl+N)"), self)
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton(tr("Lưu đơn vị (Ctrl+S)"), self)
        self.save_button.setObjectName("saveUnit")
        self.save_button.clicked.connect(self.save_unit)
        self.remove_button = QPushButton(tr("Xóa / ngừng hoạt động"), self)
        self.remove_button.setToolTip(
            tr("Đơn vị đã có phản ánh, quy tắc hoặc đơn vị cấp dưới thì chỉ ngừng hoạt động")
        )
        self.remove_button.clicked.connect(self.remove_unit)
        self.editor = QGroupBox(tr("Đơn vị mới"), self)
        form = QFormLayout(self.editor)
        form.addRow(tr("Tên đơn vị"), self.name)
        form.addRow(tr("Cấp trên"), self.parent_unit)
        form.addRow(tr("Địa bàn"), self.place)
        form.addRow("", self.active)
        unit_buttons = QHBoxLayout()
        unit_buttons.addWidget(self.new_button)
        unit_buttons.addStretch(1)
        unit_buttons.addWidget(self.remove_button)
        unit_buttons.addWidget(self.save_button)
        form.addRow(unit_buttons)
        self._editable(self.name, self.parent_unit, self.place, self.active)
        self._editable(self.new_button, self.save_button)

        self.contacts = admin_table(self, CONTACT_COLUMNS, "contactsTable")
        contacts_header = self.contacts.horizontalHeader()
        contacts_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        contacts_header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.contacts.setMinimumHeight(110)
        self.contacts.currentCellChanged.connect(lambda *_a: self._contact_chosen())
        self.contact_name = QLineEdit(self)
        self.contact_name.setObjectName("contactName")
        self.contact_name.setPlaceholderText(tr("Họ tên"))
        self.contact_role = QLineEdit(self)
        self.contact_role.setPlaceholderText(tr("Chức vụ"))
        self.contact_phone = QLineEdit(self)
        self.contact_phone.setObjectName("contactPhone")
        self.contact_phone.setPlaceholderText(tr("Số điện thoại, ví dụ 0912 345 678"))
        self.contact_email = QLineEdit(self)
        self.contact_email.setObjectName("contactEmail")
        self.contact_email.setPlaceholderText(tr("Thư điện tử"))
        self.receives_sms = QCheckBox(tr("Nhận SMS"), self)
        self.receives_email = QCheckBox(tr("Nhận thư"), self)
        self.new_contact_button = QPushButton(tr("Người mới"), self)
        self.new_contact_button.clicked.connect(lambda: self._fill_contact(None))
        self.save_contact_button = QPushButton(tr("Lưu người liên hệ"), self)
        self.save_contact_button.setObjectName("saveContact")
        self.save_contact_button.clicked.connect(self.save_contact)
        self.remove_contact_button = QPushButton(tr("Xóa người liên hệ"), self)
        self.remove_contact_button.clicked.connect(self.remove_contact)
        self.people = QGroupBox(tr("Người liên hệ (nhận tin nhắn, thư khi có phản ánh chuyển đến)"))
        people = QVBoxLayout(self.people)
        people.addWidget(self.contacts, 1)
        row1 = QHBoxLayout()
        row1.addWidget(self.contact_name, 1)
        row1.addWidget(self.contact_role, 1)
        row2 = QHBoxLayout()
        row2.addWidget(self.contact_phone, 1)
        row2.addWidget(self.contact_email, 1)
        row3 = QHBoxLayout()
        row3.addWidget(self.receives_sms)
        row3.addWidget(self.receives_email)
        row3.addStretch(1)
        row3.addWidget(self.new_contact_button)
        row3.addWidget(self.remove_contact_button)
        row3.addWidget(self.save_contact_button)
        for row in (row1, row2, row3):
            people.addLayout(row)
        # Editable only while a unit is in the form: a contact belongs to one.
        self._contact_edits: tuple[QWidget, ...] = (
            *(self.contact_name, self.contact_role, self.contact_phone, self.contact_email),
            *(self.receives_sms, self.receives_email),
            *(self.new_contact_button, self.save_contact_button),
        )
        self._editable(*self._contact_edits)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.editor)
        right_layout.addWidget(self.people, 1)

        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 600])  # the names need the room more than the form does

        self.status = QLabel(self)
        self.status.setObjectName("unitsStatus")
        self.status.setWordWrap(True)
        self.errors = error_line(self, "unitErrors")
        close = close_button(self)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.errors)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.resize(1200, 680)
        for key, slot in (("Ctrl+N", self.start_new), ("Ctrl+S", self.save_unit)):
            QShortcut(QKeySequence(key), self).activated.connect(slot)
        QShortcut(QKeySequence("Ctrl+F"), self).activated.connect(self.filter.setFocus)

    def _set_enabled(self, enabled: bool) -> None:
        super()._set_enabled(enabled)
        has_unit = enabled and self.editing is not None
        self.remove_button.setEnabled(has_unit)
        for widget in self._contact_edits:
            widget.setEnabled(has_unit)
        self.remove_contact_button.setEnabled(has_unit and self.editing_contact is not None)

    # --- loading and the list -------------------------------------------------------------

    def _loaded(self, data: UnitsEditorData) -> None:
        self.data = data
        self.place.set_places(data.lists.provinces, data.lists.communes)
        self._show_units(data.units)
        self.status.setText(
            ""
            if self.editable
            else self.tr("Chỉ vai trò Quản trị được sửa danh mục đơn vị; các vai trò khác chỉ xem.")
        )
        self.start_new()
        self.loaded.emit()

    def _show_units(self, units: tuple[UnitView, ...], select: uuid.UUID | None = None) -> None:
        self.by_id = {u.id: u for u in units}
        self.table.selectionModel().blockSignals(True)
        self.model.set_units(units, self.filter.text(), self.show_inactive.isChecked())
        self.table.selectionModel().blockSignals(False)
        self._fill_parents()
        self._shown()
        if select is not None:
            self.select_unit(select)

    def select_unit(self, unit_id: uuid.UUID) -> None:
        """Make ``unit_id`` the current row (when the filter shows it) and fill the form."""
        row = self.model.row_of(unit_id)
        if row < 0:
            return
        selection = self.table.selectionModel()
        # The same row may already be current: no signal then, so fill by hand.
        selection.blockSignals(True)
        self.table.selectRow(row)
        selection.setCurrentIndex(self.model.index(row, 0), selection.SelectionFlag.NoUpdate)
        selection.blockSignals(False)
        self._row_chosen()

    def _fill_parents(self) -> None:
        current = self.parent_unit.currentData()
        self.parent_unit.blockSignals(True)
        self.parent_unit.clear()
        self.parent_unit.addItem(self.tr("— Không có (đơn vị cấp cao nhất) —"), None)
        for unit in self.by_id.values():
            if unit.active:
                self.parent_unit.addItem(unit.name, unit.id)
        self.parent_unit.setCurrentIndex(max(0, self.parent_unit.findData(current)))
        self.parent_unit.blockSignals(False)

    def apply_filter(self) -> None:
        """Show the units whose name, parent or contacts hold every typed word (folded)."""
        self._filter_timer.stop()
        editing = self.editing
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.model.apply(self.filter.text(), self.show_inactive.isChecked())
        row = self.model.row_of(editing) if editing is not None else -1
        if row >= 0:  # the unit in the form stays picked while it is shown
            self.table.selectRow(row)
        selection.blockSignals(False)
        self._shown()

    def _shown(self) -> None:
        shown = self.model.rowCount()
        self.count.setText(
            self.tr("%1 / %2 đơn vị").replace("%1", str(shown)).replace("%2", str(len(self.by_id)))
        )
        self.filtered.emit(shown)

    # --- the unit form --------------------------------------------------------------------

    def start_new(self) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        selection.clear()
        selection.blockSignals(False)
        self._fill_unit(None)
        if self.editable:
            self.name.setFocus()

    def _row_chosen(self) -> None:
        row = self.table.selectionModel().currentIndex().row()
        unit = self.model.rows[row] if 0 <= row < len(self.model.rows) else None
        self._fill_unit(unit)

    def _fill_unit(self, unit: UnitView | None) -> None:
        self.editing = unit.id if unit is not None else None
        tr = self.tr
        self.editor.setTitle(
            tr("Đơn vị: %1").replace("%1", unit.name) if unit else tr("Đơn vị mới")
        )
        self.name.setText(unit.name if unit else "")
        parent = unit.parent_id if unit else None
        index = self.parent_unit.findData(parent)
        if index < 0 and unit is not None and parent is not None:  # an inactive parent
            self.parent_unit.addItem(unit.parent_name, parent)
            index = self.parent_unit.count() - 1
        self.parent_unit.setCurrentIndex(max(0, index))
        self.place.set_location(
            unit.province_code or "" if unit else "", unit.commune_code or "" if unit else ""
        )
        self.active.setChecked(unit.active if unit else True)
        self._show_contacts(unit.contacts if unit else ())
        self.errors.hide()
        self._set_enabled(self.editable and self.data is not None)

    def _show_contacts(self, contacts: tuple[ContactView, ...]) -> None:
        tr = self.tr
        self.contacts.blockSignals(True)
        self.contacts.setRowCount(len(contacts))
        for row, c in enumerate(contacts):
            texts = (
                c.name,
                c.role,
                shown_phone(c.phone),
                c.email,
                tr("Có") if c.receives_sms else tr("Không"),
                tr("Có") if c.receives_email else tr("Không"),
            )
            for column, text in enumerate(texts):
                cell = QTableWidgetItem(text)
                cell.setData(_ID, c)
                self.contacts.setItem(row, column, cell)
        self.contacts.blockSignals(False)
        self._fill_contact(None)

    def _contact_chosen(self) -> None:
        item = self.contacts.item(self.contacts.currentRow(), 0)
        self._fill_contact(item.data(_ID) if item is not None else None)

    def _fill_contact(self, contact: ContactView | None) -> None:
        self.editing_contact = contact.id if contact is not None else None
        if contact is None:
            self.contacts.blockSignals(True)
            self.contacts.clearSelection()
            self.contacts.setCurrentCell(-1, -1)
            self.contacts.blockSignals(False)
        self.contact_name.setText(contact.name if contact else "")
        self.contact_role.setText(contact.role if contact else "")
        self.contact_phone.setText(shown_phone(contact.phone) if contact else "")
        self.contact_email.setText(contact.email if contact else "")
        self.receives_sms.setChecked(contact.receives_sms if contact else True)
        self.receives_email.setChecked(contact.receives_email if contact else True)
        self.save_contact_button.setText(
            self.tr("Lưu người liên hệ") if contact else self.tr("Thêm người liên hệ")
        )
        self._set_enabled(self.editable and self.data is not None)

    def contact_input(self) -> ContactInput:
        return ContactInput(
            self.contact_name.text(),
            self.contact_role.text(),
            self.contact_phone.text(),
            self.contact_email.text(),
            self.receives_sms.isChecked(),
            self.receives_email.isChecked(),
        )

    # --- writing --------------------------------------------------------------------------

    def _write(self, work: Callable[[UnitsService], object], done: str) -> None:
        """Run ``work`` on the write lane, then show the catalogue as it now is."""
        units = self._units
        self._set_enabled(False)
        self.status.setText(self.tr("Đang lưu…"))

        def write() -> tuple[object, tuple[UnitView, ...]]:
            service = units()
            result = work(service)
            return result, service.list_units()

        self._tasks.write(
            write, on_result=lambda result: self._written(result, done), on_error=self._failed
        )

    def _written(self, result: tuple[object, tuple[UnitView, ...]], done: str) -> None:
        outcome, units = result
        select = outcome.id if isinstance(outcome, UnitView) else self.editing
        keep_contact = outcome.id if isinstance(outcome, ContactView) else None
        if outcome == "deleted":
            select = None
        self._show_units(units, select=select)
        if select is None:
            self.start_new()
        if keep_contact is not None:
            for row in range(self.contacts.rowCount()):
                item = self.contacts.item(row, 0)
                if item is not None and item.data(_ID).id == keep_contact:
                    self.contacts.setCurrentCell(row, 0)
        if outcome == "deactivated":
            done = self.tr(
                "Đơn vị đã có lịch sử xử lý: đã chuyển sang ngừng hoạt động (không xóa); các "
                "phản ánh cũ vẫn ghi tên đơn vị."
            )
        self.status.setText(done)
        self.changed.emit()

    def save_unit(self) -> None:
        if not self.editable or self.data is None:
            return
        name = self.name.text()
        parent = self.parent_unit.currentData()
        province = self.place.province_code() or None
        commune = self.place.commune_code() or None
        active = self.active.isChecked()
        unit_id = self.editing
        if unit_id is None:
            self._write(
                lambda s: s.add_unit(
                    name,
                    parent_id=parent,
                    province_code=province,
                    commune_code=commune,
                    active=active,
                ),
                self.tr("Đã thêm đơn vị."),
            )
        else:
            self._write(
                lambda s: s.update_unit(
                    unit_id,
                    name,
                    parent_id=parent,
                    province_code=province,
                    commune_code=commune,
                    active=active,
                ),
                self.tr("Đã lưu đơn vị."),
            )

    def remove_unit(self) -> None:
        unit_id = self.editing
        if not self.editable or unit_id is None:
            return
        self._write(lambda s: s.remove_unit(unit_id), self.tr("Đã xóa đơn vị."))

    def save_contact(self) -> None:
        unit_id, contact_id = self.editing, self.editing_contact
        if not self.editable or unit_id is None:
            return
        contact = self.contact_input()
        if contact_id is None:
            self._write(
                lambda s: s.add_contact(unit_id, contact), self.tr("Đã thêm người liên hệ.")
            )
        else:
            self._write(
                lambda s: s.update_contact(contact_id, contact),
                self.tr("Đã lưu người liên hệ."),
            )

    def remove_contact(self) -> None:
        contact_id = self.editing_contact
        if not self.editable or contact_id is None:
            return
        self._write(lambda s: s.remove_contact(contact_id), self.tr("Đã xóa người liên hệ."))

    def _failed(self, error: BaseException) -> None:
        self._set_enabled(self.editable and self.data is not None)
        if isinstance(error, UnitProblem):
            self.errors.setText(error.message)
            self.errors.show()
            self.status.setText(self.tr("Chưa lưu: sửa lỗi ở trên."))
            return
        self.status.setText(self._error_words(error))
