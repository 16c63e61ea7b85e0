"""One register row → the intake form it becomes, an error, or nothing (issue 15 item 6).

Rules: a row with neither a date nor content (a blank line, a total, a signature line) is
skipped; a date without content, or content whose date is impossible (or missing), is an
error naming its row, column and reason; everything else is taken in. Values that match no
reference entry (a channel, a category) are kept on the report, filed under "Khác", and
listed as warnings, not errors.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pakn_desktop.domain.enums import ChannelCode, Kind, Status
from pakn_desktop.domain.phone import normalise_phone
from pakn_desktop.domain.text import ControlCharacterError, TextKind, clean, fold
from pakn_desktop.reports import register_headers as h
from pakn_desktop.reports.register_match import (
    CATEGORY_SYNONYMS,
    CHANNEL_SYNONYMS,
    KIND_SYNONYMS,
    Matcher,
    status_of,
    tick_columns,
)
from pakn_desktop.reports.register_values import BadDate, is_blank, parse_received, text_of
from pakn_desktop.services.intake.form import MAX_CONTENT_BYTES, IntakeForm
from pakn_desktop.services.intake.rules import EARLIEST_RECEIPT, FUTURE_TOLERANCE, IntakeReference

OTHER_CATEGORY = "khac"
# Words of the lines under a table: totals, signatures, the place-and-date line.
_FOOTER = re.compile(
    r"\b(tong cong|tong so|cong|nguoi lap|lap bieu|ky ten|ky ghi ro|ghi ro ho ten|thu truong|"
    r"xac nhan|lanh dao|giam doc|truong phong|pho truong|chu tich|noi nhan|luu vt)\b"
    # the place-and-date line above the signatures: "An Giang, ngày 07 tháng 12 năm 2026"
    r"|\bngay\W*\w{0,2}\W*thang\W*\w{0,2}\W*nam\b"
)
_PHONE_SPLIT = re.compile(r"[;,/\n]|\s+[-\u2013\u2014]\s+|\s+(?:và|va|hoặc|hoac)\s+", re.IGNORECASE)
_FOOTER_MAX = 120  # a footer line is short; a long text is a report missing its date


@dataclass(frozen=True)
class Problem:
    """An error or a warning about one row: the row's number in the file, the column's header
    as written there, and the reason (Vietnamese)."""

    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class Planned:
    """A good row: the form it becomes, its status and import key, what the register said
    that has no field (kept in ``intake_meta``), and its warnings."""

    row: int
    form: IntakeForm
    status: Status
    key: str
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()


class RowReader:
    """Reads the rows of one register against the reference lists, at one moment."""

    def __init__(
        self,
        header: h.Header,
        reference: IntakeReference,
        *,
        now: datetime,
        epoch: datetime,
        file_name: str,
    ) -> None:
        self._fields = header.fields
        self._titles = {c.index: c.header for c in header.columns}
        self._ticks = tick_columns(header)
        if self._fields.get(h.RESULT) in self._ticks:  # the result is ticks; any text column?
            texts = [c.index for c in header.columns if c.field == h.RESULT]
            text_columns = [i for i in texts if i not in self._ticks]
            if text_columns:
                self._fields[h.RESULT] = text_columns[0]
            else:
                del self._fields[h.RESULT]
        self._now = now
        self._epoch = epoch
        self._file = file_name
        self._channels = Matcher(reference.channels, CHANNEL_SYNONYMS)
        self._categories = Matcher(reference.categories, CATEGORY_SYNONYMS)
        self._kinds = Matcher(reference.kinds, KIND_SYNONYMS)
        self._other_channel = ChannelCode.OTHER.value
        if self._other_channel not in reference.channels:  # an older reference list
            self._other_channel = next(iter(reference.channels))
        self._other_category = (
            OTHER_CATEGORY if OTHER_CATEGORY in reference.categories else ""
        ) or next(iter(reference.categories))

    def title(self, name: str) -> str:
        """The header, as the file writes it, of the column holding ``name``."""
        index = self._fields.get(name)
        return self._titles.get(index, name) if index is not None else name

    def read(self, number: int, values: Sequence[object]) -> Planned | Problem | None:
        """The row's plan, its error, or None when it is skipped."""
        cell = self._cell(values)
        raw_date, content = cell(h.RECEIVED), text_of(cell(h.CONTENT))
        if is_blank(raw_date) and not content:
            return None
        try:
            received = parse_received(raw_date, cell(h.TIME), epoch=self._epoch)
        except BadDate as bad:
            if not content or (is_blank(raw_date) and _footer(values)):
                return None  # a total or signature line: no content, no date
            if is_blank(raw_date):
                return Problem(number, self.title(h.RECEIVED), "có nội dung nhưng thiếu ngày")
            return Problem(number, self.title(h.TIME if bad.in_time else h.RECEIVED), bad.reason)
        if not content:
            if _footer(values):
                return None  # "Hà Nội, ngày 7 tháng 12 năm 2026" above a signature
            return Problem(number, self.title(h.CONTENT), "có ngày nhưng không có nội dung")
        problem = self._impossible(number, received)
        if problem is not None:
            return problem
        return self._plan(number, values, received, content)

    def _cell(self, values: Sequence[object]) -> Any:
        def cell(name: str) -> object:
            index = self._fields.get(name)
            return values[index] if index is not None and index < len(values) else None

        return cell

    def _impossible(self, number: int, received: datetime) -> Problem | None:
        if received < EARLIEST_RECEIPT:
            return Problem(number, self.title(h.RECEIVED), "ngày trước năm 2000")
        if received > self._now + FUTURE_TOLERANCE:
            return Problem(number, self.title(h.RECEIVED), "ngày ở tương lai")
        return None

    def _plan(
        self, number: int, values: Sequence[object], received: datetime, content: str
    ) -> Planned | Problem:
        cell = self._cell(values)
        warnings: list[Problem] = []
        meta: dict[str, Any] = {"file": self._file, "row": number}
        text = {name: text_of(cell(name)) for name in self._fields}
        try:
            content = clean(content).strip()
            texts = {k: clean(v, TextKind.NAME).strip() for k, v in text.items() if k != h.CONTENT}
        except ControlCharacterError:
            return Problem(number, self.title(h.CONTENT), "có ký tự điều khiển không lưu được")
        if len(content.encode()) > MAX_CONTENT_BYTES:
            return Problem(number, self.title(h.CONTENT), "nội dung quá dài")
        picks = {
            h.KIND: (self._kinds, Kind.PHAN_ANH.value),  # first: it says if the row is protected
            h.CHANNEL: (self._channels, self._other_channel),
            h.CATEGORY: (self._categories, self._other_category),
        }
        codes: dict[str, str] = {}
        unmatched: list[str] = []
        for name, (matcher, other) in picks.items():
            # A denunciation's words are never quoted back (the identity may be in any cell).
            quote = codes.get(h.KIND) != Kind.TO_CAO.value
            codes[name], warning = self._pick(number, name, texts, matcher, other, quote=quote)
            if warning is not None:
                warnings.append(warning)
                unmatched.append(name)
                meta[name] = texts[name]  # the register's own word, kept
        phone, phone_warning = self._phone(number, texts.get(h.PHONE, ""))
        if phone_warning is not None:
            warnings.append(phone_warning)
        result = texts.get(h.RESULT, "")
        status = status_of(result) if result else None
        ticked = [s for i, s in self._ticks.items() if i < len(values) and not is_blank(values[i])]
        if ticked:
            status = ticked[0]
        elif result and status is None:
            warnings.append(
                Problem(number, self.title(h.RESULT), "kết quả không rõ trạng thái: để “Mới”")
            )
        for name in (h.CODE, h.UNIT, h.RESULT, h.NOTE):
            if texts.get(name):
                meta[name] = texts[name]
        noted = [n for n in (h.CODE, h.UNIT, h.RESULT, h.NOTE) if texts.get(n)] + unmatched
        form = IntakeForm(
            mode="call" if codes[h.CHANNEL] == ChannelCode.HOTLINE.value else "message",
            channel=codes[h.CHANNEL],
            kind=codes[h.KIND],
            category=codes[h.CATEGORY],
            content=content,
            summary=texts.get(h.SUMMARY, "")[:300],
            address=texts.get(h.PLACE, "")[:500],
            reporter_name=texts.get(h.NAME, "")[:200],
            reporter_phone=phone[:40],
            reporter_email=texts.get(h.EMAIL, "")[:254],
            reporter_address=texts.get(h.REPORTER_ADDRESS, "")[:500],
            handling_note="\n".join(
                [f"Nhập từ sổ {self._file}, dòng {number}."]
                + [f"{self.title(n)}: {texts[n]}" for n in noted]
            ),
            received_at=received.astimezone(UTC),
        )
        key = import_key(received, phone, content)
        return Planned(number, form, status or Status.NEW, key, meta, tuple(warnings))

    def _pick(
        self,
        number: int,
        name: str,
        texts: dict[str, str],
        matcher: Matcher,
        other: str,
        *,
        quote: bool,
    ) -> tuple[str, Problem | None]:
        value = texts.get(name, "")
        if not value:
            return other, None
        code = matcher.match(value)
        if code is not None:
            return code, None
        filed = "“Khác”" if name != h.KIND else "“Phản ánh”"
        said = f"“{value}”" if quote else "giá trị"
        reason = f"{said} không có trong danh mục: xếp vào {filed}, giữ nguyên chữ trong sổ"
        return other, Problem(number, self.title(name), reason)

    def _phone(self, number: int, raw: str) -> tuple[str, Problem | None]:
        """The phone as written; when it is not one number, the first valid one in it. A
        phone that is no number at all is kept as written (never quoted: it is personal)."""
        if not raw or normalise_phone(raw) is not None:
            return raw, None
        for part in _PHONE_SPLIT.split(raw):
            if normalise_phone(part) is not None:
                return part.strip(), None
        return raw, Problem(number, self.title(h.PHONE), "số điện thoại không hợp lệ: giữ như sổ")


def _footer(values: Sequence[object]) -> bool:
    text = " ".join(text_of(v) for v in values if not is_blank(v))
    return len(text) <= _FOOTER_MAX and _FOOTER.search(fold(text)) is not None


def import_key(received: datetime, phone: str, content: str) -> str:
    """The stable key of an imported report: its reception minute (UTC), its phone (E.164,
    or folded as written) and its content folded, hashed. The same report typed into two
    registers with other accents, spacing or phone format gets the same key."""
    e164 = normalise_phone(phone) if phone else None
    minute = received.astimezone(UTC).replace(second=0, microsecond=0)
    written = "".join(fold(phone).split())
    parts = (minute.isoformat(), e164 or written, " ".join(fold(content).split()))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
