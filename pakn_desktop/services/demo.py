"""Demo reports: N realistic, deterministic reports, written fast with Core bulk inserts."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import random
import time
import uuid
from bisect import bisect
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from hashlib import sha256 as _sha256
from typing import Any

from sqlalchemy import Column, Connection, insert, select, update

from pakn_desktop.data.models import (
    Base,
    CalendarException,
    CaseSequence,
    Commune,
    Province,
    SlaPolicy,
    Station,
    SyncState,
    Unit,
)
from pakn_desktop.data.outbox import rows_for_inserts
from pakn_desktop.domain.case_code import CaseCode
from pakn_desktop.domain.enums import OPEN_STATUSES, ChannelCode, Kind, Status
from pakn_desktop.domain.text import fold

from .database import Database

log = logging.getLogger(__name__)

DEMO_STATION_CODE = "DEMO"
HISTORY_DAYS = 90
CHUNK_TICKETS = 4_000  # ~20k synced rows (+ as many outbox rows) per transaction
CONTENT_HEAD = 200
RUNS_KEY = "demo_runs"
GENESIS_HASH = "0" * 64
# Vietnam keeps UTC+7 all year: the "local day" of a case code.
LOCAL_OFFSET_US = 7 * 3600 * 1_000_000

_US = 1_000_000
_MIN = 60 * _US
_HOUR = 60 * _MIN
_DAY = 24 * _HOUR
_EPOCH = datetime(1970, 1, 1)

Progress = Callable[[int, int], None]

# --- time and id encodings ----------------------------------------------------------------


def _iso(us: int) -> str:
    """The outbox/JSON form of a UTC instant, exactly as ``outbox.to_json`` writes an aware
    datetime (microseconds omitted when zero)."""
    return (_EPOCH + timedelta(microseconds=us)).isoformat() + "+00:00"


def _uuid7(rng: random.Random, us: int) -> str:
    """A UUIDv7 laid out from ``us`` (ms precision) and seeded random bits, in dashed form."""
    bits = rng.getrandbits(74)
    value = (
        (us // 1000) << 80 | 0x7 << 76 | (bits >> 62) << 64 | 0b10 << 62 | (bits & (1 << 62) - 1)
    )
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def canonical_event_json(event: Mapping[str, Any]) -> str:
    """The hashed form of a timeline event: its JSON fields but the hashes, keys sorted."""
    body = {k: v for k, v in event.items() if k not in ("prev_hash", "hash")}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    """``sha256(prev_hash + canonical JSON)``; the first event of a ticket chains to 64 zeros."""
    return hashlib.sha256((prev_hash + canonical_event_json(event)).encode()).hexdigest()


def phone_search_digits(phone: str | None) -> list[str]:
    """The digits of a phone as given, plus its national form when given with +84/84."""
    if not phone:
        return []
    digits = "".join(c for c in phone if c.isdigit())
    if digits.startswith("84") and len(digits) in (11, 12):
        return [digits, "0" + digits[2:]]
    return [digits]


def search_text(
    code: str,
    summary: str,
    content: str,
    reporter_name: str | None,
    phone: str | None,
    address: str | None,
) -> str:
    """``ticket.search_text``: folded code, summary, content head, reporter, phone, address."""
    parts = [code, summary, content[:CONTENT_HEAD], reporter_name or ""]
    parts += phone_search_digits(phone)
    parts.append(address or "")
    return fold(" ".join(p for p in parts if p))


# --- storing rows -------------------------------------------------------------------------

_UUID, _TIME, _BOOL, _JSON = "uuid", "time", "bool", "json"
_SYNCED = ("station", "unit", "reporter", "ticket", "ticket_event", "assignment")
_OUTBOX_COLUMNS = ("change_id", "table_name", "row_id", "op", "payload", "created_at", "attempts")


def _stored_time(value: str) -> str:
    """SQLAlchemy's SQLite DATETIME text (naive UTC, always 6 fraction digits) of an ISO instant
    in the JSON form ``_iso`` writes."""
    text = value[:-6]
    if len(text) == 19:
        return f"{text[:10]} {text[11:]}.000000"
    return f"{text[:10]} {text[11:]}"


def _column_kind(column: Column[Any]) -> str | None:
    from sqlalchemy import JSON, Boolean, Uuid

    from pakn_desktop.data.types import UtcDateTime

    if isinstance(column.type, Uuid):
        return _UUID
    if isinstance(column.type, UtcDateTime):
        return _TIME
    if isinstance(column.type, Boolean):
        return _BOOL
    if isinstance(column.type, JSON):
        return _JSON
    return None


def _unhyphen(value: str) -> str:
    return value.replace("-", "")


class _Writer:
    """Inserts JSON-ready rows (the outbox payload form) with their outbox rows.

    Rows are built once, as the outbox payload must carry them (``outbox.to_json`` forms:
    dashed UUIDs, aware ISO instants); each engine's writer turns them into what it binds.
    """

    def insert(self, conn: Connection, name: str, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError


def _tuple_maker(columns: Sequence[Column[Any]]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function turning a JSON-form row into the tuple SQLite stores, one call per row.

    Built from the table's columns, so it follows the model; generated as source because a
    loop over the columns per row cost more than the insert it feeds.
    """
    fixes = {_UUID: "_unhyphen", _TIME: "_stored_time", _BOOL: "int", _JSON: "_dumps"}
    parts = []
    for column in columns:
        value = f"row[{column.name!r}]"
        kind = _column_kind(column)
        if kind is None:
            parts.append(value)
        elif column.nullable:
            parts.append(f"(None if (v := {value}) is None else {fixes[kind]}(v))")
        else:
            parts.append(f"{fixes[kind]}({value})")
    source = f"def make(row):\n    return ({', '.join(parts)},)\n"
    scope: dict[str, Any] = {
        "_unhyphen": _unhyphen,
        "_stored_time": _stored_time,
        "_dumps": json.dumps,
    }
    exec(compile(source, f"<demo row maker {columns[0].table}>", "exec"), scope)
    maker: Callable[[Mapping[str, Any]], tuple[Any, ...]] = scope["make"]
    return maker


class _SqliteWriter(_Writer):
    """Binds the text the ORM's types store on SQLite (32-hex UUIDs, naive UTC
    ``YYYY-MM-DD HH:MM:SS.ffffff``, 0/1, JSON text) as tuples straight to the driver's
    executemany: SQLAlchemy's per-row parameter processing cost more than the insert itself.
    ``test_demo`` reads the rows back through the ORM to prove the stored values identical."""

    def __init__(self, conn: Connection) -> None:
        quote = conn.dialect.identifier_preparer.quote
        self.sql: dict[str, str] = {}
        self.makers: dict[str, Callable[[Mapping[str, Any]], tuple[Any, ...]]] = {}
        for name in _SYNCED:
            columns = list(Base.metadata.tables[name].columns)
            self.sql[name] = self._sql(quote, name, [c.name for c in columns])
            self.makers[name] = _tuple_maker(columns)
        self.sql["outbox"] = self._sql(quote, "outbox", list(_OUTBOX_COLUMNS))

    @staticmethod
    def _sql(quote: Callable[[str], str], name: str, columns: list[str]) -> str:
        names = ", ".join(quote(c) for c in columns)
        marks = ", ".join("?" for _ in columns)
        return f"INSERT INTO {quote(name)} ({names}) VALUES ({marks})"

    def insert(self, conn: Connection, name: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        conn.exec_driver_sql(self.sql[name], list(map(self.makers[name], rows)))
        entries = rows_for_inserts(name, rows)
        stamp = _stored_time(entries[0]["created_at"].isoformat())
        dumps = json.dumps
        conn.exec_driver_sql(
            self.sql["outbox"],
            [
                (e["change_id"].hex, name, e["row_id"], "insert", dumps(e["payload"]), stamp, 0)
                for e in entries
            ],
        )


class _TypedWriter(_Writer):
    """Any other engine: Python values through the typed tables (engine-neutral Core)."""

    def __init__(self) -> None:
        self.fixes = {
            name: [
                (c.name, kind)
                for c in Base.metadata.tables[name].columns
                if (kind := _column_kind(c)) in (_UUID, _TIME)
            ]
            for name in _SYNCED
        }

    def insert(self, conn: Connection, name: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        fixes = self.fixes[name]
        params = []
        for row in rows:
            values = dict(row)
            for key, kind in fixes:
                value = values[key]
                if value is not None:
                    values[key] = (
                        uuid.UUID(value) if kind == _UUID else datetime.fromisoformat(value)
                    )
            params.append(values)
        conn.execute(insert(Base.metadata.tables[name]), params)
        conn.execute(insert(Base.metadata.tables["outbox"]), rows_for_inserts(name, rows))


# --- the catalogue: names, places, texts ----------------------------------------------------

_HO = (
    ("Nguyễn", 31.5), ("Trần", 10.9), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 5.1),
    ("Huỳnh", 5.1), ("Phan", 4.5), ("Vũ", 3.9), ("Võ", 3.9), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Trương", 1.0), ("Đinh", 1.0),
    ("Lý", 0.5), ("Lâm", 0.5), ("Mai", 0.5), ("Đoàn", 0.5), ("Cao", 0.4), ("Lương", 0.4),
    ("Hà", 0.4), ("Tạ", 0.3), ("Châu", 0.3),
)  # fmt: skip
_DEM_NAM = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Đình", "Ngọc",
            "Quang", "Tuấn", "Hoàng", "Trọng", "Gia", "Bảo")  # fmt: skip
