"""Evidence is written and fsynced outside SQLite's write transaction (issue 13): while one
save's file is stuck on a slow disk, another connection's save goes through instead of failing
with "database is locked" after the busy timeout."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pakn_desktop.data.engine import BUSY_TIMEOUT_MS
from pakn_desktop.data.models import Evidence, Ticket
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.records import EvidenceBytes
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore, Staged, StoredBlob
from pakn_desktop.services.intake.form import Attachment, SavedTicket
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.redaction import Rect, RedactionService
from tests.evidence_samples import image
from tests.intake_data import form, png


class SlowStore(EvidenceStore):
    """A store whose last disk step (the rename into place and its fsync) waits on an Event:
    a disk as slow as the test wants, with real files and a real database."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.entered = threading.Event()
        self.release = threading.Event()

    def commit(self, staged: Staged) -> StoredBlob:
        self.entered.set()
        assert self.release.wait(60), "never released"
        return super().commit(staged)


@pytest.fixture
def other(env: Environment) -> Iterator[Database]:
    """A second Database on the same file: its own engine and connections, as another
    process (the CLI, a second window) would have."""
    database = open_database(env)
    yield database
    database.close()


def _while_blocked(store: SlowStore, slow: Callable[[], object], other: Database) -> object:
    """Run ``slow`` (which writes through ``store``) on a thread; while its file write is held,
    save a report through ``other``; then let the write finish. ``slow``'s result."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(slow())
        except BaseException as error:  # handed to the test
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        assert store.entered.wait(30), "the slow write never started"
        started = time.monotonic()
        saved = IntakeService(other, EvidenceStore(store.root)).save(form(content=_OTHER))
        took = time.monotonic() - started
    finally:
        store.release.set()
        thread.join(60)
    assert isinstance(saved, SavedTicket)
    assert took < BUSY_TIMEOUT_MS / 1000 / 2, f"the other save waited {took:.1f} s for the lock"
    assert not thread.is_alive() and len(outcome) == 1
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


_OTHER = "Đèn đường hỏng cả dãy phố Hàng Bài, buổi tối rất tối và nguy hiểm cho người đi bộ."


def _count(database: Database, table: type) -> int:
    with database.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def test_intake_save_with_a_file_on_a_slow_disk_lets_another_save_through(
    env: Environment, database: Database, other: Database
) -> None:
    store = SlowStore(env.evidence_dir)
    attachment = Attachment("hiện trường.png", png(30, 20, seed=5), "file")
    saved = _while_blocked(
        store,
        lambda: IntakeService(database, store).save(form(attachments=(attachment,))),
        other,
    )
    assert isinstance(saved, SavedTicket)
    assert _count(database, Ticket) == 2 and _count(database, Evidence) == 1
    assert EvidenceService(database, EvidenceStore(env.evidence_dir)).verify_all().ok


def test_attach_and_redaction_on_a_slow_disk_let_another_save_through(
    env: Environment, database: Database, other: Database, ticket: SavedTicket
) -> None:
    store = SlowStore(env.evidence_dir)
    service = EvidenceService(database, store)
    photo = EvidenceBytes("ảnh.png", image("PNG", (20, 10)), "clipboard")
    store.release.set()  # the original goes in at once
    (original,) = service.attach_bytes(ticket.code, [photo])
    store.entered.clear()
    store.release.clear()
    copy = _while_blocked(
        store, lambda: RedactionService(service).redact(original.id, [Rect(0, 0, 5, 5)]), other
    )
    assert copy.derived_from == original.id  # type: ignore[attr-defined]
    store.entered.clear()
    store.release.clear()
    more = EvidenceBytes("ảnh 2.png", image("PNG", (20, 10), (0, 0, 200)), "clipboard")
    attached = _while_blocked(store, lambda: service.attach_bytes(ticket.code, [more]), other)
    assert isinstance(attached, list) and len(attached) == 1
    assert _count(database, Evidence) == 3 and _count(database, Ticket) == 3
