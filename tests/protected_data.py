"""Reports whose reporter's identity is protected, with that identity planted everywhere an
operator could type it: the reporter fields, and the summary and content in NFC, NFD and
accent-free forms, the number written four ways."""

from __future__ import annotations

from typing import Any

from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.services.intake.service import IntakeService
from tests.identity_scan import Planted
from tests.intake_data import form

# Unique on purpose: any hit in an output is this person.
QUYNH = Planted(name="Khổng Thị Quỳnh Nhụy", phone="0975318642")
# How each protected kind is asked for at intake.
PROTECTED = {
    "to_cao": {"kind": "to_cao", "category": "thai_do_can_bo"},
    "confidential": {"confidential": True},
}


def leaky_text(planted: Planted, lead: str) -> str:
    """``lead``, then the planted name and number said in every form, then the report."""
    names = planted.forms_typed()
    phones = planted.phones_typed()
    said = "; ".join(
        f"tôi là {name}, gọi số {phone}" for name, phone in zip(names * 2, phones, strict=False)
    )
    return (
        f"{lead} {said}. Chị {names[1].split()[-1]} đề nghị giữ bí mật. "
        "Cán bộ phường thu tiền trái phép tại chợ Bến Thành."
    )


def save_protected(service: IntakeService, which: str, **more: Any) -> SavedTicket:
    """A protected report (``which``: a key of ``PROTECTED``) by the planted person."""
    content = leaky_text(QUYNH, "Người dân phản ánh:")
    changes: dict[str, Any] = {
        "reporter_name": QUYNH.name,
        "reporter_phone": QUYNH.phones_typed()[0],
        "reporter_email": "quynh.nhuy@example.vn",
        "summary": f"{QUYNH.forms_typed()[1]} ({QUYNH.phones_typed()[2]}) tố cáo thu tiền",
        "content": content,
        **PROTECTED[which],
        **more,
    }
    return service.save(form(**changes))
