"""Vietnam's provinces and communes: one pinned snapshot for every station, and the move to it.

Every station must hold the same map, or two stations on one database rename each other's
communes back and forth. A package dependency could not promise that: the lock resolved
``vietnam-provinces`` to a 2025 release on Python 3.11 and a 2026 one on 3.12, which differ
in 114 commune codes. So the map is a data file of this package
(``resources/admin_map/<id>.json``, with its source and date), read the same way on every
Python; a new map is a new file and a new id (docs/decisions.md 23).

A database seeded from an older map gets its references moved by :func:`reconcile`: a commune
is the same place when it has the same folded name in the same province (codes were
renumbered, names were not), so tickets, units and routing rules keep pointing at the place
the operator chose.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Connection, case, delete, select, update

from pakn_desktop.domain.text import fold

from .models import Commune, RoutingRule, Ticket, Unit

log = logging.getLogger(__name__)

MAP_ID = "vn-admin-2026-09"

# Every column that names a commune: its references move with it.
COMMUNE_REFERENCES = (Ticket.commune_code, Unit.commune_code, RoutingRule.commune_code)


@dataclass(frozen=True)
class AdminMap:
    id: str
    date: str
    source: str
    provinces: tuple[tuple[str, str, str], ...]  # code, name, division type
    communes: tuple[tuple[str, str, str, str], ...]  # code, province code, name, division type


@cache
def snapshot(map_id: str = MAP_ID) -> AdminMap:
    text = (
        resources.files("pakn_desktop")
        .joinpath("resources", "admin_map", f"{map_id}.json")
        .read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return AdminMap(
        id=data["id"],
        date=data["date"],
        source=data["source"],
        provinces=tuple((c, n, t) for c, n, t in data["provinces"]),
        communes=tuple((c, p, n, t) for c, p, n, t in data["communes"]),
    )


def province_rows() -> list[dict[str, Any]]:
    return [
        {"code": code, "name": name, "division_type": kind, "folded": fold(name)}
        for code, name, kind in snapshot().provinces
    ]


def commune_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "province_code": province,
            "name": name,
            "division_type": kind,
            "folded": fold(name),
        }
        for code, province, name, kind in snapshot().communes
    ]


def _spelt(name: str) -> str:
    return " ".join(name.split())


def code_moves(stored: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Old code → new code for the stored communes (code → (province, name)) whose place has
    another code in the snapshot.

    A place is its name in its province: first as spelt (spaces aside), then folded, where
    maps differ only in how a tone mark is placed ("Thuỷ"/"Thủy") or an apostrophe is typed.
    Folding makes a few communes of one province namesakes ("Văn Lang", "Vân Lang"): a name
    moves only to a code that no stored namesake already holds, and only when that code is
    the one choice; a name the snapshot does not have keeps its code."""
    rules = (_spelt, fold)
    by_name: list[dict[tuple[str, str], list[str]]] = [{} for _ in rules]
    at_code: list[dict[str, tuple[str, str]]] = [{} for _ in rules]
    for code, province, name, _kind in snapshot().communes:
        for i, rule in enumerate(rules):
            key = (province, rule(name))
            by_name[i].setdefault(key, []).append(code)
            at_code[i][code] = key
    moves: dict[str, str] = {}
    for code, (province, name) in stored.items():
        for i, rule in enumerate(rules):
            key = (province, rule(name))
            if at_code[i].get(code) == key:
                break  # the same place under the same code (perhaps spelt anew)
            free = [
                c
                for c in by_name[i].get(key, [])
                if not (c in stored and (stored[c][0], rule(stored[c][1])) == key)
            ]
            if len(free) == 1:
                moves[code] = free[0]
                break
    return moves


def reconcile(conn: Connection) -> dict[str, str]:
    """Move every commune reference of a database seeded from another map to the snapshot's
    codes, then make the commune and province rows the snapshot's. Returns the moves made."""
    table = Commune.__table__
    stored = {
        code: (province, name)
        for code, province, name in conn.execute(
            select(Commune.code, Commune.province_code, Commune.name)
        )
    }
    if not stored:
        return {}  # a new database: seeding writes the snapshot
    moves = code_moves(stored)
    wanted = {row["code"]: row for row in commune_rows()}
    # The targets must exist before references point at them (foreign keys).
    missing = [row for code, row in wanted.items() if code not in stored]
    if missing:
        conn.execute(table.insert(), missing)  # type: ignore[attr-defined]
    for column in COMMUNE_REFERENCES:
        _move(conn, column, moves)
    for code, row in wanted.items():
        if code in stored and stored[code] != (row["province_code"], row["name"]):
            conn.execute(
                update(Commune)
                .where(Commune.code == code)
                .values({k: v for k, v in row.items() if k != "code"})
            )
    # A moved code the snapshot does not have is nobody's place any more (an administrator's
    # own communes, never moved, stay).
    gone = [code for code in moves if code not in wanted]
    if gone:
        conn.execute(delete(Commune).where(Commune.code.in_(gone)))
    if moves:
        log.info("admin map %s: %d commune codes moved", MAP_ID, len(moves))
    return moves


def _move(conn: Connection, column: Any, moves: Mapping[str, str]) -> None:
    """Apply ``moves`` to one column in one statement: codes can swap (A → B while B → C),
    so each row moves from what it held before any move, never twice."""
    if not moves:
        return
    conn.execute(
        update(column.table)
        .where(column.in_(list(moves)))
        .values({column.key: case(moves, value=column)})
    )
