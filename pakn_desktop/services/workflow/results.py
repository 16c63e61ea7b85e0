"""A result recorded with its attachments: files and pasted images stored as evidence of
the report (purpose ``result``, by SHA-256, through the evidence service), then the
``record_result`` action naming their hashes.

Two transactions, in this order: the evidence service owns its own (files are staged,
checked and renamed into the store before its rows are written), and the action needs the
hashes. A cheap check first refuses a stale report or a forbidden action before any file is
stored; should the action still be refused after that (a colleague acted in between), the
attachments stay on the report as evidence with their custody events (proof is never
deleted) and recording the result again finds them already there, not doubled.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pakn_desktop.domain.workflow import RESULT_TEXT, Action

if TYPE_CHECKING:
    from pakn_desktop.services.evidence.records import AttachedEvidence, EvidenceBytes
    from pakn_desktop.services.evidence.service import EvidenceService
    from pakn_desktop.services.evidence.store import Progress, ShouldCancel
    from pakn_desktop.services.workflow.service import TicketState, WorkflowService

RESULT_PURPOSE = "result"  # evidence.purpose of a result's attachments
RESULT_EVIDENCE = "result_evidence"  # the action's field: the attachments' SHA-256


def record_result(
    workflow: WorkflowService,
    evidence: EvidenceService | None,
    ticket_id: uuid.UUID,
    role: str,
    user_id: uuid.UUID | None,
    fields: Mapping[str, Any],
    *,
    files: Sequence[Path] = (),
    items: Sequence[EvidenceBytes] = (),
    expected_version: int | None = None,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> TicketState:
    """Store ``files`` and ``items`` as the report's result evidence, then record the result
    (``fields``: ``result_text``) naming them. WorkflowRefused or EvidenceError: see above."""
    fields = dict(fields)
    action = Action.RECORD_RESULT
    workflow.check(ticket_id, action, role, fields, expected_version=expected_version)
    attached: list[AttachedEvidence] = []
    if files or items:
        if evidence is None:
            raise ValueError("no evidence store for the result's attachments")
        if files:
            attached += evidence.attach_files(
                ticket_id,
                list(files),
                "file",
                progress,
                should_cancel,
                purpose=RESULT_PURPOSE,
            )
        if items:
            attached += evidence.attach_bytes(
                ticket_id, list(items), progress, should_cancel, purpose=RESULT_PURPOSE
            )
    hashes = list(fields.get(RESULT_EVIDENCE) or ())
    for item in attached:
        if item.sha256 not in hashes:  # the same bytes twice are one piece of evidence
            hashes.append(item.sha256)
    if hashes:
        fields[RESULT_EVIDENCE] = hashes
    fields[RESULT_TEXT] = str(fields.get(RESULT_TEXT) or "")
    return workflow.act(ticket_id, action, role, user_id, fields, expected_version=expected_version)
