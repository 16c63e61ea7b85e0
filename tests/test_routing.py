"""Routing rules: the most specific wins; administrators alone change them."""

from __future__ import annotations

import uuid

import pytest

from pakn_desktop.domain.routing import RouteRule, best_rule, category_prefixes
from pakn_desktop.domain.workflow import WorkflowRefused
from pakn_desktop.services.database import Database
from pakn_desktop.services.workflow.routing import RoutingService
from tests.intake_data import BEN_THANH, DRAINAGE, HANOI, HCMC, HOAN_KIEM, LIGHTING
from tests.workflow_data import add_unit

INFRA = "ha_tang_do_thi"


def _rule(n: int, category: str | None, province: str | None, commune: str | None) -> RouteRule:
    return RouteRule(uuid.UUID(int=n), uuid.UUID(int=100 + n), category, province, commune)


RULES = [
    _rule(1, None, None, None),  # anything anywhere: the centre's default
    _rule(2, None, HCMC, None),
    _rule(3, None, HCMC, BEN_THANH),
    _rule(4, INFRA, HCMC, None),
    _rule(5, DRAINAGE, None, None),
    _rule(6, DRAINAGE, HCMC, BEN_THANH),
]


@pytest.mark.parametrize(
    ("category", "province", "commune", "expected"),
    [
        (DRAINAGE, HCMC, BEN_THANH, 6),  # exact category and commune
        (DRAINAGE, HANOI, HOAN_KIEM, 5),  # exact category anywhere beats any category
        (LIGHTING, HCMC, BEN_THANH, 4),  # parent category beats any category in the commune
        (LIGHTING, HANOI, HOAN_KIEM, 1),
        ("khac", HCMC, BEN_THANH, 3),  # commune beats province
        ("khac", HCMC, None, 2),
        ("khac", None, None, 1),
    ],
)
def test_most_specific_rule_wins(
    category: str, province: str | None, commune: str | None, expected: int
) -> None:
    found = best_rule(RULES, category, province, commune)
    assert found is not None and found.id == uuid.UUID(int=expected)


def test_priority_breaks_ties_and_nothing_matches_without_a_default() -> None:
    a, b = _rule(7, "khac", None, None), _rule(8, "khac", None, None)
    assert best_rule([a, b], "khac", None, None) == a  # stable: lowest id
    b = RouteRule(b.id, b.unit_id, "khac", priority=5)
    assert best_rule([a, b], "khac", None, None) == b
    assert best_rule([a], "trat_tu_do_thi", HCMC, BEN_THANH) is None
    assert category_prefixes("a.b.c") == ["a.b.c", "a.b", "a"]


def test_service_suggests_and_admin_crud(database: Database) -> None:
    service = RoutingService(database)
    ward, water, centre = (add_unit(database, c) for c in ("WARD", "WATER", "CENTRE"))
    assert service.suggest_unit(DRAINAGE, BEN_THANH) is None
    with pytest.raises(WorkflowRefused):
        service.add_rule("supervisor", unit_id=centre)
    service.add_rule("admin", unit_id=centre)
    service.add_rule("admin", unit_id=ward, commune_code=BEN_THANH)
    water_rule = service.add_rule("admin", unit_id=water, category_code=INFRA, province_code=HCMC)
    found = service.suggest_unit(DRAINAGE, BEN_THANH)  # province looked up from the commune
    assert found is not None and (found.unit_id, found.unit_code) == (water, "WATER")
    found = service.suggest_unit("trat_tu_do_thi", BEN_THANH)
    assert found is not None and found.unit_id == ward
    service.update_rule("admin", water_rule.id, active=False)
    found = service.suggest_unit(DRAINAGE, BEN_THANH)
    assert found is not None and found.unit_id == ward
    service.delete_rule("admin", water_rule.id)
    assert len(service.list_rules()) == 2
    with pytest.raises(WorkflowRefused):
        service.add_rule("admin", unit_id=uuid.uuid4())
    with pytest.raises(WorkflowRefused):
        service.add_rule("admin", unit_id=centre, category_code="khong_co")
