"""The workflow widgets' services, built on a worker on first use, and the plain functions
their background tasks run (values in, values out; no widget, no model)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from pakn_desktop.services.database import Database
    from pakn_desktop.services.evidence.records import EvidenceBytes
    from pakn_desktop.services.evidence.service import EvidenceService
    from pakn_desktop.services.notify.dispatcher import DeliveryCounts, Dispatcher, NotificationView
    from pakn_desktop.services.notify.settings import NotifySettingsSource
    from pakn_desktop.services.search import SearchService
    from pakn_desktop.services.workflow.forward_choices import ForwardChoices
    from pakn_desktop.services.workflow.merge import MergeCandidate, MergeChoices
    from pakn_desktop.services.workflow.publication import PublicationDraft
    from pakn_desktop.services.workflow.routing import RoutingService
    from pakn_desktop.services.workflow.service import BulkResult, TicketState, WorkflowService
    from pakn_desktop.ui.tasks import TaskContext


@dataclass(frozen=True)
class WorkflowBackend:
    database: Database
    workflow: WorkflowService
    routing: RoutingService
    dispatcher: Dispatcher | None  # sends nothing while no gateway or SMTP server is set
    user_id: uuid.UUID | None = None  # who acts: the OS login's user row (no accounts yet)
    search: SearchService | None = None  # the merge dialog's search
    notify: NotifySettingsSource | None = None  # the notification settings dialog's store

    def act(
        self,
        ticket_id: uuid.UUID,
        action: str,
        role: str,
        fields: Mapping[str, Any],
        expected_version: int | None = None,
    ) -> TicketState:
        """``expected_version``: the version the detail showed; a report changed since by
        another workstation is refused (``stale``) rather than acted on blind."""
        return self.workflow.act(
            ticket_id, action, role, self.user_id, fields, expected_version=expected_version
        )

    def record_result(
        self,
        evidence: EvidenceService | None,
        ticket_id: uuid.UUID,
        role: str,
        fields: Mapping[str, Any],
        files: Sequence[Path],
        items: Sequence[EvidenceBytes],
        expected_version: int | None,
        ctx: TaskContext,
    ) -> TicketState:
        from pakn_desktop.services.workflow.results import record_result

        return record_result(
            self.workflow,
            evidence,
            ticket_id,
            role,
            self.user_id,
            fields,
            files=files,
            items=items,
            expected_version=expected_version,
            progress=ctx.progress,
            should_cancel=ctx.is_cancelled,
        )

    def merge_choices(self, ticket_id: uuid.UUID) -> MergeChoices:
        from pakn_desktop.services.workflow.merge import merge_choices

        return merge_choices(self.database, ticket_id)

    def merge_candidates(self, query: str, exclude: uuid.UUID) -> tuple[MergeCandidate, ...]:
        from pakn_desktop.services.search import SearchService
        from pakn_desktop.services.workflow.merge import merge_candidates

        search = self.search or SearchService(self.database)
        return merge_candidates(self.database, search, query, exclude)

    def act_many(
        self, ticket_ids: Sequence[uuid.UUID], action: str, role: str, fields: Mapping[str, Any]
    ) -> BulkResult:
        return self.workflow.act_many(ticket_ids, action, role, self.user_id, fields)

    def forward_choices(self, ticket_id: uuid.UUID) -> ForwardChoices:
        from pakn_desktop.services.workflow.forward_choices import forward_choices

        return forward_choices(self.database, self.routing, ticket_id)

    def units(self) -> ForwardChoices:
        """For a bulk forward: the units, no suggestion (the reports differ)."""
        from pakn_desktop.services.workflow.forward_choices import ForwardChoices
        from pakn_desktop.services.workflow.unit_choices import active_units

        return ForwardChoices(active_units(self.database), None, None)

    def publication(self, ticket_id: uuid.UUID) -> PublicationDraft:
        from pakn_desktop.services.workflow.publication import publication_text

        return publication_text(self.database, ticket_id)

    def notifications(self, ticket_id: uuid.UUID) -> tuple[NotificationView, ...]:
        from pakn_desktop.services.notify.dispatcher import notifications_for

        return notifications_for(self.database, ticket_id)

    def unsent(self, ticket_id: uuid.UUID | None = None) -> str | None:
        """Why the report's (or any) unit messages wait unsent; None when they can go."""
        return None if self.dispatcher is None else self.dispatcher.unsent(ticket_id)

    def unsent_channels(self, ticket_id: uuid.UUID) -> frozenset[str]:
        """The report's channels (sms, email) waiting with nothing to send them through."""
        return (
            frozenset() if self.dispatcher is None else self.dispatcher.unsent_channels(ticket_id)
        )

    def forward_setup(self, ticket_id: uuid.UUID) -> tuple[ForwardChoices, str | None]:
        """The forward dialog's choices, and its warning when no SMS gateway or mail server
        is configured (the unit would not be told)."""
        choices = self.forward_choices(ticket_id)
        return choices, None if self.dispatcher is None else self.dispatcher.unconfigured()

    def deliver_due(self) -> DeliveryCounts | None:
        return None if self.dispatcher is None else self.dispatcher.deliver_due()


class WorkflowBackendFactory:
    """``factory()`` builds the bundle once (thread-safe) and hands out the same one after.

    ``environ``: where the SMS gateway and SMTP settings come from (the process environment
    unless a test gives its own)."""

    def __init__(
        self,
        database: Database | Callable[[], Database],
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._database = database
        self._environ = environ
        self._backend: WorkflowBackend | None = None
        self._lock = threading.Lock()

    def __call__(self) -> WorkflowBackend:
        with self._lock:
            if self._backend is None:
                from pakn_desktop.services.notify.dispatcher import Dispatcher
                from pakn_desktop.services.notify.settings import NotifySettingsSource
                from pakn_desktop.services.search import SearchService
                from pakn_desktop.services.workflow.routing import RoutingService
                from pakn_desktop.services.workflow.service import WorkflowService
                from pakn_desktop.services.workstation import local_user_id

                db = self._database() if callable(self._database) else self._database
                # Shared settings rows, the keyring, the environment over both; re-read each
                # round, so a dispatcher with nothing configured waits and does nothing.
                notify = NotifySettingsSource(db, self._environ)
                self._backend = WorkflowBackend(
                    db,
                    WorkflowService(db),
                    RoutingService(db),
                    Dispatcher(db, notify),
                    local_user_id(db),
                    SearchService(db),
                    notify,
                )
            return self._backend
