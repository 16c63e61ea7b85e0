"""One province and commune map on every machine, and punctuation that folds like diacritics.

The map is a snapshot shipped with the package (``data/admin_map``): the same rows whatever
Python or package versions a station has. A database seeded from an older map (stations on
Python 3.11 got another release, with 114 commune codes renumbered) moves its references to
the snapshot's codes by place name.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from pakn_desktop.data import admin_map, migrate, reference
from pakn_desktop.data.models import Commune, Province, RoutingRule, Ticket, Unit
from pakn_desktop.domain.text import fold
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.reference_lists import ReferenceLists, load_reference_lists
from pakn_desktop.services.search import SearchService
from pakn_desktop.widgets.place_search import PlaceSearch
from tests.db_template import MigratedEnv
from tests.intake_data import form

ROOT = Path(__file__).resolve().parents[1]
APOSTROPHES = "’‘ʼ'"
DASHES = "–—‐-"


def ascii_typed(name: str, *, punctuation: bool) -> str:
    """``name`` as an operator types it on a plain keyboard: no accents, ASCII apostrophe and
    hyphen, or no punctuation at all."""
    bare = "".join(
        c
        for c in unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
        if not unicodedata.combining(c)
    )
    for a in APOSTROPHES:
        bare = bare.replace(a, "'" if punctuation else "")
    for d in DASHES:
        bare = bare.replace(d, "-" if punctuation else " ")
    return bare.lower()


# --- one map everywhere ----------------------------------------------------------------------


def test_the_map_comes_from_the_snapshot_on_every_python() -> None:
    # No dependency whose version the resolver may pick per Python can feed the map: neither
    # the project nor either lock names a map package, and the snapshot is package data.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert not [d for d in project["project"]["dependencies"] if "province" in d.lower()]
    for lock in ("requirements.lock", "requirements-dev.lock"):
        assert "vietnam-provinces" not in (ROOT / lock).read_text("utf-8")
    data = project["tool"]["setuptools"]["package-data"]["pakn_desktop"]
    assert "resources/**/*" in data
    snap = admin_map.snapshot()
    assert snap.id == admin_map.MAP_ID and snap.date and "Thống kê" in snap.source
    assert len(snap.provinces) == 34 and len(snap.communes) == 3321
    assert len({c[0] for c in snap.communes}) == 3321  # codes unique
    provinces = {p[0] for p in snap.provinces}
    assert {c[1] for c in snap.communes} == provinces


def test_a_seeded_database_holds_exactly_the_snapshot(database: Database) -> None:
    with database.engine.connect() as conn:
        communes = set(
            conn.execute(select(Commune.code, Commune.province_code, Commune.name)).all()
        )
        provinces = set(conn.execute(select(Province.code, Province.name)).all())
    assert communes == {(c, p, n) for c, p, n, _k in admin_map.snapshot().communes}
    assert provinces == {(c, n) for c, n, _k in admin_map.snapshot().provinces}


def _places(database: Database, province: str) -> list[tuple[str, str]]:
    with database.engine.connect() as conn:
        rows = conn.execute(
            select(Commune.code, Commune.name)
            .where(Commune.province_code == province)
            .order_by(Commune.code)
            .limit(3)
        ).all()
    return [(code, name) for code, name in rows]


def _as_older_map(
    database: Database, env: Environment, before: Callable[[], None] = lambda: None
) -> dict[str, object]:
    """Rewrite the database as a station seeded from an older map holds it: places A and B
    swapped codes, and place C had a code the snapshot does not use (its own was unknown);
    tickets, a unit and a routing rule point at them. ``before`` runs once the tickets are
    saved (a downgrade: the save writes today's columns). Returns what the test needs."""
    (a_code, a_name), (b_code, b_name), (c_code, c_name) = _places(database, "01")
    service = IntakeService(database, EvidenceStore(env.evidence_dir))
    at = {  # ticket id → the place the operator chose, by its code in the snapshot
        service.save(form(commune_code=code, province_code="01")).id: code
        for code in (a_code, b_code, c_code)
    }
    before()
    old_c = "99001"
    older = {a_code: b_code, b_code: a_code, c_code: old_c}  # snapshot code → older code
    ticket = Ticket.__table__
    with database.engine.begin() as conn:
        conn.execute(
            insert(Commune).values(
                code=old_c, province_code="01", name=c_name, division_type="phường", folded=""
            )
        )
        for ticket_id, code in at.items():
            conn.execute(
                update(ticket).where(ticket.c.id == ticket_id).values(commune_code=older[code])
            )
        conn.execute(delete(Commune).where(Commune.code == c_code))
        conn.execute(update(Commune).where(Commune.code == a_code).values(name=b_name))
        conn.execute(update(Commune).where(Commune.code == b_code).values(name=a_name))
        unit_id = uuid.uuid4()
        conn.execute(
            insert(Unit.__table__).values(
                id=unit_id, code="thu", name="UBND phường thử", kind="ubnd", commune_code=old_c
            )
        )
        rule_id = uuid.uuid4()
        conn.execute(
            insert(RoutingRule.__table__).values(id=rule_id, unit_id=unit_id, commune_code=a_code)
        )
    return {
        "b": b_code,
        "c": c_code,
        "old_c": old_c,
        "tickets": at,
        "unit": unit_id,  # at C
        "rule": rule_id,  # at B
    }


def _commune_of(database: Database, model: type, row_id: object) -> str:
    with database.engine.connect() as conn:
        return str(conn.scalar(select(model.commune_code).where(model.id == row_id)))


def _assert_moved(database: Database, old: dict[str, Any]) -> None:
    for ticket_id, place in old["tickets"].items():
        assert _commune_of(database, Ticket, ticket_id) == place
    assert _commune_of(database, Unit, old["unit"]) == old["c"]
    assert _commune_of(database, RoutingRule, old["rule"]) == old["b"]
    with database.engine.connect() as conn:
        assert conn.scalar(select(func.count()).where(Commune.code == old["old_c"])) == 0
    test_a_seeded_database_holds_exactly_the_snapshot(database)


@pytest.fixture
def any_env(any_db: tuple[Database, Environment]) -> Environment:
    return any_db[1]


@pytest.fixture
def any_database(any_db: tuple[Database, Environment]) -> Database:
    return any_db[0]


def test_the_migration_moves_a_database_seeded_from_another_map(
    any_database: Database, any_env: Environment
) -> None:
    old = _as_older_map(
        any_database, any_env, lambda: migrate.downgrade(any_database.engine, "0009")
    )
    migrate.upgrade(any_database.engine)
    _assert_moved(any_database, old)
    if any_database.engine.dialect.name == "sqlite":
        with any_database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []


def test_seeding_moves_a_database_seeded_from_another_map(
    any_database: Database, any_env: Environment
) -> None:
    old = _as_older_map(any_database, any_env)
    with any_database.engine.begin() as conn:
        conn.execute(text("DELETE FROM sync_state WHERE key = :k"), {"k": reference.MARKER_KEY})
    reference.ensure(any_database.engine)
    _assert_moved(any_database, old)


def test_a_database_already_on_the_snapshot_moves_nothing(database: Database) -> None:
    with database.engine.begin() as conn:
        assert admin_map.reconcile(conn) == {}


def test_namesakes_once_folded_keep_their_codes() -> None:
    twins: dict[tuple[str, str], list[str]] = {}
    for code, province, name, _k in admin_map.snapshot().communes:
        twins.setdefault((province, fold(name)), []).append(code)
    pairs = [codes for codes in twins.values() if len(codes) > 1]
    assert pairs, "the snapshot has communes of one province that fold to one name"
    stored = {code: (province, name) for code, province, name, _k in admin_map.snapshot().communes}
    assert admin_map.code_moves(stored) == {}


# --- punctuation -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lists(
    tmp_path_factory: pytest.TempPathFactory, migrated: MigratedEnv
) -> Iterator[ReferenceLists]:
    db = open_database(migrated(tmp_path_factory.mktemp("map")))
    try:
        yield load_reference_lists(db)
    finally:
        db.close()


