"""What each workflow action does beyond the status: units, links, results, publication.

Each step gets the locked report's facts and the allowed transition, checks what needs the
database, writes its rows and returns the ticket columns to change and the event's data.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pakn_desktop.data import protected, timeline
from pakn_desktop.data import workflow_store as store
from pakn_desktop.data.workflow_store import ServiceRefusal
from pakn_desktop.domain.enums import Status
from pakn_desktop.domain.publication import (
    PublicationRefusal,
    contains_personal,
    publication_refusal,
)
from pakn_desktop.domain.workflow import (
    COORDINATING,
    DUE_AT,
    LEAD_UNIT,
    MERGE_INTO,
    Action,
    Refusal,
    Transition,
    WorkflowRefused,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from pakn_desktop.services.notify.dispatcher import Notifier

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StepContext:
    conn: Connection
    facts: store.Facts
    transition: Transition
    user_id: uuid.UUID | None
    station_id: uuid.UUID
    now: datetime
    notifier: Notifier

    @property
    def fields(self) -> Mapping[str, Any]:
        return self.transition.fields

    def text(self, name: str) -> str:
        return str(self.fields.get(name) or "").strip()


@dataclass(frozen=True)
class StepOutcome:
    ticket_changes: dict[str, Any] = field(default_factory=dict)
    event_data: dict[str, Any] = field(default_factory=dict)
    notifications: tuple[uuid.UUID, ...] = ()


def _uuid(value: Any, name: str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise WorkflowRefused(Refusal.INVALID_FIELD, name) from None


def _due_at(value: Any) -> datetime:
    try:
        due = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        raise WorkflowRefused(Refusal.INVALID_FIELD, DUE_AT) from None
    if due.tzinfo is None:
        raise WorkflowRefused(Refusal.INVALID_FIELD, DUE_AT)
    return due


def _forward(ctx: StepContext) -> StepOutcome:
    lead = _uuid(ctx.fields[LEAD_UNIT], LEAD_UNIT)
    coordinating = [_uuid(u, COORDINATING) for u in ctx.fields.get(COORDINATING) or ()]
    units = [lead, *coordinating]
    if store.active_units(ctx.conn, units) != set(units):
        raise WorkflowRefused(ServiceRefusal.UNIT_UNKNOWN)
    # A new routing supersedes whatever was assigned before (kept, with returned_at, as history).
    store.end_assignments(ctx.conn, ctx.facts.id, ctx.now, ctx.transition.action.value)
    pairs = [(lead, True), *((u, False) for u in coordinating)]
    store.add_assignments(ctx.conn, ctx.facts.id, pairs, ctx.now, ctx.user_id)
    jobs = ctx.notifier.plan_forward(ctx.conn, ctx.facts.id, pairs, ctx.station_id, ctx.now)
    data: dict[str, Any] = {
        "lead_unit_id": str(lead),
        "coordinating_unit_ids": [str(u) for u in coordinating],
        "notifications": len(jobs),
    }
    if ctx.text("reason"):
        data["reason"] = ctx.text("reason")
    return StepOutcome({"lead_unit_id": lead}, data, tuple(jobs))


def _accept(ctx: StepContext) -> StepOutcome:
    store.accept_lead(ctx.conn, ctx.facts.id, ctx.now)
    return StepOutcome()


def _return(ctx: StepContext) -> StepOutcome:
    reason = ctx.text("reason")
    store.end_assignments(ctx.conn, ctx.facts.id, ctx.now, reason)
    # Back to the centre's screening queue: no unit holds it until it is routed again.
    return StepOutcome({"lead_unit_id": None}, {"reason": reason})


def _not_competent(ctx: StepContext) -> StepOutcome:
    store.end_assignments(ctx.conn, ctx.facts.id, ctx.now, "not_competent")
    return StepOutcome({}, {"reason": ctx.text("reason"), "target_body": ctx.text("target_body")})


def _duplicate(ctx: StepContext) -> StepOutcome:
    original = store.find_ticket(ctx.conn, ctx.fields["duplicate_of"])
    if original is None:
        raise WorkflowRefused(ServiceRefusal.DUPLICATE_UNKNOWN, str(ctx.fields["duplicate_of"]))
    if original == ctx.facts.id:
        raise WorkflowRefused(ServiceRefusal.DUPLICATE_SELF)
    return StepOutcome({"duplicate_of_id": original}, {"duplicate_of": str(original)})


def _merge(ctx: StepContext) -> StepOutcome:
    """Fold this report into the survivor: linked as its duplicate, its evidence carried
    over, one chained event on each report (both timelines kept, shown together on the
    survivor). The survivor must be a root: one that is itself merged or a duplicate is
    refused with the root's code (following the chain silently would merge into a report
    the user did not pick); a survivor merged into this report is a cycle."""
    conn, facts = ctx.conn, ctx.facts
    ref = ctx.fields[MERGE_INTO]
    survivor_id = store.find_ticket(conn, ref if isinstance(ref, uuid.UUID) else str(ref))
    if survivor_id is None:
        raise WorkflowRefused(ServiceRefusal.DUPLICATE_UNKNOWN, str(ref))
    if survivor_id == facts.id:
        raise WorkflowRefused(ServiceRefusal.MERGE_SELF)
    earlier = store.merged_into(conn, facts.id)
    if earlier is not None:  # merged once: its evidence and timeline already went there
        raise WorkflowRefused(ServiceRefusal.ALREADY_MERGED, store.ticket_code(conn, earlier))
    survivor = store.lock_ticket(conn, survivor_id)
    chain = store.duplicate_chain(conn, survivor_id)
    if facts.id in chain:
        raise WorkflowRefused(ServiceRefusal.MERGE_CYCLE, survivor.code)
    if len(chain) > 1 or survivor.status == Status.DUPLICATE:
        root = store.ticket_code(conn, chain[-1])
        raise WorkflowRefused(ServiceRefusal.MERGE_TARGET_MERGED, root)
    if survivor.status == Status.REJECTED:
        raise WorkflowRefused(ServiceRefusal.MERGE_TARGET_REJECTED, survivor.code)
    carried = store.carry_evidence(
        conn, facts.id, survivor_id, ctx.now, ctx.user_id, ctx.station_id
    )
    store.update_ticket(conn, survivor_id, {"version": survivor.version + 1, "updated_at": ctx.now})
    data = {"ticket_id": str(facts.id), "code": facts.code, "evidence": carried}
    timeline.append(
        conn,
        survivor_id,
        [(store.MERGED_FROM, data)],
        at=ctx.now,
        actor_id=ctx.user_id,
        station_id=ctx.station_id,
    )
    into = {"merge_into": str(survivor_id), "merge_into_code": survivor.code}
    return StepOutcome({"duplicate_of_id": survivor_id}, {**into, "evidence": carried})


def _reject(ctx: StepContext) -> StepOutcome:
    data = {"reason_code": ctx.text("reason_code")}
    if ctx.text("reason"):
        data["reason"] = ctx.text("reason")
    return StepOutcome({}, data)


def _record_result(ctx: StepContext) -> StepOutcome:
    evidence = [str(h).lower() for h in ctx.fields.get("result_evidence") or ()]
    if any(not _SHA256.match(h) for h in evidence):
        raise WorkflowRefused(Refusal.INVALID_FIELD, "result_evidence")
    values = {
        "result_text": ctx.text("result_text"),
        "result_evidence": evidence or None,
        "result_at": ctx.now,
        "result_by_id": ctx.user_id,
    }
    store.save_result(ctx.conn, ctx.facts.id, values)
    return StepOutcome({}, {"result_text": values["result_text"], "result_evidence": evidence})


def _publish(ctx: StepContext) -> StepOutcome:
    facts = ctx.facts
    refusal = publication_refusal(
        confidential=facts.confidential,
        no_publish=facts.no_publish,
        state_secret=facts.state_secret,
    )
    if refusal is not None:
        raise WorkflowRefused(refusal)
    text = ctx.text("publication_text")
    people = protected.people(ctx.conn, [facts.id]).get(facts.id, ())
    if contains_personal(text, people):
        raise WorkflowRefused(PublicationRefusal.PERSONAL_DATA)
    if store.result_row(ctx.conn, facts.id) is None:
        raise WorkflowRefused(ServiceRefusal.NO_RESULT)
    store.save_result(ctx.conn, facts.id, {"publication_text": text, "published_at": ctx.now})
    return StepOutcome({}, {"publication_text": text})


def _request_extension(ctx: StepContext) -> StepOutcome:
    due = _due_at(ctx.fields[DUE_AT])
    return StepOutcome({}, {"reason": ctx.text("reason"), "due_at": due.isoformat()})


def _approve_extension(ctx: StepContext) -> StepOutcome:
    kinds = [
        k
        for k in timeline.kinds(ctx.conn, ctx.facts.id)
        if k in (Action.REQUEST_EXTENSION.value, Action.APPROVE_EXTENSION.value)
    ]
    if not kinds or kinds[-1] != Action.REQUEST_EXTENSION.value:
        raise WorkflowRefused(ServiceRefusal.NO_PENDING_EXTENSION)
    due = _due_at(ctx.fields[DUE_AT])
    previous = ctx.facts.due_at.isoformat() if ctx.facts.due_at else None
    from pakn_desktop.services.sla import (
        at_risk_for_ticket,  # the at-risk moment moves with the due time
    )

    changes = {"due_at": due, "at_risk_at": at_risk_for_ticket(ctx.conn, ctx.facts.id, due)}
    return StepOutcome(changes, {"due_at": due.isoformat(), "previous_due_at": previous})


def _reopen(ctx: StepContext) -> StepOutcome:
    if ctx.transition.action is Action.REOPEN_TO_UNIT and ctx.facts.lead_unit_id is None:
        raise WorkflowRefused(ServiceRefusal.NO_LEAD_UNIT)
    data: dict[str, Any] = {"reason": ctx.text("reason")}
    from pakn_desktop.services.sla import (
        reopened_deadlines,  # a new round: the full resolve budget from now
    )

    new_round = reopened_deadlines(ctx.conn, ctx.facts.id, ctx.now)
    if new_round is None:
        return StepOutcome({}, data)
    due, at_risk = new_round
    previous = ctx.facts.due_at.isoformat() if ctx.facts.due_at else None
    data |= {"due_at": due.isoformat(), "previous_due_at": previous}
    return StepOutcome({"due_at": due, "at_risk_at": at_risk}, data)


def _pause(ctx: StepContext) -> StepOutcome:
    """Waiting for the citizen: the flag set, the status kept; the due time moves on resume
    (by then the wait's length is known)."""
    due = ctx.facts.due_at.isoformat() if ctx.facts.due_at else None
    return StepOutcome({"paused_at": ctx.now}, {"reason": ctx.text("reason"), "due_at": due})


def _resume(ctx: StepContext) -> StepOutcome:
    """The clock runs again: due time and at-risk moment pushed by the time paused, on the
    policy's clock (services.sla.resumed_deadlines); the event keeps both due times."""
    paused_at = ctx.facts.paused_at
    assert paused_at is not None  # domain.workflow.apply refused a resume without a pause
    data: dict[str, Any] = {"paused_at": paused_at.isoformat()}
    changes: dict[str, Any] = {"paused_at": None}
    if ctx.text("reason"):
        data["reason"] = ctx.text("reason")
    from pakn_desktop.services.sla import resumed_deadlines

    moved = resumed_deadlines(ctx.conn, ctx.facts.id, paused_at, ctx.now)
    if moved is not None:
        due, at_risk = moved
        previous = ctx.facts.due_at.isoformat() if ctx.facts.due_at else None
        data |= {"due_at": due.isoformat(), "previous_due_at": previous}
        changes |= {"due_at": due, "at_risk_at": at_risk}
    return StepOutcome(changes, data)


def _explain_delay(ctx: StepContext) -> StepOutcome:
    """The reason as typed, for the timeline and the publication (services.workflow.publication);
    the unit it speaks for is the lead unit at the time."""
    data: dict[str, Any] = {"reason": ctx.text("reason"), "publish_reason": True}
    if ctx.facts.lead_unit_id is not None:
        data["unit_id"] = str(ctx.facts.lead_unit_id)
    return StepOutcome({}, data)


def _nothing(_ctx: StepContext) -> StepOutcome:
    return StepOutcome()


STEPS: Mapping[Action, Callable[[StepContext], StepOutcome]] = {
    Action.SCREEN: _nothing,
    Action.FORWARD: _forward,
    Action.REROUTE: _forward,
    Action.ACCEPT: _accept,
    Action.RETURN: _return,
    Action.START: _nothing,
    Action.RECORD_RESULT: _record_result,
    Action.ANSWER: _nothing,
    Action.PUBLISH: _publish,
    Action.CLOSE: _nothing,
    Action.NOT_COMPETENT: _not_competent,
    Action.MARK_DUPLICATE: _duplicate,
    Action.MERGE: _merge,
    Action.REJECT: _reject,
    Action.REQUEST_EXTENSION: _request_extension,
    Action.APPROVE_EXTENSION: _approve_extension,
    Action.REOPEN: _reopen,
    Action.REOPEN_TO_UNIT: _reopen,
    Action.PAUSE: _pause,
    Action.RESUME: _resume,
    Action.EXPLAIN_DELAY: _explain_delay,
}
assert set(STEPS) == set(Action), "an action without a step"


def run_step(ctx: StepContext) -> StepOutcome:
    return STEPS[ctx.transition.action](ctx)
