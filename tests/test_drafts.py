"""Drafts: upsert while typing, newest first, round trip, discard, local only."""

from __future__ import annotations

import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from pakn_desktop.data.models import Draft, Outbox
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.intake.drafts import DraftNotFound, DraftService, draft_title
from pakn_desktop.services.intake.form import form_from_mapping, form_to_mapping
from tests.intake_data import form


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def test_round_trip_of_a_form(database: Database) -> None:
    drafts = DraftService(database)
    original = form(
        content="Cống bị tắc 🚧\nnước tràn",
        event_at=datetime(2026, 11, 23, 21, 15, tzinfo=UTC),
        confidential=True,
    )
    draft_id = drafts.save(None, "call", form_to_mapping(original))
    restored = form_from_mapping(drafts.load(draft_id), strict=False)
    assert restored == original


def test_save_overwrites_and_lists_newest_first(database: Database) -> None:
    drafts = DraftService(database, clock=Clock())
    first = drafts.save(None, "call", {"reporter_phone": "0912 345 678"})
    second = drafts.save(None, "message", {"sender_name": "Minh Anh", "content": "Xin chào"})
    assert drafts.save(first, "call", {"reporter_phone": "0912 345 679"}) == first
    listed = drafts.list_open()
    assert [d.id for d in listed] == [first, second]
    assert listed[0].title == "0912 345 679"
    assert listed[0].mode == "call"
    assert listed[1].title == "Minh Anh"
    assert drafts.load(first) == {"reporter_phone": "0912 345 679"}
    with database.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Draft)) == 2


def test_discard(database: Database) -> None:
    drafts = DraftService(database)
    draft_id = drafts.save(None, "call", {"content": "x"})
    drafts.discard(draft_id)
    drafts.discard(draft_id)  # twice is fine
    assert drafts.list_open() == []
    with pytest.raises(DraftNotFound):
        drafts.load(draft_id)


def test_save_after_discard_recreates_under_same_id(database: Database) -> None:
    drafts = DraftService(database)
    draft_id = drafts.save(None, "call", {"content": "a"})
    drafts.discard(draft_id)
    assert drafts.save(draft_id, "call", {"content": "b"}) == draft_id
    assert drafts.load(draft_id) == {"content": "b"}


def test_drafts_never_reach_the_outbox(database: Database) -> None:
    drafts = DraftService(database)
    draft_id = drafts.save(None, "call", {"content": "a"})
    drafts.save(draft_id, "call", {"content": "ab"})
    drafts.discard(draft_id)
    with database.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Outbox)) == 0


def test_unknown_id_loads_nothing(database: Database) -> None:
    with pytest.raises(DraftNotFound):
        DraftService(database).load(uuid.uuid4())


def test_titles() -> None:
    assert draft_title({"reporter_phone": " ", "reporter_name": "Lê Thị Hoa"}) == "Lê Thị Hoa"
    assert draft_title({"content": "Đèn   đường\nhỏng " + "x" * 200}).startswith("Đèn đường hỏng")
    assert len(draft_title({"content": "x" * 500})) == 80
    assert draft_title({}) == "(trống)"
    assert draft_title(None) == "(trống)"


def test_draft_survives_kill_9(env: Environment, database: Database) -> None:
    """A process that saved a draft and is then killed with SIGKILL loses nothing."""
    database.close()
    child = (
        "import os, signal, sys\n"
        "from pakn_desktop.services.database import open_database\n"
        "from pakn_desktop.services.intake.drafts import DraftService\n"
        "from pakn_desktop.services.environment import resolve\n"
        "db = open_database(resolve(data_dir=sys.argv[1]))\n"
        "d = DraftService(db)\n"
        "i = d.save(None, 'call', {'content': 'Cống bị tắc'})\n"
        "d.save(i, 'call', {'content': 'Cống bị tắc ở Lê Lợi'})\n"
        "print(i, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", child, str(env.data_dir)], capture_output=True, text=True
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    draft_id = uuid.UUID(done.stdout.strip())
    reopened = open_database(env)
    try:
        drafts = DraftService(reopened)
        assert [d.id for d in drafts.list_open()] == [draft_id]
        assert drafts.load(draft_id) == {"content": "Cống bị tắc ở Lê Lợi"}
    finally:
        reopened.close()


def test_attachments_join_a_held_draft_once_and_a_gone_draft_is_not_recreated(
    database: Database,
) -> None:
    drafts = DraftService(database)
    held = drafts.save(None, "call", {"content": "Cống tắc", "attachments": []})
    ref = {"sha256": "a" * 64, "display_name": "anh.png", "source": "clipboard"}
    assert drafts.add_attachments(held, [ref])
    assert drafts.add_attachments(held, [ref])  # the same image again: kept once
    data = drafts.load(held)
    assert data["attachments"] == [ref] and data["content"] == "Cống tắc"
    drafts.discard(held)
    assert not drafts.add_attachments(held, [ref])  # saved or discarded meanwhile
    with pytest.raises(DraftNotFound):
        drafts.load(held)
