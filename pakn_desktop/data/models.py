"""The schema as SQLAlchemy 2 typed ORM classes. ORM objects never leave ``data/``."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pakn_desktop.domain.ids import new_id
from pakn_desktop.domain.labels import SYNC_CONFLICT

from .types import UtcDateTime, utcnow

# Stable constraint names, so migrations can drop and alter them on both engines.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON, uuid.UUID: Uuid}


def _id() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, primary_key=True, default=new_id)


# --- people, places, organisation -------------------------------------------------------


class Station(Base):
    """A workstation; its code goes into every case code it hands out."""

    __tablename__ = "station"
    id: Mapped[uuid.UUID] = _id()
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseSequence(Base):
    """Per station and local day, the last case-code number handed out (local only)."""

    __tablename__ = "case_sequence"
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("station.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Role(Base):
    __tablename__ = "role"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Unit(Base):
    """A handling unit: ward/commune People's Committee, department, police…; a tree."""

    __tablename__ = "unit"
    id: Mapped[uuid.UUID] = _id()
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unit.id"))
    kind: Mapped[str] = mapped_column(String(32))
    province_code: Mapped[str | None] = mapped_column(ForeignKey("province.code"))
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.code"))
    # Superseded by ``unit_contact`` (0013 moved every value there and cleared these): read
    # only as the recipient of a unit that has no contact rows (older stations, fixtures).
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # An inactive unit is offered nowhere (forward, routing) but its history stays readable.
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class UnitContact(Base):
    """A unit's contact person: who is texted and mailed when a report is forwarded."""

    __tablename__ = "unit_contact"
    id: Mapped[uuid.UUID] = _id()
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))  # chức vụ
    phone: Mapped[str | None] = mapped_column(String(32))  # E.164
    email: Mapped[str | None] = mapped_column(String(254))
    receives_sms: Mapped[bool] = mapped_column(Boolean, default=True)
    receives_email: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL
    id: Mapped[uuid.UUID] = _id()
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role_code: Mapped[str] = mapped_column(ForeignKey("role.code"))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unit.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Province(Base):
    __tablename__ = "province"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    division_type: Mapped[str] = mapped_column(String(32))
    folded: Mapped[str] = mapped_column(String(100))


