"""Routing rules: the suggested lead unit for a report, and the administrators' CRUD.

Rules are few (hundreds): the candidates of a category's prefixes and a place are read in one
query and ranked by ``domain.routing``. Changes go through the ORM, so the outbox hook
records them for the sync.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pakn_desktop.domain.routing import (
    RouteRule,
    RuleProblem,
    best_rule,
    category_prefixes,
    rule_problems,
)
from pakn_desktop.domain.workflow import Refusal, Role, WorkflowRefused
from pakn_desktop.services.changes import Changes, Topic

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.reference_lists import ReferenceLists
    from pakn_desktop.services.workflow.unit_choices import UnitChoice


@dataclass(frozen=True)
class RoutingRuleView:
    id: uuid.UUID
    category_code: str | None
    province_code: str | None
    commune_code: str | None
    unit_id: uuid.UUID
    unit_name: str
    priority: int
    active: bool
    note: str


@dataclass(frozen=True)
class UnitSuggestion:
    unit_id: uuid.UUID
    unit_code: str
    unit_name: str
    rule_id: uuid.UUID


@dataclass(frozen=True)
class RuleEditorData:
    """What the administrators' rules dialog shows: the rules and the lists to pick from."""

    rules: tuple[RoutingRuleView, ...]
    units: tuple[UnitChoice, ...]  # active units, by name
    lists: ReferenceLists  # categories, provinces, communes


_FIELDS = (
    "category_code",
    "province_code",
    "commune_code",
    "unit_id",
    "priority",
    "active",
    "note",
)


def _admin(role: Role | str) -> None:
    if role != Role.ADMIN:
        raise WorkflowRefused(Refusal.ROLE, f"{role} may not change routing rules")


class RoutingService:
    CHANGES = Changes.of(Topic.ROUTING_RULES)  # what each of its writes changes

    def __init__(self, database: Database) -> None:
        self._database = database

    def suggest_unit(
        self, category: str, commune: str | None = None, province: str | None = None
    ) -> UnitSuggestion | None:
        """The lead unit the most specific active rule names, or None (see domain.routing)."""
        from pakn_desktop.data import routing_rules

        with self._database.engine.connect() as conn:
            if commune and not province:
                province = routing_rules.province_of(conn, commune)
            rows = routing_rules.candidates(conn, category_prefixes(category), province, commune)
            rule = best_rule((RouteRule(*row) for row in rows), category, province, commune)
            if rule is None or rule.unit_id is None:
                return None
            unit = routing_rules.unit_code_and_name(conn, rule.unit_id)
        return UnitSuggestion(rule.unit_id, unit.code, unit.name, rule.id)

    def editor_data(self) -> RuleEditorData:
        """Rules, units and reference lists in one call (run it on a worker)."""
        from pakn_desktop.services.reference_lists import load_reference_lists
        from pakn_desktop.services.workflow.unit_choices import active_units

        return RuleEditorData(
            self.list_rules(), active_units(self._database), load_reference_lists(self._database)
        )

    def list_rules(self) -> tuple[RoutingRuleView, ...]:
        from pakn_desktop.data.routing_rules import rules_and_unit_names

        with self._database.sessions() as session:
            rows = rules_and_unit_names(session)
            return tuple(_view(row[0], row[1]) for row in rows)

    def add_rule(self, role: Role | str, **values: Any) -> RoutingRuleView:
        """A new rule from ``values`` (the RoutingRuleView fields but id and unit_name).

        Refused (``WorkflowRefused`` with a ``RuleProblem`` code, the others in ``detail``)
        without a unit, with an unknown unit, category or commune, a commune outside the
        province, or the same category, place and priority as a stored rule."""
        _admin(role)
        unknown = set(values) - set(_FIELDS)
        if unknown:
            raise WorkflowRefused(Refusal.INVALID_FIELD, ", ".join(sorted(unknown)))
        return self._write(None, values)

    def update_rule(self, role: Role | str, rule_id: uuid.UUID, **changes: Any) -> RoutingRuleView:
        _admin(role)
        unknown = set(changes) - set(_FIELDS)
        if unknown:
            raise WorkflowRefused(Refusal.INVALID_FIELD, ", ".join(sorted(unknown)))
        return self._write(rule_id, changes)

    def delete_rule(self, role: Role | str, rule_id: uuid.UUID) -> None:
        from pakn_desktop.data.models import RoutingRule

        _admin(role)
        with self._database.write_sessions.begin() as session:
            rule = session.get(RoutingRule, rule_id)
            if rule is None:
                raise KeyError(rule_id)
            session.delete(rule)

    def _write(self, rule_id: uuid.UUID | None, changes: dict[str, Any]) -> RoutingRuleView:
        from sqlalchemy.exc import IntegrityError

        from pakn_desktop.data.models import RoutingRule, Unit

        try:
            with self._database.write_sessions.begin() as session:
                if rule_id is None:
                    rule = RoutingRule(**{"priority": 0, "active": True, **changes})
                else:
                    found = session.get(RoutingRule, rule_id)
                    if found is None:
                        raise KeyError(rule_id)
                    rule = found
                    for key, value in changes.items():
                        setattr(rule, key, value)
                for key in ("category_code", "province_code", "commune_code", "note"):
                    if getattr(rule, key) == "":  # an empty pick means "any"
                        setattr(rule, key, None)
                self._check(session, rule)
                if rule_id is None:
                    session.add(rule)
                session.flush()  # anything the checks missed fails here (foreign key)
                unit = session.get(Unit, rule.unit_id)
                return _view(rule, unit.name if unit else "")
        except IntegrityError as error:
            raise WorkflowRefused(Refusal.INVALID_FIELD, "unit/category/place") from error

    @staticmethod
    def _check(session: Any, rule: Any) -> None:
        """Refuses ``rule`` (not yet flushed) with its problems; a commune without its
        province gets the province (the table then shows where the commune is)."""
        from pakn_desktop.data import routing_rules
        from pakn_desktop.data.models import Category, Unit

        problems: list[RuleProblem] = []
        if rule.unit_id is not None and session.get(Unit, rule.unit_id) is None:
            problems.append(RuleProblem.UNKNOWN_UNIT)
        if rule.category_code is not None and session.get(Category, rule.category_code) is None:
            problems.append(RuleProblem.UNKNOWN_CATEGORY)
        commune_province = None
        if rule.commune_code is not None:
            commune_province = routing_rules.province_of(session, rule.commune_code)
            if rule.province_code is None and commune_province is not None:
                rule.province_code = commune_province
        same = routing_rules.same_place(
            session, rule.category_code, rule.province_code, rule.commune_code
        )
        draft = RouteRule(
            rule.id if rule.id is not None else uuid.UUID(int=0),
            rule.unit_id,
            rule.category_code,
            rule.province_code,
            rule.commune_code,
            rule.priority if rule.priority is not None else 0,
        )
        others = [RouteRule(*row) for row in same]
        problems += rule_problems(draft, commune_province=commune_province, others=others)
        if problems:
            raise WorkflowRefused(problems[0], ",".join(problems))


def _view(rule: Any, unit_name: str) -> RoutingRuleView:
    return RoutingRuleView(
        id=rule.id,
        category_code=rule.category_code,
        province_code=rule.province_code,
        commune_code=rule.commune_code,
        unit_id=rule.unit_id,
        unit_name=unit_name,
        priority=rule.priority or 0,
        active=bool(rule.active if rule.active is not None else True),
        note=rule.note or "",
    )