_DEM_NU = ("Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Hồng", "Thùy", "Bích", "Phương",
           "Diệu", "Khánh", "Minh", "Bảo", "Hoài")  # fmt: skip
_TEN_NAM = ("An", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy",
            "Khang", "Khoa", "Kiên", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc",
            "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Trung", "Tuấn", "Tùng",
            "Việt", "Vinh", "Vũ", "Đông", "Khải")  # fmt: skip
_TEN_NU = ("Anh", "Châu", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương",
           "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung",
           "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Trâm", "Tuyết", "Uyên",
           "Vân", "Vy", "Xuân", "Yến", "Đào")  # fmt: skip

_STREETS = (
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt", "Điện Biên Phủ",
    "Nguyễn Trãi", "Phan Chu Trinh", "Quang Trung", "Hùng Vương", "Lê Duẩn", "Võ Thị Sáu",
    "Nguyễn Thị Minh Khai", "Cách Mạng Tháng Tám", "Trần Phú", "Nguyễn Văn Cừ", "Lê Thánh Tông",
    "Phạm Ngũ Lão", "Bà Triệu", "Tôn Đức Thắng", "Nguyễn Du", "Hoàng Diệu", "Lạc Long Quân",
    "Âu Cơ", "Kim Mã", "Giải Phóng", "Xã Đàn", "Cầu Giấy", "Nguyễn Chí Thanh", "Trường Chinh",
    "Lê Văn Sỹ", "Phan Đăng Lưu", "Xô Viết Nghệ Tĩnh", "Nguyễn Oanh", "Quốc lộ 1A", "Tỉnh lộ 10",
    "Thống Nhất", "Yersin", "Pasteur", "Hoàng Văn Thụ", "Nguyễn Tất Thành", "Võ Văn Kiệt",
    "Phạm Văn Đồng", "23 Tháng 10", "2 Tháng 4", "Đặng Thai Mai", "Lò Đúc", "Đội Cấn",
)  # fmt: skip
_PLACES = (
    "khu vực chợ dân sinh", "cổng trường tiểu học", "công viên trong khu dân cư", "trạm xe buýt",
    "chân cầu vượt", "đầu hẻm", "khu tập thể cũ", "nhà văn hóa tổ dân phố", "cổng bệnh viện",
    "khu công nghiệp", "bờ kênh", "chung cư", "ngã ba đường", "bãi đất trống", "bến đò",
)  # fmt: skip

