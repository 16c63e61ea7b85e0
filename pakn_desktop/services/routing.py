"""Routing rules: the suggested lead unit for a report, and the administrators' CRUD.

Rules are few (hundreds): the candidates of a category's prefixes and a place are read in one
query and ranked by ``domain.routing``. Changes go through the ORM, so the outbox hook
records them for the sync.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pakn_desktop.domain.routing import RouteRule, best_rule, category_prefixes
from pakn_desktop.domain.workflow import Refusal, Role, WorkflowRefused

if TYPE_CHECKING:
    from .database import Database


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
    def __init__(self, database: Database) -> None:
        self._database = database

    def suggest_unit(
        self, category: str, commune: str | None = None, province: str | None = None
    ) -> UnitSuggestion | None:
        """The lead unit the most specific active rule names, or None (see domain.routing)."""
        from sqlalchemy import or_, select

        from pakn_desktop.data.models import Commune, RoutingRule, Unit

        r = RoutingRule
        with self._database.engine.connect() as conn:
            if commune and not province:
                province = conn.scalar(select(Commune.province_code).where(Commune.code == commune))
            rows = conn.execute(
                select(
                    r.id, r.unit_id, r.category_code, r.province_code, r.commune_code, r.priority
                )
                .join(Unit, Unit.id == r.unit_id)
                .where(
                    r.active.is_(True),
                    Unit.active.is_(True),
                    or_(
                        r.category_code.is_(None), r.category_code.in_(category_prefixes(category))
                    ),
                    or_(r.province_code.is_(None), r.province_code == province),
                    or_(r.commune_code.is_(None), r.commune_code == commune),
                )
            ).all()
            rule = best_rule((RouteRule(*row) for row in rows), category, province, commune)
            if rule is None:
                return None
            unit = conn.execute(select(Unit.code, Unit.name).where(Unit.id == rule.unit_id)).one()
        return UnitSuggestion(rule.unit_id, unit.code, unit.name, rule.id)

    def list_rules(self) -> tuple[RoutingRuleView, ...]:
        from sqlalchemy import select

        from pakn_desktop.data.models import RoutingRule, Unit

        with self._database.sessions() as session:
            rows = session.execute(
                select(RoutingRule, Unit.name)
                .join(Unit, Unit.id == RoutingRule.unit_id)
                .order_by(RoutingRule.category_code, RoutingRule.province_code, RoutingRule.id)
            ).all()
            return tuple(_view(row[0], row[1]) for row in rows)

    def add_rule(self, role: Role | str, **values: Any) -> RoutingRuleView:
        """A new rule from ``values`` (the RoutingRuleView fields but id and unit_name)."""
        from pakn_desktop.data.models import RoutingRule

        _admin(role)
        unknown = set(values) - set(_FIELDS)
        if unknown or "unit_id" not in values:
            raise WorkflowRefused(Refusal.INVALID_FIELD, ", ".join(sorted(unknown)) or "unit_id")
        return self._write(None, lambda: RoutingRule(**values))

    def update_rule(self, role: Role | str, rule_id: uuid.UUID, **changes: Any) -> RoutingRuleView:
        _admin(role)
        if set(changes) - set(_FIELDS):
            raise WorkflowRefused(Refusal.INVALID_FIELD, ", ".join(sorted(set(changes))))
        return self._write(rule_id, None, changes)

    def delete_rule(self, role: Role | str, rule_id: uuid.UUID) -> None:
        from pakn_desktop.data.models import RoutingRule

        _admin(role)
        with self._database.sessions.begin() as session:
            rule = session.get(RoutingRule, rule_id)
            if rule is None:
                raise KeyError(rule_id)
            session.delete(rule)

    def _write(
        self, rule_id: uuid.UUID | None, make: Any, changes: dict[str, Any] | None = None
    ) -> RoutingRuleView:
        from sqlalchemy.exc import IntegrityError

        from pakn_desktop.data.models import RoutingRule, Unit

        try:
            with self._database.sessions.begin() as session:
                if rule_id is None:
                    rule = make()
                    session.add(rule)
                else:
                    found = session.get(RoutingRule, rule_id)
                    if found is None:
                        raise KeyError(rule_id)
                    rule = found
                    for key, value in (changes or {}).items():
                        setattr(rule, key, value)
                session.flush()  # a missing unit, category or place fails here (foreign key)
                unit = session.get(Unit, rule.unit_id)
                return _view(rule, unit.name if unit else "")
        except IntegrityError as error:
            raise WorkflowRefused(Refusal.INVALID_FIELD, "unit/category/place") from error


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
