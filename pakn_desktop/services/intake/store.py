"""Writing one validated intake form: reporter, ticket, timeline, evidence, in one transaction.

Called by ``IntakeService.save`` only, after validation; every row written here gets its
outbox row in the same transaction (see ``store``).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from pakn_desktop.data import drafts, intake_rows
from pakn_desktop.data.models import Reporter, Station
from pakn_desktop.data.outbox import to_json
from pakn_desktop.data.stations import local_station, next_case_code
from pakn_desktop.data.timeline import chained_events
from pakn_desktop.data.writes import insert_tables
from pakn_desktop.domain.case_code import CaseCode
from pakn_desktop.domain.enums import Kind, Status
from pakn_desktop.domain.ids import new_id
from pakn_desktop.domain.phone import normalise_phone
from pakn_desktop.domain.search_text import search_text
from pakn_desktop.domain.text import TextKind, clean
from pakn_desktop.services.evidence import flags
from pakn_desktop.services.evidence.errors import EvidenceError
from pakn_desktop.services.evidence.names import sanitise_name
from pakn_desktop.services.intake.form import (
    TEXT_KINDS,
    Attachment,
    FieldError,
    IntakeForm,
    IntakeInvalid,
    SavedTicket,
    ValidationResult,
)
from pakn_desktop.services.intake.form import derive_summary as _derive_summary

from .batch import INSERT_ORDER, Batch, Pending, case_day, new_pending

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.evidence.store import EvidenceStore, StoredBlob

_META_FIELDS = (
    "sender_name",
    "sender_profile_url",
    "message_url",
    "message_at",
    "call_started_at",
    "call_ended_at",
)


Deadlines = tuple[datetime | None, datetime | None, datetime | None, datetime | None]


@dataclass(frozen=True)
class Imported:
    """A report taken in from a register (services/reports/register_import): the status its
    result column maps to, its import key (migration 0015) and what the register said that
    has no field (file, row, the register's own number, the unit), kept in ``intake_meta``."""

    status: Status
    key: str
    meta: dict[str, Any]


_FIELD_NAMES = tuple(f.name for f in fields(IntakeForm))


def cleaned(form: IntakeForm) -> IntakeForm:
    """``form`` with every text NFC-normalised and trimmed (content keeps inner newlines)."""
    changes: dict[str, Any] = {}
    for name in _FIELD_NAMES:
        value = getattr(form, name)
        if isinstance(value, str) and value:  # "" stays "" (most of a register's fields)
            changes[name] = clean(value, TEXT_KINDS.get(name, TextKind.FREE)).strip()
    # A file name is cleaned, not refused (control, bidi and zero-width characters, folders,
    # length): by ``sanitise_name`` at save, once the bytes have said what type the file is.
    changes["attachments"] = tuple(
        replace(a, display_name=a.display_name.strip() or "anh") for a in form.attachments
    )
    return replace(form, **changes)


def store(
    database: Database,
    form: IntakeForm,
    *,
    now: datetime,
    # (forward due, resolve due, at risk, forward at risk); an import may leave some out
    deadlines: Deadlines | None,
    evidence: EvidenceStore | None,
    user_id: uuid.UUID | None,
    draft_id: uuid.UUID | None,
    own_procedure: bool,
    station: Station | None = None,
    imported: Imported | None = None,
    within: Connection | None = None,
    batch: Batch | None = None,
) -> tuple[SavedTicket, Station]:
    """Store ``form``; returns the saved ticket and the local station, which the caller may
    pass back next time (its lookup is a third of the save's database work otherwise).

    New rows go in as Core inserts with their outbox rows (``data.writes.insert_tables``, as
    the demo and imports do): through the ORM the save took ~3.7 ms, ten times a raw insert
    and commit, against the issue's limit of five. The one ORM change left, filling in a
    known reporter's blanks, gets its outbox row from the flush hook; all in one transaction.
    ``within``: the caller's open write transaction, which the caller commits (a register
    import saves a batch of reports in one: one fsync'd commit, not one a report).
    ``batch`` (with ``within``, and made for this report among others: ``batch.open_batch``):
    the rows are added to it, not inserted; the caller inserts the batch's rows with
    :func:`insert_pending` before it commits (a table's rows in one statement: a register of
    thousands of reports). The reporter and the case number then come from what the batch
    read and reserved, not from a query each.
    """
    received = form.received_at or now
    status = imported.status if imported is not None else _status(form)
    rows: Pending = batch.rows if batch is not None else new_pending()
    # Files are written and fsynced before the write transaction opens: a slow disk must not
    # hold SQLite's one writer lock, or another station's save fails with "database is
    # locked". A save that fails after this leaves unreferenced files: harmless (content-
    # addressed, written once), shown by ``evidence verify`` as orphans.
    blobs: list[StoredBlob] = []
    if form.attachments:
        assert evidence is not None
        blobs = [_stored(evidence, attachment) for attachment in form.attachments]
    # A bare connection, not a Session: the Session's set-up and flush were a third of the
    # save. The rare ORM work (creating the station, filling a reporter's blanks) runs in a
    # Session joined to this same transaction.
    with _transaction(database, within) as conn:
        station = station_of(database, conn, station)
        duplicate_id = _duplicate_target(conn, form.duplicate_of)
        reporter_id, reporter_name, phone = _reporter(database, conn, form, now, rows, batch)
        day = case_day(received)
        if batch is not None:
            code = str(CaseCode(day, station.code, batch.take_number(day)))
        else:
            code = str(next_case_code(conn, station, day))
        summary = form.summary or _derive_summary(form.content)
        ticket: dict[str, Any] = {
            "id": new_id(),
            "code": code,
            "station_id": station.id,
            "received_at": received,
            "channel_code": form.channel,
            "category_code": form.category,
            "kind": form.kind,
            "urgency": form.urgency or "normal",
            "province_code": _province(conn, form),
            "commune_code": form.commune_code or None,
            "address": form.address or None,
            "event_at": form.event_at,
            "summary": summary,
            "content": form.content,
            "reporter_id": reporter_id,
            "confidential": form.confidential,
            "no_publish": form.no_publish,
            "identity_protected": form.kind == Kind.TO_CAO.value,
            "status": status.value,
            "lead_unit_id": None,
            "forward_due_at": deadlines[0] if deadlines else None,
            "due_at": deadlines[1] if deadlines else None,
            "at_risk_at": deadlines[2] if deadlines else None,
            "paused_at": None,
            # Watched for forwarding only while it waits for it (data.forward_watch).
            "forward_at_risk_at": (deadlines[3] if deadlines and status is Status.NEW else None),
            "forwarded_at": None,
            "forward_on_time": None,
            "closed_at": now if status is Status.CLOSED else None,
            "duplicate_of_id": duplicate_id,
            "created_by_id": user_id,
            "created_at": now,
            "updated_at": now,
            "version": 1,
            "answer": form.answer or None,
            "handling_note": form.handling_note or None,
            "intake_meta": _meta(form, imported),
            "state_secret": False,
            "import_key": imported.key if imported is not None else None,
            "search_text": search_text(
                code=code,
                summary=summary,
                content=form.content,
                reporter_name=reporter_name,
                phone=phone,
                phone_raw=form.reporter_phone or None,
                address=form.address or None,
                protected=form.confidential or form.kind == Kind.TO_CAO.value,
                reporter_email=form.reporter_email or None,
                reporter_address=form.reporter_address or None,
                sender_name=form.sender_name or None,
            ),
        }
        rows["ticket"].append(ticket)
        _events(ticket, station, form, status, own_procedure, now, user_id, rows)
        if blobs:
            _attachments(conn, ticket, station, form, blobs, now, user_id, rows)
        if batch is None:
            _insert(conn, rows)
        if draft_id is not None:
            drafts.remove(conn, draft_id)
    saved = SavedTicket(
        id=ticket["id"],
        code=code,
        status=status.value,
        received_at=received,
        forward_due_at=ticket["forward_due_at"],
        due_at=ticket["due_at"],
        warnings=_file_warnings(form, blobs, evidence),
    )
    return saved, station


def station_of(database: Database, conn: Connection, station: Station | None) -> Station:
    """``station``, or (None) the local station, read or created in ``conn``'s transaction."""
    if station is None:
        with database.sessions(bind=conn) as session:
            station = local_station(session)
            session.flush()
    return station


@contextlib.contextmanager
def _transaction(database: Database, within: Connection | None) -> Iterator[Connection]:
    if within is not None:
        yield within
        return
    with database.writer.begin() as conn:
        yield conn


def _file_warnings(
    form: IntakeForm, blobs: list[StoredBlob], store: EvidenceStore | None
) -> tuple[FieldError, ...]:
    """Files taken as they are but worth a word (decision 25: a truncated image, a PDF that
    runs code), one warning each, in the words the CLI prints and the form shows."""
    if store is None:
        return ()
    return tuple(
        FieldError(
            "attachments",
            code,
            f"{sanitise_name(a.display_name, b.mime)}: "
            f"{flags.message(code, store.path_of(b.sha256))}",
        )
        for a, b in zip(form.attachments, blobs, strict=True)
        for code in b.warnings
    )


_KEYS = {"blob": "sha256"}


def insert_pending(conn: Connection, batch: Batch) -> None:
    """Insert a batch's rows (``store(..., batch=)``), each table in one statement."""
    _insert(conn, batch.rows)


def _insert(conn: Connection, rows: Pending) -> None:
    insert_tables(conn, [(name, rows[name], _KEYS.get(name, "id")) for name in INSERT_ORDER])


def _status(form: IntakeForm) -> Status:
    if form.duplicate_of:
        return Status.DUPLICATE
    if form.kind == Kind.HOI_DAP.value and form.answer:
        return Status.CLOSED
    return Status.NEW


def _invalid(field: str, code: str, message: str) -> IntakeInvalid:
    return IntakeInvalid(ValidationResult(errors=(FieldError(field, code, message),)))


def _duplicate_target(conn: Connection, code: str) -> uuid.UUID | None:
    if not code:
        return None
    found = intake_rows.ticket_id_by_code(conn, code)
    if found is None:
        raise _invalid("duplicate_of", "not_found", f"Không có hồ sơ mã {code}")
    return found


def _province(conn: Connection, form: IntakeForm) -> str | None:
    """The form's province, or the commune's when only the commune was picked."""
    if form.province_code or not form.commune_code:
        return form.province_code or None
    return intake_rows.commune_province(conn, form.commune_code)


def _reporter(
    database: Database,
    conn: Connection,
    form: IntakeForm,
    now: datetime,
    rows: Pending,
    batch: Batch | None,
) -> tuple[uuid.UUID | None, str | None, str | None]:
    """(id, name, E.164 phone) of the caller's reporter row: reused when the same phone comes
    with the same (or no) name, blanks filled in; a new row otherwise, so an earlier report
    never changes reporter. Caller history finds every row with the phone."""
    phone = normalise_phone(form.reporter_phone) if form.reporter_phone else None
    name, email, address = form.reporter_name, form.reporter_email, form.reporter_address
    if phone is None and not (name or email or address):
        return None, None, None
    if phone is not None:
        if batch is not None:
            batched = _batched_reporter(batch.fresh.get(phone, ()), phone, name, email, address)
            if batched is not None:
                return batched
            known_rows: Any = batch.known.get(phone)
            if known_rows is None:  # a phone the batch was not opened with
                known_rows = batch.known[phone] = list(intake_rows.reporters_by_phone(conn, phone))
        else:
            known_rows = intake_rows.reporters_by_phone(conn, phone)
        for index, (known_id, known_name, known_email, known_address) in enumerate(known_rows):
            if name and known_name and known_name != name:
                continue
            if (
                (name and not known_name)
                or (email and not known_email)
                or (address and not known_address)
            ):
                # rare: through the ORM, so the flush hook writes the update's outbox row
                with database.sessions(bind=conn) as session:
                    reporter = session.get(Reporter, known_id)
                    assert reporter is not None
                    reporter.full_name = reporter.full_name or name or None
                    reporter.email = reporter.email or email or None
                    reporter.address = reporter.address or address or None
                    session.flush()
                    if batch is not None:  # what the next report of the batch must see
                        filled = (reporter.full_name, reporter.email, reporter.address)
                        known_rows[index] = (known_id, *filled)
            return known_id, known_name or name or None, phone
    row: dict[str, Any] = {
        "id": new_id(),
        "full_name": name or None,
        "phone": phone,
        "phone_raw": form.reporter_phone or None,
        "email": email or None,
        "address": address or None,
        "created_at": now,
    }
    rows["reporter"].append(row)
    if batch is not None and phone is not None:
        batch.fresh.setdefault(phone, []).append(row)
    return row["id"], row["full_name"], phone


def _batched_reporter(
    new_rows: Iterable[dict[str, Any]], phone: str, name: str, email: str, address: str
) -> tuple[uuid.UUID, str | None, str] | None:
    """A reporter this batch is about to insert (its rows with ``phone``), by the rule of
    ``_reporter``: the database cannot see it yet."""
    for row in new_rows:
        if row["phone"] != phone or (name and row["full_name"] and row["full_name"] != name):
            continue
        row["full_name"] = row["full_name"] or name or None
        row["email"] = row["email"] or email or None
        row["address"] = row["address"] or address or None
        return row["id"], row["full_name"], phone
    return None


def _meta(form: IntakeForm, imported: Imported | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"mode": form.mode}
    for name in _META_FIELDS:
        value = getattr(form, name)
        if value:
            meta[name] = to_json(value)
    if imported is not None:
        meta["import"] = {k: to_json(v) for k, v in imported.meta.items()}
    return meta


def _events(
    ticket: dict[str, Any],
    station: Station,
    form: IntakeForm,
    status: Status,
    own_procedure: bool,
    now: datetime,
    user_id: uuid.UUID | None,
    rows: Pending,
) -> None:
    """ "created", then the status change a hỏi đáp answer or a duplicate link makes at once;
    each event's hash chains to the one before (domain.audit_chain)."""
    created: dict[str, Any] = {
        "channel": form.channel,
        "kind": form.kind,
        "status": Status.NEW.value,
        "mode": form.mode,
    }
    if own_procedure:
        created["own_procedure"] = True  # routed to the body handling that law's procedure
    if ticket["identity_protected"]:
        created["identity_protected"] = True
    steps: list[tuple[str, dict[str, Any]]] = [("created", created)]
    if ticket["import_key"] is not None:
        created["imported"] = True
        if status is not Status.NEW:  # the register's result column (register_import)
            steps.append(
                ("status_changed", {"from": "new", "to": status.value, "reason": "imported"})
            )
    elif status is Status.CLOSED:
        steps.append(("status_changed", {"from": "new", "to": "closed", "reason": "answered"}))
    elif status is Status.DUPLICATE:
        link = {"from": "new", "to": "duplicate", "duplicate_of": form.duplicate_of.upper()}
        steps.append(("status_changed", link))
    rows["ticket_event"] += chained_events(
        ticket["id"], steps, at=now, actor_id=user_id, station_id=station.id
    )


def _attachments(
    conn: Connection,
    ticket: dict[str, Any],
    station: Station,
    form: IntakeForm,
    blobs: list[StoredBlob],
    now: datetime,
    user_id: uuid.UUID | None,
    rows: Pending,
) -> None:
    """The rows of files already in the store (``blobs``, one per attachment)."""
    known = {b["sha256"] for b in rows["blob"]}
    for attachment, blob in zip(form.attachments, blobs, strict=True):
        if blob.sha256 not in known and not intake_rows.blob_known(conn, blob.sha256):
            row = {"sha256": blob.sha256, "size": blob.size, "mime": blob.mime, "stored_at": now}
            rows["blob"].append(row)
        known.add(blob.sha256)
        rows["evidence"].append(
            {
                "id": new_id(),
                "ticket_id": ticket["id"],
                "sha256": blob.sha256,
                "display_name": sanitise_name(attachment.display_name, blob.mime),
                "source": attachment.source,
                "captured_at": now,
                "captured_by_id": user_id,
                "station_id": station.id,
                "geometry": attachment.geometry,
                "detached_at": None,
                "derived_from": None,  # an original (migration 0004)
                "purpose": None,
            }
        )


def _stored(store: EvidenceStore, attachment: Attachment) -> StoredBlob:
    """The attachment's file in the store. One the screen stored when it was attached (it has
    a ``sha256``) is reused after re-hashing it; its bytes, if the form still holds them,
    repair a file gone or altered meanwhile. Without a ``sha256`` (the CLI) the bytes are
    stored now."""
    if not attachment.sha256:
        return store.put_bytes(attachment.data)
    try:
        return store.describe(attachment.sha256)
    except (FileNotFoundError, EvidenceError) as error:
        if not attachment.data:
            raise _invalid(
                "attachments",
                "missing",
                f"{attachment.display_name}: ảnh không còn nguyên trong kho minh chứng "
                f"({error}); hãy đính kèm lại",
            ) from error
    blob = store.put_bytes(attachment.data)
    if blob.sha256 != attachment.sha256:
        raise _invalid(
            "attachments", "changed", f"{attachment.display_name}: nội dung ảnh đã thay đổi"
        )
    return blob
