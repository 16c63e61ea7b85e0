"""Archive package (biên bản lưu trữ): one report or a date range as a ZIP of the original
evidence, ``manifest.json`` (report fields, evidence hashes, custody events with their hashes)
and the written record the Hanoi fanpage rule asks for, ``record.pdf`` and ``record.html``
(``reports.record``: an official document in the Decree 30 layout).

Every original is re-hashed while it is copied into the ZIP, so an archive never carries an
altered file; the ZIP is written to a temporary name beside the target and renamed at the
end. A protected reporter's identity (a denouncer, ``ticket.identity_protected``, or one who
asked for confidentiality) is left out unless the caller says an authorised role asked for
it: no reporter block, no sender of a message, and their name and number masked wherever
they were typed (summary, content, answer, note, evidence file names, the events' texts such
as a result). An event so masked carries ``"masked": true``: its hash is of the original
text, which the archive does not hold. Redacted copies go in only when asked for.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from pakn_desktop.data import evidence_rows, workflow_store
from pakn_desktop.data.models import (
    Category,
    Channel,
    KindLabel,
    Reporter,
    Ticket,
    TicketEvent,
    TicketResult,
    Unit,
)
from pakn_desktop.data.outbox import to_json
from pakn_desktop.data.types import utcnow
from pakn_desktop.domain.letterhead import Letterhead
from pakn_desktop.domain.publication import MASK, SENDER_KEYS, Identity, mask_identity, people_of
from pakn_desktop.reports.atomic_file import atomic_path
from pakn_desktop.reports.record import Evidence, build_record
from pakn_desktop.reports.record_pdf import record_pdf
from pakn_desktop.services.archive_html import record_html
from pakn_desktop.services.evidence.errors import EvidenceCancelled, EvidenceError
from pakn_desktop.services.evidence.names import sanitise_name, unique_names
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import CHUNK, EvidenceStore
from pakn_desktop.services.reports.daily import centre_letterhead

Progress = Callable[[int, int], None]
MANIFEST_VERSION = 1
FILE_MASK = "[đã ẩn]"  # a masked identity in a file name
RECORD_IMAGE_MAX_BYTES = 40 * 1024 * 1024  # larger pictures are not drawn into record.pdf
_COMPRESSED = ("image/", "video/", "audio/")  # already compressed: stored as is in the ZIP


@dataclass(frozen=True)
class ArchiveResult:
    path: Path
    ticket_codes: tuple[str, ...]
    files: int
    bytes: int


def build_archive(
    service: EvidenceService,
    out: Path,
    *,
    ticket: str | uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    include_redacted: bool = False,
    reveal_identity: bool = False,
    letterhead: Letterhead | None = None,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> ArchiveResult:
    """Write the archive to ``out``. ``reveal_identity``: the caller has checked that an
    authorised role asked for a denouncer's identity (the role check is the caller's);
    ``letterhead``: the issuing body and place on the written record."""
    store = service.store
    reports = collect_reports(
        service,
        ticket=ticket,
        since=since,
        until=until,
        include_redacted=include_redacted,
        reveal_identity=reveal_identity,
    )
    files = [item for report in reports for item in report["evidence"]]
    total = sum(item["size"] for item in files) or 1
    done = 0

    def check_cancel() -> None:
        if should_cancel is not None and should_cancel():
            raise EvidenceCancelled()

    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as temp, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in files:
            done = _copy_into(archive, store.open(item["sha256"]), item, done, total, progress)
            check_cancel()
        manifest = {
            "version": MANIFEST_VERSION,
            "generated_at": to_json(utcnow()),
            "identity_included": reveal_identity,
            "redacted_included": include_redacted,
            "reports": reports,
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
        archive.writestr("manifest.json", text)
        record = build_record(manifest, letterhead or centre_letterhead(service.database))
        archive.writestr("record.html", record_html(record))
        archive.writestr("record.pdf", record_pdf(record, stored_image(store), check_cancel))
    # Custody: every exported original is an event on its report (after the file exists).
    service.record_export([uuid.UUID(item["id"]) for item in files], "archive")
    codes = tuple(r["code"] for r in reports)
    return ArchiveResult(out, codes, len(files), sum(item["size"] for item in files))


def collect_reports(
    service: EvidenceService,
    *,
    ticket: str | uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    include_redacted: bool = False,
    reveal_identity: bool = False,
) -> list[dict[str, Any]]:
    """The manifest's reports (masked as :func:`build_archive` says), read in one session."""
    with service.database.sessions() as session:
        tickets = _tickets(session, ticket, since, until)
        return [
            _report(session, t, include_redacted=include_redacted, reveal=reveal_identity)
            for t in tickets
        ]


