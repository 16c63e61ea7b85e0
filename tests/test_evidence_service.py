"""EvidenceService: attach (all or nothing), detach, view, export, list, verify; custody
events chained like the intake's; PostgreSQL once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from pakn_desktop.data.models import Blob, Evidence, Outbox, TicketEvent
from pakn_desktop.data.outbox import to_json
from pakn_desktop.domain.audit_chain import verify_chain
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import Environment, resolve
from pakn_desktop.services.evidence.errors import EvidenceError
from pakn_desktop.services.evidence.records import EvidenceBytes
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.services.intake.service import IntakeService
from tests.evidence_fixtures import stored_files
from tests.evidence_samples import ALLOWED, REFUSED, image
from tests.intake_data import form


def _events(database: Database, ticket_id: Any) -> list[dict[str, Any]]:
    with database.sessions() as session:
        rows = session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.seq)
        ).all()
        return [
            {c.key: to_json(getattr(r, c.key)) for c in TicketEvent.__table__.columns} for r in rows
        ]


def _count(database: Database, model: Any) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_attach_files_stores_rows_events_and_outbox(
    tmp_path: Path, database: Database, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    photo, clip = tmp_path / "ảnh hiện trường.jpg", tmp_path / "clip"
    photo.write_bytes(ALLOWED["image/jpeg"])
    clip.write_bytes(ALLOWED["video/mp4"])
    outbox_before = _count(database, Outbox)
    seen: list[tuple[int, int]] = []
    attached = evidence.attach_files(
        ticket.code, [photo, clip], progress=lambda d, t: seen.append((d, t))
    )
    assert [(a.display_name, a.mime, a.source) for a in attached] == [
        ("ảnh hiện trường.jpg", "image/jpeg", "file"),
        ("clip.mp4", "video/mp4", "file"),
    ]
    total = photo.stat().st_size + clip.stat().st_size
    assert seen[-1] == (total, total)
    assert all(evidence.store.verify(a.sha256) for a in attached)
    events = _events(database, ticket.id)
    assert [e["kind"] for e in events][-2:] == ["evidence_attached", "evidence_attached"]
    assert events[-1]["data"]["sha256"] == attached[1].sha256
    assert verify_chain(events) is None  # same chain as the intake's "created"
    # evidence + blob + event rows each leave an outbox row for the sync
    assert _count(database, Outbox) - outbox_before == 6
    listed = evidence.list_for_ticket(ticket.id)
    assert [a.id for a in listed] == [a.id for a in attached]


def test_one_bad_file_stores_nothing_of_the_batch(
    tmp_path: Path, database: Database, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    good = tmp_path / "good.png"
    good.write_bytes(ALLOWED["image/png"])
    bad = tmp_path / "anh.jpg"
    bad.write_bytes(REFUSED["setup.png"][0])
    events = len(_events(database, ticket.id))
    with pytest.raises(EvidenceError) as caught:
        evidence.attach_files(ticket.code, [good, bad])
    assert caught.value.code == "executable"
    assert caught.value.message.startswith("anh.jpg: ")
    assert stored_files(evidence.store.root) == []
    assert _count(database, Evidence) == 0 and _count(database, Blob) == 0
    assert len(_events(database, ticket.id)) == events


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_every_bad_pasted_item_is_a_message_not_a_crash(
    database: Database, evidence: EvidenceService, ticket: SavedTicket, name: str
) -> None:
    data, code = REFUSED[name]
    with pytest.raises(EvidenceError) as caught:
        evidence.attach_bytes(ticket.code, [EvidenceBytes(name, data, "clipboard")])
    assert caught.value.code == code
    assert stored_files(evidence.store.root) == []
    assert _count(database, Evidence) == 0


def test_unknown_report_and_bad_source(evidence: EvidenceService, tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as caught:
        evidence.attach_files("PA-000000-0000", [tmp_path / "x"])
    assert caught.value.code == "no_ticket"
    with pytest.raises(EvidenceError) as caught:
        evidence.attach_bytes("PA-000000-0000", [EvidenceBytes("a", b"x", "webcam")])
    assert caught.value.code == "bad_source"


def test_screenshot_geometry_same_bytes_once_detach_view_export(
    database: Database, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    geometry = {"screen": "HDMI-1", "logical": [10, 20, 300, 200], "device": [20, 40, 600, 400]}
    shot = EvidenceBytes("chụp màn hình", image("PNG", (30, 20)), "screenshot", geometry)
    (first,) = evidence.attach_bytes(ticket.id, [shot])
    assert first.geometry == geometry and first.display_name == "chụp màn hình.png"
    (again,) = evidence.attach_bytes(str(ticket.id), [shot])
    assert again.already_attached and again.id == first.id
    assert _count(database, Evidence) == 1
    evidence.record_view(first.id)
    evidence.record_export([first.id], "archive")
    with pytest.raises(EvidenceError):
        evidence.detach(first.id, "   ")
    detached = evidence.detach(first.id, "Chụp nhầm cửa sổ")
    assert detached.detached_at is not None
    with pytest.raises(EvidenceError) as caught:
        evidence.detach(first.id, "lần nữa")
    assert caught.value.code == "detached"
    assert evidence.store.verify(first.sha256)  # proof is never deleted
    events = _events(database, ticket.id)
    kinds = [e["kind"] for e in events]
    assert kinds[-4:] == [
        "evidence_attached",
        "evidence_viewed",
        "evidence_exported",
        "evidence_detached",
    ]
    assert events[-1]["data"]["reason"] == "Chụp nhầm cửa sổ"
    assert verify_chain(events) is None
    assert evidence.list_for_ticket(ticket.id, include_detached=False) == []


def test_verify_all_names_missing_altered_and_orphans(
    tmp_path: Path, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    items = [EvidenceBytes(f"a{i}.png", image("PNG", (5, 5), (i, 0, 0))) for i in range(3)]
    a, b, c = evidence.attach_bytes(ticket.code, items)
    store = evidence.store
    os.chmod(store.path_of(a.sha256), 0o644)
    raw = bytearray(store.path_of(a.sha256).read_bytes())
    raw[len(raw) // 2] ^= 0x01
    store.path_of(a.sha256).write_bytes(bytes(raw))
    store.path_of(b.sha256).unlink()
    orphan = store.put_bytes(image("GIF"))
    report = evidence.verify_all()
    assert report.ok_count == 1 and not report.ok
    assert [(p.sha256, p.names, p.ticket_codes) for p in report.altered] == [
        (a.sha256, ("a0.png",), (ticket.code,))
    ]
    assert [p.sha256 for p in report.missing] == [b.sha256]
    assert [p.sha256 for p in report.orphans] == [orphan.sha256]


def test_cancelled_batch_stores_nothing(
    tmp_path: Path, database: Database, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    video = tmp_path / "v.mp4"
    video.write_bytes(ALLOWED["video/mp4"] + os.urandom(2 * 1024 * 1024))
    with pytest.raises(EvidenceError) as caught:
        evidence.attach_files(ticket.code, [video], should_cancel=lambda: True)
    assert caught.value.code == "cancelled"
    assert stored_files(evidence.store.root) == [] and _count(database, Evidence) == 0


@pytest.mark.postgres
def test_attach_and_verify_on_postgresql(pg_migrated_url: str, tmp_path: Path) -> None:
    env: Environment = resolve(db=pg_migrated_url, data_dir=str(tmp_path / "pgdata"))
    database = open_database(env)
    try:
        store = EvidenceStore(env.evidence_dir)
        saved = IntakeService(database, store).save(form())
        service = EvidenceService(database, store)
        pdf = tmp_path / "quyết định.pdf"
        pdf.write_bytes(ALLOWED["application/pdf"])
        (attached,) = service.attach_files(saved.code, [pdf])
        service.record_view(attached.id)
        assert service.verify_all().ok and service.verify_all().ok_count == 1
        assert verify_chain(_events(database, saved.id)) is None
        os.chmod(store.path_of(attached.sha256), 0o644)
        store.path_of(attached.sha256).write_bytes(ALLOWED["application/pdf"] + b" ")
        assert [p.ticket_codes for p in service.verify_all().altered] == [(saved.code,)]
    finally:
        database.close()
