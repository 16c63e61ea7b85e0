"""The workflow table: every (state, action, role) allowed or refused, and key paths by hand."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from pakn_desktop.domain.enums import Status
from pakn_desktop.domain.workflow import (
    RULES,
    Action,
    Refusal,
    Role,
    WorkflowRefused,
    actions_for,
    apply,
)

UNIT_A = "0190f0a2-0000-7000-8000-00000000000a"
UNIT_B = "0190f0a2-0000-7000-8000-00000000000b"

# Enough for any action; apply ignores what a rule does not require.
FULL: dict[str, Any] = {
    "lead_unit_id": UNIT_A,
    "coordinating_unit_ids": [UNIT_B],
    "reason": "Không đúng thẩm quyền của đơn vị",
    "reason_code": "spam",
    "target_body": "Tòa án nhân dân tỉnh",
    "duplicate_of": "PA-261124-0001",
    "merge_into": "PA-261124-0002",
    "result_text": "Đã xử lý xong",
    "publication_text": "Đã xử lý xong",
    "due_at": "2026-12-01T17:00:00+07:00",
}

ALL = list(itertools.product(Status, Action, Role, (False, True)))


def _pause_code(action: Action, paused: bool) -> Refusal | None:
    """The pause flag's rule, written out: while paused only resume; resume only paused."""
    if paused and action is Action.PAUSE:
        return Refusal.ALREADY_PAUSED
    if paused and action is not Action.RESUME:
        return Refusal.PAUSED
    if not paused and action is Action.RESUME:
        return Refusal.NOT_PAUSED
    return None


@pytest.mark.parametrize(("state", "action", "role", "paused"), ALL)
def test_every_combination_follows_the_table(
    state: Status, action: Action, role: Role, paused: bool
) -> None:
    rule = RULES.get((state, action))
    if rule is None:
        with pytest.raises(WorkflowRefused) as refused:
            apply(state, action, role, FULL, paused=paused)
        assert refused.value.code is Refusal.STATE
    elif role not in rule.roles:
        with pytest.raises(WorkflowRefused) as refused:
            apply(state, action, role, FULL, paused=paused)
        assert refused.value.code is Refusal.ROLE
    elif (code := _pause_code(action, paused)) is not None:
        with pytest.raises(WorkflowRefused) as refused:
            apply(state, action, role, FULL, paused=paused)
        assert refused.value.code is code
    else:
        done = apply(state, action, role, FULL, paused=paused)
        assert (done.source, done.action, done.target, done.role) == (
            state,
            action,
            rule.target,
            role,
        )
        for name in rule.required:  # each required field, left out, refuses
            partial = {k: v for k, v in FULL.items() if k != name}
            with pytest.raises(WorkflowRefused) as refused:
                apply(state, action, role, partial, paused=paused)
            assert (refused.value.code, refused.value.detail) == (Refusal.MISSING_FIELD, name)
            blank = {**FULL, name: "  " if isinstance(FULL[name], str) else []}
            with pytest.raises(WorkflowRefused):
                apply(state, action, role, blank, paused=paused)


