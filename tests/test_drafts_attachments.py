"""Drafts keep their images: a reference into the evidence store, reused by the save."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import select

from pakn_desktop.data.models import Blob, Draft, Evidence
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.drafts import DraftService
from pakn_desktop.services.intake.form import (
    Attachment,
    IntakeInvalid,
    form_from_json,
    form_from_mapping,
    form_to_mapping,
)
from pakn_desktop.services.intake.service import IntakeService
from tests.intake_data import form, png

GEOMETRY = {"screen": "HDMI-1", "rect": [0, 0, 40, 30]}


def stored(store: EvidenceStore, data: bytes, **kw: object) -> Attachment:
    """What the intake screen does on paste: the bytes into the store at once."""
    blob = store.put_bytes(data)
    return Attachment("anh-dan.png", data, sha256=blob.sha256, **kw)  # type: ignore[arg-type]


def test_draft_keeps_attachment_references_not_bytes(database: Database, env: Environment) -> None:
    store = EvidenceStore(env.evidence_dir)
    image = png(5, 4, seed=11)
    shot = stored(store, png(3, 3, seed=12), source="screenshot", geometry=GEOMETRY)
    original = form(attachments=(stored(store, image), shot))
    drafts = DraftService(database)
    draft_id = drafts.save(None, "call", form_to_mapping(original))

    with database.engine.connect() as conn:
        row = conn.scalar(select(Draft.data).where(Draft.id == draft_id))
    assert "data_base64" not in json.dumps(row) and len(json.dumps(row)) < 2000
    restored = form_from_mapping(drafts.load(draft_id), strict=False)
    assert [a.sha256 for a in restored.attachments] == [a.sha256 for a in original.attachments]
    assert [(a.display_name, a.source) for a in restored.attachments] == [
        ("anh-dan.png", "clipboard"),
        ("anh-dan.png", "screenshot"),
    ]
    assert restored.attachments[1].geometry == GEOMETRY
    assert all(a.data == b"" for a in restored.attachments)
    assert store.read_bytes(restored.attachments[0].sha256) == image


def test_saving_a_restored_draft_reuses_the_stored_file(
    database: Database, env: Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EvidenceStore(env.evidence_dir)
    image = png(6, 2, seed=21)
    attachment = stored(store, image)
    path = store.path_of(attachment.sha256)
    before = path.stat()
    drafts = DraftService(database)
    draft_id = drafts.save(None, "call", form_to_mapping(form(attachments=(attachment,))))

    restored = form_from_mapping(drafts.load(draft_id), strict=False)

    def no_second_write(data: bytes) -> None:
        raise AssertionError("the save wrote the bytes again")

    monkeypatch.setattr(store, "stage_bytes", no_second_write)
    saved = IntakeService(database, store).save(restored, draft_id=draft_id)

    with database.engine.connect() as conn:
        evidence = conn.execute(select(Evidence).where(Evidence.ticket_id == saved.id)).one()
        blob = conn.execute(select(Blob).where(Blob.sha256 == attachment.sha256)).one()
        assert conn.scalar(select(Draft.id).where(Draft.id == draft_id)) is None
    assert evidence.sha256 == attachment.sha256 and evidence.display_name == "anh-dan.png"
    assert (blob.size, blob.mime) == (len(image), "image/png")
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_reference_to_a_missing_or_altered_file_is_refused(
    database: Database, env: Environment
) -> None:
    store = EvidenceStore(env.evidence_dir)
    attachment = stored(store, png(2, 2, seed=31))
    reference = form_from_mapping(form_to_mapping(form(attachments=(attachment,))), strict=False)
    path = store.path_of(attachment.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(png(2, 2, seed=32))  # altered behind the program's back
    with pytest.raises(IntakeInvalid) as refused:
        IntakeService(database, store).save(reference)
    assert refused.value.result.errors[0].field == "attachments"
    path.unlink()
    with pytest.raises(IntakeInvalid):
        IntakeService(database, store).save(reference)
    # The form still holding the bytes repairs the file and saves.
    saved = IntakeService(database, store).save(form(attachments=(attachment,)))
    assert store.verify(attachment.sha256)
    with database.engine.connect() as conn:
        assert conn.scalar(select(Evidence.sha256).where(Evidence.ticket_id == saved.id)) == (
            attachment.sha256
        )


def test_the_cli_may_not_name_stored_files() -> None:
    text = json.dumps(
        {
            **{k: v for k, v in form_to_mapping(form()).items() if v not in (None, "")},
            "attachments": [{"sha256": "a" * 64, "display_name": "x.png"}],
        }
    )
    with pytest.raises(IntakeInvalid) as refused:
        form_from_json(text)
    assert refused.value.result.errors[0].field == "attachments"