@pytest.mark.parametrize("punctuation", [True, False], ids=["ascii-punctuation", "none"])
def test_the_picker_finds_every_commune_typed_on_a_plain_keyboard(
    lists: ReferenceLists, punctuation: bool
) -> None:
    search = PlaceSearch(lists.communes)
    missed = [
        c.name
        for c in lists.communes
        if c.code
        not in {
            p.code
            for p in search.find(
                ascii_typed(c.name, punctuation=punctuation), c.province_code, limit=50
            )
        }
    ]
    assert missed == []


PUNCTUATED = re.compile(f"[{APOSTROPHES}{DASHES}]")


def test_search_finds_every_punctuated_commune_typed_on_a_plain_keyboard(
    any_database: Database, any_env: Environment
) -> None:
    names = [n for _c, _p, n, _k in admin_map.snapshot().communes if PUNCTUATED.search(n)]
    assert len(names) >= 14
    service = IntakeService(any_database, EvidenceStore(any_env.evidence_dir))
    codes = {
        name: service.save(form(content=f"Đèn đường hỏng trước trụ sở {name}.")).code
        for name in names
    }
    search = SearchService(any_database)
    for name, code in codes.items():
        for punctuation in (True, False):
            typed = ascii_typed(name, punctuation=punctuation)
            found = {hit.code for hit in search.search(typed, limit=50)}
            assert code in found, (typed, name)
