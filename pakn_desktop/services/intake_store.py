"""Writing one validated intake form: reporter, ticket, timeline, evidence, in one transaction.

Called by ``IntakeService.save`` only, after validation; the ORM's flush hook writes the
outbox rows of everything added here, in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pakn_desktop.data.models import Blob, Draft, Evidence, Reporter, Station, Ticket, TicketEvent
from pakn_desktop.data.outbox import to_json
from pakn_desktop.data.stations import local_station, next_case_code
from pakn_desktop.domain.audit_chain import GENESIS_HASH, event_hash
from pakn_desktop.domain.enums import Kind, Status
from pakn_desktop.domain.ids import new_id
from pakn_desktop.domain.phone import normalise_phone
from pakn_desktop.domain.search_text import search_text
from pakn_desktop.domain.text import clean

from .intake_form import FieldError, IntakeForm, IntakeInvalid, SavedTicket, ValidationResult
from .intake_form import derive_summary as _derive_summary

if TYPE_CHECKING:
    from .database import Database
    from .evidence_store import EvidenceStore

# Case codes count per local day: a call at 06:30 in Hanoi is that day's, not yesterday's UTC.
CASE_DAY_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
_META_FIELDS = (
    "sender_name",
    "sender_profile_url",
    "message_url",
    "message_at",
    "call_started_at",
    "call_ended_at",
)


def cleaned(form: IntakeForm) -> IntakeForm:
    """``form`` with every text NFC-normalised and trimmed (content keeps inner newlines)."""
    changes: dict[str, Any] = {}
    for f in fields(IntakeForm):
        value = getattr(form, f.name)
        if isinstance(value, str):
            changes[f.name] = clean(value).strip()
    changes["attachments"] = tuple(
        replace(a, display_name=clean(a.display_name).strip() or "anh") for a in form.attachments
    )
    return replace(form, **changes)


def store(
    database: Database,
    form: IntakeForm,
    *,
    now: datetime,
    deadlines: tuple[datetime, datetime] | None,
    evidence: EvidenceStore | None,
    user_id: uuid.UUID | None,
    draft_id: uuid.UUID | None,
    own_procedure: bool,
) -> SavedTicket:
    received = form.received_at or now
    status = _status(form)
    with database.sessions() as session, session.begin():
        station = local_station(session)
        duplicate_id = _duplicate_target(session, form.duplicate_of)
        reporter = _reporter(session, form, now)
        code = str(next_case_code(session, station, received.astimezone(CASE_DAY_ZONE).date()))
        summary = form.summary or _derive_summary(form.content)
        ticket = Ticket(
            id=new_id(),
            code=code,
            station_id=station.id,
            received_at=received,
            channel_code=form.channel,
            category_code=form.category,
            kind=form.kind,
            urgency=form.urgency or "normal",
            province_code=_province(session, form),
            commune_code=form.commune_code or None,
            address=form.address or None,
            event_at=form.event_at,
            summary=summary,
            content=form.content,
            reporter_id=reporter.id if reporter is not None else None,
            confidential=form.confidential,
            no_publish=form.no_publish,
            identity_protected=form.kind == Kind.TO_CAO.value,
            status=status.value,
            forward_due_at=deadlines[0] if deadlines else None,
            due_at=deadlines[1] if deadlines else None,
            closed_at=now if status is Status.CLOSED else None,
            duplicate_of_id=duplicate_id,
            created_by_id=user_id,
            created_at=now,
            updated_at=now,
            version=1,
            answer=form.answer or None,
            handling_note=form.handling_note or None,
            intake_meta=_meta(form),
            search_text=search_text(
                code=code,
                summary=summary,
                content=form.content,
                reporter_name=reporter.full_name if reporter is not None else None,
                phone=reporter.phone if reporter is not None else None,
                phone_raw=form.reporter_phone or None,
                address=form.address or None,
            ),
        )
        session.add(ticket)
        _events(session, ticket, station, form, status, own_procedure, now, user_id)
        if form.attachments:
            assert evidence is not None
            _attachments(session, ticket, station, form, evidence, now, user_id)
        if draft_id is not None:
            session.execute(delete(Draft).where(Draft.id == draft_id))
    return SavedTicket(
        id=ticket.id,
        code=code,
        status=status.value,
        received_at=received,
        forward_due_at=ticket.forward_due_at,
        due_at=ticket.due_at,
    )


def _status(form: IntakeForm) -> Status:
    if form.duplicate_of:
        return Status.DUPLICATE
    if form.kind == Kind.HOI_DAP.value and form.answer:
        return Status.CLOSED
    return Status.NEW


def _invalid(field: str, code: str, message: str) -> IntakeInvalid:
    return IntakeInvalid(ValidationResult(errors=(FieldError(field, code, message),)))


def _duplicate_target(session: Session, code: str) -> uuid.UUID | None:
    if not code:
        return None
    found = session.scalar(select(Ticket.id).where(Ticket.code == code.upper()))
    if found is None:
        raise _invalid("duplicate_of", "not_found", f"Không có hồ sơ mã {code}")
    return found


def _province(session: Session, form: IntakeForm) -> str | None:
    """The form's province, or the commune's when only the commune was picked."""
    if form.province_code or not form.commune_code:
        return form.province_code or None
    from pakn_desktop.data.models import Commune

    return session.scalar(select(Commune.province_code).where(Commune.code == form.commune_code))


def _reporter(session: Session, form: IntakeForm, now: datetime) -> Reporter | None:
    """The caller's reporter row: reused when the same E.164 phone comes with the same (or no)
    name, blanks filled in; a new row otherwise, so an earlier report never changes reporter.
    Caller history finds every row with the phone."""
    phone = normalise_phone(form.reporter_phone) if form.reporter_phone else None
    name, email, address = form.reporter_name, form.reporter_email, form.reporter_address
    if phone is None and not (name or email or address):
        return None
    if phone is not None:
        for known in session.scalars(
            select(Reporter).where(Reporter.phone == phone).order_by(Reporter.created_at.desc())
        ):
            if not name or not known.full_name or known.full_name == name:
                known.full_name = known.full_name or name or None
                known.email = known.email or email or None
                known.address = known.address or address or None
                return known
    reporter = Reporter(
        id=new_id(),
        full_name=name or None,
        phone=phone,
        phone_raw=form.reporter_phone or None,
        email=email or None,
        address=address or None,
        created_at=now,
    )
    session.add(reporter)
    return reporter


def _meta(form: IntakeForm) -> dict[str, Any]:
    meta: dict[str, Any] = {"mode": form.mode}
    for name in _META_FIELDS:
        value = getattr(form, name)
        if value:
            meta[name] = to_json(value)
    return meta


def _events(
    session: Session,
    ticket: Ticket,
    station: Station,
    form: IntakeForm,
    status: Status,
    own_procedure: bool,
    now: datetime,
    user_id: uuid.UUID | None,
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
    if ticket.identity_protected:
        created["identity_protected"] = True
    steps: list[tuple[str, dict[str, Any]]] = [("created", created)]
    if status is Status.CLOSED:
        steps.append(("status_changed", {"from": "new", "to": "closed", "reason": "answered"}))
    elif status is Status.DUPLICATE:
        link = {"from": "new", "to": "duplicate", "duplicate_of": form.duplicate_of.upper()}
        steps.append(("status_changed", link))
    prev = GENESIS_HASH
    for seq, (kind, data) in enumerate(steps, 1):
        event = TicketEvent(
            id=new_id(),
            ticket_id=ticket.id,
            seq=seq,
            at=now,
            kind=kind,
            actor_id=user_id,
            station_id=station.id,
            data=data,
        )
        body = {
            key: to_json(getattr(event, key))
            for key in ("id", "ticket_id", "seq", "at", "kind", "actor_id", "station_id", "data")
        }
        event.prev_hash = prev
        event.hash = prev = event_hash(prev, body)
        session.add(event)


def _attachments(
    session: Session,
    ticket: Ticket,
    station: Station,
    form: IntakeForm,
    store: EvidenceStore,
    now: datetime,
    user_id: uuid.UUID | None,
) -> None:
    # Files are written before the commit: a rolled-back save leaves an unreferenced file,
    # which is harmless (content-addressed, written once) and cheaper than a two-phase dance.
    for attachment in form.attachments:
        blob = store.put_bytes(attachment.data)
        if session.get(Blob, blob.sha256) is None:
            session.add(Blob(sha256=blob.sha256, size=blob.size, mime=blob.mime, stored_at=now))
        session.add(
            Evidence(
                id=new_id(),
                ticket_id=ticket.id,
                sha256=blob.sha256,
                display_name=attachment.display_name[:255],
                source=attachment.source,
                captured_at=now,
                captured_by_id=user_id,
                station_id=station.id,
            )
        )
