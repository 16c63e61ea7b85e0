"""The routing rules service refuses what the dialog refuses, with the same problem codes."""

from __future__ import annotations

import uuid

import pytest

from pakn_desktop.domain.routing import RouteRule, RuleProblem, rule_problems
from pakn_desktop.domain.workflow import Refusal, WorkflowRefused
from pakn_desktop.services.database import Database
from pakn_desktop.services.workflow.routing import RoutingService
from tests.intake_data import BEN_THANH, DRAINAGE, HANOI, HCMC, HOAN_KIEM
from tests.workflow_data import add_unit


def _refused(call: object, *args: object, **values: object) -> WorkflowRefused:
    with pytest.raises(WorkflowRefused) as caught:
        call(*args, **values)  # type: ignore[operator]
    return caught.value


def test_problems_are_named_and_nothing_is_stored(database: Database) -> None:
    service = RoutingService(database)
    unit = add_unit(database, "WARD")
    assert _refused(service.add_rule, "admin", category_code=DRAINAGE).code is RuleProblem.NO_UNIT
    assert _refused(service.add_rule, "admin", unit_id=None).code is RuleProblem.NO_UNIT
    refused = _refused(service.add_rule, "admin", unit_id=unit, commune_code="khong_co")
    assert refused.code is RuleProblem.UNKNOWN_COMMUNE
    refused = _refused(
        service.add_rule, "admin", unit_id=unit, province_code=HANOI, commune_code=BEN_THANH
    )
    assert refused.code is RuleProblem.COMMUNE_OUTSIDE_PROVINCE
    refused = _refused(service.add_rule, "admin", unit_id=uuid.uuid4(), priority=500)
    assert refused.detail == "unknown_unit,priority_range"
    assert _refused(service.add_rule, "operator", unit_id=unit).code is Refusal.ROLE
    assert service.list_rules() == ()


def test_a_commune_brings_its_province_and_a_twin_rule_is_refused(database: Database) -> None:
    service = RoutingService(database)
    ward, water = add_unit(database, "WARD"), add_unit(database, "WATER")
    rule = service.add_rule("admin", unit_id=ward, category_code="", commune_code=BEN_THANH)
    assert (rule.category_code, rule.province_code, rule.commune_code) == (None, HCMC, BEN_THANH)
    twin = _refused(service.add_rule, "admin", unit_id=water, commune_code=BEN_THANH)
    assert twin.code is RuleProblem.DUPLICATE
    service.add_rule("admin", unit_id=water, commune_code=BEN_THANH, priority=1)  # ranked apart
    # Editing a rule does not clash with its own stored row; moving it onto another does.
    service.update_rule("admin", rule.id, unit_id=water, note="đổi đơn vị")
    moved = _refused(service.update_rule, "admin", rule.id, priority=1)
    assert moved.code is RuleProblem.DUPLICATE
    assert [r.priority for r in service.list_rules()] == [0, 1]
    found = service.suggest_unit(DRAINAGE, BEN_THANH)
    assert found is not None and found.unit_id == water


def test_rule_problems_alone() -> None:
    unit = uuid.uuid4()
    ok = RouteRule(uuid.UUID(int=1), unit, DRAINAGE, HANOI, HOAN_KIEM)
    assert rule_problems(ok, commune_province=HANOI) == []
    assert rule_problems(ok, commune_province=HANOI, others=[ok]) == []  # itself
    twin = RouteRule(uuid.UUID(int=2), uuid.uuid4(), DRAINAGE, HANOI, HOAN_KIEM)
    assert rule_problems(ok, commune_province=HANOI, others=[twin]) == [RuleProblem.DUPLICATE]
    none = RouteRule(uuid.UUID(int=3), None, priority=101)
    assert rule_problems(none, commune_province=None) == [
        RuleProblem.NO_UNIT,
        RuleProblem.PRIORITY_RANGE,
    ]
