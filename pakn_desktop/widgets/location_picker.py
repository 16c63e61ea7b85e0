"""Province combo + commune line edit with accent-free type-ahead over today's map.

The suggestion popup is a QCompleter in unfiltered mode over a small list model that the
picker refills on each keystroke from :class:`PlaceSearch` (a few dozen rows, never the 3,321):
typing "phuong ben thanh" offers "Phường Bến Thành"; Tab or Enter takes the highlighted (or
first) suggestion, and picking a commune also sets its province.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from .folded_combo import FoldedComboBox
from .place_search import PlaceLike, PlaceSearch

CodeRole = Qt.ItemDataRole.UserRole + 1
_ACCEPT_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab}
_Index = QModelIndex | QPersistentModelIndex


class PlaceListModel(QAbstractListModel):
    """The current suggestions; ``with_province`` adds the province to each name."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PlaceLike] = []
        self._province_names: dict[str, str] = {}
        self.with_province = True

    def set_province_names(self, names: dict[str, str]) -> None:
        self._province_names = names

    def set_rows(self, rows: Sequence[PlaceLike]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def place(self, row: int) -> PlaceLike | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        place = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            province = self._province_names.get(place.province_code, "")
            if self.with_province and province:
                return f"{place.name} — {province}"
            return place.name
        if role == Qt.ItemDataRole.EditRole:
            return place.name
        if role == CodeRole:
            return place.code
        return None


class _TypeAhead(QObject):
    """Binds a line edit to a suggestion popup fed by a search function."""

    picked = Signal(object)  # the PlaceLike taken

    def __init__(self, edit: QLineEdit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.edit = edit
        self.model = PlaceListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setWidget(edit)
        self.completer.setMaxVisibleItems(12)
        # QCompleter.activated is overloaded (str, QModelIndex); the stubs know one.
        self.completer.activated[QModelIndex].connect(self._activated)  # type: ignore[index]
        edit.installEventFilter(self)
        self.search: PlaceSearch | None = None
        self.province = ""
        self.pending = False

    def refill(self, text: str) -> None:
        found = self.search.find(text, self.province) if self.search is not None else []
        self.model.set_rows(found)
        self.pending = bool(found)  # typed, not yet picked: Tab/Enter takes the top one
        popup = self._popup()
        if found and self.edit.hasFocus():
            # No row is highlighted: a highlight would write its name into the line edit
            # while the operator is still typing. Tab/Enter take the top row.
            self.completer.complete()
        else:
            popup.hide()

    def take_current(self) -> bool:
        """Take the highlighted suggestion (or the only/first one); False when there is none."""
        popup = self._popup()
        row = popup.currentIndex().row() if popup.isVisible() else -1
        place = self.model.place(row if row >= 0 else 0)
        if place is None:
            return False
        popup.hide()
        self.pending = False
        self.picked.emit(place)
        return True

    def _popup(self) -> QAbstractItemView:
        popup = self.completer.popup()
        assert popup is not None  # QCompleter makes its popup when first asked
        return popup

    def _activated(self, index: QModelIndex) -> None:
        place = self.model.place(index.row())
        if place is not None:
            self.pending = False
            self.picked.emit(place)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            popup = self._popup()
            if popup.isVisible() and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = max(0, min(self.model.rowCount() - 1, popup.currentIndex().row() + step))
                popup.setCurrentIndex(self.model.index(row, 0))
                return True
            if popup.isVisible() and event.key() == Qt.Key.Key_Escape:
                popup.hide()
                return True
            # Enter/Tab with suggestions showing takes one; Tab then moves on as usual.
            if event.key() in _ACCEPT_KEYS and (popup.isVisible() or self.pending):
                self.take_current()
                return event.key() != Qt.Key.Key_Tab
        return False


class LocationPicker(QWidget):
    """``province_code()`` / ``commune_code()`` are the picked codes; a commune typed but not
    picked is returned as typed, so the form's validation names it (no rule lives here)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # 34 entries: a combo whose type-to-select ignores accents ("ha noi" → Hà Nội).
        self.province = FoldedComboBox(self, filtering=True)
        self.province.setObjectName("provinceCombo")
        self.province.addItem(self.tr("— Tỉnh/thành phố —"), "")
        self.province.setMinimumContentsLength(14)
        self.province.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.commune = QLineEdit(self)
        self.commune.setObjectName("communeEdit")
        self.commune.setPlaceholderText(self.tr("Xã/phường — gõ không dấu: phuong ben thanh"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.province, 2)
        layout.addWidget(self.commune, 3)
        self.setFocusProxy(self.province)
        self._commune_code = ""
        self._communes = PlaceSearch(())
        self._province_names: dict[str, str] = {}
        self._names: dict[str, PlaceLike] = {}
        self._commune_ahead = _TypeAhead(self.commune, self)
        self._commune_ahead.picked.connect(self._commune_picked)
        self.province.currentIndexChanged.connect(self._province_changed)
        self.commune.textEdited.connect(self._commune_edited)
        self.commune.editingFinished.connect(self._commune_left)

    # --- data -----------------------------------------------------------------------------

    def set_places(self, provinces: Sequence[PlaceLike], communes: Sequence[PlaceLike]) -> None:
        self._province_names = {p.code: p.name for p in provinces}
        self._communes = PlaceSearch(communes)
        self._commune_ahead.search = self._communes
        self._commune_ahead.model.set_province_names(self._province_names)
        self.province.blockSignals(True)
        while self.province.count() > 1:
            self.province.removeItem(1)
        for p in provinces:
            self.province.addItem(p.name, p.code)
        self.province.blockSignals(False)
        self._names = {p.code: p for p in communes}

    def province_code(self) -> str:
        return str(self.province.currentData() or "")

    def commune_code(self) -> str:
        return self._commune_code or self.commune.text().strip()

    def set_location(self, province_code: str, commune_code: str) -> None:
        """Show the given codes (a draft being restored); an unknown commune stays as text."""
        self._select_province(province_code)
        place = self._names.get(commune_code)
        self._commune_code = place.code if place is not None else ""
        self.commune.setText(place.name if place is not None else commune_code)
        self._province_changed()

    def clear(self) -> None:
        self.set_location("", "")

    def suggestions(self) -> list[str]:
        """The commune suggestions showing now (for tests and the screenshot)."""
        model = self._commune_ahead.model
        return [model.data(model.index(r, 0)) for r in range(model.rowCount())]

    # --- behaviour ------------------------------------------------------------------------

    def _select_province(self, code: str) -> None:
        self.province.blockSignals(True)
        self.province.setCurrentIndex(max(0, self.province.findData(code)) if code else 0)
        self.province.blockSignals(False)

    def _province_changed(self, *_args: object) -> None:
        self._commune_ahead.province = str(self.province.currentData() or "")
        self._commune_ahead.model.with_province = not self._commune_ahead.province
        self.changed.emit()

    def _commune_edited(self, text: str) -> None:
        self._commune_code = ""
        self._commune_ahead.refill(text)
        self.changed.emit()

    def _commune_picked(self, place: PlaceLike) -> None:
        self._commune_code = place.code
        self.commune.setText(place.name)
        if place.province_code and place.province_code != self.province.currentData():
            self._select_province(place.province_code)
        self._province_changed()

    def _commune_left(self) -> None:
        text = self.commune.text()
        if self._commune_code or not text.strip():
            return
        place = self._communes.exact(text, self._commune_ahead.province)
        if place is not None:
            self._commune_picked(place)