# Per category: summaries ({street}, {place}, {n} slots) and detail sentences.
_TEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "trat_tu_do_thi": (
        ("Lấn chiếm vỉa hè trên đường {street}",
         "Buôn bán hàng rong gây mất trật tự tại {place}",
         "Dựng biển quảng cáo trái phép trên đường {street}",
         "Đậu xe trên vỉa hè, lòng đường {street}"),
        ("Nhiều hộ kinh doanh bày hàng hóa lấn chiếm toàn bộ vỉa hè, người đi bộ phải đi xuống "
         "lòng đường rất nguy hiểm.",
         "Tình trạng này diễn ra thường xuyên vào buổi sáng và chiều tối, lực lượng chức năng có "
         "nhắc nhở nhưng sau đó đâu lại vào đấy.",
         "Các quán ăn kê bàn ghế tràn ra vỉa hè, xả nước thải ra lòng đường."),
    ),
    "trat_tu_cong_cong": (
        ("Karaoke gây ồn ào sau 22 giờ tại {place}",
         "Nhóm thanh niên tụ tập gây mất trật tự trên đường {street}",
         "Đua xe trái phép vào ban đêm trên đường {street}",
         "Hát karaoke kẹo kéo gây ồn ào khu dân cư"),
        ("Tiếng nhạc mở rất lớn kéo dài đến khuya, ảnh hưởng nghiêm trọng đến việc nghỉ ngơi "
         "của người già và trẻ nhỏ.",
         "Người dân đã nhắc nhở nhiều lần nhưng không có chuyển biến.",
         "Nhóm thanh niên thường tụ tập từ 23 giờ đến 2 giờ sáng, rồ ga, lạng lách."),
    ),
    "trat_tu_an_toan_giao_thong": (
        ("Đèn tín hiệu giao thông tại ngã tư {street} bị hỏng",
         "Xe tải chở vật liệu rơi vãi trên đường {street}",
         "Ùn tắc giao thông kéo dài trên đường {street} giờ cao điểm",
         "Ổ gà lớn giữa đường {street} gây nguy hiểm"),
        ("Đèn tín hiệu không hoạt động từ sáng, các phương tiện đi lại lộn xộn, nguy cơ xảy ra "
         "tai nạn.",
         "Đã có nhiều người đi xe máy bị té ngã do đất đá rơi vãi trên mặt đường.",
         "Mặt đường có nhiều ổ gà sâu, trời mưa đọng nước nên người đi đường không quan sát được."),
    ),
    "trat_tu_xay_dung": (
        ("Công trình xây dựng không che chắn tại số {n} đường {street}",
         "Xây dựng nhà trái phép trên đất nông nghiệp gần {place}",
         "Công trình thi công ban đêm gây ồn ào trên đường {street}",
         "Nhà xây dựng sai phép, lấn ra hẻm chung"),
        ("Công trình không có lưới che chắn, vật liệu rơi xuống đường, bụi bặm ảnh hưởng đến các "
         "hộ xung quanh.",
         "Chủ công trình cho thi công cả ban đêm, tiếng máy khoan, máy trộn bê tông rất ồn.",
         "Theo người dân, công trình không treo biển thông tin giấy phép xây dựng."),
    ),
    "ve_sinh_moi_truong": (
        ("Rác thải tập kết sai quy định tại {place}",
         "Đốt rác gây khói bụi tại khu dân cư gần đường {street}",
         "Cơ sở sản xuất xả nước thải ra kênh gần đường {street}",
         "Xác động vật chết bốc mùi hôi thối trên đường {street}"),
        ("Rác thải sinh hoạt bị đổ thành đống lớn, bốc mùi hôi thối, ruồi muỗi phát sinh nhiều.",
         "Khói đốt rác bay vào nhà dân gây khó thở, đặc biệt là vào buổi chiều tối.",
         "Nước thải có màu đen, mùi hôi nồng nặc, cá chết nổi trên mặt kênh."),
    ),
    "ve_sinh_an_toan_thuc_pham": (
        ("Quán ăn đường phố không đảm bảo vệ sinh tại {place}",
         "Nghi ngộ độc thực phẩm sau khi ăn tại quán trên đường {street}",
         "Bán thực phẩm không rõ nguồn gốc tại {place}",
         "Cơ sở giết mổ gia súc trái phép trong khu dân cư"),
        ("Thực phẩm để lộ thiên, không che đậy, người bán không đeo găng tay khi chế biến.",
         "Sau khi ăn, gia đình có 3 người bị đau bụng, nôn ói, phải đi khám tại trạm y tế.",
         "Hàng hóa không có nhãn mác, không ghi hạn sử dụng."),
    ),
    "phong_chong_chay_no": (
        ("Kho chứa hàng dễ cháy trong khu dân cư tại {place}",
         "Dây điện chằng chịt có nguy cơ chập cháy trên đường {street}",
         "Cửa hàng gas không đảm bảo an toàn phòng cháy",
         "Khói bốc ra từ nhà kho trên đường {street}"),
        ("Kho chứa nhiều hàng hóa dễ cháy nhưng không trang bị bình chữa cháy, lối thoát nạn bị "
         "chắn.",
         "Dây điện, cáp viễn thông chằng chịt, có lúc phát ra tia lửa khi trời mưa.",
         "Người dân lo ngại nếu xảy ra cháy sẽ rất khó cứu chữa vì hẻm nhỏ, xe chữa cháy không "
         "vào được."),
    ),
    "phong_chong_dich_benh": (
        ("Nhiều ca sốt xuất huyết trong khu dân cư gần {place}",
         "Đề nghị phun thuốc diệt muỗi tại khu phố",
         "Ao tù nước đọng gây phát sinh muỗi trên đường {street}"),
        ("Trong khu phố đã có nhiều người bị sốt xuất huyết phải nhập viện trong tháng này.",
         "Khu vực có nhiều vật dụng chứa nước đọng, lăng quăng phát triển.",
         "Người dân mong muốn được hướng dẫn các biện pháp phòng bệnh."),
    ),
    "ha_tang_do_thi": (
        ("Hư hỏng hạ tầng kỹ thuật trên đường {street}",
         "Nắp hố ga bị mất tại {place}"),
        ("Nắp hố ga bị mất, để lộ miệng hố sâu, rất nguy hiểm cho người đi đường nhất là ban đêm.",
         "Vỉa hè bị sụt lún, gạch lát bong tróc nhiều đoạn."),
    ),
    "ha_tang_do_thi.cap_thoat_nuoc": (
        ("Ngập nước sau mưa trên đường {street}",
         "Mất nước sinh hoạt nhiều ngày tại {place}",
         "Vỡ đường ống cấp nước trên đường {street}",
         "Cống thoát nước bị tắc, nước thải tràn lên mặt đường {street}"),
        ("Mỗi khi mưa lớn, nước ngập sâu khoảng 40–50 cm, nhiều xe chết máy, nước tràn vào nhà "
         "dân.",
         "Khu vực bị mất nước từ 3 ngày nay, chưa nhận được thông báo của đơn vị cấp nước.",
         "Nước chảy lênh láng ra đường, lãng phí và gây trơn trượt."),
    ),
    "ha_tang_do_thi.cay_xanh": (
        ("Cây xanh có nguy cơ gãy đổ trên đường {street}",
         "Cây đổ chắn ngang đường {street} sau mưa giông",
         "Cành cây vướng vào đường dây điện tại {place}"),
        ("Cây lớn bị nghiêng, rễ trồi lên làm nứt vỉa hè, người dân lo ngại cây đổ khi có mưa bão.",
         "Cây đổ chắn ngang đường làm ách tắc giao thông, may mắn không có thiệt hại về người.",
         "Cành cây phát triển chạm vào dây điện, khi có gió phát ra tia lửa."),
    ),
    "ha_tang_do_thi.chieu_sang": (
        ("Đèn chiếu sáng công cộng không hoạt động trên đường {street}",
         "Đèn đường bật sáng cả ban ngày tại {place}",
         "Trụ đèn chiếu sáng bị nghiêng, hở điện trên đường {street}"),
        ("Cả tuyến đường tối om vào ban đêm, người dân đi lại khó khăn, tiềm ẩn nguy cơ mất an "
         "ninh trật tự.",
         "Đèn đường sáng suốt cả ngày, gây lãng phí điện.",
         "Trụ đèn bị hở nắp, dây điện lòi ra ngoài, trẻ em hay chơi gần đó."),
    ),
    "ha_tang_do_thi.vien_thong": (
        ("Cáp viễn thông bị đứt, buông thõng xuống đường {street}",
         "Dây cáp chằng chịt, mất mỹ quan tại {place}",
         "Trạm phát sóng xây dựng sát nhà dân trên đường {street}"),
        ("Dây cáp viễn thông bị đứt rơi xuống sát mặt đường, xe máy đi qua dễ bị vướng.",
         "Nhiều bó cáp không còn sử dụng nhưng chưa được thu hồi, treo lơ lửng trên cột điện.",
         "Người dân đề nghị doanh nghiệp viễn thông kiểm tra, thu hồi cáp không sử dụng."),
    ),
    "thai_do_can_bo": (
        ("Cán bộ tiếp dân có thái độ thiếu tôn trọng tại bộ phận một cửa",
         "Hồ sơ bị trả chậm so với giấy hẹn",
         "Cán bộ gây khó khăn khi giải quyết thủ tục hành chính"),
        ("Khi đến nộp hồ sơ, cán bộ tiếp nhận trả lời cộc lốc, không hướng dẫn cụ thể.",
         "Hồ sơ đã quá hạn hẹn trả hơn 10 ngày nhưng chưa có kết quả và không được giải thích lý "
         "do.",
         "Người dân phải đi lại nhiều lần do mỗi lần cán bộ yêu cầu bổ sung một loại giấy tờ "
         "khác nhau."),
    ),
    "khac": (
        ("Đề nghị lắp đặt gờ giảm tốc trước {place}",
         "Thủ tục cấp giấy chứng nhận quyền sử dụng đất",
         "Chó thả rông không rọ mõm trên đường {street}",
         "Tiếng ồn từ cơ sở sản xuất gần khu dân cư"),
        ("Người dân mong cơ quan chức năng sớm xem xét, giải quyết.",
         "Tình trạng kéo dài đã lâu, gây bức xúc cho người dân trong khu vực.",
         "Người dân đã phản ánh qua tổ dân phố nhưng chưa được giải quyết."),
    ),
}  # fmt: skip

# Summary prefix ({s}: the category summary, first letter lowered) and content lead per kind.
_KIND_TEXT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "phan_anh": (("{S}",), ("Phản ánh tình trạng {s}.", "Người dân phản ánh: {s}.")),
    "kien_nghi": (
        ("{S}", "Kiến nghị xử lý: {s}"),
        ("Kiến nghị cơ quan chức năng xử lý việc {s}.", "Đề nghị xem xét tình trạng {s}."),
    ),
    "hoi_dap": (
        ("Hỏi về {s}",),
        ("Xin hỏi trường hợp {s} thì liên hệ cơ quan nào để được giải quyết?",),
    ),
    "gop_y": (
        ("Góp ý về {s}",),
        ("Góp ý: cần có giải pháp lâu dài đối với tình trạng {s}.",),
    ),
    "to_giac": (("Tố giác: {s}",), ("Tố giác hành vi vi phạm: {s}.",)),
    "khieu_nai": (
        ("Khiếu nại: {s}",),
        ("Khiếu nại việc {s}, đề nghị xem xét lại quyết định đã ban hành.",),
    ),
    "to_cao": (("Tố cáo: {s}",), ("Tố cáo hành vi sai phạm liên quan đến việc {s}.",)),
}

_OPENINGS: dict[str, tuple[str, ...]] = {
    "hotline": ("Công dân gọi đường dây nóng.", "Người dân gọi điện đến đường dây nóng."),
    "fanpage": ("Tin nhắn gửi qua fanpage, kèm ảnh chụp màn hình.", "Bình luận trên fanpage:"),
    "zalo": ("Tin nhắn gửi đến Zalo OA:", "Tin nhắn Zalo kèm hình ảnh hiện trường."),
    "web": ("Gửi qua Cổng thông tin điện tử.",),
    "app": ("Gửi qua ứng dụng di động, kèm hình ảnh hiện trường.",),
    "email": ("Thư điện tử gửi đến hộp thư tiếp nhận.",),
    "chatbot": ("Nội dung ghi nhận qua chatbot.",),
    "walk_in": ("Công dân đến trực tiếp trình bày.",),
    "letter": ("Đơn gửi qua đường bưu điện.",),
}
_WHEN = (
    "Thời gian: khoảng {h} giờ tối qua.", "Thời gian: sáng nay.",
    "Tình trạng kéo dài nhiều ngày nay.", "Thời gian: khoảng {h} giờ chiều nay.",
    "Sự việc xảy ra từ tuần trước.",
)  # fmt: skip
_CLOSINGS = (
    "Đề nghị cơ quan chức năng kiểm tra, xử lý dứt điểm.", "Mong được phản hồi sớm.",
    "Xin cảm ơn.", "Đề nghị kiểm tra, xử lý và thông báo kết quả cho người dân.",
    "Rất mong chính quyền địa phương quan tâm giải quyết.",
)  # fmt: skip
_ADDRESS_HEADS = (
    "Số {n} đường {street}", "Trước số nhà {n} đường {street}",
    "Khu vực {place} gần đường {street}",
)  # fmt: skip
_ADDRESS_CUM = (0.5, 0.75, 1.0)
_CONFIDENTIAL = "Đề nghị giữ bí mật thông tin người phản ánh."

