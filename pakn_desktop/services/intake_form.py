"""The intake form's plain values, its validation errors, and its JSON/draft mapping.

Standard library and ``domain`` only: the GUI imports these on its start path, before
SQLAlchemy is loaded (the service itself lives in ``services.intake``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

MODES: tuple[str, ...] = ("call", "message")
ATTACHMENT_SOURCES: tuple[str, ...] = ("clipboard", "file", "drop")

# The regulation's point is a report a unit can act on; 1 MiB of UTF-8 is ~500 pages of text.
MAX_CONTENT_BYTES = 1024 * 1024
SUMMARY_MAX = 300  # ticket.summary is String(300)


@dataclass(frozen=True)
class Attachment:
    """An image the operator pasted, dropped or picked; stored in the evidence store at save."""

    display_name: str
    data: bytes = field(repr=False)
    source: str = "clipboard"


@dataclass(frozen=True)
class IntakeForm:
    """Everything the intake screen (or ``pakn-desktop intake --json``) collects.

    Text fields are as typed ("" when empty); datetimes are timezone-aware. ``summary`` may be
    left empty: it is then taken from the content's first line. ``reporter_phone`` is kept as
    typed and normalised to E.164 at save. ``answer`` is for a hỏi đáp answered on the call
    (the report is closed at once); ``handling_note`` is the biên bản of a message: how it was
    handled or what is proposed (required in message mode). ``duplicate_of`` is a case code.
    """

    mode: str
    channel: str
    kind: str
    category: str
    content: str
    urgency: str = "normal"
    province_code: str = ""
    commune_code: str = ""
    address: str = ""
    event_at: datetime | None = None
    summary: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    reporter_address: str = ""
    confidential: bool = False
    no_publish: bool = False
    answer: str = ""
    handling_note: str = ""
    # message mode: who wrote, where, when
    sender_name: str = ""
    sender_profile_url: str = ""
    message_url: str = ""
    message_at: datetime | None = None
    # call mode: the call timer
    call_started_at: datetime | None = None
    call_ended_at: datetime | None = None
    duplicate_of: str = ""
    received_at: datetime | None = None  # None: the moment of saving
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: ``code`` is stable for code, ``message`` is for people."""

    field: str
    code: str
    message: str


@dataclass(frozen=True)
class ValidationResult:
    """Errors block the save; warnings (e.g. no diacritics) are shown but do not."""

    errors: tuple[FieldError, ...] = ()
    warnings: tuple[FieldError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def for_field(self, name: str) -> tuple[FieldError, ...]:
        return tuple(e for e in (*self.errors, *self.warnings) if e.field == name)


class IntakeInvalid(ValueError):
    """The form cannot be saved; nothing was stored. ``result`` names every field at fault."""

    def __init__(self, result: ValidationResult) -> None:
        self.result = result
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in result.errors))


@dataclass(frozen=True)
class SavedTicket:
    """What the operator reads back to the caller (``code``) and what the UI needs next."""

    id: uuid.UUID
    code: str
    status: str
    received_at: datetime
    forward_due_at: datetime | None = None
    due_at: datetime | None = None
    warnings: tuple[FieldError, ...] = ()


# --- mapping to and from JSON (CLI) and drafts --------------------------------------------

_DATETIME_FIELDS = frozenset(
    {"event_at", "message_at", "call_started_at", "call_ended_at", "received_at"}
)
_BOOL_FIELDS = frozenset({"confidential", "no_publish"})
FORM_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(IntakeForm))


def form_to_mapping(form: IntakeForm) -> dict[str, Any]:
    """JSON-native values of ``form`` (ISO datetimes) for a draft; attachments are left out
    (their bytes do not belong in a draft row)."""
    raise NotImplementedError


def form_from_mapping(data: Mapping[str, Any], *, strict: bool = True) -> IntakeForm:
    """Build a form from JSON-like values (ISO datetimes; null for "empty").

    ``strict`` (the CLI) refuses unknown keys and missing required keys; not strict (drafts)
    ignores unknown keys and fills the defaults. Raises IntakeInvalid with one FieldError per
    bad key. Datetimes without an offset are read as local time.
    """
    raise NotImplementedError


def derive_summary(content: str) -> str:
    """The content's first non-empty line, cut at a word boundary to fit ``SUMMARY_MAX``."""
    raise NotImplementedError
