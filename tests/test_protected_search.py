"""A protected reporter (a denouncer, or one who asked for confidentiality) is found by no
search for their name or number, in any form, on both engines, from the moment of the save
(the SQLite backlog) and after indexing; the report itself stays findable by its content, and
the summary a search shows is masked."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

import pytest

from pakn_desktop.data import search_schema
from pakn_desktop.data.engine import writer
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.search import SearchService, as_json
from tests.identity_scan import leaks
from tests.intake_data import form
from tests.protected_data import PROTECTED, QUYNH, save_protected


def identity_queries() -> list[str]:
    names = QUYNH.forms_typed()
    parts = [" ".join(n.split()[-2:]) for n in names] + [n.split()[-1] for n in names]
    digits = QUYNH.phone
    return names + parts + QUYNH.phones_typed() + [digits, digits[1:], "+84 " + digits[1:]]


def _index_backlog(database: Database) -> None:
    if database.engine.dialect.name == "sqlite":
        with writer(database.engine).begin() as conn:
            search_schema.index_pending(conn, limit=None)


@pytest.mark.parametrize("which", sorted(PROTECTED))
def test_no_search_for_the_person_finds_the_report(
    any_db: tuple[Database, Environment], which: str
) -> None:
    database, env = any_db
    intake = IntakeService(database, EvidenceStore(env.evidence_dir))
    saved = save_protected(intake, which)
    service = SearchService(database)
    for indexed in (False, True):  # in the backlog, then in the index
        for query in identity_queries():
            assert service.search(query, limit=100) == (), (indexed, query)
            assert service.count(query) == 0 and service.ids(query) == [], query
        # The report itself is still found by what it is about, its summary masked.
        (row,) = service.search("thu tiền trái phép", limit=100)
        assert row.code == saved.code and leaks(json.dumps(as_json([row])), QUYNH) == []
        _index_backlog(database)


def test_cli_search_tells_nothing(database: Database, env: Environment) -> None:
    intake = IntakeService(database, EvidenceStore(env.evidence_dir))
    for which in PROTECTED:
        save_protected(intake, which)
    for query in [QUYNH.name, unicodedata.normalize("NFD", QUYNH.name), "0975 318 642", "Bến"]:
        done = subprocess.run(
            [sys.executable, "-m", "pakn_desktop.cli", "--data-dir", str(env.data_dir)]
            + ["search", query, "--json"],
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert leaks(done.stdout, QUYNH) == [] and leaks(done.stderr, QUYNH) == [], query
        assert bool(json.loads(done.stdout)) == (query == "Bến"), query


def test_migration_takes_a_protected_identity_out_of_an_existing_index(
    any_db: tuple[Database, Environment],
) -> None:
    """A report saved before 0011 had the person in its search text."""
    from sqlalchemy import select, update

    from pakn_desktop.data import migrate
    from pakn_desktop.data.models import Reporter, Ticket
    from pakn_desktop.domain.search_text import search_text

    database, env = any_db
    intake = IntakeService(database, EvidenceStore(env.evidence_dir))
    saved = {which: save_protected(intake, which) for which in PROTECTED}
    plain = intake.save(form(reporter_name=QUYNH.name, reporter_phone=QUYNH.phone))
    with database.engine.begin() as conn:  # as the save wrote it before 0011
        for ticket in saved.values():
            row = conn.execute(
                select(Ticket.summary, Ticket.content, Ticket.address, Reporter.phone)
                .join(Reporter, Reporter.id == Ticket.reporter_id)
                .where(Ticket.id == ticket.id)
            ).one()
            old = search_text(
                code=ticket.code,
                summary=row[0],
                content=row[1],
                reporter_name=QUYNH.name,
                phone=row[3],
                phone_raw=QUYNH.phones_typed()[0],
                address=row[2],
            )
            conn.execute(update(Ticket).where(Ticket.id == ticket.id).values(search_text=old))
    _index_backlog(database)
    service = SearchService(database)
    everyone = {t.code for t in saved.values()} | {plain.code}
    assert {r.code for r in service.search(QUYNH.name, limit=100)} == everyone
    migrate.downgrade(database.engine, "0010")
    migrate.upgrade(database.engine)
    for query in identity_queries():
        # The same person reporting openly stays findable; the protected reports do not.
        assert {r.code for r in service.search(query, limit=100)} <= {plain.code}, query
    assert {r.code for r in service.search(QUYNH.name, limit=100)} == {plain.code}
