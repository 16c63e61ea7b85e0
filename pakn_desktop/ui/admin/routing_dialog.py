"""Quy tắc chuyển xử lý: the routing rules (category × place → suggested lead unit), for
administrators.

The table lists every rule; picking a row puts it in the form below to edit, Ctrl+N starts a
new one. Category, place and unit are typed without accents (the intake form's widgets). The
test box asks the same ``RoutingService.suggest_unit`` the forward dialog asks. Reads and
writes run on workers (``ui/tasks.py``); other roles see the rules read-only and may test.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.domain.refusals import RULE_PROBLEMS
from pakn_desktop.domain.routing import PRIORITY_MAX, PRIORITY_MIN, RouteRule, rule_problems
from pakn_desktop.domain.workflow import WorkflowRefused
from pakn_desktop.services.reference_lists import ReferenceLists
from pakn_desktop.services.workflow.routing import (
    RoutingRuleView,
    RoutingService,
    RuleEditorData,
    UnitSuggestion,
)
from pakn_desktop.ui.admin.base import AdminDialog, admin_table, close_button, error_line
from pakn_desktop.widgets.folded_combo import FoldedComboBox
from pakn_desktop.widgets.location_picker import LocationPicker

_RULE = Qt.ItemDataRole.UserRole
COLUMNS = ("Lĩnh vực", "Tỉnh/thành phố", "Xã/phường", "Đơn vị chủ trì", "Ưu tiên", "Áp dụng")
PROBLEM_TEXT = {
    **RULE_PROBLEMS,
    "role_not_allowed": "Chỉ vai trò Quản trị được sửa quy tắc chuyển xử lý.",
}


def problem_texts(error: WorkflowRefused) -> list[str]:
    codes = error.detail.split(",") if "," in error.detail else [str(error.code)]
    return [PROBLEM_TEXT.get(code, f"Dữ liệu không hợp lệ ({code}).") for code in codes]


def _category_combo(parent: QWidget, first: str) -> FoldedComboBox:
    combo = FoldedComboBox(parent)
    combo.addItem(first, "")
    combo.setMinimumContentsLength(28)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return combo


def _fill_categories(combo: QComboBox, lists: ReferenceLists) -> None:
    names = {c.code: c.name for c in lists.categories}
    for c in lists.categories:  # as the intake form shows them: "Child (parent)"
        parent = names.get(c.parent, "")
        combo.addItem(f"{c.name} ({parent.lower()})" if parent else c.name, c.code)


class RoutingRulesDialog(AdminDialog):
    changed = Signal()  # a rule was stored or deleted
    tested = Signal(object)  # UnitSuggestion | None

    NAME = "routingRulesDialog"
    TITLE = "Quy tắc chuyển xử lý"
    LOADING = "Đang tải quy tắc…"

    def _prepare(self, routing: Callable[[], RoutingService]) -> None:
        self._routing = routing
        self.rules: tuple[RoutingRuleView, ...] = ()
        self._data: RuleEditorData | None = None
        self._editing: uuid.UUID | None = None  # the rule in the form; None: a new one
        self.confirm: QMessageBox | None = None
        self._communes: dict[str, str] = {}  # commune → province

    def _first_read(self, routing: Callable[[], RoutingService]) -> Callable[[], RuleEditorData]:
        return lambda: routing().editor_data()

    def _status_line(self) -> QLabel:
        return self.status

    # --- building -------------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        self.table = admin_table(self, COLUMNS, "routingRules", stretch=3)
        self.table.setMinimumHeight(200)
        self.table.currentCellChanged.connect(lambda *_a: self._row_chosen())

        self.category = _category_combo(self, tr("— Mọi lĩnh vực —"))
        self.category.setObjectName("ruleCategory")
        self.place = LocationPicker(self)
        self.place.province.setItemText(0, tr("— Mọi tỉnh/thành phố —"))
        self.place.commune.setPlaceholderText(tr("Mọi xã/phường — hoặc gõ không dấu: ben thanh"))
        self.unit = FoldedComboBox(self)
        self.unit.setObjectName("ruleUnit")
        self.unit.addItem(tr("— Chọn đơn vị chủ trì (gõ tên không dấu) —"), None)
        self.priority = QSpinBox(self)
        self.priority.setRange(PRIORITY_MIN, PRIORITY_MAX)
        self.priority.setToolTip(tr("Khi hai quy tắc khớp như nhau, mức cao hơn được chọn"))
        self.active = QCheckBox(tr("Đang áp dụng"), self)
        self.active.setChecked(True)
        self.rule_note = QLineEdit(self)
        self.rule_note.setPlaceholderText(tr("Ghi chú (không bắt buộc)"))
        self.new_button = QPushButton(tr("Quy tắc mới (Ctrl+N)"), self)
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton(tr("Lưu quy tắc (Enter)"), self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton(tr("Xóa quy tắc (Delete)"), self)
        self.delete_button.clicked.connect(self.delete_current)
        self.editor = QGroupBox(tr("Quy tắc mới"), self)
        form = QFormLayout(self.editor)
        form.addRow(tr("Lĩnh vực"), self.category)
        form.addRow(tr("Địa bàn"), self.place)
        form.addRow(tr("Đơn vị chủ trì"), self.unit)
        extra = QHBoxLayout()
        extra.addWidget(self.priority)
        extra.addWidget(self.active)
        extra.addWidget(self.rule_note, 1)
        form.addRow(tr("Ưu tiên"), extra)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        self._editable(self.category, self.place, self.unit, self.priority, self.active)
        self._editable(self.rule_note, self.new_button, self.save_button, self.delete_button)

        self.test_category = _category_combo(self, tr("— Chọn lĩnh vực —"))
        self.test_category.setObjectName("testCategory")
        self.test_place = LocationPicker(self)
        self.test_button = QPushButton(tr("Thử (Ctrl+T)"), self)
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.run_test)
        self.test_result = QLabel(self)
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        trial = QGroupBox(tr("Thử: phản ánh này sẽ được gợi ý chuyển cho đơn vị nào?"), self)
        trial_form = QFormLayout(trial)
        trial_form.addRow(tr("Lĩnh vực"), self.test_category)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_place, 1)
        test_row.addWidget(self.test_button)
        trial_form.addRow(tr("Địa bàn"), test_row)
        trial_form.addRow(self.test_result)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.errors = error_line(self, "ruleErrors")
        close = close_button(self)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.editor)
        layout.addWidget(self.errors)
        layout.addWidget(trial)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.resize(980, 720)

        for key, slot in (("Ctrl+N", self.start_new), ("Ctrl+T", self.run_test)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(slot)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_current)
        for signal in (
            self.category.currentIndexChanged,
            self.unit.currentIndexChanged,
            self.place.changed,
        ):
            signal.connect(lambda *_a: self.errors.hide())

    def _set_enabled(self, enabled: bool) -> None:
        super()._set_enabled(enabled)
        self.delete_button.setEnabled(enabled and self._editing is not None)

    # --- loading --------------------------------------------------------------------------

    def _loaded(self, data: RuleEditorData) -> None:
        self._data = data
        for combo in (self.category, self.test_category):
            _fill_categories(combo, data.lists)
        for place in (self.place, self.test_place):
            place.set_places(data.lists.provinces, data.lists.communes)
        for unit in data.units:
            self.unit.addItem(unit.name, unit.id)
        self._communes = {c.code: c.province_code for c in data.lists.communes}
        self._show_rules(data.rules)
        self.status.setText(
            ""
            if self.editable
            else self.tr(
                "Chỉ vai trò Quản trị được sửa quy tắc chuyển xử lý; các vai trò khác chỉ xem "
                "và thử."
            )
        )
        self.start_new()
        self.loaded.emit()

    def _names(self, rule: RoutingRuleView) -> tuple[str, ...]:
        assert self._data is not None
        lists = self._data.lists
        provinces = {p.code: p.name for p in lists.provinces}
        communes = {c.code: c.name for c in lists.communes}
        tr = self.tr
        category = (
            lists.category_name(rule.category_code) if rule.category_code else tr("Mọi lĩnh vực")
        )
        province = provinces.get(rule.province_code or "", rule.province_code or tr("Mọi nơi"))
        commune = communes.get(rule.commune_code or "", rule.commune_code or "—")
        active = tr("Có") if rule.active else tr("Tạm dừng")
        return (category, province, commune, rule.unit_name, str(rule.priority), active)

    def _show_rules(
        self, rules: tuple[RoutingRuleView, ...], select: uuid.UUID | None = None
    ) -> None:
        self.rules = rules
        self.table.blockSignals(True)
        self.table.setRowCount(len(rules))
        for row, rule in enumerate(rules):
            for column, text in enumerate(self._names(rule)):
                cell = QTableWidgetItem(text)
                cell.setData(_RULE, rule)
                if rule.note and column == 3:
                    cell.setToolTip(rule.note)
                if not rule.active:
                    cell.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, cell)
        self.table.blockSignals(False)
        if select is not None:
            rows = [r for r, rule in enumerate(rules) if rule.id == select]
            if rows:
                self.table.setCurrentCell(rows[0], 0)

    # --- the form -------------------------------------------------------------------------

    def start_new(self) -> None:
        """An empty form for a new rule (Ctrl+N); focus on the category."""
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setCurrentCell(-1, -1)
        self.table.blockSignals(False)
        self._fill_form(None)
        if self.editable:
            self.category.setFocus()

    def _row_chosen(self) -> None:
        item = self.table.item(self.table.currentRow(), 0)
        self._fill_form(item.data(_RULE) if item is not None else None)

    def _fill_form(self, rule: RoutingRuleView | None) -> None:
        self._editing = rule.id if rule is not None else None
        self.editor.setTitle(self.tr("Sửa quy tắc đã chọn") if rule else self.tr("Quy tắc mới"))
        self.category.setCurrentIndex(
            max(0, self.category.findData(rule.category_code or "")) if rule else 0
        )
        self.place.set_location(
            rule.province_code or "" if rule else "", rule.commune_code or "" if rule else ""
        )
        self.unit.setCurrentIndex(max(0, self.unit.findData(rule.unit_id)) if rule else 0)
        if rule is not None and self.unit.findData(rule.unit_id) < 0:  # an inactive unit
            self.unit.addItem(rule.unit_name, rule.unit_id)
            self.unit.setCurrentIndex(self.unit.count() - 1)
        self.priority.setValue(rule.priority if rule else 0)
        self.active.setChecked(rule.active if rule else True)
        self.rule_note.setText(rule.note if rule else "")
        self.errors.hide()
        self._set_enabled(self.editable and self._data is not None)

    def form_rule(self) -> RouteRule:
        """The form as a rule (its province taken from the commune when none is chosen)."""
        commune = self.place.commune_code() or None
        province = self.place.province_code() or None
        if commune is not None and province is None:
            province = self._communes.get(commune)
        return RouteRule(
            self._editing or uuid.UUID(int=0),
            self.unit.currentData(),
            str(self.category.currentData() or "") or None,
            province,
            commune,
            self.priority.value(),
        )

    def values(self) -> dict[str, object]:
        """The form as the service's fields (None codes mean "any")."""
        rule = self.form_rule()
        return {
            "category_code": rule.category_code,
            "province_code": rule.province_code,
            "commune_code": rule.commune_code,
            "unit_id": rule.unit_id,
            "priority": rule.priority,
            "active": self.active.isChecked(),
            "note": self.rule_note.text().strip() or None,
        }

    def problems(self) -> list[str]:
        """The form's problems in Vietnamese: the domain's check over the loaded rules."""
        rule = self.form_rule()
        others = [
            RouteRule(r.id, r.unit_id, r.category_code, r.province_code, r.commune_code, r.priority)
            for r in self.rules
        ]
        commune_province = self._communes.get(rule.commune_code or "")
        found = rule_problems(rule, commune_province=commune_province, others=others)
        return [self.tr(PROBLEM_TEXT[p]) for p in found]

    def _show_errors(self, texts: list[str]) -> None:
        self.errors.setText("\n".join(texts))
        self.errors.setVisible(bool(texts))

    # --- writing --------------------------------------------------------------------------

    def save(self) -> None:
        if not self.editable or self._data is None:
            return
        found = self.problems()
        if found:
            self._show_errors(found)
            self.status.setText(self.tr("Chưa lưu: sửa các lỗi ở trên."))
            return
        routing, role, values, rule_id = self._routing, self.role, self.values(), self._editing
        self._set_enabled(False)
        self.status.setText(self.tr("Đang lưu…"))

        def write() -> tuple[RoutingRuleView, tuple[RoutingRuleView, ...]]:
            service = routing()
            if rule_id is None:
                stored = service.add_rule(role, **values)
            else:
                stored = service.update_rule(role, rule_id, **values)
            return stored, service.list_rules()

        self._tasks.write(write, on_result=self._saved, on_error=self._failed)

    def _saved(self, result: tuple[RoutingRuleView, tuple[RoutingRuleView, ...]]) -> None:
        stored, rules = result
        self._show_rules(rules, select=stored.id)
        self._fill_form(stored)
        self.status.setText(self.tr("Đã lưu quy tắc: %1.").replace("%1", stored.unit_name))
        self.changed.emit()

    def delete_current(self) -> None:
        if not self.editable or self._editing is None:
            return
        rule_id = self._editing
        self.confirm = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Xóa quy tắc"),
            self.tr("Xóa quy tắc đã chọn? Các phản ánh đã chuyển không bị ảnh hưởng."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        self.confirm.setDefaultButton(QMessageBox.StandardButton.No)
        self.confirm.button(QMessageBox.StandardButton.Yes).setText(self.tr("Xóa"))
        self.confirm.button(QMessageBox.StandardButton.No).setText(self.tr("Không"))
        self.confirm.accepted.connect(lambda: self._delete(rule_id))
        self.confirm.open()

    def _delete(self, rule_id: uuid.UUID) -> None:
        routing, role = self._routing, self.role
        self._set_enabled(False)

        def write() -> tuple[RoutingRuleView, ...]:
            routing().delete_rule(role, rule_id)
            return routing().list_rules()

        self._tasks.write(write, on_result=self._deleted, on_error=self._failed)

    def _deleted(self, rules: tuple[RoutingRuleView, ...]) -> None:
        self._show_rules(rules)
        self.start_new()
        self.status.setText(self.tr("Đã xóa quy tắc."))
        self.changed.emit()

    def _failed(self, error: BaseException) -> None:
        self._set_enabled(self.editable and self._data is not None)
        if isinstance(error, WorkflowRefused):
            self._show_errors(problem_texts(error))
            self.status.setText(self.tr("Chưa lưu: sửa các lỗi ở trên."))
            return
        self.status.setText(self._error_words(error))

    # --- the test box ---------------------------------------------------------------------

    def run_test(self) -> None:
        category = str(self.test_category.currentData() or "")
        if not category:
            self.test_result.setText(self.tr("Chọn lĩnh vực để thử."))
            return
        commune = self.test_place.commune_code() or None
        province = self.test_place.province_code() or None
        routing = self._routing
        self.test_result.setText(self.tr("Đang tìm…"))
        self._tasks.read(
            lambda: routing().suggest_unit(category, commune, province),
            on_result=self._tested,
            on_error=self._failed,
            key="routing-test",
        )

    def _tested(self, found: UnitSuggestion | None) -> None:
        if found is None:
            self.test_result.setText(
                self.tr("Không có quy tắc nào khớp: người chuyển tự chọn đơn vị chủ trì.")
            )
        else:
            # The rule is named, not selected: selecting would replace the form being typed.
            rows = [r for r, rule in enumerate(self.rules) if rule.id == found.rule_id]
            where = ""
            first = self.table.item(rows[0], 0) if rows else None
            if first is not None:
                self.table.scrollToItem(first)
                where = " · ".join(n for n in self._names(self.rules[rows[0]])[:3] if n != "—")
            text = self.tr("→ Gợi ý chuyển: <b>%1</b>").replace("%1", html.escape(found.unit_name))
            if where:
                text += (
                    self.tr(" — theo quy tắc dòng %1 (%2)")
                    .replace("%1", str(rows[0] + 1))
                    .replace("%2", html.escape(where))
                )
            self.test_result.setText(text)
        self.tested.emit(found)
