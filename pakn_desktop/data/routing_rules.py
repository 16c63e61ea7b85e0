"""The routing rules' statements: the candidates for a report, the list the administrators
edit, and the rules sharing a rule's place (for its checks). Rules are few (hundreds)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, or_, select
from sqlalchemy.orm import Session

from .models import Commune, RoutingRule, Unit

_R = RoutingRule
_KEY = (_R.id, _R.unit_id, _R.category_code, _R.province_code, _R.commune_code, _R.priority)


def province_of(conn: Connection | Session, commune: str) -> str | None:
    """The province a commune lies in, None for an unknown commune."""
    found = conn.scalar(select(Commune.province_code).where(Commune.code == commune))
    return None if found is None else str(found)


def candidates(
    conn: Connection, prefixes: Sequence[str], province: str | None, commune: str | None
) -> list[Any]:
    """(id, unit_id, category_code, province_code, commune_code, priority) of every active
    rule of an active unit that could apply to a report at that place whose category has the
    codes ``prefixes`` as its ancestors; ``domain.routing.best_rule`` ranks them."""
    return list(
        conn.execute(
            select(*_KEY)
            .join(Unit, Unit.id == _R.unit_id)
            .where(
                _R.active.is_(True),
                Unit.active.is_(True),
                or_(_R.category_code.is_(None), _R.category_code.in_(prefixes)),
                or_(_R.province_code.is_(None), _R.province_code == province),
                or_(_R.commune_code.is_(None), _R.commune_code == commune),
            )
        ).all()
    )


def unit_code_and_name(conn: Connection, unit_id: uuid.UUID) -> Any:
    """(code, name) of a unit that exists."""
    return conn.execute(select(Unit.code, Unit.name).where(Unit.id == unit_id)).one()


def rules_and_unit_names(session: Session) -> list[Any]:
    """(RoutingRule, unit name) of every rule, by category, province, then id."""
    query = (
        select(_R, Unit.name)
        .join(Unit, Unit.id == _R.unit_id)
        .order_by(_R.category_code, _R.province_code, _R.id)
    )
    return list(session.execute(query).all())


def same_place(
    session: Session, category: str | None, province: str | None, commune: str | None
) -> list[Any]:
    """The stored rules (same key as ``candidates``) with exactly this category and place,
    None meaning "any" on both sides; read without flushing the rule being checked."""
    with session.no_autoflush:
        return list(
            session.execute(
                select(*_KEY).where(
                    _same(_R.category_code, category),
                    _same(_R.province_code, province),
                    _same(_R.commune_code, commune),
                )
            ).all()
        )


def _same(column: Any, value: str | None) -> Any:
    return column.is_(None) if value is None else column == value