def stored_image(store: EvidenceStore) -> Callable[[Evidence], bytes | None]:
    """A screenshot's bytes for the written record, read again from the store and checked
    against its hash (the record never shows a picture other than the one it names)."""

    def read(item: Evidence) -> bytes | None:
        if store.path_of(item.sha256).stat().st_size > RECORD_IMAGE_MAX_BYTES:
            return None  # a huge photo: the record says to see the file in the package
        with store.open(item.sha256) as source:
            data = source.read()
        if hashlib.sha256(data).hexdigest() != item.sha256:
            raise EvidenceError(
                "altered", f"{item.name}: tệp trong kho bị thay đổi; chạy 'evidence verify'"
            )
        return data

    return read


def _copy_into(
    archive: zipfile.ZipFile,
    source: Any,
    item: dict[str, Any],
    done: int,
    total: int,
    progress: Progress | None,
) -> int:
    compress = zipfile.ZIP_STORED if item["mime"].startswith(_COMPRESSED) else zipfile.ZIP_DEFLATED
    info = zipfile.ZipInfo(item["path"], date_time=_zip_time(item["captured_at"]))
    info.compress_type = compress
    digest = hashlib.sha256()
    with source, archive.open(info, "w", force_zip64=item["size"] > 2**31) as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(min(done, total), total)
    if digest.hexdigest() != item["sha256"]:
        raise EvidenceError(
            "altered", f"{item['name']}: tệp trong kho bị thay đổi; chạy 'evidence verify'"
        )
    return done


def _zip_time(iso: str) -> tuple[int, int, int, int, int, int]:
    moment = datetime.fromisoformat(iso)
    return (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, 0)


def _tickets(
    session: Session,
    ticket: str | uuid.UUID | None,
    since: datetime | None,
    until: datetime | None,
) -> list[Ticket]:
    if ticket is not None:
        found = workflow_store.find_ticket(session.connection(), ticket)
        if found is None:
            raise EvidenceError("no_ticket", f"Không có hồ sơ {ticket}")
        row = session.get(Ticket, found)
        assert row is not None
        return [row]
    if since is None or until is None:
        raise EvidenceError("no_range", "Cần một hồ sơ hoặc một khoảng ngày")
    return evidence_rows.tickets_received(session, since, until)


def _name(session: Session, model: Any, code: str | None) -> str | None:
    if code is None:
        return None
    row = session.get(model, code)
    return row.name if row is not None else code


