"""The written record of one report as a PDF by itself ("Biên bản (PDF)…" on the detail's
action bar): the same values, masking and rendering as the archive's ``record.pdf``
(``services.archive``), written whole or not at all."""

from __future__ import annotations

import uuid
from pathlib import Path

from pakn_desktop.data.outbox import to_json
from pakn_desktop.data.types import utcnow
from pakn_desktop.domain.letterhead import Letterhead
from pakn_desktop.reports.atomic_file import atomic_path
from pakn_desktop.reports.record import build_record
from pakn_desktop.reports.record_pdf import record_pdf
from pakn_desktop.services.archive import collect_reports, stored_image
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.reports.daily import centre_letterhead

RECORD_PURPOSE = "record_pdf"  # the custody event's purpose: pictures drawn into a record


def write_record_pdf(
    service: EvidenceService,
    out: Path,
    ticket: str | uuid.UUID,
    *,
    reveal_identity: bool = False,
    letterhead: Letterhead | None = None,
) -> Path:
    """Write the report's record to ``out``. ``reveal_identity`` as in ``build_archive``:
    the caller has checked the role; a protected identity is masked otherwise."""
    reports = collect_reports(service, ticket=ticket, reveal_identity=reveal_identity)
    manifest = {"generated_at": to_json(utcnow()), "reports": reports}
    head = letterhead or centre_letterhead(service.database)
    data = record_pdf(build_record(manifest, head), stored_image(service.store))
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as temp:
        temp.write_bytes(data)
    # Custody: the screenshots now also live in this document (after the file exists).
    drawn = [
        uuid.UUID(item["id"])
        for report in reports
        for item in report["evidence"]
        if str(item["mime"]).startswith("image/")
    ]
    if drawn:
        service.record_export(drawn, RECORD_PURPOSE)
    return out
