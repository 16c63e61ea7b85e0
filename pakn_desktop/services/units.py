"""The unit catalogue: handling units (a tree) and their contact people, for administrators.

One service for the admin dialog and the ``units`` commands. A unit is known by its name
under its parent, compared folded (no accents, no đ, spacing ignored): "UBND phường Bến
Thành" and "ubnd phuong ben thanh" under the same parent are the same unit. A unit with
history is deactivated, never deleted: its reports still name it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pakn_desktop.domain.text import fold
from pakn_desktop.services.changes import Changes, Topic
from pakn_desktop.services.unit_checks import (
    DEFAULT_KIND,
    ContactInput,
    ImportReport,
    ImportRow,
    UnitProblem,
    check_contact,
    check_place,
    check_unit_name,
    new_unit_code,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pakn_desktop.data.units import ContactRow
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.reference_lists import ReferenceLists


@dataclass(frozen=True)
class ContactView:
    id: uuid.UUID
    unit_id: uuid.UUID
    name: str
    role: str
    phone: str
    email: str
    receives_sms: bool
    receives_email: bool


@dataclass(frozen=True)
class UnitView:
    id: uuid.UUID
    code: str
    name: str
    parent_id: uuid.UUID | None
    parent_name: str
    kind: str
    province_code: str | None
    commune_code: str | None
    active: bool
    contacts: tuple[ContactView, ...]
    folded: str  # name, parent's name and contacts without accents: the dialog's filter

    def as_json(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "code": self.code,
            "name": self.name,
            "parent": self.parent_name or None,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "kind": self.kind,
            "province_code": self.province_code,
            "commune_code": self.commune_code,
            "active": self.active,
            "contacts": [
                {
                    "id": str(c.id),
                    "name": c.name,
                    "role": c.role or None,
                    "phone": c.phone or None,
                    "email": c.email or None,
                    "receives_sms": c.receives_sms,
                    "receives_email": c.receives_email,
                }
                for c in self.contacts
            ],
        }


Removal = Literal["deleted", "deactivated"]


@dataclass(frozen=True)
class UnitsEditorData:
    """What the administrators' units dialog shows: every unit and the place lists."""

    units: tuple[UnitView, ...]
    lists: ReferenceLists


def _contact_view(c: ContactRow) -> ContactView:
    return ContactView(
        c.id, c.unit_id, c.name, c.role, c.phone, c.email, c.receives_sms, c.receives_email
    )


def _contact_values(contact: ContactInput) -> dict[str, object]:
    return {
        "name": contact.name,
        "role": contact.role or None,
        "phone": contact.phone or None,
        "email": contact.email or None,
        "receives_sms": contact.receives_sms,
        "receives_email": contact.receives_email,
    }


def _views(rows: Sequence[object]) -> tuple[UnitView, ...]:
    from pakn_desktop.data.units import UnitRow

    units = [r for r in rows if isinstance(r, UnitRow)]
    names = {u.id: u.name for u in units}
    views = []
    for u in units:
        parent = names.get(u.parent_id, "") if u.parent_id else ""
        contacts = tuple(_contact_view(c) for c in u.contacts)
        words = [u.name, u.code, parent] + [
            f"{c.name} {c.role} {c.phone} {_national(c.phone)} {c.email}" for c in contacts
        ]
        views.append(
            UnitView(
                u.id,
                u.code,
                u.name,
                u.parent_id,
                parent,
                u.kind,
                u.province_code,
                u.commune_code,
                u.active,
                contacts,
                fold(" ".join(words)),
            )
        )
    return tuple(views)


def _national(phone: str) -> str:
    """The number as people type it (0283…, 0912…), so the dialog's filter finds it."""
    if not phone.startswith("+84"):
        return ""
    return "0" + phone[3:]


