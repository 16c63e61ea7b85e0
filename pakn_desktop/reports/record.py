"""The written record (biên bản) as plain values: what the HTML in the archive and the PDF both
render, one way, from the archive's manifest (already masked: a protected identity never
reaches here). Times are on the office's clock, statuses and events in Vietnamese words.

Decree 30/2020/NĐ-CP layout: the issuing body and number on the left, the national heading
and the place and date line on the right, the title, the reports, the signature blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pakn_desktop.domain.labels import event_word, status_word
from pakn_desktop.domain.letterhead import Letterhead, date_line
from pakn_desktop.domain.office_time import to_office

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TITLE = "BIÊN BẢN LƯU TRỮ PHẢN ÁNH, KIẾN NGHỊ"
SUBTITLE = "(Báo cáo tin, minh chứng và kết quả xử lý)"
RECORD_NUMBER = "      /BB-TTPAKN"  # left blank for the clerk, as on paper
NONE_WRITTEN = "(chưa ghi)"
SIGNERS = (
    ("NGƯỜI LẬP BIÊN BẢN", "(Ký, ghi rõ họ tên)"),
    ("LÃNH ĐẠO ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)"),
)
RECIPIENTS = ("Lãnh đạo đơn vị (để báo cáo);", "Lưu: VT, hồ sơ phản ánh.")


@dataclass(frozen=True)
class Heading:
    issuer: str
    number: str  # "Số:       /BB-TTPAKN"
    date_line: str  # "Hà Nội, ngày 7 tháng 12 năm 2026"


@dataclass(frozen=True)
class Evidence:
    name: str
    detail: str  # "image/png, 1.234 byte — bản đã che thông tin"
    sha256: str
    path: str  # the file's entry in the archive ZIP
    is_image: bool


@dataclass(frozen=True)
class Event:
    seq: int
    at: str  # office clock
    text: str  # Vietnamese words only
    hash: str
    masked: bool  # an identity was masked: the hash is of the original text


@dataclass(frozen=True)
class ReportRecord:
    code: str
    summary: str
    fields: tuple[tuple[str, str], ...]  # the reception's facts, label → value
    reporter: tuple[tuple[str, str], ...]  # empty when withheld or unknown
    withheld: str  # why the reporter is not named ("" when they are)
    content: str
    handling: tuple[tuple[str, str], ...]  # unit, deadline, handling note, result, answer
    evidence: tuple[Evidence, ...]
    events: tuple[Event, ...]


@dataclass(frozen=True)
class WrittenRecord:
    heading: Heading
    title: str
    subtitle: str
    opening: str  # "Hồi 14 giờ 05 phút, ngày …, … lập biên bản …"
    reports: tuple[ReportRecord, ...]
    signers: tuple[tuple[str, str], ...]
    recipients: tuple[str, ...]


def office_instant(value: Any) -> datetime | None:
    """An ISO text from the manifest as the office's clock shows it (stored times are UTC:
    a value without an offset is read as UTC)."""
    if not value:
        return None
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return to_office(moment)


def clock(value: Any) -> str:
    """'07/12/2026 14:05' on the office's clock; '' for no time."""
    moment = office_instant(value)
    return "" if moment is None else f"{moment:%d/%m/%Y %H:%M}"


