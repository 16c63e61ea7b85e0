"""The handling workflow: one action on one report, in one local transaction.

``WorkflowService.act`` checks the state machine (``domain.workflow``), then what needs the
database (units, the duplicate's original, publication rules), updates the report and its
assignments, appends one hash-chained timeline event, writes the outbox rows and, for a
forward, the notification jobs: all committed together or not at all. Results are frozen
dataclasses. Bulk actions run one transaction per report (see ``act_many``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pakn_desktop.data.types import utcnow
from pakn_desktop.domain.workflow import (
    MERGE_INTO,
    Action,
    Role,
    Transition,
    WorkflowRefused,
    apply,
)
from pakn_desktop.services.changes import Changes, Topic, combine

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from pakn_desktop.data.workflow_store import Facts
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.notify.dispatcher import Notifier

__all__ = [
    "Action",
    "BulkResult",
    "Role",
    "TicketState",
    "WorkflowRefused",
    "WorkflowService",
]


@dataclass(frozen=True)
class TicketState:
    """A report's workflow state after an action."""

    id: uuid.UUID
    code: str
    status: str
    version: int
    lead_unit_id: uuid.UUID | None
    coordinating_unit_ids: tuple[uuid.UUID, ...]
    due_at: datetime | None
    closed_at: datetime | None
    duplicate_of_id: uuid.UUID | None
    state_secret: bool
    event_kind: str  # the timeline event the action appended
    notifications: tuple[uuid.UUID, ...] = ()  # jobs written by a forward
    paused_at: datetime | None = None  # waiting for the citizen since (None: clock runs)

    @property
    def changes(self) -> Changes:
        # A merge writes the report it keeps too (its duplicates, its timeline).
        ids = {self.id} if self.duplicate_of_id is None else {self.id, self.duplicate_of_id}
        topics = (Topic.NOTIFICATIONS,) if self.notifications else ()
        return Changes.reports_updated(ids, *topics)


@dataclass(frozen=True)
class BulkResult:
    done: tuple[TicketState, ...]
    refused: tuple[tuple[uuid.UUID, str, str], ...]  # (report, refusal code, detail)

    @property
    def changes(self) -> Changes:
        return combine(state.changes for state in self.done)


