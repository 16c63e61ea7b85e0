"""The handling workflow as a table: (state, action) → next state, who may act, what is needed.

Pure rules, no database: ``apply`` checks one request against ``RULES`` and returns the
``Transition`` to record, or raises ``WorkflowRefused`` with a code (worded in ``labels`` and
``refusals``). What needs the database (does the unit exist, is the duplicate another report,
may this report be published) is checked by ``services.workflow.service`` after ``apply`` said
yes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from . import refusals
from .enums import Status
from .errors import ExpectedError


class Role(StrEnum):
    """The roles of ``data.reference.ROLES``."""

    OPERATOR = "operator"
    MODERATOR = "moderator"
    UNIT_OFFICER = "unit_officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Action(StrEnum):
    SCREEN = "screen"  # take a new report into screening (sàng lọc)
    FORWARD = "forward"  # to one lead unit and any coordinating units; again after a return
    REROUTE = "reroute"  # the centre moves a forwarded report to another unit
    ACCEPT = "accept"  # the unit takes it
    RETURN = "return"  # the unit sends it back: wrong unit
    START = "start"  # the unit starts handling
    RECORD_RESULT = "record_result"
    ANSWER = "answer"  # the result was given to the citizen
    PUBLISH = "publish"
    CLOSE = "close"
    NOT_COMPETENT = "not_competent"  # another body's business (a court, a ministry…)
    MARK_DUPLICATE = "mark_duplicate"
    MERGE = "merge"  # fold a duplicate into the surviving report: one case, both timelines
    REJECT = "reject"  # spam, abuse, no content
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REOPEN = "reopen"  # citizen not satisfied: back to screening
    REOPEN_TO_UNIT = "reopen_to_unit"  # citizen not satisfied: back to the unit's handling
    PAUSE = "pause"  # waiting for the citizen's additional information: the clock stops
    RESUME = "resume"  # the citizen answered (or the wait ended): the clock runs again
    # The lead unit's own reason its result is late (lý do chậm), typed by a person: on the
    # timeline, carried by the escalation, published as why there is no result yet
    # (Khánh Hòa regulation 2022, sources/001). An event only: the status stays.
    EXPLAIN_DELAY = "explain_delay"


class RejectReason(StrEnum):
    SPAM = "spam"
    ABUSE = "abuse"
    NO_CONTENT = "no_content"


class Refusal(StrEnum):
    """Why a request was refused; the UI words each code."""

    STATE = "not_allowed_in_state"  # the action does not apply to the report's status
    ROLE = "role_not_allowed"
    MISSING_FIELD = "missing_field"
    INVALID_FIELD = "invalid_field"
    PAUSED = "paused"  # waiting for the citizen: only "resume" until then
    ALREADY_PAUSED = "already_paused"
    NOT_PAUSED = "not_paused"


class WorkflowRefused(ExpectedError):
    """``code`` a Refusal (or a service's, publication's, routing rule's code); ``detail`` the
    field, the case code or the other codes it is about; ``message`` in Vietnamese."""

    code: StrEnum

    def __init__(self, code: StrEnum, detail: str = "") -> None:
        super().__init__(code, refusals.message(str(code), detail))
        self.detail = detail


# Field names; values are checked for presence here and for meaning by the service.
LEAD_UNIT = "lead_unit_id"
COORDINATING = "coordinating_unit_ids"
REASON = "reason"
REASON_CODE = "reason_code"
TARGET_BODY = "target_body"
DUPLICATE_OF = "duplicate_of"
MERGE_INTO = "merge_into"  # the surviving report (id or case code)
RESULT_TEXT = "result_text"
PUBLICATION_TEXT = "publication_text"
DUE_AT = "due_at"

# Final states: the report leaves every working queue (closed_at is set).
FINAL_STATES: frozenset[Status] = frozenset(
    {Status.CLOSED, Status.NOT_COMPETENT, Status.DUPLICATE, Status.REJECTED}
)


@dataclass(frozen=True)
class Rule:
    source: Status
    action: Action
    target: Status  # == source for the actions that are only an event (extension)
    roles: frozenset[Role]
    required: tuple[str, ...] = ()


_R = Role
_S = Status
CENTRE = frozenset({_R.OPERATOR, _R.MODERATOR, _R.SUPERVISOR, _R.ADMIN})
UNIT = frozenset({_R.UNIT_OFFICER, _R.SUPERVISOR, _R.ADMIN})
LEADERS = frozenset({_R.SUPERVISOR, _R.ADMIN})
# A result is recorded by the unit, or by the centre from the unit's reply (issue 7).
RESULT_ROLES = CENTRE | UNIT

_TRIAGE_FROM = (_S.NEW, _S.SCREENING, _S.RETURNED)
_HANDLING = (_S.ACCEPTED, _S.IN_PROGRESS)
# Where a report may wait for the citizen: open and held by the centre (screening, back from
# a unit) or by the unit (forwarded, accepted, in progress). Not ``new`` (screen it first),
# not from a result on (the clock that matters, resolve, has stopped). A pause is a flag
# (``ticket.paused_at``), not a status: the main line and its queues stay as they are.
PAUSABLE = (_S.SCREENING, _S.RETURNED, _S.FORWARDED, _S.ACCEPTED, _S.IN_PROGRESS)
PAUSE_ROLES = CENTRE | UNIT
# Where the unit holds the report and its result may be late.
DELAY_EXPLAINABLE = (_S.FORWARDED, _S.ACCEPTED, _S.IN_PROGRESS)


def _rules() -> list[Rule]:
    rules = [Rule(_S.NEW, Action.SCREEN, _S.SCREENING, CENTRE)]
    for source in _TRIAGE_FROM:
        rules += [
            Rule(source, Action.FORWARD, _S.FORWARDED, CENTRE, (LEAD_UNIT,)),
            Rule(source, Action.NOT_COMPETENT, _S.NOT_COMPETENT, CENTRE, (REASON, TARGET_BODY)),
            Rule(source, Action.MARK_DUPLICATE, _S.DUPLICATE, CENTRE, (DUPLICATE_OF,)),
            Rule(source, Action.REJECT, _S.REJECTED, CENTRE, (REASON_CODE,)),
        ]
    for source in (_S.FORWARDED, _S.ACCEPTED, _S.IN_PROGRESS):
        # Moving a report the unit already holds is a leader's decision, with a reason.
        rules.append(Rule(source, Action.REROUTE, _S.FORWARDED, LEADERS, (LEAD_UNIT, REASON)))
    for source in (_S.FORWARDED, _S.ACCEPTED):
        rules.append(Rule(source, Action.RETURN, _S.RETURNED, UNIT, (REASON,)))
    rules += [
        Rule(_S.FORWARDED, Action.ACCEPT, _S.ACCEPTED, UNIT),
        Rule(_S.ACCEPTED, Action.START, _S.IN_PROGRESS, UNIT),
    ]
    for source in _HANDLING:
        rules += [
            Rule(source, Action.RECORD_RESULT, _S.RESULT_RECORDED, RESULT_ROLES, (RESULT_TEXT,)),
            Rule(source, Action.REQUEST_EXTENSION, source, UNIT, (REASON, DUE_AT)),
            Rule(source, Action.APPROVE_EXTENSION, source, LEADERS, (DUE_AT,)),
        ]
    rules += [
        Rule(_S.RESULT_RECORDED, Action.ANSWER, _S.ANSWERED, CENTRE),
        Rule(_S.RESULT_RECORDED, Action.PUBLISH, _S.PUBLISHED, LEADERS, (PUBLICATION_TEXT,)),
        Rule(_S.ANSWERED, Action.PUBLISH, _S.PUBLISHED, LEADERS, (PUBLICATION_TEXT,)),
    ]
    for source in (_S.RESULT_RECORDED, _S.ANSWERED, _S.PUBLISHED):
        rules.append(Rule(source, Action.CLOSE, _S.CLOSED, CENTRE))
    for source in (_S.ANSWERED, _S.PUBLISHED, _S.CLOSED):
        rules += [
            Rule(source, Action.REOPEN, _S.SCREENING, CENTRE, (REASON,)),
            Rule(source, Action.REOPEN_TO_UNIT, _S.IN_PROGRESS, CENTRE, (REASON,)),
        ]
    for source in DELAY_EXPLAINABLE:
        # The unit's officer, or the centre on the unit's behalf (a reason given by phone).
        rules.append(Rule(source, Action.EXPLAIN_DELAY, source, RESULT_ROLES, (REASON,)))
    for source in PAUSABLE:
        rules += [
            Rule(source, Action.PAUSE, source, PAUSE_ROLES, (REASON,)),
            Rule(source, Action.RESUME, source, PAUSE_ROLES),
        ]
    # Merging: the centre folds a report still in triage, or one already linked as a
    # duplicate, into the surviving report (which must itself not be merged or a duplicate:
    # services.workflow.merge refuses rather than silently following the chain).
    for source in (*_TRIAGE_FROM, _S.DUPLICATE):
        rules.append(Rule(source, Action.MERGE, _S.DUPLICATE, CENTRE, (MERGE_INTO,)))
    # Undoing a triage decision taken by mistake is a leader's call.
    for source in (_S.NOT_COMPETENT, _S.DUPLICATE, _S.REJECTED):
        rules.append(Rule(source, Action.REOPEN, _S.SCREENING, LEADERS, (REASON,)))
    return rules


RULES: Mapping[tuple[Status, Action], Rule] = {(r.source, r.action): r for r in _rules()}
assert len(RULES) == len(_rules()), "two rules for one (state, action)"


@dataclass(frozen=True)
class Transition:
    """What ``apply`` allowed: the service records it as one timeline event."""

    source: Status
    action: Action
    target: Status
    role: Role
    fields: Mapping[str, Any] = field(default_factory=dict)

    @property
    def changes_status(self) -> bool:
        return self.source != self.target

    @property
    def closes(self) -> bool:
        return self.target in FINAL_STATES


def actions_for(
    state: Status, role: Role, paused: bool = False, *, merged: bool = False
) -> tuple[Action, ...]:
    """The actions ``role`` may take on a report in ``state`` (for the detail's buttons);
    ``paused``: the report waits for the citizen (only ``resume`` then); ``merged``: it was
    merged into another (no second merge)."""
    return tuple(
        a
        for a in Action
        if (rule := RULES.get((state, a)))
        and role in rule.roles
        and _pause_refusal(a, paused) is None
        and not (merged and a is Action.MERGE)
    )


def _pause_refusal(action: Action, paused: bool) -> Refusal | None:
    """While a report waits for the citizen nothing but ``resume`` is done to it (resume
    first, so the clock runs again before anything moves it on); ``resume`` needs a pause."""
    if paused:
        if action is Action.RESUME:
            return None
        return Refusal.ALREADY_PAUSED if action is Action.PAUSE else Refusal.PAUSED
    return Refusal.NOT_PAUSED if action is Action.RESUME else None


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset | dict):
        return not value
    return False


def _check_fields(action: Action, fields: Mapping[str, Any], required: tuple[str, ...]) -> None:
    for name in required:
        if _blank(fields.get(name)):
            raise WorkflowRefused(Refusal.MISSING_FIELD, name)
    if action is Action.REJECT and str(fields[REASON_CODE]) not in set(RejectReason):
        raise WorkflowRefused(Refusal.INVALID_FIELD, REASON_CODE)
    if LEAD_UNIT in required:
        coordinating = fields.get(COORDINATING) or ()
        if not isinstance(coordinating, list | tuple | set | frozenset):
            raise WorkflowRefused(Refusal.INVALID_FIELD, COORDINATING)
        if fields[LEAD_UNIT] in coordinating:
            # One unit leads (chủ trì); it cannot also only coordinate (phối hợp).
            raise WorkflowRefused(Refusal.INVALID_FIELD, COORDINATING)
        if len(set(coordinating)) != len(coordinating):
            raise WorkflowRefused(Refusal.INVALID_FIELD, COORDINATING)


def apply(
    state: Status | str,
    action: Action | str,
    role: Role | str,
    fields: Mapping[str, Any],
    *,
    paused: bool = False,
) -> Transition:
    """The transition ``role`` asks for with ``action`` on a report in ``state``; ``paused``:
    the report waits for the citizen (``ticket.paused_at`` is set).

    Refused, in this order: an unknown action or state, or an action that does not apply to
    the state (``STATE``); a role the rule does not name (``ROLE``); the pause flag: pause
    when paused (``ALREADY_PAUSED``), resume when not (``NOT_PAUSED``), anything else while
    paused (``PAUSED``); a required field missing or blank (``MISSING_FIELD``) or malformed
    (``INVALID_FIELD``).
    """
    try:
        state, action = Status(state), Action(action)
    except ValueError as error:
        raise WorkflowRefused(Refusal.STATE, str(error)) from None
    rule = RULES.get((state, action))
    if rule is None:
        raise WorkflowRefused(Refusal.STATE, f"{action} from {state}")
    try:
        role = Role(role)
    except ValueError:
        raise WorkflowRefused(Refusal.ROLE, str(role)) from None
    if role not in rule.roles:
        raise WorkflowRefused(Refusal.ROLE, f"{role} may not {action}")
    pause_refusal = _pause_refusal(action, paused)
    if pause_refusal is not None:
        raise WorkflowRefused(pause_refusal, str(action))
    _check_fields(action, fields, rule.required)
    return Transition(state, action, rule.target, role, dict(fields))
