"""Routing rules: which unit a report of a category in a place is suggested to go to."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class RouteRule:
    """NULL (None) match fields mean "any"."""

    id: uuid.UUID
    unit_id: uuid.UUID | None  # None only in a rule being typed (``rule_problems``)
    category_code: str | None = None
    province_code: str | None = None
    commune_code: str | None = None
    priority: int = 0


def category_prefixes(code: str) -> list[str]:
    """``a.b.c`` → ``[a.b.c, a.b, a]``: the category and its parents (codes are dotted)."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


def _category_rank(rule: RouteRule, category: str) -> int | None:
    if rule.category_code is None:
        return 0
    prefixes = category_prefixes(category)
    if rule.category_code not in prefixes:
        return None
    return len(prefixes) - prefixes.index(rule.category_code)  # exact is the deepest


def _place_rank(rule: RouteRule, province: str | None, commune: str | None) -> int | None:
    if rule.commune_code is not None:
        return 2 if rule.commune_code == commune else None
    if rule.province_code is not None:
        return 1 if rule.province_code == province else None
    return 0


def rank(
    rule: RouteRule, category: str, province: str | None, commune: str | None
) -> tuple[int, int, int] | None:
    """How well ``rule`` fits, higher is better; None when it does not apply.

    The category weighs first: it decides which sector is competent (water supply goes to
    the water company whatever the ward), the place then picks the local unit: commune beats
    province beats any. ``priority`` breaks ties an administrator wants broken.
    """
    by_category = _category_rank(rule, category)
    by_place = _place_rank(rule, province, commune)
    if by_category is None or by_place is None:
        return None
    return (by_category, by_place, rule.priority)


def best_rule(
    rules: Iterable[RouteRule], category: str, province: str | None, commune: str | None
) -> RouteRule | None:
    """The most specific rule that applies (ties: the lowest id, so the answer is stable)."""
    ranked = [(r, k) for r in rules if (k := rank(r, category, province, commune)) is not None]
    if not ranked:
        return None
    return min(ranked, key=lambda pair: (tuple(-x for x in pair[1]), pair[0].id))[0]


class RuleProblem(StrEnum):
    """Why a rule an administrator typed is refused; the UI words each code."""

    NO_UNIT = "no_unit"
    UNKNOWN_UNIT = "unknown_unit"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_COMMUNE = "unknown_commune"
    COMMUNE_OUTSIDE_PROVINCE = "commune_outside_province"
    PRIORITY_RANGE = "priority_range"
    DUPLICATE = "duplicate"


PRIORITY_MIN, PRIORITY_MAX = -100, 100


def rule_problems(
    rule: RouteRule,
    *,
    commune_province: str | None,
    others: Iterable[RouteRule] = (),
) -> list[RuleProblem]:
    """What is wrong with ``rule`` (empty: it may be stored).

    ``commune_province``: the province of ``rule.commune_code`` as the reference data knows
    it (None when the commune is unknown, ignored when the rule names no commune).
    ``others``: the stored rules; one with the same category, place and priority would tie
    with ``rule`` and make one of the two dead, so it is refused (``rule.id`` itself is
    skipped: an edit does not clash with its own stored row).
    """
    found: list[RuleProblem] = []
    if rule.unit_id is None:
        found.append(RuleProblem.NO_UNIT)
    if rule.commune_code is not None:
        if commune_province is None:
            found.append(RuleProblem.UNKNOWN_COMMUNE)
        elif rule.province_code is not None and rule.province_code != commune_province:
            found.append(RuleProblem.COMMUNE_OUTSIDE_PROVINCE)
    if not PRIORITY_MIN <= rule.priority <= PRIORITY_MAX:
        found.append(RuleProblem.PRIORITY_RANGE)
    key = _match_key(rule)
    if any(o.id != rule.id and _match_key(o) == key for o in others):
        found.append(RuleProblem.DUPLICATE)
    return found


def _match_key(rule: RouteRule) -> tuple[str | None, str | None, str | None, int]:
    return (rule.category_code, rule.province_code, rule.commune_code, rule.priority)
