"""``pakn-desktop ticket`` without ``--json``: the report and the step taken, in Vietnamese
for a person at a terminal, times on the office's clock (scripts read ``--json``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pakn_desktop.domain.labels import event_word, status_word
from pakn_desktop.domain.office_time import to_office

if TYPE_CHECKING:
    from pakn_desktop.data.queue_types import Delivery, TicketDetail


def _when(value: datetime | None) -> str:
    return to_office(value).strftime("%H:%M %d/%m/%Y") if value is not None else ""


def _state_line(d: TicketDetail) -> str:
    parts = [f"{status_word(d.status)} (phiên bản {d.version})"]
    if d.paused_at is not None:
        parts.append(f"chờ công dân bổ sung từ {_when(d.paused_at)}")
    if d.unit:
        parts.append(f"đơn vị {d.unit}")
    if d.due_at is not None and d.closed_at is None:
        parts.append(f"hạn xử lý {_when(d.due_at)}")
    if d.closed_at is not None:
        parts.append(f"kết thúc lúc {_when(d.closed_at)}")
    return ", ".join(parts)


def print_done(d: TicketDetail, event_kind: str, notifications: int) -> None:
    print(f"{d.code}: {event_word(event_kind)} — xong. {_state_line(d)}.")
    if notifications:
        print(f"{notifications} tin nhắn, thư báo cho đơn vị đang chờ gửi (pakn-desktop notify)")


def print_detail(d: TicketDetail, role: str) -> None:
    from pakn_desktop.services.workflow.ticket_view import allowed, withholds

    print(f"{d.code}  {_state_line(d)}")
    print(d.summary)
    if withholds(d):
        who = "Danh tính người phản ánh được bảo vệ"
    elif d.reporter is None:
        who = "Không để lại thông tin"
    else:
        r = d.reporter
        who = " · ".join(x.strip() for x in (r.full_name, r.phone, r.email, r.address) if x)
    rows = [
        ("Tiếp nhận", f"{_when(d.received_at)} · {d.channel} · {d.station}"),
        ("Loại", d.kind),
        ("Lĩnh vực", d.category),
        ("Địa bàn", ", ".join(p for p in (d.commune, d.province) if p)),
        ("Địa chỉ", d.address),
        ("Hạn chuyển xử lý", _when(d.forward_due_at)),
        ("Người phản ánh", who),
        ("Trùng với", d.duplicate_of[1] if d.duplicate_of else ""),
        ("Gồm phản ánh đã gộp", ", ".join(d.merged_from)),
        ("Nội dung", d.content),
        ("Kết quả xử lý của đơn vị", d.outcome.result),
        ("Nội dung đã công khai", d.outcome.publication),
    ]
    for label, value in rows:
        if value.strip():
            print(f"{label}: {value}")
    for job in d.deliveries:
        channel = "SMS" if job.channel == "sms" else "Thư điện tử"
        print(f"Báo đơn vị: {channel} → {job.unit} ({job.recipient}): {_delivery(job)}")
    print("Diễn biến:")
    for e in d.events:
        case = f"[{e.case}] " if e.case else ""
        actor = f" ({e.actor})" if e.actor else ""
        print(f"  {_when(e.at)} — {case}{event_word(e.kind)}{actor}")
    offered = ", ".join(_offered(action) for action in allowed(d, role))
    print(f"Thao tác được phép ({role}): {offered or 'không có'}")


def _offered(action: str) -> str:
    """An allowed action in words, with the command that takes it when there is one."""
    from pakn_desktop.cli_ticket_steps import STEPS

    command = next((name for name, step in STEPS.items() if step.action == action), None)
    return f"{event_word(action)} (ticket {command})" if command else event_word(action)


def _delivery(job: Delivery) -> str:
    if job.state == "sent":
        return f"đã gửi lúc {_when(job.sent_at)}"
    if job.state == "failed":
        return f"gửi lỗi, đã thôi gửi sau {job.attempts} lần: {job.error}"
    return f"đang chờ gửi (xếp hàng lúc {_when(job.queued_at)})"
