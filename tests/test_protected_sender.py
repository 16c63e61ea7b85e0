"""A protected report that came as a message (fanpage, Zalo) names its sender in every form an
operator could type it; the sender's account name identifies the person as surely as the
reporter fields, which may hold another name or none. No output may name the sender: search
results and the search index, the unit's SMS and e-mail, the publication draft and its check,
``ticket show``, the archive. An ordinary message keeps its sender readable."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from pakn_desktop.data.models import Notification
from pakn_desktop.data.ticket_detail import withheld_identities
from pakn_desktop.domain.publication import PublicationRefusal
from pakn_desktop.domain.workflow import WorkflowRefused
from pakn_desktop.services.archive import build_archive
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.search import SearchService, as_json
from pakn_desktop.services.workflow.publication import publication_text
from pakn_desktop.services.workflow.service import WorkflowService
from tests.identity_scan import fold, leaks
from tests.intake_data import form
from tests.protected_data import PROTECTED, QUYNH
from tests.workflow_data import add_unit, to_result


def _message(database: Database, env: Environment, sender: str, **more: object) -> SavedTicket:
    names = QUYNH.forms_typed() if sender == QUYNH.name else [sender] * 3
    return IntakeService(database, EvidenceStore(env.evidence_dir)).save(
        form(
            mode="message",
            channel="fanpage",
            handling_note="Chuyển Ban quản lý chợ",
            reporter_phone="",
            reporter_name="Trần Văn Kín",  # the name to write back to; the account is another
            sender_name=sender,
            sender_profile_url="https://facebook.com/quynh.nhuy",
            summary=f"{names[1]} nhắn: chợ Bến Thành thu tiền trái phép",
            content=f"Tin nhắn của {names[2]}: cán bộ chợ Bến Thành thu tiền trái phép.",
            **more,  # type: ignore[arg-type]
        )
    )


@pytest.mark.parametrize("which", sorted(PROTECTED))
def test_search_neither_shows_nor_finds_the_sender(
    which: str, database: Database, env: Environment
) -> None:
    saved = _message(database, env, QUYNH.name, **PROTECTED[which])
    search = SearchService(database)
    found = search.search("cho ben thanh thu tien")
    assert [r.id for r in found] == [saved.id]
    assert "Bến Thành" in found[0].summary  # the report still reads as a report
    assert leaks(str(as_json(found)), QUYNH) == []
    for typed in QUYNH.forms_typed():  # nor does a search for her tell what she reported
        assert search.search(typed) == ()


@pytest.mark.parametrize("which", sorted(PROTECTED))
def test_the_unit_is_not_told_the_sender(which: str, database: Database, env: Environment) -> None:
    saved = _message(database, env, QUYNH.name, **PROTECTED[which])
    unit = add_unit(database, "CHO")
    WorkflowService(database).act(saved.id, "forward", "operator", None, {"lead_unit_id": unit})
    with database.sessions() as s:
        sent = s.execute(select(Notification.subject, Notification.body)).all()
    assert len(sent) == 2  # the contact's SMS and e-mail
    assert all("ben thanh thu tien" in fold(body) for _subject, body in sent)  # SMS: no accents
    assert leaks(repr(sent), QUYNH) == []


def test_publication_neither_offers_nor_accepts_the_sender(
    database: Database, env: Environment
) -> None:
    saved = _message(database, env, QUYNH.name, **PROTECTED["to_cao"])
    to_result(database, saved.id, add_unit(database, "CHO"), "Đã chấn chỉnh Ban quản lý chợ.")
    draft = publication_text(database, saved.id)
    assert "Bến Thành" in draft.text and leaks(draft.text, QUYNH) == []
    named = f"{QUYNH.forms_typed()[2]}: {draft.text}"  # her name typed back in, accent-free
    with pytest.raises(WorkflowRefused) as refused:
        WorkflowService(database).act(
            saved.id, "publish", "supervisor", None, {"publication_text": named}
        )
    assert refused.value.code == PublicationRefusal.PERSONAL_DATA


@pytest.mark.parametrize("which", sorted(PROTECTED))
def test_show_and_archive_withhold_the_sender(
    which: str, database: Database, env: Environment, tmp_path: Path
) -> None:
    saved = _message(database, env, QUYNH.name, **PROTECTED[which])
    with database.engine.connect() as conn:
        withheld = withheld_identities(conn, saved.id)
    assert withheld is not None and QUYNH.name in {p.name for p in withheld}
    out = tmp_path / "ho-so.zip"
    build_archive(
        EvidenceService(database, EvidenceStore(env.evidence_dir)), out, ticket=saved.code
    )
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            assert leaks(archive.read(name), QUYNH) == [], name


def test_an_ordinary_message_keeps_its_sender(database: Database, env: Environment) -> None:
    saved = _message(database, env, "Minh Anh")
    (row,) = SearchService(database).search(saved.code)
    assert row.summary == "Minh Anh nhắn: chợ Bến Thành thu tiền trái phép"
    assert [r.id for r in SearchService(database).search("Minh Anh")] == [saved.id]
    with database.engine.connect() as conn:
        assert withheld_identities(conn, saved.id) is None
    assert isinstance(saved.id, uuid.UUID)


def test_migration_takes_the_sender_out_of_an_existing_index(
    any_db: tuple[Database, Environment],
) -> None:
    """A protected message saved before 0016 had its sender in its search text."""
    from sqlalchemy import update

    from pakn_desktop.data import migrate
    from pakn_desktop.data.models import Ticket
    from pakn_desktop.domain.search_text import search_text
    from tests.test_protected_search import _index_backlog

    database, env = any_db
    saved = _message(database, env, QUYNH.name, confidential=True)
    with database.engine.begin() as conn:  # as the save wrote it before 0016
        row = conn.execute(
            select(Ticket.summary, Ticket.content, Ticket.address).where(Ticket.id == saved.id)
        ).one()
        old = search_text(
            code=saved.code,
            summary=row[0],
            content=row[1],
            address=row[2],
            reporter_name="Trần Văn Kín",
            protected=True,
        )
        conn.execute(update(Ticket).where(Ticket.id == saved.id).values(search_text=old))
    _index_backlog(database)
    service = SearchService(database)
    assert [r.id for r in service.search(QUYNH.name)] == [saved.id]
    migrate.downgrade(database.engine, "0015")
    migrate.upgrade(database.engine)
    _index_backlog(database)
    for typed in QUYNH.forms_typed():
        assert service.search(typed) == (), typed
    assert [r.id for r in service.search("cho ben thanh thu tien")] == [saved.id]
