"""Search on a hand-made list of reports: each query finds exactly the expected ones, on
SQLite (FTS5) and PostgreSQL (pg_trgm); the index follows inserts, updates, deletes and the
demo generator; the CLI answers like the service."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from pakn_desktop.data import search, search_schema
from pakn_desktop.data.models import Assignment, Outbox, Ticket, TicketEvent
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.search import SearchService, as_json
from tests.intake_data import form

# label -> (summary, content, address, reporter name, reporter phone)
REPORTS: dict[str, tuple[str, str, str, str, str]] = {
    "pho_hue": (
        "Phố Huế ngập nước",
        "Đường Phố Huế ngập sâu sau mưa.",
        "Phố Huế, Hà Nội",
        "Lê Văn Định",
        "0912 345 678",
    ),
    "den": (
        "Đèn đường hỏng",
        "Đèn đường ở ngõ 5 không sáng.",
        "Ngõ 5 Đinh Tiên Hoàng",
        "Trần Thị Mai",
        "+84 987 654 321",
    ),
    "rac": (
        "Rác thải ở chợ",
        "Rác thải bốc mùi gần chợ Hà Đông.",
        "Chợ Hà Đông",
        "Phạm Dương",
        "",
    ),
    "cay": ("Cây đổ", "Cây đổ chắn lối đi ở ha noi, chưa ai dọn.", "", "", "0283 822 1234"),
    "xe": ("Xe lấn chiếm vỉa hè", "Xe máy lấn chiếm vỉa hè trước chợ.", "Quận 1", "Ngô Mai", ""),
}

EXPECTED: list[tuple[str, set[str]]] = [
    ("pho", {"pho_hue"}),
    ("phố", {"pho_hue"}),
    ("PHỐ HUẾ", {"pho_hue"}),
    ("ha noi", {"pho_hue", "cay"}),
    ("Hà Nội", {"pho_hue", "cay"}),
    ("duong", {"pho_hue", "den", "rac"}),
    ("Đường", {"pho_hue", "den", "rac"}),
    ("đường", {"pho_hue", "den", "rac"}),
    ("dinh", {"pho_hue", "den"}),
    ("Định", {"pho_hue", "den"}),
    ("0912 345 678", {"pho_hue"}),
    ("+84912345678", {"pho_hue"}),
    ("84 987 654 321", {"den"}),
    ("mai", {"den", "xe"}),
    ("cho", {"rac", "xe"}),
    ("ha dong", {"rac"}),
    ("noi ha", set()),
    ("", set()),
    ("  -- ", set()),
    ('"; DROP TABLE ticket; --', set()),
    ("duong*", {"pho_hue", "den", "rac"}),  # FTS syntax typed in is just text
]


def _fill(database: Database, env: Environment) -> dict[str, str]:
    service = IntakeService(database, EvidenceStore(env.evidence_dir))
    codes: dict[str, str] = {}
    for label, (summary, content, address, name, phone) in REPORTS.items():
        saved = service.save(
            form(
                summary=summary,
                content=content,
                address=address,
                reporter_name=name,
                reporter_phone=phone,
            )
        )
        codes[label] = saved.code
    return codes


def test_fixed_list(any_db: tuple[Database, Environment]) -> None:
    database, env = any_db
    codes = _fill(database, env)
    service = SearchService(database)
    for query, expected in EXPECTED:
        found = {r.code for r in service.search(query, limit=100)}
        assert found == {codes[label] for label in expected}, query
        assert service.count(query) == len(expected), query
    rows = service.search("duong", limit=2)
    assert [r.received_at for r in rows] == sorted((r.received_at for r in rows), reverse=True)
    assert len(rows) == 2


def _oracle(texts: dict[Any, str], query: str) -> set[Any]:
    """Word-prefix phrase matching written again, in plain Python over search_text."""
    words = search.words(query)
    pattern = re.compile(r"(^|[^a-z0-9])" + r"[^a-z0-9]+".join(words))
    return {key for key, text in texts.items() if pattern.search(text)}


def test_index_follows_updates_deletes_and_demo_rows(database: Database, env: Environment) -> None:
    from pakn_desktop.services.demo import generate

    codes = _fill(database, env)
    generate(database, 400, seed=3)
    service = SearchService(database)
    with database.engine.connect() as conn:
        texts = dict(conn.execute(select(Ticket.id, Ticket.search_text)).all())
    for query in ("duong", "ha noi", "pho", "dinh", "nguyen van", "0912"):
        assert set(service.ids(query)) == _oracle(texts, query), query
    with database.engine.begin() as conn:
        conn.execute(
            update(Ticket)
            .where(Ticket.code == codes["xe"])
            .values(search_text="xe lan chiem duong ray")
        )
        victim = conn.scalar(select(Ticket.id).where(Ticket.code == codes["pho_hue"]))
        for model in (Outbox,):
            conn.execute(delete(model))
        conn.execute(delete(TicketEvent).where(TicketEvent.ticket_id == victim))
        conn.execute(delete(Assignment).where(Assignment.ticket_id == victim))
        conn.execute(delete(Ticket).where(Ticket.id == victim))
        # The saved reports may still wait in the backlog; once indexed, the index must hold
        # exactly every report's text (rank 1: compared with the ticket table).
        search_schema.index_pending(conn, limit=None)
        conn.exec_driver_sql(
            "INSERT INTO ticket_fts(ticket_fts, rank) VALUES ('integrity-check', 1)"
        )
    found = {r.code for r in service.search("duong", limit=1000) if r.code in codes.values()}
    assert found == {codes["den"], codes["rac"], codes["xe"]}


def test_cli_search_answers_like_the_service(database: Database, env: Environment) -> None:
    _fill(database, env)
    expected = as_json(SearchService(database).search("Đường", limit=50))
    done = subprocess.run(
        [sys.executable, "-m", "pakn_desktop.cli", "--data-dir", str(env.data_dir)]
        + ["search", "Đường", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == expected and len(expected) == 3
    assert set(expected[0]) >= {"code", "received_at", "status", "summary"}


def test_phrase_forms() -> None:
    assert search.fts_expression("Hà Nội") == '"ha noi"*'
    assert search.fts_expression("0912 345 678") == '"0912345678"*'
    assert search.fts_expression(" ,. ") is None
    assert search.pg_pattern("ha noi") == "(^|[^[:alnum:]])ha[^[:alnum:]]+noi"


@pytest.mark.parametrize("scan_first", [7, 10**6])
def test_newest_first_scan_and_index_agree(
    database: Database, env: Environment, monkeypatch: pytest.MonkeyPatch, scan_first: int
) -> None:
    """The page from the newest-first scan and the page from the index are the same rows."""
    from pakn_desktop.data.queue import load_names
    from pakn_desktop.services.demo import generate

    _fill(database, env)
    generate(database, 300, seed=4)
    monkeypatch.setattr(search, "SCAN_FIRST", scan_first)
    with database.engine.connect() as conn:
        names = load_names(conn)
        for query in ("duong", "ha noi", "pho", "dinh", "nguyen", "0912 345 678", "cay do"):
            for limit in (1, 5, 50):
                page = [r.id for r in search.search(conn, query, names, limit)]
                assert page == search.search_ids(conn, query, limit), (query, limit)