# Written from the issue, not from the table: (state, action, role, expected target or the
# refusal code). The table must agree with each line.
S, A, R = Status, Action, Role
KEY_EXPECTATIONS: list[tuple[Status, Action, Role, Status | Refusal]] = [
    (S.NEW, A.SCREEN, R.OPERATOR, S.SCREENING),
    (S.NEW, A.SCREEN, R.UNIT_OFFICER, Refusal.ROLE),
    (S.NEW, A.FORWARD, R.OPERATOR, S.FORWARDED),
    (S.SCREENING, A.FORWARD, R.MODERATOR, S.FORWARDED),
    (S.SCREENING, A.FORWARD, R.UNIT_OFFICER, Refusal.ROLE),
    (S.FORWARDED, A.FORWARD, R.OPERATOR, Refusal.STATE),
    (S.FORWARDED, A.ACCEPT, R.UNIT_OFFICER, S.ACCEPTED),
    (S.FORWARDED, A.ACCEPT, R.OPERATOR, Refusal.ROLE),
    (S.FORWARDED, A.RETURN, R.UNIT_OFFICER, S.RETURNED),
    (S.RETURNED, A.FORWARD, R.OPERATOR, S.FORWARDED),  # re-routed
    (S.FORWARDED, A.REROUTE, R.SUPERVISOR, S.FORWARDED),
    (S.FORWARDED, A.REROUTE, R.OPERATOR, Refusal.ROLE),
    (S.ACCEPTED, A.START, R.UNIT_OFFICER, S.IN_PROGRESS),
    (S.NEW, A.START, R.UNIT_OFFICER, Refusal.STATE),
    (S.IN_PROGRESS, A.RECORD_RESULT, R.UNIT_OFFICER, S.RESULT_RECORDED),
    (S.IN_PROGRESS, A.RECORD_RESULT, R.OPERATOR, S.RESULT_RECORDED),  # from the unit's reply
    (S.FORWARDED, A.RECORD_RESULT, R.UNIT_OFFICER, Refusal.STATE),
    (S.RESULT_RECORDED, A.ANSWER, R.OPERATOR, S.ANSWERED),
    (S.RESULT_RECORDED, A.PUBLISH, R.SUPERVISOR, S.PUBLISHED),
    (S.ANSWERED, A.PUBLISH, R.OPERATOR, Refusal.ROLE),
    (S.NEW, A.PUBLISH, R.SUPERVISOR, Refusal.STATE),
    (S.PUBLISHED, A.CLOSE, R.OPERATOR, S.CLOSED),
    (S.ANSWERED, A.CLOSE, R.MODERATOR, S.CLOSED),
    (S.NEW, A.CLOSE, R.ADMIN, Refusal.STATE),
    (S.IN_PROGRESS, A.CLOSE, R.SUPERVISOR, Refusal.STATE),
    (S.SCREENING, A.NOT_COMPETENT, R.OPERATOR, S.NOT_COMPETENT),
    (S.SCREENING, A.MARK_DUPLICATE, R.MODERATOR, S.DUPLICATE),
    (S.NEW, A.REJECT, R.OPERATOR, S.REJECTED),
    (S.NEW, A.REJECT, R.UNIT_OFFICER, Refusal.ROLE),
    (S.IN_PROGRESS, A.REJECT, R.SUPERVISOR, Refusal.STATE),
    (S.IN_PROGRESS, A.REQUEST_EXTENSION, R.UNIT_OFFICER, S.IN_PROGRESS),
    (S.ACCEPTED, A.REQUEST_EXTENSION, R.UNIT_OFFICER, S.ACCEPTED),
    (S.IN_PROGRESS, A.APPROVE_EXTENSION, R.SUPERVISOR, S.IN_PROGRESS),
    (S.IN_PROGRESS, A.APPROVE_EXTENSION, R.UNIT_OFFICER, Refusal.ROLE),
    (S.IN_PROGRESS, A.APPROVE_EXTENSION, R.OPERATOR, Refusal.ROLE),
    (S.CLOSED, A.REOPEN, R.OPERATOR, S.SCREENING),
    (S.CLOSED, A.REOPEN_TO_UNIT, R.OPERATOR, S.IN_PROGRESS),
    (S.ANSWERED, A.REOPEN, R.MODERATOR, S.SCREENING),
    (S.NEW, A.REOPEN, R.SUPERVISOR, Refusal.STATE),
    (S.REJECTED, A.REOPEN, R.SUPERVISOR, S.SCREENING),
    (S.REJECTED, A.REOPEN, R.OPERATOR, Refusal.ROLE),
    (S.CLOSED, A.FORWARD, R.ADMIN, Refusal.STATE),
    (S.DUPLICATE, A.FORWARD, R.ADMIN, Refusal.STATE),
    (S.SCREENING, A.MERGE, R.MODERATOR, S.DUPLICATE),
    (S.NEW, A.MERGE, R.OPERATOR, S.DUPLICATE),
    (S.DUPLICATE, A.MERGE, R.OPERATOR, S.DUPLICATE),  # a linked duplicate merged later
    (S.NEW, A.MERGE, R.UNIT_OFFICER, Refusal.ROLE),
    (S.FORWARDED, A.MERGE, R.OPERATOR, Refusal.STATE),
    (S.CLOSED, A.MERGE, R.SUPERVISOR, Refusal.STATE),
    # Waiting for the citizen: the centre or the unit, while the report is with them, open.
    (S.SCREENING, A.PAUSE, R.OPERATOR, S.SCREENING),
    (S.RETURNED, A.PAUSE, R.MODERATOR, S.RETURNED),
    (S.FORWARDED, A.PAUSE, R.UNIT_OFFICER, S.FORWARDED),
    (S.ACCEPTED, A.PAUSE, R.UNIT_OFFICER, S.ACCEPTED),
    (S.IN_PROGRESS, A.PAUSE, R.UNIT_OFFICER, S.IN_PROGRESS),
    (S.IN_PROGRESS, A.PAUSE, R.SUPERVISOR, S.IN_PROGRESS),
    (S.NEW, A.PAUSE, R.OPERATOR, Refusal.STATE),
    (S.RESULT_RECORDED, A.PAUSE, R.UNIT_OFFICER, Refusal.STATE),
    (S.CLOSED, A.PAUSE, R.OPERATOR, Refusal.STATE),
    (S.REJECTED, A.PAUSE, R.ADMIN, Refusal.STATE),
    (S.IN_PROGRESS, A.RESUME, R.UNIT_OFFICER, Refusal.NOT_PAUSED),  # not paused
    (S.CLOSED, A.RESUME, R.OPERATOR, Refusal.STATE),
]


