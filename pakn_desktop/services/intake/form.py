"""The intake form's plain values, its validation errors, and its JSON/draft mapping.

Standard library and ``domain`` only: the GUI imports these on its start path, before
SQLAlchemy is loaded (the service itself lives in ``services.intake``).
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from pakn_desktop.domain.errors import ExpectedError
from pakn_desktop.domain.office_time import as_office
from pakn_desktop.domain.text import TextKind
from pakn_desktop.services.changes import Changes  # standard library only

MODES: tuple[str, ...] = ("call", "message")
ATTACHMENT_SOURCES: tuple[str, ...] = ("clipboard", "file", "drop", "screenshot")

# The regulation's point is a report a unit can act on; 1 MiB of UTF-8 is ~500 pages of text.
MAX_CONTENT_BYTES = 1024 * 1024
SUMMARY_MAX = 300  # ticket.summary is String(300)


@dataclass(frozen=True)
class Attachment:
    """An image the operator pasted, dropped or picked.

    The intake screen puts the bytes into the content-addressed evidence store the moment the
    image is attached and keeps its ``sha256``: a draft records only that reference, so the
    image survives a kill and the save reuses the stored file. ``data`` may then be empty (a
    draft being restored); without ``sha256`` (the CLI) the bytes are stored at save.
    """

    display_name: str
    data: bytes = field(repr=False)
    source: str = "clipboard"
    # A region capture's screen and rectangles (``CaptureGeometry.as_json``), kept on the
    # evidence row; not compared, so two captures of the same pixels still count as equal.
    geometry: dict[str, Any] | None = field(default=None, compare=False)
    sha256: str = ""  # set once the bytes are in the evidence store

    def as_reference(self) -> dict[str, Any]:
        """What a draft keeps of a stored attachment (no bytes)."""
        ref: dict[str, Any] = {
            "sha256": self.sha256,
            "display_name": self.display_name,
            "source": self.source,
        }
        if self.geometry is not None:
            ref["geometry"] = self.geometry
        return ref


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


# What each text field holds, for ``domain.text.clean`` (docs/decisions.md, "Invisible
# characters"): codes, the phone, e-mail and links are compared or sent, so an invisible
# character there is refused; names lose theirs. Fields not listed (content, answer,
# handling_note) are free text.
TEXT_KINDS: dict[str, TextKind] = {
    **dict.fromkeys(
        (
            "mode",
            "channel",
            "kind",
            "category",
            "urgency",
            "province_code",
            "commune_code",
            "reporter_phone",
            "reporter_email",
            "sender_profile_url",
            "message_url",
            "duplicate_of",
        ),
        TextKind.CODE,
    ),
    **dict.fromkeys(
        ("summary", "address", "reporter_name", "reporter_address", "sender_name"), TextKind.NAME
    ),
}


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


class IntakeInvalid(ExpectedError, ValueError):
    """The form cannot be saved; nothing was stored. ``result`` names every field at fault
    (the intake screen marks each one; ``message`` lists them for anyone else)."""

    def __init__(self, result: ValidationResult) -> None:
        problems = "; ".join(e.message for e in result.errors)
        super().__init__("invalid", f"Phiếu chưa lưu được: {problems}")
        self.result = result


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

    @property
    def changes(self) -> Changes:
        return Changes.reports_created([self.id])


# --- mapping to and from JSON (CLI) and drafts --------------------------------------------

_DATETIME_FIELDS = frozenset(
    {"event_at", "message_at", "call_started_at", "call_ended_at", "received_at"}
)
_BOOL_FIELDS = frozenset({"confidential", "no_publish"})
FORM_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(IntakeForm))


def form_to_mapping(form: IntakeForm) -> dict[str, Any]:
    """JSON-native values of ``form`` (ISO datetimes) for a draft. Attachments go in as
    references into the evidence store (``Attachment.as_reference``), never as bytes; one not
    stored yet (no ``sha256``) is left out."""
    out: dict[str, Any] = {}
    for name in FORM_FIELDS:
        if name == "attachments":
            out[name] = [a.as_reference() for a in form.attachments if a.sha256]
            continue
        value = getattr(form, name)
        out[name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def form_from_mapping(data: Mapping[str, Any], *, strict: bool = True) -> IntakeForm:
    """Build a form from JSON-like values (ISO datetimes; null for "empty").

    ``strict`` (the CLI) refuses unknown keys; not strict (drafts) ignores them. Missing keys
    take the defaults ("" for the required ones, which ``validate`` then reports). Raises
    IntakeInvalid with one FieldError per bad key. Datetimes without an offset are read as
    the office's wall clock (Asia/Ho_Chi_Minh, ``domain.office_time``). Attachments are
    objects ``{"display_name", "data_base64", "source"}``; a draft's (not strict) may instead
    be ``{"sha256", "display_name", "source", "geometry"}``, a reference into the evidence
    store (the CLI may not name stored files).
    """
    errors: list[FieldError] = []
    values: dict[str, Any] = {name: "" for name in _REQUIRED_POSITIONAL}
    for key, raw in data.items():
        if key not in FORM_FIELDS:
            if strict:
                errors.append(FieldError(str(key), "unknown_field", f"Trường lạ: {key!r}"))
            continue
        try:
            values[key] = _attachments(raw, strict) if key == "attachments" else _convert(key, raw)
        except _BadValue as bad:
            errors.append(FieldError(key, bad.code, bad.message))
    if errors:
        raise IntakeInvalid(ValidationResult(errors=tuple(errors)))
    return IntakeForm(**values)


def form_from_json(text: str) -> IntakeForm:
    """``form_from_mapping(strict=True)`` of a JSON object (the CLI's input); IntakeInvalid
    with field ``json`` when the text is not JSON or not an object."""
    try:
        # A file saved by Windows Notepad starts with a byte-order mark.
        data = json.loads(
            text.removeprefix("\ufeff"), parse_int=_short_int, parse_constant=_no_constant
        )
    except json.JSONDecodeError as bad:
        message = f"JSON không hợp lệ (dòng {bad.lineno}, cột {bad.colno}): {bad.msg}"
        raise _json_invalid("invalid_json", message) from None
    except RecursionError:  # [[[[…]]]] 10,000 deep: no form is nested more than 3 levels
        raise _json_invalid("too_deep", "JSON lồng nhau quá sâu") from None
    except ValueError:  # a 5,000-digit number, NaN, Infinity: no field of the form is one
        message = "JSON có số quá dài hoặc không phải số (NaN, Infinity)"
        raise _json_invalid("bad_number", message) from None
    if not isinstance(data, dict):
        message = "JSON phải là một đối tượng {...} gồm các trường của phiếu tiếp nhận"
        raise _json_invalid("not_object", message)
    return form_from_mapping(data, strict=True)


def _short_int(digits: str) -> int:
    if len(digits) > 30:  # int() of thousands of digits is refused (or slow) anyway
        raise ValueError(digits[:10])
    return int(digits)


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _json_invalid(code: str, message: str) -> IntakeInvalid:
    return IntakeInvalid(ValidationResult(errors=(FieldError("json", code, message),)))


def derive_summary(content: str) -> str:
    """The content's first non-empty line, cut at a word boundary to fit ``SUMMARY_MAX``."""
    line = next((ln.strip() for ln in content[: SUMMARY_MAX * 8].splitlines() if ln.strip()), "")
    line = " ".join(line.split())  # tabs and runs of spaces from a paste
    if len(line) <= SUMMARY_MAX:
        return line
    cut = line[: SUMMARY_MAX - 1]
    space = cut.rfind(" ")
    if space > SUMMARY_MAX // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"


_REQUIRED_POSITIONAL = ("mode", "channel", "kind", "category", "content")


class _BadValue(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _convert(key: str, raw: Any) -> Any:
    if key in _DATETIME_FIELDS:
        return _datetime(raw)
    if key in _BOOL_FIELDS:
        if raw is None:
            return False
        if not isinstance(raw, bool):
            raise _BadValue("not_bool", "Phải là true hoặc false")
        return raw
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise _BadValue("not_text", "Phải là chuỗi ký tự")
    return raw


def _datetime(raw: Any) -> datetime | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise _BadValue("not_datetime", "Phải là thời điểm dạng ISO 8601, ví dụ 2026-11-24T08:30")
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise _BadValue(
            "not_datetime", f"Thời điểm không hợp lệ: {raw[:40]!r} (cần ISO 8601)"
        ) from None
    return as_office(value)  # an ISO time without an offset is the office's wall clock


def _attachments(raw: Any, strict: bool) -> tuple[Attachment, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _BadValue("not_list", "Phải là danh sách tệp đính kèm")
    out: list[Attachment] = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, Mapping):
            raise _BadValue("bad_attachment", f"Tệp đính kèm {i}: cần data_base64")
        if not strict and "sha256" in item:
            out.append(_reference(i, item))
            continue
        if not isinstance(item.get("data_base64"), str):
            raise _BadValue("bad_attachment", f"Tệp đính kèm {i}: cần data_base64")
        extra = set(item) - {"display_name", "data_base64", "source"}
        if extra:
            raise _BadValue("bad_attachment", f"Tệp đính kèm {i}: trường lạ {sorted(extra)}")
        try:
            data = base64.b64decode(item["data_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise _BadValue("bad_attachment", f"Tệp đính kèm {i}: base64 hỏng") from None
        name, source = _name_and_source(i, item, "file")
        out.append(Attachment(display_name=name, data=data, source=source))
    return tuple(out)


def _reference(i: int, item: Mapping[str, Any]) -> Attachment:
    """A draft's attachment: its hash in the evidence store, no bytes."""
    sha = item.get("sha256")
    if not isinstance(sha, str) or len(sha) != 64 or set(sha) - set("0123456789abcdef"):
        raise _BadValue("bad_attachment", f"Tệp đính kèm {i}: mã băm SHA-256 hỏng")
    extra = set(item) - {"sha256", "display_name", "source", "geometry"}
    if extra:
        raise _BadValue("bad_attachment", f"Tệp đính kèm {i}: trường lạ {sorted(extra)}")
    geometry = item.get("geometry")
    if geometry is not None and not isinstance(geometry, dict):
        raise _BadValue("bad_attachment", f"Tệp đính kèm {i}: geometry phải là đối tượng")
    name, source = _name_and_source(i, item, "clipboard")
    return Attachment(name, b"", source, geometry, sha256=sha)


def _name_and_source(i: int, item: Mapping[str, Any], default: str) -> tuple[str, str]:
    name = item.get("display_name") or f"tep-{i}"
    source = item.get("source") or default
    if not isinstance(name, str) or not isinstance(source, str):
        raise _BadValue("bad_attachment", f"Tệp đính kèm {i}: tên và nguồn phải là chuỗi")
    return name, source