class Commune(Base):
    __tablename__ = "commune"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("province.code"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    division_type: Mapped[str] = mapped_column(String(32))
    folded: Mapped[str] = mapped_column(String(100))


class Channel(Base):
    __tablename__ = "channel"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Category(Base):
    __tablename__ = "category"
    code: Mapped[str] = mapped_column(String(48), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("category.code"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class KindLabel(Base):
    """The kinds of report (domain.enums.Kind) with their Vietnamese names."""

    __tablename__ = "kind"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    own_procedure: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Reporter(Base):
    """A citizen who reported. ``phone`` is E.164 (``domain.phone.normalise_phone``), the key of
    caller history; ``phone_raw`` keeps the number exactly as given (``0912.345.678``, ``(+84)
    912…``), also when it did not normalise (then ``phone`` is NULL)."""

    __tablename__ = "reporter"
    id: Mapped[uuid.UUID] = _id()
    full_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    phone_raw: Mapped[str | None] = mapped_column(String(40))  # migration 0002


# --- the report ---------------------------------------------------------------------------


class Ticket(Base):
    """A report (phản ánh, kiến nghị). Sortable queue columns each have a (column, id) index
    so that keyset paging stays an index walk at a million rows."""

    __tablename__ = "ticket"
    id: Mapped[uuid.UUID] = _id()
    code: Mapped[str] = mapped_column(String(32), unique=True)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("station.id"))
    received_at: Mapped[datetime]
    channel_code: Mapped[str] = mapped_column(ForeignKey("channel.code"))
    category_code: Mapped[str] = mapped_column(ForeignKey("category.code"))
    kind: Mapped[str] = mapped_column(ForeignKey("kind.code"))
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    province_code: Mapped[str | None] = mapped_column(ForeignKey("province.code"))
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.code"))
    address: Mapped[str | None] = mapped_column(String(500))
    event_at: Mapped[datetime | None]
    summary: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    reporter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reporter.id"), index=True)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    no_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    identity_protected: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(24))
    lead_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unit.id"))
    forward_due_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    duplicate_of_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ticket.id"))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Accent- and đ-folded code, summary, content head, reporter and address, for search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Migration 0003, from the intake form: a hỏi đáp's answer given on the call; a message's
    # biên bản (how it was handled or what is proposed); how it came in (mode, sender, message
    # link and time, call start and end) as JSON, since no query filters on those.
    answer: Mapped[str | None] = mapped_column(Text)
    handling_note: Mapped[str | None] = mapped_column(Text)
    # none_as_null: None is SQL NULL whether or not it was set (not sometimes JSON 'null').
    intake_meta: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # Migration 0005: state secrets are never published (Khánh Hòa regulation, sources/001).
    state_secret: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Migration 0007: when the report turns "at risk" (the at-risk share of its resolve clock:
    # working time for a working-time policy), computed in Python by domain.sla wherever the
    # due time is set, so SQL compares a column (docs/decisions.md 13).
    at_risk_at: Mapped[datetime | None]
    # Migration 0008: since when the report waits for the citizen's additional information
    # (the "pause" action; NULL while the clock runs). Neither at risk nor overdue meanwhile
    # (data.deadline_sql); "resume" pushes due_at and at_risk_at by the time paused.
    paused_at: Mapped[datetime | None]
    # Migration 0010: the forward (5-minute) deadline watched like the resolve one.
    # ``forward_at_risk_at`` is set only while the report waits to be forwarded (NULL once
    # forwarded or closed), so "at risk / overdue of forwarding" is a range of its index over
    # the few reports still waiting; ``forwarded_at`` and ``forward_on_time`` stamp the first
    # forward (on time: at or before ``forward_due_at``).
    forward_at_risk_at: Mapped[datetime | None]
    forwarded_at: Mapped[datetime | None]
    forward_on_time: Mapped[bool | None] = mapped_column(Boolean)
    # Migration 0015: a report taken in from a register (services/reports/register_import)
    # keeps the hash of its reception time, phone and content, so importing it again, from
    # the same file or another, adds nothing. NULL for every other report.
    import_key: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_ticket_received", "received_at", "id"),
        Index("ix_ticket_code_id", "code", "id"),
        Index("ix_ticket_channel", "channel_code", "received_at", "id"),
        Index("ix_ticket_category", "category_code", "received_at", "id"),
        Index("ix_ticket_kind", "kind", "received_at", "id"),
        Index("ix_ticket_commune", "commune_code", "received_at", "id"),
        Index("ix_ticket_summary", "summary", "id"),
        Index("ix_ticket_status", "status", "received_at", "id"),
        Index("ix_ticket_unit", "lead_unit_id", "received_at", "id"),
        Index("ix_ticket_due", "due_at", "id"),
        Index("ix_ticket_at_risk", "at_risk_at", "id"),
        Index("ix_ticket_forward_at_risk", "forward_at_risk_at", "forward_due_at", "id"),
        Index("ix_ticket_import_key", "import_key", unique=True),
        # Covering for the dashboard's on-time rate per unit over a received range (0007).
        Index("ix_ticket_received_unit", "received_at", "lead_unit_id", "due_at", "closed_at"),
    )


class Assignment(Base):
    __tablename__ = "assignment"
    id: Mapped[uuid.UUID] = _id()
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    accepted_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (CheckConstraint("role IN ('lead', 'coordinating')", name="role"),)


_C, _PARKED = text(f"kind = '{SYNC_CONFLICT}'"), text("parked_at IS NOT NULL")


class TicketEvent(Base):
    """The timeline and audit trail: append-only, each event hashes the one before it."""

    __tablename__ = "ticket_event"
    id: Mapped[uuid.UUID] = _id()
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    station_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("station.id"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        UniqueConstraint("ticket_id", "seq"),
        # The sync's conflicts, newest first (decision 53): a partial index of a few rows.
        Index("ix_ticket_event_sync_conflict", "at", sqlite_where=_C, postgresql_where=_C),
    )


class Blob(Base):
    """Evidence bytes, content-addressed by SHA-256 (the file lives in the evidence store)."""

    __tablename__ = "blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(100))
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)

    # The evidence upload's cursor walks the files in the order they were stored (decision 50).
    __table_args__ = (Index("ix_blob_stored_at", "stored_at", "sha256"),)


class Evidence(Base):
    __tablename__ = "evidence"
    id: Mapped[uuid.UUID] = _id()
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    display_name: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(16))
    captured_at: Mapped[datetime] = mapped_column(default=utcnow)
    captured_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    station_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("station.id"))
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    detached_at: Mapped[datetime | None]
    # Migration 0004: a derived copy (a redacted screenshot for publication) points at its
    # original, which stays untouched; ``purpose`` says why it was made (NULL: an original).
    derived_from: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("evidence.id"), index=True)
    purpose: Mapped[str | None] = mapped_column(String(16))


# --- handling: results, routing, notifications (migration 0005) -------------------------