_CHANNEL_WEIGHTS = {
    "hotline": 40, "fanpage": 18, "zalo": 12, "web": 10, "app": 8, "email": 4, "chatbot": 4,
    "walk_in": 2, "letter": 2,
}  # fmt: skip
_KIND_WEIGHTS = {
    "phan_anh": 55, "kien_nghi": 18, "hoi_dap": 12, "gop_y": 6, "to_giac": 5, "khieu_nai": 2.5,
    "to_cao": 1.5,
}  # fmt: skip
_CATEGORY_WEIGHTS = {
    "trat_tu_do_thi": 14, "trat_tu_cong_cong": 8, "trat_tu_an_toan_giao_thong": 12,
    "trat_tu_xay_dung": 10, "ve_sinh_moi_truong": 14, "ve_sinh_an_toan_thuc_pham": 5,
    "phong_chong_chay_no": 3, "phong_chong_dich_benh": 2, "ha_tang_do_thi": 2,
    "ha_tang_do_thi.cap_thoat_nuoc": 8, "ha_tang_do_thi.cay_xanh": 5,
    "ha_tang_do_thi.chieu_sang": 5, "ha_tang_do_thi.vien_thong": 3, "thai_do_can_bo": 3, "khac": 6,
}  # fmt: skip
_OWN_PROCEDURE_CATEGORIES = {"thai_do_can_bo": 40, "trat_tu_xay_dung": 25, "khac": 35}

# Status mix by age of the report (hours): recent ones are still open, old ones mostly closed.
_S = Status
_STATUS_BY_AGE: tuple[tuple[float, dict[Status, float]], ...] = (
    (0.1, {_S.NEW: 60, _S.SCREENING: 30, _S.FORWARDED: 10}),
    (1.0, {_S.NEW: 8, _S.SCREENING: 7, _S.FORWARDED: 30, _S.ACCEPTED: 25, _S.IN_PROGRESS: 20,
           _S.RESULT_RECORDED: 5, _S.DUPLICATE: 2, _S.REJECTED: 1, _S.RETURNED: 2}),
    (24.0, {_S.NEW: 0.5, _S.SCREENING: 0.5, _S.FORWARDED: 6, _S.ACCEPTED: 8, _S.IN_PROGRESS: 14,
            _S.RESULT_RECORDED: 20, _S.ANSWERED: 15, _S.PUBLISHED: 8, _S.CLOSED: 18,
            _S.RETURNED: 3, _S.NOT_COMPETENT: 3, _S.DUPLICATE: 3, _S.REJECTED: 2}),
    (168.0, {_S.NEW: 0.2, _S.SCREENING: 0.2, _S.FORWARDED: 1, _S.ACCEPTED: 1, _S.IN_PROGRESS: 4,
             _S.RESULT_RECORDED: 8, _S.ANSWERED: 15, _S.PUBLISHED: 15, _S.CLOSED: 45,
             _S.RETURNED: 1, _S.NOT_COMPETENT: 3, _S.DUPLICATE: 4, _S.REJECTED: 3}),
    (float("inf"), {_S.NEW: 0.1, _S.SCREENING: 0.1, _S.FORWARDED: 0.3, _S.ACCEPTED: 0.5,
                    _S.IN_PROGRESS: 1.5, _S.RESULT_RECORDED: 3, _S.ANSWERED: 10,
                    _S.PUBLISHED: 20, _S.CLOSED: 55, _S.RETURNED: 0.5, _S.NOT_COMPETENT: 3,
                    _S.DUPLICATE: 4, _S.REJECTED: 3}),
)  # fmt: skip
_WITH_UNIT = frozenset(
    {_S.FORWARDED, _S.ACCEPTED, _S.IN_PROGRESS, _S.RESULT_RECORDED, _S.ANSWERED, _S.PUBLISHED,
     _S.CLOSED, _S.RETURNED, _S.NOT_COMPETENT}
)  # fmt: skip
_ACCEPTED = frozenset(
    {_S.ACCEPTED, _S.IN_PROGRESS, _S.RESULT_RECORDED, _S.ANSWERED, _S.PUBLISHED, _S.CLOSED}
)
# After the result: each status and the delay to the next one (minimum, spread; minutes).
_CLOSING_STEPS: tuple[tuple[Status, tuple[float, float]], ...] = (
    (_S.RESULT_RECORDED, (5, 55)),
    (_S.ANSWERED, (10, 600)),
    (_S.PUBLISHED, (0, 120)),
)
_VERSION = {
    _S.NEW: 1, _S.SCREENING: 2, _S.FORWARDED: 3, _S.ACCEPTED: 4, _S.IN_PROGRESS: 5,
    _S.RESULT_RECORDED: 6, _S.ANSWERED: 7, _S.PUBLISHED: 8, _S.CLOSED: 8, _S.RETURNED: 4,
    _S.NOT_COMPETENT: 4, _S.DUPLICATE: 2, _S.REJECTED: 2,
}  # fmt: skip
# Hours of the (local) day people report in.
_HOUR_WEIGHTS = (1, 0.5, 0.3, 0.3, 0.5, 1.5, 3, 6, 9, 10, 10, 9, 6, 6, 9, 9, 9, 8, 6, 6, 5, 4, 3, 2)

_MOBILE_PREFIXES = (
    "086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039", "088",
    "091", "094", "081", "082", "083", "084", "085", "090", "093", "070", "076", "077",
    "078", "079", "092", "056", "058", "059", "0896", "0897", "0898", "0899", "0993", "0996",
    "0997", "0998",
)  # fmt: skip
# Landline area codes of the focus provinces (Hà Nội, TP.HCM, Khánh Hòa) and a few others.
PhoneFormat = Callable[[str], str]


