"""The "Hoạt động đồng bộ" view's service (decision 53): the sync log's last lines, the changes
the server refused with its reasons, the conflicts the pull settled with the values that lost;
and sending the refused changes again once the cause is mended on the server.

A conflict of a report whose reporter is withheld (a denunciation, confidentiality asked for)
shows which fields lost, never their values: a lost value may be a former name or number,
which masking the present identity would not catch.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pakn_desktop.services.changes import Changes, Topic

if TYPE_CHECKING:
    from pakn_desktop.data.sync_activity import Conflict, ParkedChange
    from pakn_desktop.services.database import Database

    from .journal import SyncJournal

SHOWN = 500  # rows of each list; the totals say how many there are
LOG_LINES = 300
VALUE_CHARS = 200
HIDDEN = "(ẩn: danh tính người phản ánh được bảo vệ)"
EMPTY = "(trống)"

TABLE_WORDS: dict[str, str] = {
    "ticket": "Phản ánh",
    "reporter": "Người phản ánh",
    "ticket_event": "Diễn biến",
    "assignment": "Phân công đơn vị",
    "ticket_result": "Kết quả xử lý",
    "evidence": "Minh chứng",
    "blob": "Tệp minh chứng",
    "notification": "Tin nhắn, thư gửi đơn vị",
    "unit": "Đơn vị",
    "category": "Lĩnh vực",
    "channel": "Kênh tiếp nhận",
    "kind": "Loại phản ánh",
    "unit_contact": "Người liên hệ của đơn vị",
    "routing_rule": "Quy tắc chuyển xử lý",
    "setting": "Cài đặt",
    "sla_policy": "Thời hạn",
    "calendar_exception": "Ngày nghỉ, làm bù",
    "station": "Máy trạm",
    "app_user": "Người dùng",
}
FIELD_WORDS: dict[str, str] = {
    "summary": "tóm tắt",
    "content": "nội dung",
    "address": "địa chỉ",
    "channel_code": "kênh",
    "category_code": "lĩnh vực",
    "kind": "loại",
    "urgency": "mức độ",
    "province_code": "tỉnh",
    "commune_code": "xã, phường",
    "event_at": "thời điểm sự việc",
    "status": "trạng thái",
    "lead_unit_id": "đơn vị chủ trì",
    "due_at": "hạn xử lý",
    "closed_at": "thời điểm kết thúc",
    "answer": "nội dung trả lời",
    "handling_note": "ghi chú xử lý",
    "confidential": "giữ bí mật",
    "no_publish": "không công khai",
    "identity_protected": "bảo vệ danh tính",
    "full_name": "họ tên",
    "phone": "số điện thoại",
    "phone_raw": "số điện thoại (như đã ghi)",
    "email": "thư điện tử",
    "name": "tên",
    "contact_name": "người liên hệ",
    "contact_phone": "điện thoại liên hệ",
    "contact_email": "thư liên hệ",
    "active": "đang hoạt động",
    "result_text": "kết quả",
    "publication_text": "nội dung công khai",
    "value": "giá trị",
}


@dataclass(frozen=True)
class ConflictShown:
    at: datetime
    ticket_id: uuid.UUID
    code: str
    what: str  # the table, in Vietnamese
    fields: str  # the columns that lost, in Vietnamese
    lost: str  # their values as they were here, or HIDDEN
    station_code: str


@dataclass(frozen=True)
class ParkedShown:
    seq: int
    parked_at: datetime | None
    what: str  # the table and the operation, in Vietnamese
    code: str  # the report's code, "" when the row belongs to none
    reason: str


@dataclass(frozen=True)
class Activity:
    log: tuple[str, ...]  # the latest first
    log_path: Path
    parked: tuple[ParkedShown, ...]
    parked_total: int
    conflicts: tuple[ConflictShown, ...]
    conflicts_total: int


@dataclass(frozen=True)
class SentAgain:
    count: int

    @property
    def changes(self) -> Changes:
        return Changes.of(Topic.SYNC_OUTBOX)  # the sync runs a round with them


OPS = {"insert": "thêm", "update": "sửa", "delete": "xóa"}


class SyncActivity:
    def __init__(self, database: Database, journal: SyncJournal) -> None:
        self._database = database
        self._journal = journal

    def load(self, shown: int = SHOWN) -> Activity:
        from pakn_desktop.data import sync_activity, sync_local
        from pakn_desktop.data.protected import withheld

        with self._database.engine.connect() as conn:
            parked = sync_activity.parked(conn, shown)
            parked_total = sync_local.parked_count(conn)
            conflicts = sync_activity.conflicts(conn, shown)
            conflicts_total = sync_activity.conflict_count(conn)
            hidden = set(withheld(conn, sorted({c.ticket_id for c in conflicts})))
        return Activity(
            tuple(self._journal.tail(LOG_LINES)),
            self._journal.path,
            tuple(_parked(p) for p in parked),
            parked_total,
            tuple(_conflict(c, c.ticket_id in hidden) for c in conflicts),
            conflicts_total,
        )

    def send_again(self) -> SentAgain:
        """The refused changes pending again: the next round sends them (the server may
        refuse them again, with its reason)."""
        from pakn_desktop.data import sync_activity

        with self._database.writer.begin() as conn:
            return SentAgain(sync_activity.unpark(conn))


def _parked(p: ParkedChange) -> ParkedShown:
    what = f"{TABLE_WORDS.get(p.table, p.table)} ({OPS.get(p.op, p.op)})"
    return ParkedShown(p.seq, p.parked_at, what, p.code or "", p.reason)


def field_words(lost: dict[str, Any]) -> str:
    """The columns that lost, in Vietnamese."""
    return ", ".join(FIELD_WORDS.get(k, k) for k in lost)


def lost_words(lost: dict[str, Any], hidden: bool) -> str:
    """The values that lost, ``field: value; …`` (HIDDEN for a withheld reporter's report):
    this view's and the report's timeline's one wording."""
    if hidden:
        return HIDDEN
    return "; ".join(f"{FIELD_WORDS.get(k, k)}: {_value(v)}" for k, v in lost.items())


def _conflict(c: Conflict, hidden: bool) -> ConflictShown:
    what = TABLE_WORDS.get(c.table, c.table)
    lost = lost_words(c.lost, hidden)
    return ConflictShown(
        c.at, c.ticket_id, c.code, what, field_words(c.lost), lost, c.station_code or ""
    )


def _value(value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    text = " ".join(str(value).split())
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"