class TicketResult(Base):
    """A report's handling result and, apart, the text published for the public. One row per report,
    written when a result is first recorded; the publication text is edited separately with personal
    data removed (``domain.publication``)."""

    __tablename__ = "ticket_result"
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id"), primary_key=True)
    result_text: Mapped[str] = mapped_column(Text)
    # SHA-256 of the evidence the result refers to (blobs of the evidence store).
    result_evidence: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    result_at: Mapped[datetime]
    result_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    publication_text: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]


class RoutingRule(Base):
    """Category × place → the suggested lead unit; NULL match fields mean "any"."""

    __tablename__ = "routing_rule"
    id: Mapped[uuid.UUID] = _id()
    category_code: Mapped[str | None] = mapped_column(ForeignKey("category.code"))
    province_code: Mapped[str | None] = mapped_column(ForeignKey("province.code"))
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("commune.code"))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"))
    priority: Mapped[int] = mapped_column(Integer, default=0)  # breaks ties between equals
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """One SMS or e-mail to a unit's contact: the delivery job and its state. Written in the
    forward's transaction; ``services.notify.dispatcher`` sends those of its own station
    (``station_id``), so a copy synced to another workstation is never sent twice."""

    __tablename__ = "notification"
    id: Mapped[uuid.UUID] = _id()
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"))
    station_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("station.id"))
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(254))  # the unit contact's phone or e-mail
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(8), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        CheckConstraint("channel IN ('sms', 'email')", name="channel"),
        CheckConstraint("state IN ('pending', 'sent', 'failed')", name="state"),
        Index("ix_notification_due", "state", "next_attempt_at"),
    )


# --- deadlines ----------------------------------------------------------------------------


class SlaPolicy(Base):
    """Deadlines for the reports a policy matches; NULL match fields mean "any"."""

    __tablename__ = "sla_policy"
    id: Mapped[uuid.UUID] = _id()
    name: Mapped[str] = mapped_column(String(100), unique=True)
    channel_code: Mapped[str | None] = mapped_column(ForeignKey("channel.code"))
    category_code: Mapped[str | None] = mapped_column(ForeignKey("category.code"))
    kind: Mapped[str | None] = mapped_column(ForeignKey("kind.code"))
    urgency: Mapped[str | None] = mapped_column(String(16))
    forward_minutes: Mapped[int] = mapped_column(Integer)
    first_response_minutes: Mapped[int | None] = mapped_column(Integer)
    resolve_amount: Mapped[int] = mapped_column(Integer)
    resolve_unit: Mapped[str] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        CheckConstraint(
            "resolve_unit IN ('minutes', 'hours', 'working_hours', 'working_days', 'days')",
            name="resolve_unit",
        ),
    )


class CalendarException(Base):
    """A public holiday, a swapped working day (ngày làm bù) or an extra day off."""

    __tablename__ = "calendar_exception"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16), default="admin")
    __table_args__ = (CheckConstraint("kind IN ('holiday', 'workday', 'day_off')", name="kind"),)


class Setting(Base):
    """A shared setting (``data.settings``: deadline rules, SMS gateway and mail server): one
    JSON value per key, synced like any table so every workstation works the same way."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))


# --- local machinery: drafts, outbox, sync ------------------------------------------------


class Draft(Base):
    __tablename__ = "draft"
    id: Mapped[uuid.UUID] = _id()
    station_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("station.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    mode: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Outbox(Base):
    """One row per local change, written in the change's own transaction. ``change_id`` makes a
    replay idempotent on the server; ``seq`` keeps local order."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_id)
    table_name: Mapped[str] = mapped_column(String(48))
    row_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(8))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    pushed_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)  # a parked change: the server's reason
    parked_at: Mapped[datetime | None] = mapped_column()  # refused by the server: kept, not sent
    __table_args__ = (
        CheckConstraint("op IN ('insert', 'update', 'delete')", name="op"),
        # The parked, latest first (0023): a count scanned millions of pending rows.
        Index("ix_outbox_parked", "seq", sqlite_where=_PARKED, postgresql_where=_PARKED),
    )


class SyncState(Base):
    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Tally(Base):
    """Counts of reports, pending outbox rows and attached evidence kept by triggers
    (``data.tally``): views, totals, dashboard and ``stats`` sum a few rows, not a million."""

    __tablename__ = "tally"
    dim: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(24), primary_key=True)
    a: Mapped[str] = mapped_column(String(48), primary_key=True)
    b: Mapped[str] = mapped_column(String(48), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    __table_args__ = {"sqlite_with_rowid": False}