def _landline_parts(n: str) -> tuple[str, str, str]:
    area = n[:3] if n[:3] in ("024", "028") else n[:4]
    sub = n[len(area) :]
    return area, sub[: len(sub) // 2], sub[len(sub) // 2 :]


def _fmt_landline(pattern: str) -> PhoneFormat:
    def apply(n: str) -> str:
        area, a, b = _landline_parts(n)
        return pattern.format(area=area, a=a, b=b, tail=area[1:])

    return apply


# (cumulative thresholds, then one format per band): how people give their numbers.
_MOBILE_FORMATS: tuple[Any, ...] = (
    (0.30, 0.50, 0.62, 0.68, 0.74, 0.83, 0.90, 0.96),
    lambda n: n,  # 0912345678
    lambda n: f"{n[:4]} {n[4:7]} {n[7:]}",  # 0912 345 678
    lambda n: f"{n[:4]}.{n[4:7]}.{n[7:]}",  # 0912.345.678
    lambda n: f"{n[:4]}-{n[4:7]}-{n[7:]}",  # 0912-345-678
    lambda n: f"{n[:3]} {n[3:6]} {n[6:]}",  # 091 234 5678
    lambda n: f"+84 {n[1:4]} {n[4:7]} {n[7:]}",  # +84 912 345 678
    lambda n: f"+84{n[1:]}",  # +84912345678
    lambda n: f"84{n[1:]}",  # 84912345678
    lambda n: f"(+84) {n[1:]}",  # (+84) 912345678
)
_LANDLINE_FORMATS: tuple[Any, ...] = (
    (0.35, 0.60, 0.80, 0.90),
    _fmt_landline("({area}) {a} {b}"),  # (028) 3822 1234
    _fmt_landline("{area} {a} {b}"),  # 028 3822 1234
    lambda n: n,  # 02838221234
    _fmt_landline("{area}.{a}{b}"),  # 028.38221234
    _fmt_landline("+84 {tail} {a} {b}"),  # +84 28 3822 1234
)
_PROVINCE_AREA = {"01": "024", "79": "028", "56": "0258", "48": "0236", "31": "0225"}
_AREA_CODES = ("024", "028", "0258", "0236", "0225", "0292", "0251")
_FOCUS_PROVINCES = (("01", 0.35), ("79", 0.30), ("56", 0.15))


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = float(sum(weights))
    acc, out = 0.0, []
    for w in weights:
        acc += w
        out.append(acc / total)
    out[-1] = 1.0
    return out


@dataclass(frozen=True)
class _Choice:
    items: tuple[Any, ...]
    cum: tuple[float, ...]

    @classmethod
    def of(cls, weights: Mapping[Any, float]) -> _Choice:
        return cls(tuple(weights), tuple(_cumulative(list(weights.values()))))

    def pick(self, r: float) -> Any:
        return self.items[bisect(self.cum, r)]


@lru_cache(maxsize=65536)
def _f(text: str) -> str:
    """fold() of a catalogue piece; pieces repeat, so each is folded once."""
    return fold(text)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- the generator ------------------------------------------------------------------------


@dataclass
class _Place:
    code: str
    province_code: str
    name: str
    folded: str
    province_name: str
    province_folded: str


@dataclass
class _Policy:
    channel: str | None
    category: str | None
    kind: str | None
    urgency: str | None
    forward_minutes: int
    resolve_amount: int
    resolve_unit: str
    priority: int


@dataclass
class _Reporter:
    id: str
    name: str
    name_folded: str
    national: str | None  # 0xxxxxxxxx, the number behind every format it is given in
    landline: bool
    phone: str | None  # as stored in this reporter's row


@dataclass
class _Chunk:
    units: list[dict[str, Any]] = field(default_factory=list)
    reporters: list[dict[str, Any]] = field(default_factory=list)
    tickets: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    days: dict[date, int] = field(default_factory=dict)


class _Generator:
    def __init__(self, conn: Connection, rng: random.Random, now_us: int, station_id: str) -> None:
        self.rng = rng
        self.r = rng.random
        self.now = now_us
        self.station_id = station_id
        self.channels = _Choice.of(_CHANNEL_WEIGHTS)
        self.kinds = _Choice.of(_KIND_WEIGHTS)
        self.categories = _Choice.of(_CATEGORY_WEIGHTS)
        self.own_categories = _Choice.of(_OWN_PROCEDURE_CATEGORIES)
        self.urgencies = _Choice.of({"normal": 85, "urgent": 12, "emergency": 3})
        self.ho = _Choice.of(dict(_HO))
        self.hours = _cumulative(_HOUR_WEIGHTS)
        self.status_by_age = [(limit, _Choice.of(w)) for limit, w in _STATUS_BY_AGE]
        local_now = now_us + LOCAL_OFFSET_US
        self.today_start = local_now - local_now % _DAY - LOCAL_OFFSET_US
        self.window_start = self.today_start - (HISTORY_DAYS - 1) * _DAY
        self._load_places(conn)
        self._load_calendar(conn)
        self._load_policies(conn)
        self.units: dict[str, str] = {
            code: str(uid)
            for code, uid in conn.execute(
                select(Unit.code, Unit.id).where(Unit.code.like("DEMO-%"))
            )
        }
        self.frequent: list[_Reporter] = []
        self.last_by_category: dict[str, str] = {}
        self.policy_cache: dict[tuple[str, str, str, str], _Policy] = {}
        self.due_cache: dict[tuple[date, int], date] = {}
        self.index = 0
        # Coverage: the first reports of a run take every status, channel and kind once.
        self.forced_status = list(Status)
        self.forced_channel = list(ChannelCode)
        self.forced_kind = list(Kind)
        for forced in (self.forced_status, self.forced_channel, self.forced_kind):
            rng.shuffle(forced)

    # -- reference data ------------------------------------------------------------------

    def _load_places(self, conn: Connection) -> None:
        rows = conn.execute(
            select(Province.code, Province.name, Province.folded, Province.division_type)
        ).all()
        provinces = {code: (name, folded) for code, name, folded, _kind in rows}
        # "UBND thành phố Hà Nội", "Sở Y tế tỉnh Khánh Hòa"; mail at hanoi.gov.vn, khanhhoa…
        self.province_info: dict[str, tuple[str, str]] = {}
        for code, name, folded, division_type in rows:
            city = folded.startswith("thanh pho ")
            owner = _lower_first(name) if city else f"{division_type} {name}"
            short = folded.removeprefix("thanh pho ").removeprefix("tinh ")
            domain = "".join(c for c in short if c.isalnum()) + ".gov.vn"
            self.province_info[code] = (owner, domain)
        by_province: dict[str, list[_Place]] = {}
        communes = conn.execute(
            select(Commune.code, Commune.province_code, Commune.name, Commune.folded).order_by(
                Commune.code
            )
        )
        for code, province, name, folded in communes:
            pname, pfolded = provinces[province]
            place = _Place(code, province, name, folded, pname, pfolded)
            by_province.setdefault(province, []).append(place)
        if not by_province:
            raise RuntimeError("reference data missing: run reference.ensure first")
        self.all_places = [p for code in sorted(by_province) for p in by_province[code]]
        self.provinces = provinces
        focus = [(c, w) for c, w in _FOCUS_PROVINCES if c in by_province]
        self.focus_cum = _cumulative([w for _c, w in focus] + [1 - sum(w for _c, w in focus)])
        self.focus: list[tuple[list[_Place], list[_Place]]] = []
        for code, _w in focus:
            places = list(by_province[code])
            hot = self.rng.sample(places, min(40, len(places)))
            self.focus.append((hot, places))

    def _load_calendar(self, conn: Connection) -> None:
        self.off_days: set[date] = set()
        self.work_days: set[date] = set()
        for day, kind in conn.execute(select(CalendarException.day, CalendarException.kind)):
            (self.work_days if kind == "workday" else self.off_days).add(day)

    def _load_policies(self, conn: Connection) -> None:
        self.policies = [
            _Policy(*row)
            for row in conn.execute(
                select(
                    SlaPolicy.channel_code,
                    SlaPolicy.category_code,
                    SlaPolicy.kind,
                    SlaPolicy.urgency,
                    SlaPolicy.forward_minutes,
                    SlaPolicy.resolve_amount,
                    SlaPolicy.resolve_unit,
                    SlaPolicy.priority,
                ).order_by(SlaPolicy.priority.desc(), SlaPolicy.name)
            )
        ]

    def policy(self, channel: str, category: str, kind: str, urgency: str) -> _Policy:
        key = (channel, category, kind, urgency)
        found = self.policy_cache.get(key)
        if found is None:
            found = next(
                (
                    p
                    for p in self.policies
                    if p.channel in (None, channel)
                    and p.category in (None, category)
                    and p.kind in (None, kind)
                    and p.urgency in (None, urgency)
                ),
                _Policy(None, None, None, None, 5, 60, "minutes", 0),
            )
            self.policy_cache[key] = found
        return found

    def _working_day_after(self, day: date, count: int) -> date:
        key = (day, count)
        found = self.due_cache.get(key)
        if found is None:
            found = day
            left = count
            while left:
                found += timedelta(days=1)
                weekend = found.weekday() >= 5
                if found in self.work_days or (not weekend and found not in self.off_days):
                    left -= 1
            self.due_cache[key] = found
        return found

    def resolve_due(self, start: int, policy: _Policy) -> int:
        unit, amount = policy.resolve_unit, policy.resolve_amount
        if unit == "minutes":
            return start + amount * _MIN
        if unit in ("hours", "working_hours"):
            return start + amount * _HOUR
        if unit == "days":
            return start + amount * _DAY
        local = start + LOCAL_OFFSET_US
        day = (_EPOCH + timedelta(microseconds=local)).date()
        target = self._working_day_after(day, amount)
        return start + (target - day).days * _DAY

    # -- people ---------------------------------------------------------------------------

    def _name(self, plain: bool) -> tuple[str, str]:
        r = self.r
        ho = self.ho.pick(r())
        if r() < 0.5:
            dem = _DEM_NAM[int(r() * len(_DEM_NAM))]
            ten = _TEN_NAM[int(r() * len(_TEN_NAM))]
        else:
            dem = _DEM_NU[int(r() * len(_DEM_NU))]
            if r() < 0.15:
                dem = f"Thị {_DEM_NU[1 + int(r() * (len(_DEM_NU) - 1))]}"
            ten = _TEN_NU[int(r() * len(_TEN_NU))]
        name = f"{ho} {dem} {ten}"
        folded = f"{_f(ho)} {_f(dem)} {_f(ten)}"
        if plain:  # a fanpage display name typed without diacritics
            return folded.title(), folded
        return name, folded

    def _national_number(self, landline: bool, area: str | None = None) -> str:
        """Ten digits (eleven for a landline) in ranges that are allocated."""
        r = self.r
        if landline:
            area = area or _AREA_CODES[int(r() * len(_AREA_CODES))]
            width = 10 - len(area)  # the subscriber number never starts with 0 or 1
            return f"{area}{2 + int(r() * 7)}{int(r() * 10**width):0{width}d}"
        prefix = _MOBILE_PREFIXES[int(r() * len(_MOBILE_PREFIXES))]
        width = 10 - len(prefix)
        return f"{prefix}{int(r() * 10**width):0{width}d}"

    def _format_phone(self, national: str, landline: bool) -> str:
        """The number the way this caller said or typed it."""
        formats = _LANDLINE_FORMATS if landline else _MOBILE_FORMATS
        band: PhoneFormat = formats[bisect(formats[0], self.r()) + 1]
        return band(national)

    def _home_address(self, place: _Place) -> str:
        r = self.r
        street = _STREETS[int(r() * len(_STREETS))]
        n = 1 + int(r() * 300)
        if r() < 0.4:
            return f"Số {n}/{1 + int(r() * 60)} đường {street}, {place.name}, {place.province_name}"
        return f"Số {n} đường {street}, {place.name}, {place.province_name}"

    def reporter(
        self, chunk: _Chunk, channel: str, place: _Place, received: int
    ) -> tuple[str | None, str | None, str]:
        """Return (reporter id, raw phone as given, folded name) for a new report."""
        r = self.r
        if channel in ("letter", "chatbot", "fanpage") and r() < 0.08:
            return None, None, ""  # anonymous: no name, no number
        repeat = self.frequent and r() < 0.2
        if repeat:
            # A few callers call a lot: bias the pick towards the start of the list.
            who = self.frequent[int(r() ** 2 * len(self.frequent))]
            if r() < 0.7:
                phone = who.phone  # the same person's row, as first recorded
                return who.id, phone, who.name_folded
            plain = False
            name, name_folded = who.name, who.name_folded
            national, landline = who.national, who.landline
        else:
            plain = channel in ("fanpage", "zalo", "chatbot") and r() < 0.1
            name, name_folded = self._name(plain)
            landline = channel in ("hotline", "walk_in", "letter") and r() < 0.15
            no_phone = channel in ("fanpage", "chatbot", "email", "letter") and r() < 0.35
            national = None if no_phone else self._national_number(landline)
        phone = None if national is None else self._format_phone(national, landline)
        rid = _uuid7(self.rng, received)
        email = None
        if channel in ("email", "web") or r() < 0.05:
            local = name_folded.replace(" ", "")[-12:]
            email = f"{local}{int(r() * 100)}@{'gmail.com' if r() < 0.8 else 'yahoo.com'}"
        address = None
        if r() < 0.6 and not plain:
            address = self._home_address(place)
        chunk.reporters.append(
            {
                "id": rid,
                "full_name": name,
                "phone": phone,
                "email": email,
                "address": address,
                "created_at": _iso(received),
            }
        )
        if not repeat and r() < 0.25 and len(self.frequent) < 5000:
            self.frequent.append(_Reporter(rid, name, name_folded, national, landline, phone))
        return rid, phone, name_folded

    # -- places and units ---------------------------------------------------------------------

    def place(self) -> _Place:
        r = self.r
        i = bisect(self.focus_cum, r())
        if i >= len(self.focus):
            return self.all_places[int(r() * len(self.all_places))]
        hot, places = self.focus[i]
        pool = hot if r() < 0.7 else places
        return pool[int(r() * len(pool))]

    def _add_unit(self, chunk: _Chunk, row: dict[str, Any]) -> str:
        name, _folded = self._name(False)
        area = _PROVINCE_AREA.get(row["province_code"])  # else a mobile: no wrong area code
        landline = self.r() < 0.5 and area is not None
        national = self._national_number(landline, area)
        row["contact_name"] = name
        row["contact_phone"] = self._format_phone(national, landline) if landline else national
        row["active"] = True
        self.units[row["code"]] = row["id"]
        chunk.units.append(row)
        return str(row["id"])

    def _province_unit(self, chunk: _Chunk, province: str, kind: str) -> str:
        code = f"DEMO-{kind.upper()}-{province}"
        uid = self.units.get(code)
        if uid is not None:
            return uid
        parent = None if kind == "ubnd_tinh" else self._province_unit(chunk, province, "ubnd_tinh")
        label, mailbox = _PROVINCE_UNITS[kind]
        owner, domain = self.province_info[province]
        row = {
            "id": _uuid7(self.rng, self.window_start),
            "code": code,
            "name": f"{label} {owner}",
            "parent_id": parent,
            "kind": "ubnd_tinh" if kind == "ubnd_tinh" else "so" if kind[0] == "s" else kind,
            "province_code": province,
            "commune_code": None,
            "contact_email": f"{mailbox}@{domain}",
        }
        return self._add_unit(chunk, row)

    def _commune_unit(self, chunk: _Chunk, place: _Place) -> str:
        code = f"DEMO-UBNDX-{place.code}"
        uid = self.units.get(code)
        if uid is not None:
            return uid
        parent = self._province_unit(chunk, place.province_code, "ubnd_tinh")
        mailbox = "ubnd." + "".join(c for c in place.folded if c.isalnum())
        row = {
            "id": _uuid7(self.rng, self.window_start),
            "code": code,
            "name": f"UBND {_lower_first(place.name)}",
            "parent_id": parent,
            "kind": "ubnd_xa",
            "province_code": place.province_code,
            "commune_code": place.code,
            "contact_email": f"{mailbox}@{self.province_info[place.province_code][1]}",
        }
        return self._add_unit(chunk, row)

    def handling_unit(self, chunk: _Chunk, category: str, kind: str, place: _Place) -> str:
        r = self.r()
        if kind in ("khieu_nai", "to_cao"):
            routed = "thanh_tra" if r < 0.7 else None
        else:
            routed = None
            for limit, unit_kind in _ROUTING.get(category, ()):
                if r < limit:
                    routed = unit_kind
                    break
        if routed is None:
            return self._commune_unit(chunk, place)
        return self._province_unit(chunk, place.province_code, routed)

    # -- texts ------------------------------------------------------------------------------

    def texts(
        self, channel: str, category: str, kind: str, place: _Place, confidential: bool
    ) -> tuple[str, str, str, str, str, str]:
        """(summary, content, address and their folded forms)."""
        r = self.r
        summaries, details = _TEXTS[category]
        street = _STREETS[int(r() * len(_STREETS))]
        where = _PLACES[int(r() * len(_PLACES))]
        n = str(1 + int(r() * 400))
        base = summaries[int(r() * len(summaries))]
        fbase = _f(base)
        slots = {"street": street, "place": where, "n": n}
        fslots = {"street": _f(street), "place": _f(where), "n": n}
        core = base.format(**slots)
        fcore = fbase.format(**fslots)
        s_tpls, lead_tpls = _KIND_TEXT[kind]
        s_tpl = s_tpls[int(r() * len(s_tpls))]
        summary = s_tpl.format(S=core, s=_lower_first(core))
        fsummary = _f(s_tpl).format(S=fcore, s=fcore)
        lead = lead_tpls[int(r() * len(lead_tpls))]
        fc = _lower_first(core)

        head = _ADDRESS_HEADS[bisect(_ADDRESS_CUM, r())]
        address = f"{head.format(**slots)}, {place.name}, {place.province_name}"
        faddress = f"{_f(head).format(**fslots)}, {place.folded}, {place.province_folded}"

        opening = _OPENINGS[channel][int(r() * len(_OPENINGS[channel]))]
        detail = details[int(r() * len(details))]
        parts = [opening, lead.format(s=fc), detail]
        fparts = [_f(opening), _f(lead).format(s=fcore), _f(detail)]
        if r() < 0.4:
            extra = details[int(r() * len(details))]
            if extra != detail:
                parts.append(extra)
                fparts.append(_f(extra))
        when = _WHEN[int(r() * len(_WHEN))]
        hour = str(5 + int(r() * 6))
        parts.append(when.format(h=hour))
        fparts.append(_f(when).format(h=hour))
        parts.append(f"Địa điểm: {address}.")
        fparts.append(f"dia diem: {faddress}.")
        closing = _CLOSINGS[int(r() * len(_CLOSINGS))]
        parts.append(closing)
        fparts.append(_f(closing))
        if confidential:
            parts.append(_CONFIDENTIAL)
            fparts.append(_f(_CONFIDENTIAL))
        content = f"{parts[0]}\n" + " ".join(parts[1:])
        fcontent = " ".join(fparts)
        if channel in ("fanpage", "zalo", "chatbot", "app") and r() < 0.04:
            # Typed on a phone without diacritics, as plenty of people do.
            summary, content = fsummary, fcontent
        return summary, content, address, fsummary, fcontent, faddress

    # -- one report -------------------------------------------------------------------------

    def status(self, age_hours: float) -> Status:
        if self.index < len(self.forced_status):
            return self.forced_status[self.index]
        r = self.r()
        for limit, choice in self.status_by_age:
            if age_hours < limit:
                return choice.pick(r)  # type: ignore[no-any-return]
        raise AssertionError("unreachable")

    def _timeline(
        self, received: int, created: int, due: int, status: Status
    ) -> tuple[int, int, int]:
        """(time of the last step, forwarded at, accepted at) on the way to ``status``; each
        step follows the one before and none is later than "now"."""
        r, now = self.r, self.now
        if status is _S.NEW:
            return created, 0, 0
        screened = min(created + int(r() * 3 * _MIN), now)
        if status in (_S.SCREENING, _S.DUPLICATE, _S.REJECTED):
            return screened, 0, 0
        forwarded = min(screened + int((1 + r() ** 2 * 14) * _MIN), now)
        if status is _S.FORWARDED:
            return forwarded, forwarded, 0
        accepted = min(forwarded + int((2 + r() * 13) * _MIN), now)
        after = {_S.ACCEPTED: 0, _S.IN_PROGRESS: 30, _S.RETURNED: 60, _S.NOT_COMPETENT: 90}
        if status in after:
            return min(accepted + int(r() * after[status] * _MIN), now), forwarded, accepted
        result = max(min(received + int((due - received) * (0.3 + r() * 0.95)), now), accepted)
        last = result
        for step, (low, spread) in _CLOSING_STEPS:
            if last == now or status is step:
                break
            last = min(last + int((low + r() * spread) * _MIN), now)
        return last, forwarded, accepted

    def ticket(self, chunk: _Chunk, received: int, code: str) -> None:
        r = self.r
        i = self.index
        channel = str(
            self.forced_channel[i] if i < len(self.forced_channel) else self.channels.pick(r())
        )
        kind = str(self.forced_kind[i] if i < len(self.forced_kind) else self.kinds.pick(r()))
        own = kind in ("khieu_nai", "to_cao")
        category = self.own_categories.pick(r()) if own else self.categories.pick(r())
        urgency = self.urgencies.pick(r())
        place = self.place()
        identity_protected = kind == "to_cao"
        confidential = identity_protected or r() < 0.05
        summary, content, address, fsummary, fcontent, faddress = self.texts(
            channel, category, kind, place, confidential
        )
        reporter_id, phone, name_folded = self.reporter(chunk, channel, place, received)

        policy = self.policy(channel, category, kind, urgency)
        created = min(received + int((30 + r() * 210) * _US), self.now)
        due = self.resolve_due(received, policy)
        status = self.status((self.now - received) / _HOUR)
        last, forwarded, accepted = self._timeline(received, created, due, status)
        unit_id = self.handling_unit(chunk, category, kind, place) if status in _WITH_UNIT else None
        duplicate_of = self.last_by_category.get(category) if status is _S.DUPLICATE else None

        tid = _uuid7(self.rng, received)
        self.last_by_category[category] = tid
        event_at = _iso(received - int(r() * 48 * _HOUR)) if r() < 0.5 else None
        # Same result as search_text(...) on the stored fields, from the pre-folded pieces.
        search = [code.lower(), fsummary, fcontent[:CONTENT_HEAD].rstrip()]
        if name_folded:
            search.append(name_folded)
        search += phone_search_digits(phone)
        search.append(faddress)
        created_iso = _iso(created)
        last_iso = _iso(last)
        chunk.tickets.append(
            {
                "id": tid,
                "code": code,
                "station_id": self.station_id,
                "received_at": _iso(received),
                "channel_code": channel,
                "category_code": category,
                "kind": kind,
                "urgency": urgency,
                "province_code": place.province_code,
                "commune_code": place.code,
                "address": address,
                "event_at": event_at,
                "summary": summary,
                "content": content,
                "reporter_id": reporter_id,
                "confidential": confidential,
                "no_publish": confidential,
                "identity_protected": identity_protected,
                "status": str(status),
                "lead_unit_id": unit_id,
                "forward_due_at": _iso(received + policy.forward_minutes * _MIN),
                "due_at": _iso(due),
                "closed_at": None if status in OPEN_STATUSES else last_iso,
                "duplicate_of_id": duplicate_of,
                "created_by_id": None,
                "created_at": created_iso,
                "updated_at": last_iso,
                "version": _VERSION[status],
                "search_text": " ".join(search),
            }
        )
        self._events(chunk, tid, channel, kind, status, created, created_iso, last, last_iso)
        if unit_id is not None:
            chunk.assignments.append(
                {
                    "id": _uuid7(self.rng, forwarded),
                    "ticket_id": tid,
                    "unit_id": unit_id,
                    "role": "lead",
                    "assigned_at": _iso(forwarded),
                    "assigned_by_id": None,
                    "accepted_at": _iso(accepted) if status in _ACCEPTED else None,
                    "returned_at": last_iso if status in (_S.RETURNED, _S.NOT_COMPETENT) else None,
                    "note": None,
                }
            )
        self.index += 1

    def _events(
        self,
        chunk: _Chunk,
        tid: str,
        channel: str,
        kind: str,
        status: Status,
        created: int,
        created_iso: str,
        last: int,
        last_iso: str,
    ) -> None:
        """ "created", then one "status_changed" to where the report is now, hash-chained."""
        sid = self.station_id
        eid = _uuid7(self.rng, created)
        # The canonical JSON written out directly (every value is plain ASCII): equal to
        # canonical_event_json(row), which test_demo checks, at a fraction of the cost.
        body = (
            f'{{"actor_id":null,"at":"{created_iso}","data":{{"channel":"{channel}",'
            f'"kind":"{kind}","status":"new"}},"id":"{eid}","kind":"created","seq":1,'
            f'"station_id":"{sid}","ticket_id":"{tid}"}}'
        )
        first_hash = _sha256((GENESIS_HASH + body).encode()).hexdigest()
        chunk.events.append(
            {
                "id": eid,
                "ticket_id": tid,
                "seq": 1,
                "at": created_iso,
                "kind": "created",
                "actor_id": None,
                "station_id": sid,
                "data": {"channel": channel, "kind": kind, "status": "new"},
                "prev_hash": GENESIS_HASH,
                "hash": first_hash,
            }
        )
        if status is _S.NEW:
            return
        eid = _uuid7(self.rng, last)
        body = (
            f'{{"actor_id":null,"at":"{last_iso}","data":{{"from":"new","to":"{status}"}},'
            f'"id":"{eid}","kind":"status_changed","seq":2,"station_id":"{sid}",'
            f'"ticket_id":"{tid}"}}'
        )
        chunk.events.append(
            {
                "id": eid,
                "ticket_id": tid,
                "seq": 2,
                "at": last_iso,
                "kind": "status_changed",
                "actor_id": None,
                "station_id": sid,
                "data": {"from": "new", "to": str(status)},
                "prev_hash": first_hash,
                "hash": _sha256((first_hash + body).encode()).hexdigest(),
            }
        )

    # -- the calendar of the run ------------------------------------------------------------

    def days(self, total: int) -> list[tuple[int, int, int]]:
        """(start, end, count) per local day of the window, oldest first; counts sum to total."""
        today_start = self.today_start
        starts = [self.window_start + k * _DAY for k in range(HISTORY_DAYS)]
        weights = []
        for start in starts:
            day = (_EPOCH + timedelta(microseconds=start + LOCAL_OFFSET_US)).date()
            w = (1.0, 1.0, 1.0, 1.0, 0.95, 0.6, 0.45)[day.weekday()]
            if day in self.off_days:
                w = 0.5
            weights.append(w)
        weights[-1] *= (self.now - today_start) / _DAY
        scale = total / sum(weights)
        exact = [w * scale for w in weights]
        counts = [int(x) for x in exact]
        order = sorted(range(len(exact)), key=lambda k: counts[k] - exact[k])
        for k in order[: total - sum(counts)]:
            counts[k] += 1
        return [(s, min(s + _DAY, self.now), c) for s, c in zip(starts, counts, strict=True)]

    def times(self, start: int, end: int, count: int) -> list[int]:
        r = self.r
        out = []
        hours = self.hours
        for _ in range(count):
            t = start + bisect(hours, r()) * _HOUR + int(r() * _HOUR)
            if t >= end:  # today, after "now": anywhere in the part of the day that has passed
                t = start + int(r() * (end - start))
            out.append(t)
        out.sort()
        return out


_PROVINCE_UNITS = {
    "ubnd_tinh": ("UBND", "ubnd"),
    "sxd": ("Sở Xây dựng", "soxaydung"),
    "snnmt": ("Sở Nông nghiệp và Môi trường", "sonnmt"),
    "syt": ("Sở Y tế", "soyte"),
    "skhcn": ("Sở Khoa học và Công nghệ", "sokhcn"),
    "snv": ("Sở Nội vụ", "sonoivu"),
    "cong_an": ("Công an", "congan"),
    "thanh_tra": ("Thanh tra", "thanhtra"),
}
# Per category: cumulative thresholds of the province-level unit that leads instead of the
# commune's People's Committee (the rest).
_ROUTING: dict[str, tuple[tuple[float, str], ...]] = {
    "trat_tu_cong_cong": ((0.3, "cong_an"),),
    "trat_tu_an_toan_giao_thong": ((0.6, "cong_an"), (0.8, "sxd")),
    "trat_tu_xay_dung": ((0.15, "sxd"),),
    "ve_sinh_moi_truong": ((0.2, "snnmt"),),
    "ve_sinh_an_toan_thuc_pham": ((0.4, "syt"),),
    "phong_chong_chay_no": ((0.8, "cong_an"),),
    "phong_chong_dich_benh": ((0.6, "syt"),),
    "ha_tang_do_thi": ((0.4, "sxd"),),
    "ha_tang_do_thi.cap_thoat_nuoc": ((0.4, "sxd"),),
    "ha_tang_do_thi.cay_xanh": ((0.4, "sxd"),),
    "ha_tang_do_thi.chieu_sang": ((0.4, "sxd"),),
    "ha_tang_do_thi.vien_thong": ((0.7, "skhcn"),),
    "thai_do_can_bo": ((0.5, "snv"),),
}


# --- writing -------------------------------------------------------------------------------


def _us_of(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    delta = moment.astimezone(UTC).replace(tzinfo=None) - _EPOCH
    return (delta.days * 86400 + delta.seconds) * _US + delta.microseconds


def _demo_station(conn: Connection, rng: random.Random, now_us: int) -> tuple[str, bool]:
    found = conn.execute(select(Station.id).where(Station.code == DEMO_STATION_CODE)).scalar()
    if found is not None:
        return str(found), False
    return _uuid7(rng, now_us - HISTORY_DAYS * _DAY), True


def _runs(conn: Connection) -> int:
    value = conn.execute(select(SyncState.value).where(SyncState.key == RUNS_KEY)).scalar()
    return int(value) if value else 0


def _write_chunk(
    conn: Connection,
    writer: _Writer,
    chunk: _Chunk,
    station_uuid: uuid.UUID,
    known_days: set[date],
) -> None:
    writer.insert(conn, "unit", chunk.units)
    writer.insert(conn, "reporter", chunk.reporters)
    writer.insert(conn, "ticket", chunk.tickets)
    writer.insert(conn, "ticket_event", chunk.events)
    writer.insert(conn, "assignment", chunk.assignments)
    # case_sequence is local (not synced): it only keeps this database's numbering going.
    table = Base.metadata.tables["case_sequence"]
    for day, last in sorted(chunk.days.items()):
        if day in known_days:
            conn.execute(
                update(table)
                .where(table.c.station_id == station_uuid, table.c.day == day)
                .values(last_seq=last)
            )
        else:
            conn.execute(insert(table).values(station_id=station_uuid, day=day, last_seq=last))
            known_days.add(day)


def generate(
    database: Database,
    tickets: int,
    seed: int = 1,
    *,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
) -> int:
    """Add ``tickets`` demo reports received over the 90 days before ``now``; return how many.

    Same seed and ``now`` on a fresh database give identical rows, ids included; a second call
    on the same database continues the case-code numbering and draws fresh ids. Written in
    chunks of ``CHUNK_TICKETS`` reports, each one transaction with its outbox rows, so a
    cancel (checked before each chunk) or a failure leaves whole chunks only.
    """
    if tickets < 0:
        raise ValueError(f"tickets must be >= 0, got {tickets}")
    if tickets == 0:
        return 0
    now_us = _us_of(now or datetime.now(UTC))
    engine = database.engine
    started = time.perf_counter()
    with engine.connect() as conn:
        runs = _runs(conn)
        # Each run on a database draws from its own stream, so ids never repeat.
        rng = random.Random(f"pakn-demo:{seed}:{runs}")
        station_id, new_station = _demo_station(conn, rng, now_us)
        gen = _Generator(conn, rng, now_us, station_id)
        station_uuid = uuid.UUID(station_id)
        counters: dict[date, int] = {
            day: last
            for day, last in conn.execute(
                select(CaseSequence.day, CaseSequence.last_seq).where(
                    CaseSequence.station_id == station_uuid
                )
            )
        }
        writer: _Writer = _SqliteWriter(conn) if conn.dialect.name == "sqlite" else _TypedWriter()
        conn.rollback()
    known_days = set(counters)
    plan = gen.days(tickets)
    station = None
    if new_station:
        station = {
            "id": station_id,
            "code": DEMO_STATION_CODE,
            "name": "Máy trạm dữ liệu mẫu",
            "created_at": _iso(gen.window_start),
        }

    def write(chunk: _Chunk, first: bool) -> None:
        with engine.begin() as conn:
            if first:
                if station is not None:
                    writer.insert(conn, "station", [station])
                _set_runs(conn, runs + 1)
            _write_chunk(conn, writer, chunk, station_uuid, known_days)

    created = 0
    # Millions of short-lived, acyclic dicts and tuples: the cyclic collector's passes over
    # them cost a quarter of the run and would free nothing (reference counting does).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for chunk in _chunks(gen, plan, counters):
            if should_cancel is not None and should_cancel():
                break
            write(chunk, first=created == 0)
            created += len(chunk.tickets)
            if progress is not None:
                progress(created, tickets)
    finally:
        if collecting:
            gc.enable()
    elapsed = time.perf_counter() - started
    log.info("demo: %d reports in %.1f s (%.0f/s)", created, elapsed, created / max(elapsed, 1e-9))
    return created


def _chunks(
    gen: _Generator, plan: list[tuple[int, int, int]], counters: dict[date, int]
) -> Iterator[_Chunk]:
    chunk = _Chunk()
    for start, end, count in plan:
        day = (_EPOCH + timedelta(microseconds=start + LOCAL_OFFSET_US)).date()
        for received in gen.times(start, end, count):
            seq = counters.get(day, 0) + 1
            counters[day] = seq
            chunk.days[day] = seq
            gen.ticket(chunk, received, str(CaseCode(day, DEMO_STATION_CODE, seq)))
            if len(chunk.tickets) >= CHUNK_TICKETS:
                yield chunk
                chunk = _Chunk()
    if chunk.tickets:
        yield chunk


def _set_runs(conn: Connection, value: int) -> None:
    table = Base.metadata.tables["sync_state"]
    done = conn.execute(update(table).where(table.c.key == RUNS_KEY).values(value=str(value)))
    if done.rowcount == 0:
        conn.execute(insert(table).values(key=RUNS_KEY, value=str(value)))