class UnitsService:
    CHANGES = Changes.of(Topic.UNITS)  # what each of its writes changes

    def __init__(self, database: Database) -> None:
        self._database = database

    @property
    def database(self) -> Database:
        return self._database

    # --- reads ----------------------------------------------------------------------------

    def list_units(self) -> tuple[UnitView, ...]:
        """Every unit, active or not, by name, with its contacts."""
        from pakn_desktop.data.units import unit_rows

        with self.database.engine.connect() as conn:
            return _views(unit_rows(conn))

    def editor_data(self) -> UnitsEditorData:
        """Units and reference lists in one call (run it on a worker)."""
        from pakn_desktop.services.reference_lists import load_reference_lists

        return UnitsEditorData(self.list_units(), load_reference_lists(self.database))

    def find(self, name: str, parent_id: uuid.UUID | None = None) -> UnitView | None:
        key = fold(name)
        for unit in self.list_units():
            if fold(unit.name) == key and unit.parent_id == parent_id:
                return unit
        return None

    def resolve_parent(self, name: str) -> uuid.UUID:
        """The unit named ``name`` (folded); UnitProblem if none or several have that name."""
        key = fold(name)
        found = [u for u in self.list_units() if fold(u.name) == key]
        if not found:
            raise UnitProblem("parent", f"Không có đơn vị cấp trên tên “{name}” trong danh mục")
        if len(found) > 1:
            raise UnitProblem(
                "parent", f"Có {len(found)} đơn vị tên “{name}”: chọn trong danh sách"
            )
        return found[0].id

    # --- writes ---------------------------------------------------------------------------

    def _check_unique(
        self, session: Session, name: str, parent_id: uuid.UUID | None, own: uuid.UUID | None
    ) -> None:
        from pakn_desktop.data.units import siblings

        key = fold(name)
        for unit_id, other in siblings(session, parent_id):
            if unit_id != own and fold(other) == key:
                raise UnitProblem("name", f"Đã có đơn vị “{other}” cùng cấp trên")

    def _check_parent(
        self, session: Session, parent_id: uuid.UUID | None, own: uuid.UUID | None
    ) -> None:
        from pakn_desktop.data.models import Unit

        seen: set[uuid.UUID] = set()
        current = parent_id
        while current is not None:
            if current == own:
                raise UnitProblem("parent", "Đơn vị không thể là cấp trên của chính nó")
            if current in seen:
                break
            seen.add(current)
            unit = session.get(Unit, current)
            if unit is None:
                raise UnitProblem("parent", "Đơn vị cấp trên không còn trong danh mục")
            current = unit.parent_id

    def add_unit(
        self,
        name: str,
        *,
        parent_id: uuid.UUID | None = None,
        province_code: str | None = None,
        commune_code: str | None = None,
        active: bool = True,
        contacts: Iterable[ContactInput] = (),
        kind: str = DEFAULT_KIND,
    ) -> UnitView:
        from pakn_desktop.data import units as store
        from pakn_desktop.domain.ids import new_id

        name = check_unit_name(name)
        checked = [check_contact(c) for c in contacts]
        with self.database.write_sessions.begin() as session:
            self._check_parent(session, parent_id, None)
            self._check_unique(session, name, parent_id, None)
            province, commune = check_place(session, province_code, commune_code)
            unit_id = new_id()
            store.add_unit(
                session,
                id=unit_id,
                code=new_unit_code(unit_id),
                name=name,
                parent_id=parent_id,
                kind=kind,
                province_code=province,
                commune_code=commune,
                active=active,
            )
            for contact in checked:
                store.add_contact(session, unit_id, **_contact_values(contact))
        return self._one(unit_id)

    def update_unit(
        self,
        unit_id: uuid.UUID,
        name: str,
        *,
        parent_id: uuid.UUID | None,
        province_code: str | None,
        commune_code: str | None,
        active: bool,
    ) -> UnitView:
        from pakn_desktop.data import units as store

        name = check_unit_name(name)
        with self.database.write_sessions.begin() as session:
            self._check_parent(session, parent_id, unit_id)
            self._check_unique(session, name, parent_id, unit_id)
            province, commune = check_place(session, province_code, commune_code)
            try:
                store.update_unit(
                    session,
                    unit_id,
                    name=name,
                    parent_id=parent_id,
                    province_code=province,
                    commune_code=commune,
                    active=active,
                )
            except LookupError:
                raise UnitProblem("unit", "Đơn vị không còn trong danh mục") from None
        return self._one(unit_id)

    def remove_unit(self, unit_id: uuid.UUID) -> Removal:
        """Delete a unit nothing refers to; deactivate one with history (forwards, rules,
        notifications, sub-units), so its reports still read its name."""
        from pakn_desktop.data import units as store

        with self.database.write_sessions.begin() as session:
            if store.history_count(session.connection(), unit_id) > 0:
                store.update_unit(session, unit_id, active=False)
                return "deactivated"
            store.delete_unit(session, unit_id)
            return "deleted"

    def add_contact(self, unit_id: uuid.UUID, contact: ContactInput) -> ContactView:
        from pakn_desktop.data import units as store
        from pakn_desktop.data.models import Unit

        checked = check_contact(contact)
        with self.database.write_sessions.begin() as session:
            if session.get(Unit, unit_id) is None:
                raise UnitProblem("unit", "Đơn vị không còn trong danh mục")
            return _contact_view(store.add_contact(session, unit_id, **_contact_values(checked)))

    def update_contact(self, contact_id: uuid.UUID, contact: ContactInput) -> ContactView:
        from pakn_desktop.data import units as store

        checked = check_contact(contact)
        with self.database.write_sessions.begin() as session:
            try:
                row = store.update_contact(session, contact_id, **_contact_values(checked))
            except LookupError:
                raise UnitProblem("contact", "Người liên hệ không còn trong danh mục") from None
            return _contact_view(row)

    def remove_contact(self, contact_id: uuid.UUID) -> None:
        from pakn_desktop.data import units as store

        with self.database.write_sessions.begin() as session:
            store.delete_contact(session, contact_id)

    def _one(self, unit_id: uuid.UUID) -> UnitView:
        for unit in self.list_units():
            if unit.id == unit_id:
                return unit
        raise UnitProblem("unit", "Đơn vị không còn trong danh mục")

    # --- import ---------------------------------------------------------------------------

    def import_rows(self, rows: Sequence[ImportRow], *, dry_run: bool = False) -> ImportReport:
        # Imported here like every data-layer piece of this module: SQLAlchemy stays off the
        # import of services.units.
        from pakn_desktop.services.unit_import_apply import apply_rows

        report = ImportReport(dry_run=dry_run)
        with self.database.write_sessions() as session:
            session.begin()
            try:
                apply_rows(session, rows, report)
            except BaseException:
                session.rollback()
                raise
            if dry_run:  # the same checks and counts, nothing kept
                session.rollback()
            else:
                session.commit()
        return report
