"""Bulk forward and close of the queue's whole selection (``WorkflowService.act_many``), with
the true count, a confirmation, progress and a stop button, and a summary of what was done
and what was refused, and why.

The selection is row spans (ui/queue/selection.py): the ids are read on the write lane's
worker, batch by batch, each batch acted on before the next is read, so a million selected
reports never sit in memory or on the GUI thread.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from pakn_desktop.domain.workflow import Action
from pakn_desktop.services.changes import Changes, combine
from pakn_desktop.services.queue import QueueService
from pakn_desktop.services.workflow.forward_choices import ForwardChoices, bulk_forward_choices
from pakn_desktop.ui.queue.selection import BATCH, RowSelection, resolve
from pakn_desktop.ui.tasks import TaskContext, Tasks
from pakn_desktop.ui.workflow.forward_dialog import ForwardDialog
from pakn_desktop.ui.workflow.words import refusal_text

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices

# Several selected reports at once (the help overlay names the same keys).
BULK_FORWARD_KEY, BULK_CLOSE_KEY = "Ctrl+Shift+F5", "Ctrl+Shift+W"
NAMED_REFUSALS = 20  # the summary names this many refused reports, then counts the rest


@dataclass(frozen=True)
class BulkOutcome:
    """What a bulk run did: reports done, (code, refusal text) of those refused, and
    whether the operator stopped it before the end."""

    done: tuple[Any, ...]
    refused: tuple[tuple[uuid.UUID, str, str], ...]
    codes: dict[uuid.UUID, str]
    stopped: bool

    @property
    def changes(self) -> Changes:
        return combine(state.changes for state in self.done)


def run_bulk(
    ctx: TaskContext,
    stop: threading.Event,
    service: QueueService,
    selection: RowSelection,
    act: Callable[[list[uuid.UUID]], Any],
    batch: int = BATCH,
) -> BulkOutcome:
    """Runs on the write lane: ids batch by batch from the selection's query, each batch
    acted on (one transaction per report), progress after each, a stop between batches."""
    done: list[Any] = []
    refused: list[tuple[uuid.UUID, str, str]] = []
    codes: dict[uuid.UUID, str] = {}
    total = selection.count
    for pairs in resolve(service, selection, batch):
        if stop.is_set() or ctx.is_cancelled():
            return BulkOutcome(tuple(done), tuple(refused), codes, True)
        result = act([tid for tid, _code in pairs])
        done.extend(result.done)
        names = dict(pairs)
        for item in result.refused:
            refused.append(item)
            codes[item[0]] = names.get(item[0], str(item[0]))
        ctx.progress(len(done) + len(refused), total)
    return BulkOutcome(tuple(done), tuple(refused), codes, False)


class BulkBar(QWidget):
    """Shown while two or more rows are selected. ``selection()`` gives the row spans."""

    done = Signal(object)  # BulkOutcome
    message = Signal(str)

    def __init__(
        self,
        services: AppServices,
        tasks: Tasks,
        selection: Callable[[], RowSelection],
        role: Callable[[], str],
        parent: QWidget,
        *,
        service: QueueService,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkBar")
        self._services = services  # used on workers only: the database opens there
        self._tasks = tasks
        self._selection = selection
        self._role = role
        self._service = service
        self._stop: threading.Event | None = None
        self.batch = BATCH  # reports per step: the stop button waits at most one step
        self.dialog: ForwardDialog | None = None
        self.confirm: QMessageBox | None = None
        self.count = QLabel(self)
        self.forward = QPushButton(self.tr("Chuyển xử lý hàng loạt (Ctrl+Shift+F5)"), self)
        self.close_all = QPushButton(self.tr("Kết thúc hàng loạt (Ctrl+Shift+W)"), self)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("bulkProgress")
        self.progress.hide()
        self.stop = QPushButton(self.tr("Dừng"), self)
        self.stop.setObjectName("bulkStop")
        self.stop.hide()
        self.stop.clicked.connect(self.stop_run)
        self.summary = QLabel(self)
        self.summary.setObjectName("bulkSummary")
        self.summary.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.count, self.forward, self.close_all, self.progress, self.stop):
            layout.addWidget(widget)
        layout.addWidget(self.summary, 1)
        self.forward.clicked.connect(self.ask_forward)
        self.close_all.clicked.connect(self.ask_close)
        for key, slot in ((BULK_FORWARD_KEY, self.ask_forward), (BULK_CLOSE_KEY, self.ask_close)):
            shortcut = QShortcut(QKeySequence(key), parent)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.hide()

    def _number(self, n: int) -> str:
        return self.locale().toString(n)

    def selection_changed(self) -> None:
        """O(spans), whatever the number of rows selected."""
        rows = self._selection().count
        self.count.setText(self.tr("Đã chọn %1 phản ánh").replace("%1", self._number(rows)))
        self.setVisible(rows > 1 or bool(self.summary.text()) or self.running())
        idle = not self.running()
        self.forward.setEnabled(rows > 1 and idle)
        self.close_all.setEnabled(rows > 1 and idle)

    def running(self) -> bool:
        return self._stop is not None

    def ask_close(self) -> None:
        selection = self._selection()
        if selection.count < 2 or self.running():
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Kết thúc hàng loạt"),
            self.tr("Kết thúc %1 phản ánh đã chọn?").replace("%1", self._number(selection.count)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self.run(Action.CLOSE, {}, selection))
        box.finished.connect(lambda _r: setattr(self, "confirm", None))
        self.confirm = box
        box.open()

    def ask_forward(self) -> None:
        if self._selection().count < 2 or self.running():
            return
        services = self._services
        self._tasks.read(
            lambda: bulk_forward_choices(services.database),
            key="bulk-units",
            on_result=self._open_forward,
        )

    def _open_forward(self, choices: ForwardChoices) -> None:
        selection = self._selection()
        title = self.tr("Chuyển xử lý hàng loạt %1 phản ánh").replace(
            "%1", self._number(selection.count)
        )
        dialog = ForwardDialog(choices, self, title=title)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.run(Action.FORWARD, dialog.fields(), selection))
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def run(
        self, action: Action, fields: dict[str, Any], selection: RowSelection | None = None
    ) -> None:
        """Act on the whole ``selection`` (the current one by default) on the write lane."""
        chosen = selection if selection is not None else self._selection()
        if chosen.count < 2 or self.running():
            return
        services, role, service, batch = self._services, self._role(), self._service, self.batch
        stop = self._stop = threading.Event()

        def act(ids: list[uuid.UUID]) -> Any:
            return services.workflow.act_many(ids, action.value, role, services.user_id, fields)

        self.summary.setText(self.tr("Đang thực hiện…"))
        self.progress.setRange(0, chosen.count)
        self.progress.setValue(0)
        self.progress.show()
        self.stop.show()
        self.selection_changed()
        self._tasks.write(
            lambda ctx: run_bulk(ctx, stop, service, chosen, act, batch),
            context=True,
            on_result=self._finished,
            on_progress=self._progressed,
            on_error=self._failed,
        )

    def stop_run(self) -> None:
        """Stop after the batch being done (each report is its own transaction)."""
        if self._stop is not None:
            self._stop.set()
            self.summary.setText(self.tr("Đang dừng…"))

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        self.summary.setText(
            self.tr("Đang thực hiện… %1/%2")
            .replace("%1", self._number(done))
            .replace("%2", self._number(total))
        )

    def _idle(self) -> None:
        self._stop = None
        self.progress.hide()
        self.stop.hide()
        self.selection_changed()

    def _failed(self, error: BaseException) -> None:
        from pakn_desktop.ui.errors import error_text

        self._idle()
        self.summary.setText(error_text(error))

    def _finished(self, outcome: BulkOutcome) -> None:
        self._idle()
        text = self.tr("Xong %1 phản ánh").replace("%1", self._number(len(outcome.done)))
        if outcome.stopped:
            text = self.tr("Đã dừng: ") + text
        if outcome.refused:
            named = "; ".join(
                f"{outcome.codes.get(tid, tid)}: {refusal_text(code, detail)}"
                for tid, code, detail in outcome.refused[:NAMED_REFUSALS]
            )
            more = len(outcome.refused) - NAMED_REFUSALS
            if more > 0:
                named += self.tr("; và %1 phản ánh khác").replace("%1", self._number(more))
            text += self.tr(", %1 bị từ chối — ").replace("%1", self._number(len(outcome.refused)))
            text += named
        self.summary.setText(text)
        self.setVisible(True)
        self.message.emit(text)
        self.done.emit(outcome)
