"""The action bar's "Biên bản (PDF)…": the shown report's written record saved as a PDF to
send to the leadership (the Hanoi fanpage rule), written on the write lane (it records the
screenshots' custody) and whole or not at all (``services.record_file``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from pakn_desktop.ui.tasks import Tasks
from pakn_desktop.widgets.save_path import ask_save_path

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices


class RecordButton(QPushButton):
    """``say``: a line for the status bar; ``fail``: an error to show (the action bar's)."""

    def __init__(
        self,
        services: AppServices,
        tasks: Tasks,
        say: Callable[[str], None],
        fail: Callable[[BaseException], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Biên bản (PDF)…"), parent)
        self.setObjectName("recordPdf")
        self.setToolTip(self.tr("Lưu biên bản phản ánh (PDF) để báo cáo lãnh đạo"))
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._services = services  # used on the write lane only: the database opens there
        self._tasks = tasks
        self._say = say
        self._fail = fail
        self._ticket: uuid.UUID | None = None
        self._code = ""
        self._writing = False
        self.clicked.connect(self.choose)
        self.hide()

    def set_ticket(self, ticket_id: uuid.UUID | None, code: str) -> None:
        self._ticket, self._code = ticket_id, code
        self.setVisible(ticket_id is not None)

    def choose(self) -> None:
        if self._ticket is None:
            return
        path = ask_save_path(
            self,
            self.tr("Lưu biên bản (PDF)"),
            f"bien-ban-{self._code or 'ho-so'}.pdf",
            self.tr("Tệp PDF (*.pdf)"),
            ".pdf",
        )
        if path is not None:
            self.write(path)

    def write(self, out: Path) -> None:
        ticket = self._ticket
        if ticket is None or self._writing:
            return
        self._writing = True
        self.setEnabled(False)
        self._say(self.tr("Đang lập biên bản %1…").replace("%1", self._code))
        services = self._services
        self._tasks.write(
            lambda: _record_pdf(services, ticket, out),
            on_result=self._written,
            on_error=self._failed,
        )

    def _written(self, path: Path) -> None:
        self._done()
        self._say(self.tr("Đã lưu biên bản: %1").replace("%1", str(path)))

    def _failed(self, error: BaseException) -> None:
        self._done()
        self._fail(error)

    def _done(self) -> None:
        self._writing = False
        self.setEnabled(True)


def _record_pdf(services: AppServices, ticket: uuid.UUID, out: Path) -> Path:
    """On a worker. As the archive: no authorised role is proven here, a denouncer stays
    masked."""
    from pakn_desktop.services.record_file import write_record_pdf

    return write_record_pdf(services.evidence, out, ticket, reveal_identity=False)
