"""The queue's columns chooser: the header's context menu shows and hides columns; the choice
is part of the header state the screen saves in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from pakn_desktop.ui.queue.cells import COL_CODE


class ColumnsChooser:
    """Attached to ``table``'s horizontal header; the case code column always stays."""

    def __init__(self, table: QTableView) -> None:
        self._table = table
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.show_menu)
        self.menu: QMenu | None = None  # the open menu (tests read it)

    def actions(self) -> list[QAction]:
        header: QHeaderView = self._table.horizontalHeader()
        model = self._table.model()
        out = []
        for column in range(model.columnCount()):
            title = str(model.headerData(column, Qt.Orientation.Horizontal))
            action = QAction(title, self._table)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != COL_CODE)  # a row without its code is no row
            action.toggled.connect(lambda on, c=column: self.set_visible(c, on))
            out.append(action)
        return out

    def set_visible(self, column: int, visible: bool) -> None:
        self._table.horizontalHeader().setSectionHidden(column, not visible)

    def show_menu(self, at: QPoint) -> None:
        menu = QMenu(self._table)
        menu.setObjectName("columnsMenu")
        menu.setTitle(menu.tr("Cột hiển thị"))
        for action in self.actions():
            menu.addAction(action)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.menu = menu
        menu.aboutToHide.connect(lambda: setattr(self, "menu", None))
        menu.popup(self._table.horizontalHeader().mapToGlobal(at))
