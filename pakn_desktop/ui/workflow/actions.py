"""The detail pane's action bar: the buttons (and keys) for what the state machine allows the
current role on the shown report; each action runs ``WorkflowService.act`` on the write lane.

Every action carries the version of the report the detail showed: a report changed since on
another workstation is refused (``stale``), the detail is read again (``stale`` signal) and
the open dialog keeps what the user typed, so OK can simply be pressed again."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pakn_desktop.domain.enums import Status
from pakn_desktop.domain.workflow import RULES, Action, Refusal, Role, actions_for
from pakn_desktop.services.notify.messages import unsent_reason
from pakn_desktop.services.workflow.forward_choices import ForwardChoices
from pakn_desktop.services.workflow.publication import PublicationDraft
from pakn_desktop.services.workflow.results import record_result
from pakn_desktop.ui.tasks import Tasks
from pakn_desktop.ui.workflow.dialogs import NO_FIELDS, ActionDialog, HeldDialog
from pakn_desktop.ui.workflow.forward_dialog import ForwardDialog
from pakn_desktop.ui.workflow.words import ACTIONS, action_label, refusal_text

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.services.workflow.merge import MergeCandidate, MergeChoices
    from pakn_desktop.ui.workflow.record_button import RecordButton


class ActionBar(QWidget):
    """``set_ticket`` after the detail loaded; ``acted`` after a write went through;
    ``stale`` when the report changed elsewhere since it was shown (read it again)."""

    acted = Signal(object)  # services.workflow.TicketState
    message = Signal(str)
    stale = Signal()
    # The shown report's channels (frozenset of "sms"/"email") whose messages to the unit
    # wait with nothing configured to send them through; empty when none.
    unsentKnown = Signal(object)

    def __init__(
        self,
        services: AppServices,
        tasks: Tasks,
        parent: QWidget | None = None,
        *,
        keys_on: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actionBar")
        self._services = services  # used on workers only: the database opens there
        self._tasks = tasks
        self._ticket: uuid.UUID | None = None
        self._status: Status | None = None
        self._version: int | None = None  # of the report as the detail showed it
        self._merged = False
        self._paused = False  # waiting for the citizen: only "resume" is offered
        self.role = Role.OPERATOR
        self.dialog: QDialog | None = None  # the open dialog (tests drive it)
        self.buttons: dict[Action, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for action, (_label, key) in ACTIONS.items():
            button = QPushButton(action_label(action), self)
            button.setObjectName(f"action_{action.value}")
            button.setToolTip(f"{action_label(action)} ({key})")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _c=False, a=action: self.trigger(a))
            button.hide()
            row.addWidget(button)
            self.buttons[action] = button
            shortcut = QShortcut(QKeySequence(key), keys_on or self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda a=action: self.trigger(a))
        row.addStretch(1)
        # Not a workflow action: the written record of the report, whatever its state.
        from pakn_desktop.ui.workflow.record_button import RecordButton

        self.record_button: RecordButton | None = RecordButton(
            services, tasks, self.message.emit, self._failed
        )
        row.addWidget(self.record_button)
        self.notice = QLabel(self)  # the last refusal or error, in red
        self.notice.setObjectName("actionNotice")
        self.notice.setStyleSheet("color: #b42318;")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.deliveries = QLabel(self)  # why the unit's messages wait unsent, if they do
        self.deliveries.setObjectName("deliveries")
        self.deliveries.setStyleSheet("color: #b54708; font-weight: bold;")
        self.deliveries.setWordWrap(True)
        self.deliveries.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.notice)
        layout.addWidget(self.deliveries)

    # --- what is shown --------------------------------------------------------------------

    def set_role(self, role: Role | str) -> None:
        self.role = Role(role)
        self._update_buttons()

    def set_ticket(
        self,
        ticket_id: uuid.UUID | None,
        status: str | None,
        version: int | None = None,
        *,
        merged: bool = False,
        paused: bool = False,
        code: str = "",
    ) -> None:
        """``merged``: the report was merged into another (no second merge is offered);
        ``paused``: it waits for the citizen (only "resume" is offered); ``code``: its case
        code (the written record's file name)."""
        if ticket_id != self._ticket:
            self.notice.hide()
        self._ticket = ticket_id
        self._status = Status(status) if status else None
        self._version = version
        self._merged = merged
        self._paused = paused
        self._update_buttons()
        if self.record_button is not None:
            self.record_button.set_ticket(ticket_id, code)
        self.deliveries.hide()
        if ticket_id is not None:
            services = self._services
            self._tasks.read(
                lambda: services.dispatcher.unsent_channels(ticket_id),
                key="workflow-notifications",
                on_result=lambda channels: self._show_unsent(ticket_id, channels),
            )

    def allowed(self) -> tuple[Action, ...]:
        if self._status is None:
            return ()
        return actions_for(self._status, self.role, self._paused, merged=self._merged)

    def _update_buttons(self) -> None:
        allowed = set(self.allowed())
        for action, button in self.buttons.items():
            button.setVisible(action in allowed)

    def _show_unsent(self, ticket_id: uuid.UUID, channels: frozenset[str]) -> None:
        """Each message's state is in the detail's text; here, while it holds, why this
        report's messages to the unit have not gone out."""
        if ticket_id != self._ticket:
            return
        text = unsent_reason(set(channels)) or ""
        self.deliveries.setText(text)
        self.deliveries.setVisible(bool(text))
        self.unsentKnown.emit(channels)

    # --- acting ---------------------------------------------------------------------------

    def trigger(self, action: Action) -> None:
        """A button or key: refuse at once what the role or state does not allow, else ask
        for the action's fields (reading what the dialog needs first) and act."""
        ticket = self._ticket
        if ticket is None or self._status is None:
            return
        if action not in self.allowed():
            known = RULES.get((self._status, action)) is not None
            code = Refusal.ROLE if known else Refusal.STATE
            if known and self.role in RULES[(self._status, action)].roles:
                code = Refusal.ALREADY_PAUSED if action is Action.PAUSE else Refusal.PAUSED
                if action is Action.RESUME:
                    code = Refusal.NOT_PAUSED
            self._refused(refusal_text(code))
            return
        services = self._services
        if action in (Action.FORWARD, Action.REROUTE):
            self._tasks.read(
                lambda: _forward_setup(services, ticket),
                key="workflow-dialog",
                on_result=lambda setup: self._ask_forward(ticket, action, *setup),
                on_error=self._failed,
            )
        elif action is Action.MERGE:
            self._tasks.read(
                lambda: _merge_choices(services, ticket),
                key="workflow-dialog",
                on_result=lambda choices: self._ask_merge(ticket, choices),
                on_error=self._failed,
            )
        elif action is Action.PUBLISH:
            self._tasks.read(
                lambda: _publication(services, ticket),
                key="workflow-dialog",
                on_result=lambda draft: self._ask(ticket, action, draft),
                on_error=self._failed,
            )
        elif action in NO_FIELDS:
            self.act(ticket, action, {})
        else:
            self._ask(ticket, action, None)

    def _ask_forward(
        self, ticket: uuid.UUID, action: Action, choices: ForwardChoices, unsent: str | None
    ) -> None:
        if ticket != self._ticket:
            return
        dialog = ForwardDialog(choices, self, title=action_label(action))
        dialog.warn_unsent(unsent)
        if action is Action.REROUTE:
            dialog.note.setPlaceholderText(self.tr("Lý do chuyển đơn vị khác (bắt buộc)"))
        self._open(dialog, lambda: self.act(ticket, action, dialog.fields(), dialog))

    def _ask_merge(self, ticket: uuid.UUID, choices: MergeChoices) -> None:
        if ticket != self._ticket:
            return
        from pakn_desktop.ui.workflow.merge_dialog import MergeDialog

        dialog = MergeDialog(choices, self)
        services = self._services

        def search(text: str) -> None:
            def answer(rows: tuple[MergeCandidate, ...]) -> None:
                if shiboken6.isValid(dialog):
                    dialog.show_candidates(text, rows)

            self._tasks.read(
                lambda: _merge_candidates(services, text, ticket),
                key="workflow-merge-search",
                on_result=answer,
                on_error=self._failed,
            )

        dialog.search_requested.connect(search)
        self._open(dialog, lambda: self.act(ticket, Action.MERGE, dialog.fields(), dialog))

    def _ask(self, ticket: uuid.UUID, action: Action, draft: PublicationDraft | None) -> None:
        if ticket != self._ticket:
            return
        with_files = action is Action.RECORD_RESULT  # the result form takes attachments
        dialog = ActionDialog(action, self, draft=draft, attachments=with_files)
        if with_files:
            self._open(dialog, lambda: self._record_result(ticket, dialog))
        else:
            self._open(dialog, lambda: self.act(ticket, action, dialog.fields(), dialog))

    def _open(self, dialog: HeldDialog, on_submit: Callable[[], None]) -> None:
        # open(), not exec(): no nested event loop while the workers deliver results. The
        # dialog stays open until the write went through (``act`` closes it).
        self.dialog = dialog
        dialog.hold = True
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(on_submit)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()

    def act(
        self,
        ticket: uuid.UUID,
        action: Action,
        fields: dict[str, Any],
        dialog: HeldDialog | None = None,
    ) -> None:
        services, role, version = self._services, self.role.value, self._version
        self.notice.hide()
        self._tasks.write(
            # ``version``: the one the detail showed; a report changed since by another
            # workstation is refused (``stale``) rather than acted on blind.
            lambda: services.workflow.act(
                ticket, action.value, role, services.user_id, fields, expected_version=version
            ),
            on_result=lambda state: self._done(state, dialog),
            on_error=lambda error: self._failed(error, dialog),
        )

    def _record_result(self, ticket: uuid.UUID, dialog: ActionDialog) -> None:
        """The result and its attachments: stored as evidence, then recorded, on the write
        lane (pasted images are encoded to PNG there, not here)."""
        services = self._services
        assert dialog.files is not None
        role, version, fields = self.role.value, self._version, dialog.fields()
        pending = dialog.files.pending()
        count = len(pending.files) + len(pending.items) + len(pending.images)
        if count:
            dialog.files.note.setText(
                self.tr("Đang lưu %1 tệp làm minh chứng…").replace("%1", str(count))
            )
        self.notice.hide()
        self._tasks.write(
            lambda ctx: record_result(
                services.workflow,
                services.evidence,
                ticket,
                role,
                services.user_id,
                fields,
                files=pending.files,
                items=pending.encoded_items(),
                expected_version=version,
                progress=ctx.progress,
                should_cancel=ctx.is_cancelled,
            ),
            context=True,
            on_result=lambda state: self._done(state, dialog),
            on_error=lambda error: self._failed(error, dialog),
        )

    def _done(self, state: Any, dialog: HeldDialog | None = None) -> None:
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.finish()
        done = (
            self.tr("%1: %2 — xong")
            .replace("%1", state.code)
            .replace("%2", action_label(state.event_kind))
        )
        self.message.emit(done)
        self.acted.emit(state)
        if state.event_kind in (Action.FORWARD, Action.REROUTE):
            # The unit is told by SMS / e-mail: say at once when that cannot happen.
            services, ticket = self._services, state.id

            def say_unsent(text: str | None) -> None:
                if text:
                    self.message.emit(f"{done}. {text}")

            self._tasks.read(lambda: services.dispatcher.unsent(ticket), on_result=say_unsent)

    def _refused(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self.message.emit(text)

    def _failed(self, error: BaseException, dialog: HeldDialog | None = None) -> None:
        from pakn_desktop.ui.errors import error_text

        text = error_text(error)
        stale = str(getattr(error, "code", "")) == "stale"
        if stale:
            text = self.tr(
                "Phản ánh vừa được thay đổi ở máy khác nên chưa thực hiện; chi tiết đã được "
                "tải lại. Nội dung bạn nhập vẫn còn: xem lại rồi bấm lại."
            )
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.fail(text)
        self._refused(text)
        if stale:
            self.stale.emit()


# What the bar's background tasks run (values in, values out; on a worker: no widget).


def _forward_setup(services: AppServices, ticket: uuid.UUID) -> tuple[ForwardChoices, str | None]:
    from pakn_desktop.services.workflow.forward_choices import forward_setup

    return forward_setup(services.database, services.routing, services.dispatcher, ticket)


def _merge_choices(services: AppServices, ticket: uuid.UUID) -> MergeChoices:
    from pakn_desktop.services.workflow.merge import merge_choices

    return merge_choices(services.database, ticket)


def _merge_candidates(
    services: AppServices, text: str, ticket: uuid.UUID
) -> tuple[MergeCandidate, ...]:
    from pakn_desktop.services.workflow.merge import merge_candidates

    return merge_candidates(services.database, services.search, text, ticket)


def _publication(services: AppServices, ticket: uuid.UUID) -> PublicationDraft:
    from pakn_desktop.services.workflow.publication import publication_text

    return publication_text(services.database, ticket)