def build_record(manifest: dict[str, Any], letterhead: Letterhead | None = None) -> WrittenRecord:
    head = letterhead or Letterhead()
    made = office_instant(manifest.get("generated_at")) or to_office(datetime.now(UTC))
    reports = tuple(_report(r) for r in manifest.get("reports", ()))
    count = len(reports)
    which = f"hồ sơ {reports[0].code}" if count == 1 else f"{count} hồ sơ"
    opening = (
        f"Hồi {made:%H} giờ {made:%M} phút, {date_line('', made.date()).lstrip(', ')}, "
        f"{head.issuer[:1]}{head.issuer[1:].lower()} lập biên bản lưu trữ {which} phản ánh, "
        "kiến nghị dưới đây: nội dung tin, cách xử lý và kết quả của đơn vị, các minh chứng "
        "kèm mã băm SHA-256 và diễn biến xử lý, để báo cáo lãnh đạo."
    )
    return WrittenRecord(
        heading=Heading(
            issuer=head.issuer.upper(),
            number=f"Số: {RECORD_NUMBER}",
            date_line=date_line(head.place, made.date()),
        ),
        title=TITLE,
        subtitle=SUBTITLE,
        opening=opening,
        reports=reports,
        signers=SIGNERS,
        recipients=RECIPIENTS,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _report(report: dict[str, Any]) -> ReportRecord:
    intake = report.get("intake") or {}
    fields = [
        ("Mã hồ sơ", _text(report.get("code"))),
        ("Thời điểm tiếp nhận", clock(report.get("received_at"))),
        ("Kênh tiếp nhận", _text(report.get("channel"))),
        ("Loại", _text(report.get("kind"))),
        ("Lĩnh vực", _text(report.get("category"))),
        ("Trạng thái", status_word(_text(report.get("status")))),
        ("Địa điểm", _text(report.get("address"))),
        ("Thời điểm sự việc", clock(report.get("event_at"))),
        ("Người gửi", _text(intake.get("sender_name"))),
        ("Liên kết tin nhắn", _text(intake.get("message_url"))),
        ("Thời điểm tin nhắn", clock(intake.get("message_at"))),
    ]
    return ReportRecord(
        code=_text(report.get("code")),
        summary=_text(report.get("summary")),
        fields=tuple((k, v) for k, v in fields if v),
        reporter=_reporter(report),
        withheld=_withheld(report),
        content=_text(report.get("content")),
        handling=_handling(report),
        evidence=tuple(_evidence(item) for item in report.get("evidence") or ()),
        events=tuple(_event(e) for e in report.get("events") or ()),
    )


def _withheld(report: dict[str, Any]) -> str:
    if not report.get("identity_withheld"):
        return ""
    who = "người tố cáo" if report.get("identity_protected") else "người phản ánh"
    return f"Thông tin {who} được giữ bí mật theo quy định pháp luật."


def _reporter(report: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    person = report.get("reporter")
    if report.get("identity_withheld") or not person:
        return ()
    fields = (
        ("Họ tên", person.get("full_name")),
        ("Điện thoại", person.get("phone")),
        ("Thư điện tử", person.get("email")),
        ("Địa chỉ", person.get("address")),
    )
    return tuple((k, str(v)) for k, v in fields if v)


def _handling(report: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    handling = report.get("handling") or {}
    rows = [
        ("Đơn vị chủ trì xử lý", _text(handling.get("lead_unit"))),
        ("Hạn xử lý", clock(handling.get("due_at"))),
        ("Cách xử lý / đề xuất", _text(report.get("handling_note")) or NONE_WRITTEN),
        ("Kết quả của đơn vị", _text(handling.get("result")) or NONE_WRITTEN),
        ("Thời điểm có kết quả", clock(handling.get("result_at"))),
        ("Trả lời người phản ánh", _text(report.get("answer"))),
        ("Thời điểm kết thúc", clock(handling.get("closed_at"))),
    ]
    return tuple((k, v) for k, v in rows if v)


def _evidence(item: dict[str, Any]) -> Evidence:
    size = f"{int(item.get('size') or 0):,}".replace(",", ".")
    detail = f"{item.get('mime')}, {size} byte"
    if item.get("purpose") == "redacted":
        detail += " — bản đã che thông tin"
    return Evidence(
        name=_text(item.get("name")),
        detail=detail,
        sha256=_text(item.get("sha256")),
        path=_text(item.get("path")),
        is_image=str(item.get("mime", "")).startswith("image/"),
    )


def _event(event: dict[str, Any]) -> Event:
    data = event.get("data") or {}
    text = event_word(str(event.get("kind")))
    if "to" in data and data.get("from") != data["to"]:
        text += f": {status_word(str(data.get('from', '')))} → {status_word(str(data['to']))}"
    detail = data.get("reason") or data.get("name") or ""
    if detail:
        text += f" ({detail})"
    return Event(
        seq=int(event.get("seq") or 0),
        at=clock(event.get("at")),
        text=text,
        hash=_text(event.get("hash")),
        masked=bool(event.get("masked")),
    )
