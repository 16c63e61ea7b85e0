"""A result recorded with attachments: real files and pasted bytes become the report's
evidence (purpose "result", stored by SHA-256) and the result names their hashes; a stale
report or a refused role stores nothing."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pakn_desktop.data.models import Blob, Evidence, TicketResult
from pakn_desktop.domain.workflow import Refusal, WorkflowRefused
from pakn_desktop.services.database import Database
from pakn_desktop.services.evidence.records import EvidenceBytes
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.workflow.results import record_result
from pakn_desktop.services.workflow.service import WorkflowService
from tests.intake_data import png
from tests.workflow_data import events, handled_report


@pytest.fixture
def handling(database: Database, store: EvidenceStore) -> uuid.UUID:
    """A report the unit is handling."""
    return handled_report(database, store)


def _pdf(tmp: Path) -> Path:
    path = tmp / "bien-ban-nghiem-thu.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return path


def _evidence_count(database: Database) -> int:
    with database.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Evidence)) or 0)


def test_files_and_a_pasted_image_become_result_evidence(
    database: Database, store: EvidenceStore, handling: uuid.UUID, tmp_path: Path
) -> None:
    workflow, evidence = WorkflowService(database), EvidenceService(database, store)
    pdf, image = _pdf(tmp_path), png(6, 6, seed=3)
    version = workflow.check(handling, "record_result", "unit_officer", {"result_text": "x"})
    assert version.target == "result_recorded"
    state = record_result(
        workflow,
        evidence,
        handling,
        "unit_officer",
        None,
        {"result_text": "Đã nạo vét cống, nghiệm thu ngày 20/11."},
        files=[pdf],
        items=[EvidenceBytes("anh-dan.png", image), EvidenceBytes("lai.png", image)],
    )
    assert state.status == "result_recorded"
    hashes = [hashlib.sha256(pdf.read_bytes()).hexdigest(), hashlib.sha256(image).hexdigest()]
    with database.engine.connect() as conn:
        rows = conn.execute(
            select(Evidence.sha256, Evidence.purpose, Evidence.source).where(
                Evidence.ticket_id == handling
            )
        ).all()
        result = conn.execute(
            select(TicketResult.result_text, TicketResult.result_evidence).where(
                TicketResult.ticket_id == handling
            )
        ).one()
        stored = set(conn.scalars(select(Blob.sha256)))
    assert sorted((s, p) for s, p, _src in rows) == sorted((h, "result") for h in hashes)
    assert result.result_evidence == hashes  # the same bytes pasted twice: one piece
    assert set(hashes) <= stored and all(store.path_of(h).read_bytes() for h in hashes)
    assert store.path_of(hashes[0]).read_bytes() == pdf.read_bytes()
    kinds = [e["kind"] for e in events(database, handling)]
    assert kinds[-3:] == ["evidence_attached", "evidence_attached", "record_result"]
    attached = [e for e in events(database, handling) if e["kind"] == "evidence_attached"]
    assert {e["data"]["purpose"] for e in attached} == {"result"}


def test_a_stale_report_or_a_refused_role_stores_no_file(
    database: Database, store: EvidenceStore, handling: uuid.UUID, tmp_path: Path
) -> None:
    workflow, evidence = WorkflowService(database), EvidenceService(database, store)
    seen = workflow.check(handling, "record_result", "unit_officer", {"result_text": "x"})
    assert seen.source == "in_progress"
    with database.engine.connect() as conn:
        from pakn_desktop.data.models import Ticket

        version = int(conn.scalar(select(Ticket.version).where(Ticket.id == handling)) or 0)
    # Another workstation acts in between (an extension request bumps the version).
    workflow.act(
        handling,
        "request_extension",
        "unit_officer",
        None,
        {"reason": "Chờ vật tư", "due_at": "2026-12-20T17:00:00+07:00"},
    )
    with pytest.raises(WorkflowRefused) as stale:
        record_result(
            workflow,
            evidence,
            handling,
            "unit_officer",
            None,
            {"result_text": "Đã xong"},
            files=[_pdf(tmp_path)],
            expected_version=version,
        )
    assert stale.value.code == "stale"
    with pytest.raises(WorkflowRefused) as role:
        record_result(
            workflow,
            evidence,
            handling,
            "moderator_typo",
            None,
            {"result_text": "Đã xong"},
            items=[EvidenceBytes("a.png", png(2, 2))],
        )
    assert role.value.code is Refusal.ROLE
    assert _evidence_count(database) == 0
    with database.engine.connect() as conn:
        assert not conn.scalar(select(func.count()).select_from(Blob))