def _report(
    session: Session, ticket: Ticket, *, include_redacted: bool, reveal: bool
) -> dict[str, Any]:
    hidden = (ticket.identity_protected or ticket.confidential) and not reveal
    person = session.get(Reporter, ticket.reporter_id) if ticket.reporter_id else None
    meta = dict(ticket.intake_meta or {})
    reporter: dict[str, Any] | None = None
    if person is not None and not hidden:
        reporter = {
            "full_name": person.full_name,
            "phone": person.phone_raw or person.phone,
            "email": person.email,
            "address": person.address,
        }
    identities = _identities(person, meta) if hidden else ()

    def masked(value: Any) -> Any:
        return _masked(value, identities)

    if hidden:  # who sent a message identifies the reporter as surely as a name
        for key in SENDER_KEYS:
            meta.pop(key, None)
    events = [
        # Every hashed field, so the chain can be re-checked from the manifest alone.
        {c.key: to_json(getattr(e, c.key)) for c in TicketEvent.__table__.columns}
        for e in evidence_rows.ticket_events(session, ticket.id)
    ]
    for event in events:
        data = masked(event["data"])
        if data != event["data"]:
            event["data"], event["masked"] = data, True
    report: dict[str, Any] = {
        "id": str(ticket.id),
        "code": ticket.code,
        "received_at": to_json(ticket.received_at),
        "channel": _name(session, Channel, ticket.channel_code),
        "kind": _name(session, KindLabel, ticket.kind),
        "category": _name(session, Category, ticket.category_code),
        "status": ticket.status,
        "summary": masked(ticket.summary),
        "content": masked(ticket.content),
        "address": ticket.address,
        "event_at": to_json(ticket.event_at),
        "answer": masked(ticket.answer),
        "handling_note": masked(ticket.handling_note),
        "intake": masked(meta),
        "handling": _handling(session, ticket, masked),
        "confidential": ticket.confidential,
        "identity_protected": ticket.identity_protected,
        "identity_withheld": hidden,
        "reporter": reporter,
        "evidence": _evidence(session, ticket, include_redacted, masked),
        "events": events,
    }
    return report


def _handling(session: Session, ticket: Ticket, masked: Callable[[Any], Any]) -> dict[str, Any]:
    """Who handles the report, by when, and the unit's result (masked like the rest)."""
    unit = session.get(Unit, ticket.lead_unit_id) if ticket.lead_unit_id else None
    result = session.get(TicketResult, ticket.id)
    return {
        "lead_unit": unit.name if unit is not None else None,
        "due_at": to_json(ticket.due_at),
        "closed_at": to_json(ticket.closed_at),
        "result": masked(result.result_text) if result is not None else None,
        "result_at": to_json(result.result_at) if result is not None else None,
    }


def _identities(person: Reporter | None, meta: dict[str, Any]) -> tuple[Identity, ...]:
    """Who must not be named: the reporter row, and the sender of a message."""
    reporter = None
    if person is not None:
        reporter = Identity(
            name=person.full_name or "",
            phone=person.phone or "",
            phone_raw=person.phone_raw or "",
            email=person.email or "",
            address=person.address or "",
        )
    return people_of(reporter, meta.get("sender_name"))


def _masked(value: Any, identities: tuple[Identity, ...]) -> Any:
    """``value`` (text, or JSON made of dicts and lists) with every identity masked."""
    if isinstance(value, str):
        return mask_identity(value, identities) if identities else value
    if isinstance(value, dict):
        return {k: _masked(v, identities) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, identities) for v in value]
    return value


def _evidence(
    session: Session,
    ticket: Ticket,
    include_redacted: bool,
    masked: Callable[[Any], Any],
) -> list[dict[str, Any]]:
    rows = evidence_rows.attached_with_blobs(session, ticket.id)
    chosen = [(e, b) for e, b in rows if e.derived_from is None or include_redacted]
    # Entry names from cleaned names only, whatever the rows hold (a row written before names
    # were cleaned, or by another program on the shared database): no entry can climb out of
    # the folder it is unpacked into. A protected identity is masked first; "***" is no file
    # name on Windows, where archives are opened too.
    shown = [str(masked(e.display_name)).replace(MASK, FILE_MASK) for e, _ in chosen]
    names = unique_names(
        [sanitise_name(name, b.mime) for name, (_, b) in zip(shown, chosen, strict=True)]
    )
    folder = sanitise_name(ticket.code, "")
    return [
        {
            "id": str(e.id),
            "path": f"files/{folder}/{name}",
            "name": display,
            "sha256": e.sha256,
            "size": b.size,
            "mime": b.mime,
            "source": e.source,
            "captured_at": to_json(e.captured_at),
            "geometry": e.geometry,
            "derived_from": to_json(e.derived_from),
            "purpose": e.purpose,
        }
        for (e, b), name, display in zip(chosen, names, shown, strict=True)
    ]
