"""What the unit catalogue accepts: its inputs, its checks and its one refusal.

Below both the service (services.units) and the list import (services.unit_import_apply),
which apply the same checks to what they write.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pakn_desktop.domain.errors import ExpectedError
from pakn_desktop.domain.phone import normalise_phone
from pakn_desktop.domain.text import ControlCharacterError, clean

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

NAME_MAX, CONTACT_MAX = 300, 200
DEFAULT_KIND = "don_vi"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class UnitProblem(ExpectedError):
    """Input the catalogue refuses; ``message`` is what the administrator reads."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__("unit_problem", message)
        self.field = field_name


@dataclass(frozen=True)
class ContactInput:
    name: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""
    receives_sms: bool = True
    receives_email: bool = True


@dataclass(frozen=True)
class ImportRow:
    """One row of a unit list, as read from the file (``line``: its row number there)."""

    line: int
    name: str = ""
    parent: str = ""
    contact: ContactInput | None = None
    province: str = ""  # codes; empty: the row says nothing of the place
    commune: str = ""


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)
    dry_run: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [{"row": line, "message": text} for line, text in self.errors],
            "dry_run": self.dry_run,
        }


# --- checks (plain functions: the dialog shows the same words before it writes) ------------


def _text(field_name: str, label: str, value: str, limit: int, required: bool) -> str:
    try:
        text = " ".join(clean(value).split())
    except ControlCharacterError:
        raise UnitProblem(field_name, f"{label} chứa ký tự điều khiển không được phép") from None
    if required and not text:
        raise UnitProblem(field_name, f"Thiếu {label.lower()}")
    if len(text) > limit:
        raise UnitProblem(field_name, f"{label} dài quá {limit} ký tự")
    return text


def check_unit_name(name: str) -> str:
    return _text("name", "Tên đơn vị", name, NAME_MAX, True)


def check_contact(contact: ContactInput) -> ContactInput:
    """The contact as stored: trimmed, phone in E.164, e-mail lower-cased; UnitProblem if not."""
    name = _text("contact_name", "Tên người liên hệ", contact.name, CONTACT_MAX, False)
    role = _text("contact_role", "Chức vụ", contact.role, CONTACT_MAX, False)
    raw_phone = _text("phone", "Số điện thoại", contact.phone, 40, False)
    phone = ""
    if raw_phone:
        phone = normalise_phone(raw_phone) or ""
        if not phone:
            raise UnitProblem("phone", f"Số điện thoại không hợp lệ: {raw_phone}")
    email = _text("email", "Thư điện tử", contact.email, 254, False).lower()
    if email and not _EMAIL.match(email):
        raise UnitProblem("email", f"Địa chỉ thư điện tử không hợp lệ: {email}")
    if not (name or phone or email):
        raise UnitProblem("contact_name", "Người liên hệ cần ít nhất tên, số điện thoại hoặc thư")
    return ContactInput(
        name or role or phone or email,
        role,
        phone,
        email,
        contact.receives_sms,
        contact.receives_email,
    )


def check_place(
    session: Session, province: str | None, commune: str | None
) -> tuple[str | None, str | None]:
    """(province, commune) as stored: the commune's province when none is given; UnitProblem
    for a code the reference lists lack or a commune outside the province."""
    from pakn_desktop.data.models import Commune, Province

    if commune:
        row = session.get(Commune, commune)
        if row is None:
            raise UnitProblem("commune", f"Mã xã/phường không có trong danh mục: {commune}")
        if province and row.province_code != province:
            raise UnitProblem("commune", "Xã/phường không thuộc tỉnh/thành phố đã chọn")
        province = row.province_code
    if province and session.get(Province, province) is None:
        raise UnitProblem("province", f"Mã tỉnh/thành phố không có trong danh mục: {province}")
    return province or None, commune or None


def new_unit_code(unit_id: uuid.UUID) -> str:
    """A code no other station hands out: the random tail of the unit's UUIDv7."""
    return f"DV-{unit_id.hex[-10:].upper()}"
