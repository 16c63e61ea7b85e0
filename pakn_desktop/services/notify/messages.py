"""The SMS and e-mail a unit's contact gets when a report is forwarded to the unit.

Vietnamese text. A protected report (a denunciation, or one the reporter asked to keep
confidential) carries no part of the reporter's identity, and its summary is masked too: the
caller may have said their own name or number in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pakn_desktop.domain import gsm7
from pakn_desktop.domain.office_time import OFFICE_ZONE
from pakn_desktop.domain.publication import Identity, mask_personal, people_of

LOCAL_ZONE = OFFICE_ZONE


@dataclass(frozen=True)
class ForwardFacts:
    code: str
    summary: str
    category: str
    place: str
    due_at: datetime | None
    protected: bool  # identity_protected or confidential
    reporter: Identity | None
    commune: str = ""  # the place's parts, for the SMS's short form of it
    province: str = ""
    sender: str = ""  # a message's sender: masked like the reporter when protected


@dataclass(frozen=True)
class Message:
    subject: str
    sms: str
    email: str


def _due(due_at: datetime | None) -> str:
    if due_at is None:
        return ""
    return due_at.astimezone(LOCAL_ZONE).strftime("%H:%M %d/%m/%Y")


def forward_message(facts: ForwardFacts, unit_name: str, lead: bool) -> Message:
    role = "chủ trì" if lead else "phối hợp"
    summary = facts.summary.strip()
    reporter_line = ""
    # Masked with the reporter's identity known, so a name or number said in the summary goes
    # too; for a protected report nothing of the reporter (or a message's sender) is added back.
    if facts.protected:
        summary = mask_personal(summary, people_of(facts.reporter, facts.sender))
    elif facts.reporter is not None:
        summary = mask_personal(summary, facts.reporter)
        parts = [p for p in (facts.reporter.name, facts.reporter.phone) if p]
        if parts:
            reporter_line = "Người phản ánh: " + ", ".join(parts)
    due = _due(facts.due_at)
    place = short_place(facts.commune, facts.province) if facts.commune or facts.province else ""
    sms = sms_text(facts.code, role, summary, place or facts.place, due)
    lines: list[str | None] = [
        f"Kính gửi {unit_name},",
        "",
        f"Trung tâm chuyển phản ánh, kiến nghị {facts.code} để đơn vị {role} xử lý.",
        f"Lĩnh vực: {facts.category}",
        f"Địa bàn: {facts.place}" if facts.place else None,
        f"Nội dung: {summary}",
        f"Hạn xử lý: {due}" if due else None,
        reporter_line or None,
        "",
        "Đề nghị đơn vị tiếp nhận và cập nhật kết quả trên hệ thống.",
    ]
    body = "\n".join(line for line in lines if line is not None)
    subject = f"[PAKN] {facts.code}: chuyển {role} xử lý"
    return Message(subject=subject, sms=sms, email=body)


_COMMUNE_PREFIX = (("Thị trấn ", "TT."), ("Phường ", "P."), ("Xã ", "X."), ("Đặc khu ", "ĐK."))


def short_place(commune: str, province: str) -> str:
    """ "Phường Láng, Thành phố Hà Nội" → "P.Láng, Hà Nội": the unit knows its own area, the
    administrative words only take room in an SMS."""
    for word, short in _COMMUNE_PREFIX:
        if commune.startswith(word):
            commune = short + commune.removeprefix(word)
            break
    province = province.removeprefix("Thành phố ").removeprefix("Tỉnh ")
    if province == "Hồ Chí Minh":
        province = "TP.HCM"
    return ", ".join(p for p in (commune.strip(), province.strip()) if p)


def sms_text(code: str, role: str, summary: str, place: str, due: str) -> str:
    """One SMS segment: ``PAKN code (role): summary. Tai: place. Han: due`` in GSM-7 within
    160 septets. The code and the deadline are kept whole; the place is cut next, the
    summary gets what is left."""
    head = gsm7.fold(f"PAKN {code} ({role}):")
    tail = gsm7.fold(f"Hạn: {due}") if due else ""
    place = gsm7.fold(place)
    summary = gsm7.fold(summary)
    fixed = gsm7.septets(head) + (gsm7.septets(tail) + 2 if tail else 0)
    room = gsm7.SEGMENT - fixed
    where = ""
    if place:
        where = gsm7.cut(f"Tai: {place}", max(0, min(room - 2, room // 2)))
    room -= gsm7.septets(where) + 2 if where else 0
    said = gsm7.cut(summary, room - 1) if room > 1 else ""
    parts = [f"{head} {said}" if said else head.removesuffix(":")]
    parts += [p for p in (where, tail) if p]
    text = parts[0]
    for part in parts[1:]:  # "..." or "!" already ends a sentence: a space is enough
        text += (" " if text.endswith((".", "!", "?")) else ". ") + part
    # A code or a deadline so long that nothing else fits (never in practice): still one
    # segment, the code first.
    return text if gsm7.septets(text) <= gsm7.SEGMENT else gsm7.cut(text, gsm7.SEGMENT, "")


def unsent_reason(missing: set[str]) -> str | None:
    """Why a unit's messages are not going out: ``missing`` are the channels with jobs
    waiting and nothing configured to send them through."""
    if {"sms", "email"} <= missing:
        return "Chưa cấu hình cổng SMS / máy chủ thư: tin nhắn cho đơn vị chưa được gửi"
    if "sms" in missing:
        return "Chưa cấu hình cổng SMS: tin nhắn SMS cho đơn vị chưa được gửi"
    if "email" in missing:
        return "Chưa cấu hình máy chủ thư: thư cho đơn vị chưa được gửi"
    return None


TEST_SUBJECT = "[PAKN] Thư thử cấu hình gửi tin"
TEST_TEXT = "PAKN: tin nhắn thử cấu hình gửi tin cho đơn vị xử lý. Không cần trả lời."


def delivery_error(error: BaseException) -> str:
    """A failed send in Vietnamese, as recorded on the notification and shown on the report
    (the server's own words kept after the dash, for whoever configures it)."""
    import socket
    import urllib.error

    mail = _mail_error(error)
    if mail is not None:
        return mail
    detail = str(error)
    if isinstance(error, urllib.error.HTTPError):
        return f"Cổng SMS trả lỗi HTTP {error.code}"
    if isinstance(error, urllib.error.URLError):
        return f"Không kết nối được cổng SMS — {error.reason}"
    if isinstance(error, ConnectionRefusedError):
        return "Không kết nối được máy chủ (bị từ chối kết nối)"
    if isinstance(error, socket.timeout | TimeoutError):
        return "Quá thời gian chờ máy chủ trả lời"
    if isinstance(error, ValueError):
        return detail[:1].upper() + detail[1:]
    return f"Lỗi gửi — {type(error).__name__}: {detail}"


def _mail_error(error: BaseException) -> str | None:
    import smtplib
    import ssl

    detail = str(error)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        said = error.smtp_error
        server = said.decode(errors="replace") if isinstance(said, bytes) else str(said or "")
        return (
            "Máy chủ thư từ chối đăng nhập: sai tên đăng nhập hoặc mật khẩu "
            f"— {error.smtp_code} {server}".strip()
        )
    if isinstance(error, smtplib.SMTPNotSupportedError) and "AUTH" in detail:
        return (
            "Máy chủ thư không cho đăng nhập trên kết nối này: có thể cần chọn bảo mật "
            f"STARTTLS hoặc SSL — {detail}"
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return f"Máy chủ thư không hỗ trợ STARTTLS — {detail}"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"Chứng chỉ TLS của máy chủ thư không được tin cậy — {error.verify_message}"
    if isinstance(error, ssl.SSLError):
        return f"Không thiết lập được kết nối bảo mật TLS với máy chủ thư — {detail}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "Máy chủ thư từ chối địa chỉ người nhận"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"Máy chủ thư ngắt kết nối — {detail}"
    if isinstance(error, smtplib.SMTPException):
        return f"Máy chủ thư báo lỗi — {detail}"
    return None