@pytest.mark.parametrize(("state", "action", "role", "expected"), KEY_EXPECTATIONS)
def test_key_expectations(
    state: Status, action: Action, role: Role, expected: Status | Refusal
) -> None:
    if isinstance(expected, Refusal):
        with pytest.raises(WorkflowRefused) as refused:
            apply(state, action, role, FULL)
        assert refused.value.code is expected
    else:
        assert apply(state, action, role, FULL).target is expected


PAUSED_EXPECTATIONS: list[tuple[Status, Action, Role, Status | Refusal]] = [
    (S.IN_PROGRESS, A.RESUME, R.UNIT_OFFICER, S.IN_PROGRESS),
    (S.SCREENING, A.RESUME, R.OPERATOR, S.SCREENING),
    (S.FORWARDED, A.RESUME, R.MODERATOR, S.FORWARDED),
    (S.IN_PROGRESS, A.PAUSE, R.UNIT_OFFICER, Refusal.ALREADY_PAUSED),
    (S.IN_PROGRESS, A.RECORD_RESULT, R.UNIT_OFFICER, Refusal.PAUSED),  # resume first
    (S.SCREENING, A.FORWARD, R.OPERATOR, Refusal.PAUSED),
    (S.ACCEPTED, A.REQUEST_EXTENSION, R.UNIT_OFFICER, Refusal.PAUSED),
    (S.SCREENING, A.REJECT, R.UNIT_OFFICER, Refusal.ROLE),  # the role is judged first
    (S.CLOSED, A.RESUME, R.OPERATOR, Refusal.STATE),
]


@pytest.mark.parametrize(("state", "action", "role", "expected"), PAUSED_EXPECTATIONS)
def test_key_expectations_while_paused(
    state: Status, action: Action, role: Role, expected: Status | Refusal
) -> None:
    if isinstance(expected, Refusal):
        with pytest.raises(WorkflowRefused) as refused:
            apply(state, action, role, FULL, paused=True)
        assert refused.value.code is expected
    else:
        done = apply(state, action, role, FULL, paused=True)
        assert done.target is expected and not done.changes_status


