"""Cài đặt thời hạn: the deadline settings and the working calendar, for administrators.

Reads and saves on workers (``ui/tasks.py``); the form checks the values as they are typed
through the settings registry (``data.settings.sla``: the check and the words the service
uses). Other roles see the settings read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from pakn_desktop.data.settings.sla import SLA
from pakn_desktop.domain.sla import (
    ADMIN_SOURCE,
    PACKAGE_SOURCE,
    Amount,
    DayException,
    Rung,
    SlaSettings,
    Unit,
)
from pakn_desktop.services.sla import SettingsSaved, SlaSettingsStore
from pakn_desktop.ui.admin.base import AdminDialog

WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAY_SHORT = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
KIND_NAMES = {"workday": "Ngày làm bù", "day_off": "Ngày nghỉ", "holiday": "Ngày lễ, Tết"}
SOURCE_NAMES = {PACKAGE_SOURCE: "Lịch nhà nước", ADMIN_SOURCE: "Quản trị"}
LADDER_UNITS = (
    (Unit.MINUTES, "phút"),
    (Unit.WORKING_HOURS, "giờ làm việc"),
    (Unit.WORKING_DAYS, "ngày làm việc"),
)
LEVELS = (
    ("supervisor", "Báo cáo lãnh đạo phụ trách sau hạn"),
    ("leadership", "Báo cáo UBND tỉnh sau hạn"),
)


def _qtime(t: time) -> QTime:
    return QTime(t.hour, t.minute)


def _time(q: QTime) -> time:
    return time(q.hour(), q.minute())


class SlaSettingsDialog(AdminDialog):
    saved = Signal(object)  # SettingsSaved

    NAME = "slaSettingsDialog"
    TITLE = "Cài đặt thời hạn xử lý"

    def _prepare(self, store: Callable[[], SlaSettingsStore]) -> None:
        self._store = store  # called on workers: the database may not be open yet
        self._exceptions: list[DayException] = []

    def _first_read(
        self, store: Callable[[], SlaSettingsStore]
    ) -> Callable[[], tuple[SlaSettings, list[DayException]]]:
        return lambda: store().load()

    # --- building -------------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        self.share = QSpinBox(self)
        self.share.setRange(0, 100)  # 0 and 100 are refused by the check, with a message
        self.share.setSuffix(" %")
        self.result_minutes = QSpinBox(self)
        self.result_minutes.setRange(0, 1440)
        self.result_minutes.setSuffix(tr(" phút"))
        self.result_minutes.setToolTip(tr("Thường 60 phút; một số nơi áp dụng 30 phút"))
        rules = QGroupBox(tr("Cảnh báo và hạn"), self)
        rules_form = QFormLayout(rules)
        rules_form.addRow(tr("Cảnh báo sắp quá hạn khi đã dùng"), self.share)
        rules_form.addRow(tr("Hạn đơn vị ghi kết quả"), self.result_minutes)
        self.ladder: dict[str, tuple[QDoubleSpinBox, QComboBox]] = {}
        for code, label in LEVELS:
            amount = QDoubleSpinBox(self)
            amount.setRange(0, 999)
            amount.setDecimals(1)
            unit = QComboBox(self)
            for value, name in LADDER_UNITS:
                unit.addItem(tr(name), value.value)
            row = QHBoxLayout()
            row.addWidget(amount)
            row.addWidget(unit, 1)
            rules_form.addRow(tr(label), row)
            self.ladder[code] = (amount, unit)

        hours = QGroupBox(tr("Giờ làm việc"), self)
        hours_form = QFormLayout(hours)
        self.hours: list[tuple[QTimeEdit, QTimeEdit]] = []
        for label in (tr("Buổi sáng"), tr("Buổi chiều")):
            start, end = QTimeEdit(self), QTimeEdit(self)
            for edit in (start, end):
                edit.setDisplayFormat("HH:mm")
            row = QHBoxLayout()
            row.addWidget(start)
            row.addWidget(QLabel("–", self))
            row.addWidget(end)
            row.addStretch(1)
            hours_form.addRow(label, row)
            self.hours.append((start, end))
        days = QHBoxLayout()
        self.weekdays = [QCheckBox(tr(short), self) for short in WEEKDAY_SHORT]
        for box, name in zip(self.weekdays, WEEKDAY_NAMES, strict=True):
            box.setToolTip(tr(name))
            days.addWidget(box)
        days.addStretch(1)
        hours_form.addRow(tr("Ngày làm việc"), days)

        calendar = QGroupBox(tr("Ngày nghỉ lễ, ngày làm bù"), self)
        self.year = QSpinBox(self)
        self.year.setRange(2020, 2100)
        self.year.setValue(QDate.currentDate().year())
        self.year.valueChanged.connect(lambda _y: self._fill_days())
        self.days = QTableWidget(0, 4, self)
        self.days.setHorizontalHeaderLabels([tr("Ngày"), tr("Loại"), tr("Tên"), tr("Nguồn")])
        self.days.verticalHeader().hide()
        self.days.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.days.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.days.setWordWrap(False)
        self.days.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.days.horizontalHeader()
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.days.setMinimumSize(520, 150)
        self.new_day = QDateEdit(QDate.currentDate(), self)
        self.new_day.setCalendarPopup(True)
        self.new_day.setDisplayFormat("dd/MM/yyyy")
        self.new_kind = QComboBox(self)
        for code in ("workday", "day_off", "holiday"):
            self.new_kind.addItem(tr(KIND_NAMES[code]), code)
        self.new_name = QLineEdit(self)
        self.new_name.setMinimumWidth(180)
        self.new_name.setPlaceholderText(tr("Tên, ví dụ: làm bù cho ngày 2/9"))
        self.add_day = QPushButton(tr("Thêm"), self)
        self.add_day.clicked.connect(self._add_day)
        self.remove_day = QPushButton(tr("Xóa ngày đã chọn"), self)
        self.remove_day.clicked.connect(self._remove_day)
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel(tr("Năm"), self))
        year_row.addWidget(self.year)
        year_row.addStretch(1)
        year_row.addWidget(self.remove_day)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_day)
        add_row.addWidget(self.new_kind)
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(self.add_day)
        cal_layout = QVBoxLayout(calendar)
        cal_layout.addLayout(year_row)
        cal_layout.addWidget(self.days, 1)
        cal_layout.addLayout(add_row)

        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.errors = QLabel(self)
        self.errors.setObjectName("settingsErrors")
        self.errors.setStyleSheet("color: #b42318;")
        self.errors.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr("Lưu"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Đóng"))
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        left_box = QWidget(self)
        left_box.setMaximumWidth(560)
        left = QVBoxLayout(left_box)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(rules)
        left.addWidget(hours)
        left.addStretch(1)
        top.addWidget(left_box)
        top.addWidget(calendar, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        self.resize(1180, 580)

        for spin in (self.share, self.result_minutes):
            spin.valueChanged.connect(lambda _v: self._check())
        for amount, unit in self.ladder.values():
            amount.valueChanged.connect(lambda _v: self._check())
            unit.currentIndexChanged.connect(lambda _i: self._check())
        for start, end in self.hours:
            start.timeChanged.connect(lambda _t: self._check())
            end.timeChanged.connect(lambda _t: self._check())
        for box in self.weekdays:
            box.toggled.connect(lambda _c: self._check())

    def _edits(self) -> list[QWidget]:
        widgets: list[QWidget] = [self.share, self.result_minutes, *self.weekdays]
        widgets += [w for pair in self.ladder.values() for w in pair]
        widgets += [w for pair in self.hours for w in pair]
        widgets += [self.new_day, self.new_kind, self.new_name, self.add_day, self.remove_day]
        return widgets

    def _set_enabled(self, enabled: bool) -> None:
        super()._set_enabled(enabled)
        self.save_button.setEnabled(enabled)

    # --- values ---------------------------------------------------------------------------

    def _loaded(self, result: tuple[SlaSettings, list[DayException]]) -> None:
        settings, exceptions = result
        self.show_settings(settings)
        self._exceptions = list(exceptions)
        self._fill_days()
        self._set_enabled(self.editable)
        if not self.editable:
            self.note.setText(
                self.tr("Chỉ vai trò Quản trị được sửa cài đặt thời hạn; các vai trò khác chỉ xem.")
            )
        self._check()
        self.loaded.emit()

    def show_settings(self, settings: SlaSettings) -> None:
        self.share.setValue(round(settings.at_risk_share * 100))
        self.result_minutes.setValue(settings.result_minutes)
        rungs = {r.code: r for r in settings.ladder}
        for code, (amount, unit) in self.ladder.items():
            rung = rungs.get(code)
            if rung is None:
                continue
            amount.setValue(rung.after.value)
            index = unit.findData(rung.after.unit.value)
            if index < 0:  # hours or days on the wall clock: offered as they are stored
                unit.addItem(rung.after.unit.value, rung.after.unit.value)
                index = unit.count() - 1
            unit.setCurrentIndex(index)
        intervals = list(settings.office_hours) + [(time(0), time(0))] * 2
        for (start, end), (s, e) in zip(self.hours, intervals[:2], strict=True):
            start.setTime(_qtime(s))
            end.setTime(_qtime(e))
        for number, box in enumerate(self.weekdays):
            box.setChecked(number in settings.weekdays)

    def settings(self) -> SlaSettings:
        """The settings as the form shows them (not yet checked)."""
        ladder = tuple(
            Rung(code, Amount(amount.value(), Unit(unit.currentData())))
            for code, (amount, unit) in self.ladder.items()
        )
        hours = tuple((_time(s.time()), _time(e.time())) for s, e in self.hours)
        return SlaSettings(
            at_risk_share=self.share.value() / 100,
            office_hours=hours,
            weekdays=frozenset(i for i, box in enumerate(self.weekdays) if box.isChecked()),
            ladder=ladder,
            result_minutes=self.result_minutes.value(),
        )

    def problems(self) -> list[str]:
        """The registry's refusals of the form's values (the words the service would use)."""
        return [self.tr(refusal.message) for refusal in SLA.refusals(self.settings())]

    def _check(self) -> None:
        found = self.problems()
        self.errors.setText("\n".join(found))
        self.errors.setVisible(bool(found))
        self.save_button.setEnabled(self.editable and not found)

    # --- calendar exceptions --------------------------------------------------------------

    def _fill_days(self) -> None:
        year = self.year.value()
        shown = [e for e in self._exceptions if e.day.year == year]
        self.days.setRowCount(len(shown))
        for row, item in enumerate(shown):
            cells = (
                item.day.strftime("%d/%m/%Y"),
                self.tr(KIND_NAMES.get(item.kind, item.kind)),
                item.name,
                self.tr(SOURCE_NAMES.get(item.source, item.source)),
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.day.isoformat())
                self.days.setItem(row, column, cell)

    def _add_day(self) -> None:
        q = self.new_day.date()
        day = date(q.year(), q.month(), q.day())
        kind = str(self.new_kind.currentData())
        name = self.new_name.text().strip() or self.tr(KIND_NAMES[kind])
        self._exceptions = [e for e in self._exceptions if e.day != day]
        self._exceptions.append(DayException(day, kind, name, ADMIN_SOURCE))
        self._exceptions.sort(key=lambda e: e.day)
        self.new_name.clear()
        self.year.setValue(day.year)
        self._fill_days()

    def _remove_day(self) -> None:
        rows = {index.row() for index in self.days.selectionModel().selectedRows()}
        role = Qt.ItemDataRole.UserRole
        items = [self.days.item(r, 0) for r in rows]
        days = {date.fromisoformat(item.data(role)) for item in items if item is not None}
        # Package days stay (the next seeding would bring them back): change them instead.
        self._exceptions = [
            e for e in self._exceptions if not (e.day in days and e.source == ADMIN_SOURCE)
        ]
        self._fill_days()

    # --- saving ---------------------------------------------------------------------------

    def _save(self) -> None:
        if not self.editable or self.problems():
            return
        settings, exceptions, store = self.settings(), list(self._exceptions), self._store
        self._set_enabled(False)
        self.note.setText(self.tr("Đang lưu…"))
        self._tasks.write(
            lambda: store().save(settings, exceptions),
            on_result=self._saved,
            on_error=self._failed,
        )

    def _saved(self, result: SettingsSaved) -> None:
        self.note.setText(
            self.tr("Đã lưu; %1 phản ánh đang mở được tính lại thời điểm sắp quá hạn.").replace(
                "%1", str(result.reports)
            )
        )
        self.saved.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        from pakn_desktop.ui.errors import error_text

        self._set_enabled(self.editable)
        self.note.setText(self.tr("Không lưu được cài đặt: %1").replace("%1", error_text(error)))