class WorkflowService:
    """``clock``: when an action happens unless the caller says (``now=``); the station's
    deadline clock (``AppServices.clock.now``, the server's time) so that a forward's
    on-time check, a pause and a close count as the deadlines do (decision 47)."""

    def __init__(
        self,
        database: Database,
        notifier: Notifier | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._database = database
        self._clock = clock
        if notifier is None:
            from pakn_desktop.services.notify.dispatcher import Notifier

            notifier = Notifier()
        self._notifier = notifier
        self._station_id: uuid.UUID | None = None

    def _station(self, conn: Connection) -> uuid.UUID:
        if self._station_id is None:
            from pakn_desktop.data.stations import local_station

            with self._database.sessions(bind=conn) as session:
                self._station_id = local_station(session).id
                session.flush()
        return self._station_id

    def act(
        self,
        ticket_id: uuid.UUID,
        action: Action | str,
        role: Role | str,
        user_id: uuid.UUID | None = None,
        fields: Mapping[str, Any] | None = None,
        *,
        expected_version: int | None = None,
        now: datetime | None = None,
    ) -> TicketState:
        """Do ``action`` as ``role``; WorkflowRefused (nothing stored) when it may not be done.

        ``expected_version``: the version the user saw; a report changed since is refused
        with ``stale`` rather than acted on blind.
        """
        # In UTC: the event's time is hashed as given and read back in UTC, so a local
        # time here would leave a chain that no longer verifies.
        now = (now or self._clock()).astimezone(UTC)
        with self._database.writer.begin() as conn:
            state = self._act(
                conn, ticket_id, action, role, user_id, dict(fields or {}), expected_version, now
            )
        if state.notifications:
            self._notifier.wake()
        return state

    def _act(
        self,
        conn: Connection,
        ticket_id: uuid.UUID,
        action: Action | str,
        role: Role | str,
        user_id: uuid.UUID | None,
        fields: dict[str, Any],
        expected_version: int | None,
        now: datetime,
    ) -> TicketState:
        from pakn_desktop.data import timeline
        from pakn_desktop.data import workflow_store as store
        from pakn_desktop.services.workflow.steps import StepContext, run_step

        station_id = self._station(conn)
        if str(action) == Action.MERGE.value:
            # A merge writes two reports: both rows locked, in id order, so two crossed
            # merges (A into B, B into A) on a shared PostgreSQL wait instead of deadlocking.
            store.lock_pair(conn, ticket_id, fields.get(MERGE_INTO))
        facts = store.lock_ticket(conn, ticket_id)  # the row lock first: no interleaving
        if expected_version is not None and facts.version != expected_version:
            raise WorkflowRefused(store.ServiceRefusal.STALE, str(facts.version))
        paused = facts.paused_at is not None
        transition: Transition = apply(facts.status, action, role, fields, paused=paused)
        context = StepContext(conn, facts, transition, user_id, station_id, now, self._notifier)
        outcome = run_step(context)
        changes: dict[str, Any] = dict(outcome.ticket_changes)
        changes.update(_forward_watch(facts, transition, now))
        changes.update(status=transition.target.value, version=facts.version + 1, updated_at=now)
        if transition.closes and (transition.changes_status or facts.closed_at is None):
            changes["closed_at"] = now  # a duplicate merged later keeps when it was closed
        elif facts.closed_at is not None and transition.changes_status:
            changes["closed_at"] = None  # reopened
        store.update_ticket(conn, ticket_id, changes)
        data = {"from": facts.status, "to": transition.target.value, **outcome.event_data}
        timeline.append(
            conn,
            ticket_id,
            [(transition.action.value, data)],
            at=now,
            actor_id=user_id,
            station_id=station_id,
        )
        return _state(conn, ticket_id, transition.action.value, outcome.notifications)

    def check(
        self,
        ticket_id: uuid.UUID,
        action: Action | str,
        role: Role | str,
        fields: Mapping[str, Any] | None = None,
        *,
        expected_version: int | None = None,
    ) -> Transition:
        """What ``act`` would refuse before it needs the database's other rows: the report
        changed since (``stale``), or the state machine says no. Reads only; for work done
        before the action (storing a result's attachments) that a refusal would waste."""
        from pakn_desktop.data import workflow_store as store

        with self._database.engine.connect() as conn:
            facts = store.ticket_facts(conn, ticket_id)
        if expected_version is not None and facts.version != expected_version:
            raise WorkflowRefused(store.ServiceRefusal.STALE, str(facts.version))
        paused = facts.paused_at is not None
        return apply(facts.status, action, role, dict(fields or {}), paused=paused)

    def act_many(
        self,
        ticket_ids: Sequence[uuid.UUID],
        action: Action | str,
        role: Role | str,
        user_id: uuid.UUID | None = None,
        fields: Mapping[str, Any] | None = None,
        *,
        now: datetime | None = None,
    ) -> BulkResult:
        """The same action on several reports (queue multi-select: bulk forward or close).

        One transaction per report, not all-or-nothing: an operator forwarding forty
        reports where one was meanwhile taken by a colleague should see thirty-nine done and
        one named, not forty undone. Each report gets its own event.
        """
        done: list[TicketState] = []
        refused: list[tuple[uuid.UUID, str, str]] = []
        for ticket_id in ticket_ids:
            try:
                done.append(self.act(ticket_id, action, role, user_id, fields, now=now))
            except WorkflowRefused as refusal:
                refused.append((ticket_id, str(refusal.code), refusal.detail))
        return BulkResult(tuple(done), tuple(refused))

    def set_state_secret(
        self,
        ticket_id: uuid.UUID,
        role: Role | str,
        user_id: uuid.UUID | None,
        secret: bool,
        reason: str,
        *,
        now: datetime | None = None,
    ) -> TicketState:
        """Mark a report as (not) involving state secrets: leaders only, with a reason."""
        from pakn_desktop.data import timeline
        from pakn_desktop.data import workflow_store as store
        from pakn_desktop.domain.workflow import LEADERS, REASON, Refusal

        if Role(role) not in LEADERS:
            raise WorkflowRefused(Refusal.ROLE, str(role))
        if not reason.strip():
            raise WorkflowRefused(Refusal.MISSING_FIELD, REASON)
        now = (now or self._clock()).astimezone(UTC)
        with self._database.writer.begin() as conn:
            station_id = self._station(conn)
            facts = store.lock_ticket(conn, ticket_id)
            changes = {"state_secret": secret, "version": facts.version + 1, "updated_at": now}
            store.update_ticket(conn, ticket_id, changes)
            data = {"state_secret": secret, "reason": reason.strip()}
            kind = "state_secret_set"
            steps = [(kind, data)]
            timeline.append(conn, ticket_id, steps, at=now, actor_id=user_id, station_id=station_id)
            return _state(conn, ticket_id, kind, ())


def _forward_watch(facts: Facts, transition: Transition, now: datetime) -> dict[str, Any]:
    """The forward deadline stops being watched at the first forward, stamped with its time
    and whether it was on time (at or before the forward due time: the due instant itself is
    in time), or at a close without one (data.forward_watch)."""
    if facts.forwarded_at is not None:
        return {}
    if transition.action is Action.FORWARD:
        due = facts.forward_due_at
        return {
            "forwarded_at": now,
            "forward_on_time": None if due is None else now <= due,
            "forward_at_risk_at": None,
        }
    if transition.closes:
        return {"forward_at_risk_at": None}
    return {}


def _state(
    conn: Connection, ticket_id: uuid.UUID, kind: str, notifications: Sequence[uuid.UUID]
) -> TicketState:
    from pakn_desktop.data import workflow_store as store

    row = store.ticket_state_row(conn, ticket_id)
    coordinating = tuple(
        unit for _id, role, unit in store.open_assignments(conn, ticket_id) if role != "lead"
    )
    return TicketState(
        id=row["id"],
        code=row["code"],
        status=row["status"],
        version=row["version"],
        lead_unit_id=row["lead_unit_id"],
        coordinating_unit_ids=coordinating,
        due_at=row["due_at"],
        closed_at=row["closed_at"],
        duplicate_of_id=row["duplicate_of_id"],
        state_secret=bool(row["state_secret"]),
        event_kind=kind,
        notifications=tuple(notifications),
        paused_at=row["paused_at"],
    )
