"""The saved views' filters (kinds, commune, receiving station) across keyset pages: the
model scrolled past its first page shows only matching rows, every one of them (pytest-qt)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import insert, select, update

from pakn_desktop.data.models import Station, Ticket
from pakn_desktop.domain.ids import new_id
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.queue import QueueQuery, QueueService
from pakn_desktop.ui.queue.model import QueueModel
from pakn_desktop.ui.tasks import Tasks

from .db_template import MigratedEnv
from .queue_data import fill_tickets

PAGE = 40


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory, migrated: MigratedEnv) -> Iterator[Database]:
    env = migrated(tmp_path_factory.mktemp("filters") / "data")
    db = open_database(env)
    fill_tickets(db.engine)
    with db.engine.begin() as conn:  # a second workstation received every third report
        other = new_id()
        conn.execute(insert(Station), [{"id": other, "code": "TQ02", "name": "t2"}])
        ids = list(conn.execute(select(Ticket.id).order_by(Ticket.id)).scalars())
        conn.execute(update(Ticket).where(Ticket.id.in_(ids[::3])).values(station_id=other))
    yield db
    db.close()


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[Tasks]:
    runner = Tasks()
    yield runner
    runner.shutdown()


def _facts(db: Database) -> dict[uuid.UUID, tuple[str, str | None, str]]:
    """id -> (kind, commune, receiving station code), read apart from the queue's SQL."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(Ticket.id, Ticket.kind, Ticket.commune_code, Station.code).join(
                Station, Station.id == Ticket.station_id
            )
        ).all()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _wanted(query: QueueQuery, fact: tuple[str, str | None, str]) -> bool:
    kind, commune, station = fact
    return (
        (not query.kinds or kind in query.kinds)
        and (query.commune is None or commune == query.commune)
        and (query.station_code is None or station == query.station_code)
    )


QUERIES: list[dict[str, Any]] = [
    {"kinds": ("tk1",)},
    {"kinds": ("tk0",), "sort": "commune", "descending": False},  # across the NULL communes
    {"commune": "T002"},
    {"commune": "T004", "sort": "due_at"},
    {"station_code": "TQ02"},
    {"station_code": "TQ02", "kinds": ("tk0",), "sort": "code", "descending": False},
    {"station_code": "TQ01", "commune": "T001", "kinds": ("tk1",), "sort": "unit"},
]


@pytest.mark.parametrize("filters", QUERIES, ids=lambda f: "-".join(f"{k}" for k in f))
def test_scrolling_a_filtered_queue_shows_every_match_and_nothing_else(
    qtbot: QtBot, filled: Database, tasks: Tasks, filters: dict[str, Any]
) -> None:
    facts = _facts(filled)
    query = QueueQuery(**filters)
    expected = {i for i, fact in facts.items() if _wanted(query, fact)}
    assert PAGE < len(expected) < len(facts), filters  # past one page, and a real filter
    model = QueueModel(QueueService(filled), tasks, page_size=PAGE, cache_pages=3)
    model.set_query(query)
    view = QTableView()
    qtbot.addWidget(view)
    view.resize(800, 300)
    view.setModel(model)
    view.show()
    with qtbot.waitSignal(model.countKnown, timeout=10_000):
        model.refresh()
    assert model.rowCount() == len(expected)
    seen: list[uuid.UUID] = []
    for row in range(0, model.rowCount(), PAGE):  # page by page, as scrolling reads them
        view.scrollTo(model.index(row, 0))
        qtbot.waitUntil(lambda row=row: model.row_object(row) is not None)
        for r in range(row, min(row + PAGE, model.rowCount())):
            item = model.row_object(r)
            assert item is not None, r
            assert _wanted(query, facts[item.id]), (r, facts[item.id])
            seen.append(item.id)
    assert len(seen) == len(set(seen)) and set(seen) == expected
