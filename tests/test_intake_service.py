"""IntakeService: validation (every bad input refused, nothing stored) and the local save."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from pakn_desktop.data.models import (
    Blob,
    Evidence,
    Outbox,
    Reporter,
    Ticket,
    TicketEvent,
)
from pakn_desktop.domain.audit_chain import verify_chain
from pakn_desktop.domain.case_code import CaseCode
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.form import (
    MAX_CONTENT_BYTES,
    Attachment,
    IntakeInvalid,
    derive_summary,
)
from pakn_desktop.services.intake.service import IntakeService
from tests.intake_data import BEN_THANH, EXE, HANOI, HCMC, HOAN_KIEM, form, png


@pytest.fixture
def service(env: Environment, database: Database) -> Iterator[IntakeService]:
    yield IntakeService(database, EvidenceStore(env.evidence_dir))


def _count(database: Database, model: Any) -> int:
    with database.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def _codes(service: IntakeService, **changes: Any) -> list[str]:
    return [e.code for e in service.validate(form(**changes)).errors]


def _refused(service: IntakeService, database: Database, field: str, **changes: Any) -> str:
    """Save must fail naming ``field``, and store nothing at all."""
    before = (_count(database, Ticket), _count(database, Outbox), _count(database, Reporter))
    with pytest.raises(IntakeInvalid) as caught:
        service.save(form(**changes))
    errors = caught.value.result.errors
    assert field in [e.field for e in errors], errors
    assert all(e.message for e in errors)
    after = (_count(database, Ticket), _count(database, Outbox), _count(database, Reporter))
    assert after == before
    return next(e.code for e in errors if e.field == field)


# --- refusals -------------------------------------------------------------------------------

BAD_INPUTS: list[tuple[str, dict[str, Any], str]] = [
    ("content", {"content": "Cống tắc\x00"}, "control_char"),
    ("content", {"content": "Cống\x07 tắc"}, "control_char"),
    ("reporter_name", {"reporter_name": "An\x1b[31m"}, "control_char"),
    ("address", {"address": "12\x0bLê Lợi"}, "control_char"),
    ("channel", {"channel": "telegram"}, "unknown_code"),
    ("kind", {"kind": "spam"}, "unknown_code"),
    ("category", {"category": "khong_co"}, "unknown_code"),
    ("commune_code", {"commune_code": "99999"}, "unknown_code"),
    ("province_code", {"province_code": "98"}, "unknown_code"),
    ("urgency", {"urgency": "asap"}, "unknown_code"),
    ("mode", {"mode": "fax"}, "unknown_code"),
    ("commune_code", {"commune_code": HOAN_KIEM, "province_code": HCMC}, "commune_not_in_province"),
    ("reporter_phone", {"reporter_phone": "0912 345"}, "bad_phone"),
    ("reporter_phone", {"reporter_phone": "abc"}, "bad_phone"),
    ("reporter_email", {"reporter_email": "an@"}, "bad_email"),
    ("reporter_email", {"reporter_email": "an nguyen@mail.vn"}, "bad_email"),
    ("content", {"content": "a" * (MAX_CONTENT_BYTES + 1)}, "content_too_large"),
    ("content", {"content": "ế" * (MAX_CONTENT_BYTES // 3 + 1)}, "content_too_large"),
    ("content", {"content": "  \n "}, "required"),
    ("category", {"category": ""}, "required"),
    ("commune_code", {"commune_code": "", "province_code": ""}, "required"),
    ("event_at", {"event_at": datetime.now(UTC) + timedelta(hours=2)}, "future"),
    ("event_at", {"event_at": datetime(2026, 1, 1, 8, 0)}, "naive_datetime"),
    ("received_at", {"received_at": datetime.now(UTC) + timedelta(days=1)}, "future"),
    ("answer", {"answer": "Đã trả lời"}, "answer_not_question"),
    ("reporter_name", {"kind": "to_cao", "reporter_name": ""}, "name_required_own_procedure"),
    ("handling_note", {"mode": "message", "channel": "fanpage"}, "handling_note_required"),
    ("message_url", {"message_url": "javascript:alert(1)"}, "bad_url"),
    ("duplicate_of", {"duplicate_of": "PA-XYZ"}, "bad_case_code"),
    ("duplicate_of", {"duplicate_of": "PA-261124-ZZ99-0001"}, "not_found"),
    ("summary", {"summary": "x" * 301}, "too_long"),
    ("attachments", {"attachments": (Attachment("virus.png", EXE, "file"),)}, "unsupported_type"),
    (
        "attachments",
        {"attachments": (Attachment("a.png", png(), "camera"),)},
        "bad_attachment_source",
    ),
    (
        "call_ended_at",
        {
            "call_started_at": datetime.now(UTC) - timedelta(minutes=1),
            "call_ended_at": datetime.now(UTC) - timedelta(minutes=5),
        },
        "call_order",
    ),
]


@pytest.mark.parametrize(("field", "changes", "code"), BAD_INPUTS)
def test_bad_input_refused_nothing_stored(
    service: IntakeService, database: Database, field: str, changes: dict[str, Any], code: str
) -> None:
    assert _refused(service, database, field, **changes) == code
    assert not list(service._evidence.root.rglob("*")) if service._evidence else True


def test_control_character_message_names_the_position(service: IntakeService) -> None:
    (error,) = service.validate(form(content="ab\x00c")).errors
    assert "U+0000" in error.message and "vị trí 3" in error.message


def test_no_diacritics_is_a_warning_not_an_error(service: IntakeService) -> None:
    result = service.validate(form(content="cong bi tac o duong le loi"))
    assert result.ok
    assert [w.code for w in result.warnings] == ["no_diacritics"]
    assert service.validate(form()).warnings == ()
    saved = service.save(form(content="cong bi tac o duong le loi"))
    assert [w.code for w in saved.warnings] == ["no_diacritics"]


def test_one_megabyte_of_text_is_accepted(service: IntakeService, database: Database) -> None:
    content = ("Cống bị tắc ở đường Lê Lợi. " * 40_000)[: MAX_CONTENT_BYTES // 2]
    assert len(content.encode()) <= MAX_CONTENT_BYTES
    saved = service.save(form(content=content))
    with database.engine.connect() as conn:
        stored = conn.scalar(select(Ticket.content).where(Ticket.id == saved.id))
    assert stored == content.strip()


# --- the save -------------------------------------------------------------------------------


def test_save_writes_ticket_reporter_events_and_outbox(
    service: IntakeService, database: Database
) -> None:
    saved = service.save(form())
    assert saved.status == "new"
    CaseCode.parse(saved.code)
    with database.sessions() as s:
        ticket = s.get(Ticket, saved.id)
        assert ticket is not None
        assert ticket.code == saved.code
        assert ticket.summary == "Cống bị tắc ở đường Lê Lợi, nước tràn lên vỉa hè gây mùi hôi."
        assert ticket.intake_meta == {"mode": "call"}
        assert ticket.reporter_id is not None
        reporter = s.get(Reporter, ticket.reporter_id)
        assert reporter is not None
        assert (reporter.phone, reporter.phone_raw) == ("+84912345678", "0912 345 678")
        assert "0912345678" in ticket.search_text and "cong bi tac" in ticket.search_text
        # the HCMC rule: forward within 5 minutes; drainage: 1 working day
        assert ticket.forward_due_at == saved.received_at + timedelta(minutes=5)
        assert ticket.due_at is not None and ticket.due_at > ticket.forward_due_at
        events = s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == saved.id)).all()
        tables = {o.table_name for o in s.scalars(select(Outbox))}
        outbox_ticket = s.scalars(select(Outbox).where(Outbox.row_id == str(saved.id))).one()
    assert [e.kind for e in events] == ["created"]
    assert verify_chain([_event_json(e) for e in events]) is None
    assert {"ticket", "reporter", "ticket_event"} <= tables
    assert outbox_ticket.op == "insert" and outbox_ticket.payload["code"] == saved.code


def _event_json(event: TicketEvent) -> dict[str, Any]:
    from pakn_desktop.data.outbox import payload_of

    return payload_of(event)


def test_text_is_stored_nfc(service: IntakeService, database: Database) -> None:
    decomposed = unicodedata.normalize("NFD", "Cống bị tắc ở đường Lê Lợi")
    saved = service.save(
        form(content=decomposed, reporter_name=unicodedata.normalize("NFD", "Lê Hoà"))
    )
    with database.sessions() as s:
        ticket = s.get(Ticket, saved.id)
        assert ticket is not None
        assert ticket.content == unicodedata.normalize("NFC", decomposed)
        reporter = s.get(Reporter, ticket.reporter_id)
        assert reporter is not None and reporter.full_name == "Lê Hoà"
        assert unicodedata.is_normalized("NFC", reporter.full_name)


def test_case_codes_are_sequential(service: IntakeService) -> None:
    codes = [CaseCode.parse(service.save(form()).code) for _ in range(3)]
    assert [c.seq for c in codes] == [codes[0].seq, codes[0].seq + 1, codes[0].seq + 2]
    assert len({(c.day, c.station) for c in codes}) == 1


def test_question_answered_on_the_call_is_closed(
    service: IntakeService, database: Database
) -> None:
    saved = service.save(
        form(kind="hoi_dap", category="khac", answer="Giờ tiếp dân: 7h30–17h, thứ Hai–thứ Sáu")
    )
    assert saved.status == "closed"
    with database.sessions() as s:
        ticket = s.get(Ticket, saved.id)
        assert ticket is not None and ticket.closed_at is not None
        assert ticket.answer is not None and ticket.answer.startswith("Giờ tiếp dân")
        events = s.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == saved.id).order_by(TicketEvent.seq)
        ).all()
    assert [(e.kind, e.data.get("to")) for e in events] == [
        ("created", None),
        ("status_changed", "closed"),
    ]
    assert verify_chain([_event_json(e) for e in events]) is None


def test_question_without_answer_stays_open(service: IntakeService) -> None:
    assert service.save(form(kind="hoi_dap", category="khac")).status == "new"


def test_denunciation_protected_and_own_procedure(
    service: IntakeService, database: Database
) -> None:
    saved = service.save(form(kind="to_cao", category="thai_do_can_bo"))
    with database.sessions() as s:
        ticket = s.get(Ticket, saved.id)
        assert ticket is not None
        assert ticket.kind == "to_cao" and ticket.identity_protected
        event = s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == saved.id)).one()
    assert event.data["own_procedure"] is True
    # complaint: own procedure, identity not protected by that law
    complaint = service.save(form(kind="khieu_nai", category="thai_do_can_bo"))
    with database.sessions() as s:
        ticket = s.get(Ticket, complaint.id)
        assert ticket is not None and not ticket.identity_protected
        # the 30-day rule of the complaint law outranks the category's
        assert ticket.due_at is not None
        assert ticket.due_at - complaint.received_at == timedelta(days=30)


def test_duplicate_links_to_the_original(service: IntakeService, database: Database) -> None:
    original = service.save(form())
    copy = service.save(form(duplicate_of=original.code.lower()))
    assert copy.status == "duplicate"
    with database.sessions() as s:
        ticket = s.get(Ticket, copy.id)
        assert ticket is not None and ticket.duplicate_of_id == original.id


def test_same_phone_reuses_the_reporter(service: IntakeService, database: Database) -> None:
    first = service.save(form(reporter_phone="0912 345 678", reporter_email=""))
    second = service.save(form(reporter_phone="+84 912 345 678", reporter_email="an@mail.vn"))
    other_name = service.save(form(reporter_phone="84912345678", reporter_name="Trần Thị Bình"))
    with database.sessions() as s:
        ids = [s.get(Ticket, t.id).reporter_id for t in (first, second, other_name)]  # type: ignore[union-attr]
        reporter = s.get(Reporter, ids[0])
        assert reporter is not None and reporter.email == "an@mail.vn"
        updates = s.scalars(
            select(Outbox).where(Outbox.table_name == "reporter", Outbox.op == "update")
        ).all()
    assert [u.payload for u in updates] == [{"email": "an@mail.vn"}]
    assert ids[0] == ids[1] != ids[2]


def test_message_mode_keeps_sender_and_handling_note(
    service: IntakeService, database: Database
) -> None:
    at = datetime(2026, 11, 24, 1, 2, 3, tzinfo=UTC)
    saved = service.save(
        form(
            mode="message",
            channel="fanpage",
            reporter_phone="",
            reporter_name="",
            sender_name="Minh Anh",
            sender_profile_url="https://facebook.com/minhanh",
            message_url="https://facebook.com/messages/t/123",
            message_at=at,
            handling_note="Đã chuyển UBND phường Bến Thành",
            content="Cống bị tắc 😡 ở Lê Lợi",
            attachments=(Attachment("chup-man-hinh.png", png(3, 3), "clipboard"),),
        )
    )
    with database.sessions() as s:
        ticket = s.get(Ticket, saved.id)
        assert ticket is not None
        assert ticket.reporter_id is None
        assert ticket.handling_note == "Đã chuyển UBND phường Bến Thành"
        assert ticket.intake_meta == {
            "mode": "message",
            "sender_name": "Minh Anh",
            "sender_profile_url": "https://facebook.com/minhanh",
            "message_url": "https://facebook.com/messages/t/123",
            "message_at": at.isoformat(),
        }
        evidence = s.scalars(select(Evidence).where(Evidence.ticket_id == saved.id)).one()
        blob = s.get(Blob, evidence.sha256)
    assert blob is not None and blob.mime == "image/png"
    assert (evidence.source, evidence.display_name) == ("clipboard", "chup-man-hinh.png")
    assert service._evidence is not None and service._evidence.verify(evidence.sha256)


def test_same_image_twice_is_one_blob(service: IntakeService, database: Database) -> None:
    image = Attachment("a.png", png(seed=3), "drop")
    service.save(form(attachments=(image,)))
    service.save(form(attachments=(image, replace(image, display_name="b.png"))))
    assert (_count(database, Blob), _count(database, Evidence)) == (1, 3)


def test_save_discards_the_draft(service: IntakeService, database: Database) -> None:
    from pakn_desktop.services.intake.drafts import DraftService

    drafts = DraftService(database)
    draft_id = drafts.save(None, "call", {"content": "Cống"})
    service.save(form(), draft_id=draft_id)
    assert drafts.list_open() == []


def test_commune_alone_fills_the_province(service: IntakeService, database: Database) -> None:
    saved = service.save(form(province_code="", commune_code=HOAN_KIEM))
    with database.sessions() as s:
        ticket = s.get(Ticket, saved.id)
        assert ticket is not None and ticket.province_code == HANOI


def test_place_type_ahead(service: IntakeService) -> None:
    found = service.reference().find_places("phuong ben thanh")
    assert found[0].code == BEN_THANH and found[0].name == "Phường Bến Thành"
    assert service.reference().find_places("ben thanh", province_code=HANOI) == []


def test_summary_from_first_line() -> None:
    assert derive_summary("\n\n  Đèn   đường hỏng\nchi tiết") == "Đèn đường hỏng"
    long = derive_summary("từ " * 200)
    assert len(long) <= 300 and long.endswith("…")


@pytest.mark.postgres
def test_save_on_postgresql(tmp_path: Any, pg_migrated_url: str) -> None:
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve

    env = resolve(db=pg_migrated_url, data_dir=str(tmp_path / "data"))
    database = open_database(env)
    try:
        service = IntakeService(database, EvidenceStore(env.evidence_dir))
        first = service.save(form(attachments=(Attachment("a.png", png(), "file"),)))
        second = service.save(form(kind="hoi_dap", category="khac", answer="Đã trả lời"))
        assert CaseCode.parse(second.code).seq == CaseCode.parse(first.code).seq + 1
        assert second.status == "closed"
        with pytest.raises(IntakeInvalid):
            service.save(form(content="a\x00b"))
        assert _count(database, Ticket) == 2
        assert _count(database, Outbox) > 0
    finally:
        database.close()