def test_pause_needs_a_reason_and_changes_no_status() -> None:
    with pytest.raises(WorkflowRefused) as refused:
        apply(S.IN_PROGRESS, A.PAUSE, R.UNIT_OFFICER, {"reason": "  "})
    assert (refused.value.code, refused.value.detail) == (Refusal.MISSING_FIELD, "reason")
    done = apply(S.IN_PROGRESS, A.PAUSE, R.UNIT_OFFICER, {"reason": "Chờ ảnh hiện trường"})
    assert not done.changes_status and not done.closes
    assert apply(S.IN_PROGRESS, A.RESUME, R.UNIT_OFFICER, {}, paused=True).target is S.IN_PROGRESS


def test_reasons_are_required_where_the_issue_says() -> None:
    for state, action, name in [
        (S.FORWARDED, A.RETURN, "reason"),
        (S.NEW, A.NOT_COMPETENT, "reason"),
        (S.NEW, A.NOT_COMPETENT, "target_body"),
        (S.NEW, A.MARK_DUPLICATE, "duplicate_of"),
        (S.NEW, A.REJECT, "reason_code"),
        (S.CLOSED, A.REOPEN, "reason"),
        (S.NEW, A.FORWARD, "lead_unit_id"),
        (S.IN_PROGRESS, A.RECORD_RESULT, "result_text"),
    ]:
        fields = {k: v for k, v in FULL.items() if k != name}
        with pytest.raises(WorkflowRefused) as refused:
            apply(state, action, R.SUPERVISOR, fields)
        assert refused.value.code is Refusal.MISSING_FIELD, (state, action, name)


def test_reject_reason_code_must_be_known() -> None:
    with pytest.raises(WorkflowRefused) as refused:
        apply(S.NEW, A.REJECT, R.OPERATOR, {"reason_code": "boring"})
    assert refused.value.code is Refusal.INVALID_FIELD
    for code in ("spam", "abuse", "no_content"):
        assert apply(S.NEW, A.REJECT, R.OPERATOR, {"reason_code": code}).closes


def test_lead_unit_cannot_also_coordinate() -> None:
    fields = {"lead_unit_id": UNIT_A, "coordinating_unit_ids": [UNIT_B, UNIT_A]}
    with pytest.raises(WorkflowRefused) as refused:
        apply(S.NEW, A.FORWARD, R.OPERATOR, fields)
    assert refused.value.code is Refusal.INVALID_FIELD
    twice = {"lead_unit_id": UNIT_A, "coordinating_unit_ids": [UNIT_B, UNIT_B]}
    with pytest.raises(WorkflowRefused):
        apply(S.NEW, A.FORWARD, R.OPERATOR, twice)
    alone = apply(S.NEW, A.FORWARD, R.OPERATOR, {"lead_unit_id": UNIT_A})
    assert alone.target is S.FORWARDED and not alone.closes


def test_unknown_names_are_refused_not_crashing() -> None:
    for state, action, role, code in [
        ("nope", "forward", "operator", Refusal.STATE),
        ("new", "fly", "operator", Refusal.STATE),
        ("new", "forward", "janitor", Refusal.ROLE),
    ]:
        with pytest.raises(WorkflowRefused) as refused:
            apply(state, action, role, FULL)
        assert refused.value.code is code


def test_extension_leaves_the_state_alone() -> None:
    done = apply(S.IN_PROGRESS, A.REQUEST_EXTENSION, R.UNIT_OFFICER, FULL)
    assert not done.changes_status


def test_actions_for_matches_apply() -> None:
    for state, role, paused in itertools.product(Status, Role, (False, True)):
        offered = set(actions_for(state, role, paused))
        for action in Action:
            try:
                apply(state, action, role, FULL, paused=paused)
                allowed = True
            except WorkflowRefused:
                allowed = False
            assert (action in offered) == allowed, (state, role, action, paused)
    assert actions_for(S.NEW, R.UNIT_OFFICER) == ()


def test_every_status_but_new_is_reachable_and_every_rule_lands_on_a_status() -> None:
    targets = {rule.target for rule in RULES.values()}
    assert targets >= set(Status) - {S.NEW}
