"""What the administration dialogs share: a service reached on workers, editable by the
administrator role only, the first read started by the constructor, the form's fields enabled
together, the same table, error line, close button and error words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QWidget,
)

from pakn_desktop.ui.tasks import Tasks
from pakn_desktop.ui.workflow.roles import ADMIN

RED = "color: #b42318;"


class AdminDialog(QDialog):
    """A subclass names itself (``NAME``, ``TITLE``, ``LOADING``), keeps its service in
    ``_prepare``, builds its form in ``_build`` (``_editable`` marks what an administrator
    edits), says what to read first (``_first_read``) and shows it in ``_loaded``."""

    NAME = ""  # the object name tests and screenshots find it by
    TITLE = ""
    LOADING = ""  # on the status line while the first read runs

    loaded = Signal()

    def __init__(
        self, service: Any, tasks: Tasks, *, role: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(self.NAME)
        self.setWindowTitle(self.tr(self.TITLE))
        self._tasks = tasks
        self.role = role or ""
        self.editable = role == ADMIN
        self._edit_widgets: list[QWidget] = []
        self._prepare(service)
        self._build()
        self._set_enabled(False)
        status = self._status_line()
        if status is not None and self.LOADING:
            status.setText(self.tr(self.LOADING))
        self._tasks.read(self._first_read(service), on_result=self._loaded, on_error=self._failed)

    def _prepare(self, service: Any) -> None:
        """Keep the service and set the state the form starts from (before ``_build``)."""

    def _build(self) -> None:
        raise NotImplementedError

    def _first_read(self, service: Any) -> Callable[[], Any]:
        raise NotImplementedError

    def _loaded(self, result: Any) -> None:
        raise NotImplementedError

    def _status_line(self) -> QLabel | None:
        return None

    def _editable(self, *widgets: QWidget) -> None:
        """Mark ``widgets`` as what an administrator edits (enabled and disabled together)."""
        self._edit_widgets.extend(widgets)

    def _edits(self) -> list[QWidget]:
        return list(self._edit_widgets)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in self._edits():
            widget.setEnabled(enabled)

    def _failed(self, error: BaseException) -> None:
        raise NotImplementedError

    def _error_words(self, error: BaseException) -> str:
        """ "Lỗi: …" with an expected error's message (``ui.errors``: a bug is raised again)."""
        from pakn_desktop.ui.errors import error_text

        return self.tr("Lỗi: %1").replace("%1", error_text(error))


def admin_table(
    parent: QWidget, columns: tuple[str, ...], name: str, *, stretch: int = 0
) -> QTableWidget:
    """A read-only list of rows, one selected at a time, columns sized to their contents but
    ``stretch``, which takes the room left."""
    table = QTableWidget(0, len(columns), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels([parent.tr(c) for c in columns])
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    for column in range(len(columns)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def error_line(parent: QWidget, name: str = "") -> QLabel:
    """The red line under a form listing what is refused; hidden until there is something."""
    label = QLabel(parent)
    if name:
        label.setObjectName(name)
    label.setStyleSheet(RED)
    label.setWordWrap(True)
    label.hide()
    return label


def close_button(dialog: QDialog) -> QDialogButtonBox:
    """ "Đóng (Esc)", never the default button (Enter belongs to the form)."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    button = box.button(QDialogButtonBox.StandardButton.Close)
    button.setText(dialog.tr("Đóng (Esc)"))
    button.setAutoDefault(False)
    box.rejected.connect(dialog.reject)
    return box
