"""Validation of the intake form: pure, against the reference codes of the database.

Standard library and ``domain`` only, so the GUI can validate a field as the operator leaves
it, on the GUI thread (a 1 MB paste takes ~2 ms), without a database round trip.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pakn_desktop.domain.case_code import CaseCode
from pakn_desktop.domain.enums import OWN_PROCEDURE_KINDS, Kind, Urgency
from pakn_desktop.domain.phone import normalise_phone
from pakn_desktop.domain.text import (
    ControlCharacterError,
    TextKind,
    clean,
    fold,
    has_vietnamese_diacritics,
)
from pakn_desktop.services.evidence.errors import EvidenceError
from pakn_desktop.services.evidence.intake_checks import check_bytes
from pakn_desktop.services.intake.form import (
    ATTACHMENT_SOURCES,
    MAX_CONTENT_BYTES,
    MODES,
    SUMMARY_MAX,
    TEXT_KINDS,
    FieldError,
    IntakeForm,
    ValidationResult,
)


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    folded: str  # domain.text.fold(name), for accent-free type-ahead
    province_code: str = ""  # communes only


@dataclass(frozen=True)
class IntakeReference:
    """The codes a form may use, with their Vietnamese names (for pickers too).

    ``kinds`` maps a kind code to its name; ``own_procedure`` holds the kinds that follow their
    own law (khiếu nại, tố cáo).
    """

    channels: Mapping[str, str]
    kinds: Mapping[str, str]
    categories: Mapping[str, str]  # active categories only
    provinces: Mapping[str, Place]
    communes: Mapping[str, Place]
    own_procedure: frozenset[str] = field(default_factory=frozenset)

    def find_places(self, query: str, province_code: str = "", limit: int = 20) -> list[Place]:
        """Communes (within ``province_code`` when given) whose folded name contains every
        folded word of ``query``: "phuong ben thanh" finds "Phường Bến Thành". Names that
        start with the query come first. ~1 ms over the 3,321 communes."""
        words = fold(query).split()
        if not words:
            return []
        found = [
            p
            for p in self.communes.values()
            if (not province_code or p.province_code == province_code)
            and all(w in p.folded for w in words)
        ]
        head = " ".join(words)
        found.sort(key=lambda p: (not _bare(p.folded).startswith(head), p.folded, p.code))
        return found[:limit]


def validate(
    form: IntakeForm, reference: IntakeReference, *, now: datetime | None = None
) -> ValidationResult:
    """Every error and warning of ``form``; pure (``now`` defaults to the clock).

    Errors: missing required fields (by kind and mode), unknown codes, a commune outside the
    province, a phone that cannot be normalised, a malformed email or link, NUL or control
    characters, content over ``MAX_CONTENT_BYTES``, over-long fields, an event/message/receipt
    time in the future, naive datetimes, a malformed duplicate case code, an attachment that
    is not a supported image. Warning: content without any Vietnamese diacritic (the
    regulation asks for them).
    """
    errors: list[FieldError] = []
    warnings: list[FieldError] = []
    _check_text(form, errors)
    _check_codes(form, reference, errors)
    _check_required(form, errors)
    _check_contact(form, errors)
    _check_times(form, now or datetime.now(UTC), errors)
    _check_attachments(form, errors)
    if form.duplicate_of.strip():
        try:
            CaseCode.parse(form.duplicate_of)
        except ValueError:
            errors.append(_err("duplicate_of", "bad_case_code"))
    if (
        form.content.strip()
        and not _has_error(errors, "content")
        and any(c.isalpha() for c in form.content[:_DIACRITIC_SCAN])
        and not has_vietnamese_diacritics(form.content[:_DIACRITIC_SCAN])
    ):
        warnings.append(_err("content", "no_diacritics"))
    return ValidationResult(errors=tuple(errors), warnings=tuple(warnings))


# --- the rules -----------------------------------------------------------------------------

# Kinds about something that happened somewhere: the unit that must act is found by place.
PLACE_KINDS = frozenset({Kind.PHAN_ANH.value, Kind.TO_GIAC.value})
# Clock skew between the machine that typed the time (a CTI server, another workstation)
# and this one.
FUTURE_TOLERANCE = timedelta(minutes=5)
# The regulation's intake began long after 2000: an earlier receipt, call or message is a
# typo or a script's zero date (year 1 cannot even be converted to UTC). An event may be
# older (a land dispute reported decades later), but not before 1900.
EARLIEST_RECEIPT = datetime(2000, 1, 1, tzinfo=UTC)
EARLIEST_EVENT = datetime(1900, 1, 1, tzinfo=UTC)
MAX_ATTACHMENTS = 20
_DIACRITIC_SCAN = 100_000  # a diacritic shows up early in Vietnamese text; bounds the scan
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LENGTHS: dict[str, int] = {
    "summary": SUMMARY_MAX,
    "address": 500,
    "reporter_name": 200,
    "reporter_phone": 40,
    "reporter_email": 254,
    "reporter_address": 500,
    "sender_name": 200,
    "sender_profile_url": 2000,
    "message_url": 2000,
    "duplicate_of": 32,
    "answer": 100_000,
    "handling_note": 100_000,
}
_TEXT_FIELDS = (
    "mode",
    "channel",
    "kind",
    "category",
    "urgency",
    "province_code",
    "commune_code",
    "content",
    *_LENGTHS,
)

MESSAGES: dict[str, str] = {
    "required": "Chưa nhập {label}",
    "unknown_code": "{label} không có trong danh mục",
    "commune_not_in_province": "Xã/phường không thuộc tỉnh/thành phố đã chọn",
    "control_char": "{label} có ký tự điều khiển không được phép (U+{char:04X}, vị trí {pos}); "
    "hãy xoá rồi nhập lại",
    "broken_char": "{label} có ký tự hỏng (U+{char:04X}, vị trí {pos}), không lưu được; "
    "hãy xoá rồi nhập lại",
    "invisible_char": "{label} có ký tự ẩn không được phép (U+{char:04X}, vị trí {pos}); "
    "hãy xoá rồi gõ lại",
    "too_long": "{label} quá dài (tối đa {limit} ký tự)",
    "content_too_large": "Nội dung quá dài ({size:.1f} MB; tối đa 1 MB)",
    "bad_phone": "Số điện thoại không hợp lệ",
    "bad_email": "Địa chỉ thư điện tử không hợp lệ",
    "bad_url": "Đường dẫn phải bắt đầu bằng http:// hoặc https://",
    "future": "{label} không được ở tương lai",
    "too_old": "{label} quá xa trong quá khứ (phải từ năm {year} trở đi)",
    "naive_datetime": "{label} thiếu múi giờ",
    "call_order": "Giờ kết thúc cuộc gọi trước giờ bắt đầu",
    "bad_case_code": "Mã hồ sơ không đúng dạng (ví dụ PA-261124-HN01-0042)",
    "answer_not_question": "Chỉ câu hỏi (hỏi đáp) mới được trả lời ngay khi tiếp nhận",
    "handling_note_required": "Tin nhắn phải ghi rõ cách đã xử lý hoặc đề xuất xử lý",
    "sender_required": "Chưa rõ người gửi tin nhắn (tên, đường dẫn trang cá nhân hoặc liên hệ)",
    "name_required_own_procedure": "Khiếu nại, tố cáo phải có họ tên người gửi",
    "too_many_attachments": "Quá nhiều tệp đính kèm (tối đa {limit})",
    "bad_attachment_source": "Nguồn tệp đính kèm không hợp lệ",
    "no_diacritics": "Nội dung không có dấu tiếng Việt; quy chế yêu cầu viết tiếng Việt có dấu",
}

LABELS: dict[str, str] = {
    "mode": "chế độ tiếp nhận",
    "channel": "kênh tiếp nhận",
    "kind": "loại phản ánh",
    "category": "lĩnh vực",
    "urgency": "mức độ khẩn",
    "province_code": "tỉnh/thành phố",
    "commune_code": "xã/phường",
    "address": "địa chỉ",
    "event_at": "thời điểm xảy ra",
    "summary": "tóm tắt",
    "content": "nội dung",
    "reporter_name": "họ tên người phản ánh",
    "reporter_phone": "số điện thoại",
    "reporter_email": "thư điện tử",
    "reporter_address": "địa chỉ người phản ánh",
    "answer": "câu trả lời",
    "handling_note": "cách xử lý, đề xuất",
    "sender_name": "tên người gửi",
    "sender_profile_url": "đường dẫn trang cá nhân",
    "message_url": "đường dẫn tin nhắn",
    "message_at": "thời điểm nhắn tin",
    "call_started_at": "giờ bắt đầu cuộc gọi",
    "call_ended_at": "giờ kết thúc cuộc gọi",
    "duplicate_of": "mã hồ sơ trùng",
    "received_at": "thời điểm tiếp nhận",
    "attachments": "tệp đính kèm",
}


def _err(name: str, code: str, message: str | None = None, **fmt: Any) -> FieldError:
    if message is not None:  # given whole (e.g. starts with a file name): kept as is
        return FieldError(name, code, message)
    text = MESSAGES[code].format(label=LABELS.get(name, name), **fmt)
    return FieldError(name, code, text[:1].upper() + text[1:])


def _has_error(errors: list[FieldError], name: str) -> bool:
    return any(e.field == name for e in errors)


def _bare(folded: str) -> str:
    """A folded commune name without its division word, so "ben thanh" sorts first."""
    for prefix in ("phuong ", "xa ", "dac khu "):
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _check_text(form: IntakeForm, errors: list[FieldError]) -> None:
    for name in _TEXT_FIELDS:
        value = getattr(form, name)
        try:
            clean(value, TEXT_KINDS.get(name, TextKind.FREE))
        except ControlCharacterError as bad:
            code = "invisible_char" if bad.invisible else "control_char"
            if 0xD800 <= ord(bad.char) <= 0xDFFF:
                code = "broken_char"
            errors.append(_err(name, code, char=ord(bad.char), pos=bad.position + 1))
            continue
        limit = _LENGTHS.get(name)
        if limit is not None and len(value.strip()) > limit:
            errors.append(_err(name, "too_long", limit=limit))
    # Length first: encoding 100 MB to count its bytes would itself freeze the form.
    # "replace": a lone surrogate (refused above) must not break the count.
    too_long = len(form.content) > MAX_CONTENT_BYTES
    if too_long or len(form.content.encode(errors="replace")) > MAX_CONTENT_BYTES:
        size = len(form.content.encode(errors="replace")) / (1024 * 1024)
        errors.append(_err("content", "content_too_large", size=size))


def _check_codes(form: IntakeForm, ref: IntakeReference, errors: list[FieldError]) -> None:
    if form.mode and form.mode not in MODES:
        errors.append(_err("mode", "unknown_code"))
    known: tuple[tuple[str, Mapping[str, object]], ...] = (
        ("channel", ref.channels),
        ("kind", ref.kinds),
        ("category", ref.categories),
        ("province_code", ref.provinces),
        ("commune_code", ref.communes),
    )
    for name, table in known:
        value = getattr(form, name).strip()
        if value and value not in table:
            errors.append(_err(name, "unknown_code"))
    if form.urgency and form.urgency not in {u.value for u in Urgency}:
        errors.append(_err("urgency", "unknown_code"))
    commune = ref.communes.get(form.commune_code.strip())
    province = form.province_code.strip()
    if commune is not None and province and commune.province_code != province:
        errors.append(_err("commune_code", "commune_not_in_province"))


def _check_required(form: IntakeForm, errors: list[FieldError]) -> None:
    for name in ("mode", "channel", "kind", "category", "content"):
        if not getattr(form, name).strip():
            errors.append(_err(name, "required"))
    kind = form.kind.strip()
    if kind in PLACE_KINDS and not form.commune_code.strip():
        errors.append(_err("commune_code", "required"))
    if form.answer.strip() and kind != Kind.HOI_DAP.value:
        errors.append(_err("answer", "answer_not_question"))
    if kind in OWN_PROCEDURE_KINDS and not form.reporter_name.strip():
        errors.append(_err("reporter_name", "name_required_own_procedure"))
    if form.mode == "message":
        if not form.handling_note.strip():
            errors.append(_err("handling_note", "handling_note_required"))
        who = (form.sender_name, form.sender_profile_url, form.reporter_name)
        contact = (form.reporter_phone, form.reporter_email)
        if not any(v.strip() for v in (*who, *contact)):
            errors.append(_err("sender_name", "sender_required"))


def _check_contact(form: IntakeForm, errors: list[FieldError]) -> None:
    phone = form.reporter_phone.strip()
    if phone and not _has_error(errors, "reporter_phone") and normalise_phone(phone) is None:
        errors.append(_err("reporter_phone", "bad_phone"))
    email = form.reporter_email.strip()
    if email and not _EMAIL.match(email):
        errors.append(_err("reporter_email", "bad_email"))
    for name in ("sender_profile_url", "message_url"):
        url = getattr(form, name).strip()
        if url and not url.lower().startswith(("http://", "https://")):
            errors.append(_err(name, "bad_url"))


def _check_times(form: IntakeForm, now: datetime, errors: list[FieldError]) -> None:
    latest = now + FUTURE_TOLERANCE
    for name in ("event_at", "message_at", "received_at", "call_started_at", "call_ended_at"):
        value: datetime | None = getattr(form, name)
        if value is None:
            continue
        earliest = EARLIEST_EVENT if name == "event_at" else EARLIEST_RECEIPT
        if value.tzinfo is None:
            errors.append(_err(name, "naive_datetime"))
        elif value < earliest:  # compared, never converted: year 1 overflows astimezone()
            errors.append(_err(name, "too_old", year=earliest.year))
        elif value > latest:
            errors.append(_err(name, "future"))
    start, end = form.call_started_at, form.call_ended_at
    if (
        start is not None
        and end is not None
        and start.tzinfo is not None
        and end.tzinfo is not None
        and end < start
    ):
        errors.append(_err("call_ended_at", "call_order"))


def _check_attachments(form: IntakeForm, errors: list[FieldError]) -> None:
    if len(form.attachments) > MAX_ATTACHMENTS:
        errors.append(_err("attachments", "too_many_attachments", limit=MAX_ATTACHMENTS))
        return
    for attachment in form.attachments:
        if attachment.source not in ATTACHMENT_SOURCES:
            errors.append(_err("attachments", "bad_attachment_source"))
        # The name is not checked: it is cleaned at save (``evidence.names.sanitise_name``).
        try:
            if attachment.data or not attachment.sha256:
                check_bytes(attachment.data)
            # else: a stored reference (a restored draft); checked when it was stored, and
            # re-read and re-hashed by the save
        except EvidenceError as bad:
            errors.append(_err("attachments", bad.code, f"{attachment.display_name}: {bad}"))
