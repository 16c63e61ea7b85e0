"""Applying a unit list to the catalogue in one write session: match, add, update, count.

A row's unit is matched by its folded name under its parent, and its contact by folded name
(else by phone or e-mail) within the unit, so importing the same list again adds nothing.
Parents may come after their children in the file: rows wait until their parent exists.
A bad row is reported with its row number and skipped; the good rows still go in.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pakn_desktop.data import units as store
from pakn_desktop.domain.ids import new_id
from pakn_desktop.domain.text import fold
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

Key = tuple[str, uuid.UUID | None]


class _Catalogue:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key: dict[Key, uuid.UUID] = {}
        self.by_name: dict[str, set[uuid.UUID]] = {}
        for unit_id, name, parent in store.unit_keys(session):
            self._remember(unit_id, name, parent)

    def _remember(self, unit_id: uuid.UUID, name: str, parent: uuid.UUID | None) -> None:
        self.by_key[(fold(name), parent)] = unit_id
        self.by_name.setdefault(fold(name), set()).add(unit_id)

    def parent(self, name: str) -> uuid.UUID | None:
        """The parent's id; None while no unit has the name; UnitProblem when several do."""
        found = self.by_name.get(fold(name), set())
        if len(found) > 1:
            raise UnitProblem("parent", f"Có {len(found)} đơn vị tên “{name}”: không rõ cấp trên")
        return next(iter(found), None)

    def add(
        self, name: str, parent: uuid.UUID | None, place: tuple[str | None, str | None]
    ) -> uuid.UUID:
        unit_id = new_id()
        store.add_unit(
            self.session,
            id=unit_id,
            code=new_unit_code(unit_id),
            name=name,
            parent_id=parent,
            kind=DEFAULT_KIND,
            province_code=place[0],
            commune_code=place[1],
            active=True,
        )
        self._remember(unit_id, name, parent)
        return unit_id


def _values(contact: ContactInput) -> dict[str, object]:
    return {
        "name": contact.name,
        "role": contact.role or None,
        "phone": contact.phone or None,
        "email": contact.email or None,
        "receives_sms": contact.receives_sms,
        "receives_email": contact.receives_email,
    }


def _merge_contact(session: Session, unit_id: uuid.UUID, contact: ContactInput) -> bool:
    """Add the contact, or fill in what changed; True when something was written."""
    existing = store.contacts_of(session, unit_id)
    same = [c for c in existing if fold(c.name) == fold(contact.name)]
    if not same:
        same = [
            c
            for c in existing
            if (contact.phone and c.phone == contact.phone)
            or (contact.email and c.email == contact.email)
        ]
    if not same:
        store.add_contact(session, unit_id, **_values(contact))
        return True
    found = same[0]
    # An import fills in; it never blanks a field the list leaves empty, nor changes what the
    # contact receives (set in the dialog).
    changes = {
        k: v
        for k, v in (("role", contact.role), ("phone", contact.phone), ("email", contact.email))
        if v and getattr(found, k) != v
    }
    if not changes:
        return False
    store.update_contact(session, found.id, **changes)
    return True


def _apply_one(
    session: Session, catalogue: _Catalogue, row: ImportRow, parent: uuid.UUID | None
) -> str:
    name = check_unit_name(row.name)
    contact = check_contact(row.contact) if row.contact is not None else None
    place = check_place(session, row.province.strip() or None, row.commune.strip() or None)
    unit_id = catalogue.by_key.get((fold(name), parent))
    with session.begin_nested():  # a row that fails half-way leaves nothing behind
        if unit_id is None:
            unit_id = catalogue.add(name, parent, place)
            if contact is not None:
                _merge_contact(session, unit_id, contact)
            return "added"
        # A place the row gives is taken; a row without one leaves the unit's as it is.
        moved = place != (None, None) and store.update_unit(
            session, unit_id, province_code=place[0], commune_code=place[1]
        )
        changed = contact is not None and _merge_contact(session, unit_id, contact)
    return "updated" if changed or moved else "unchanged"


def apply_rows(session: Session, rows: Sequence[ImportRow], report: ImportReport) -> None:
    catalogue = _Catalogue(session)
    waiting: list[ImportRow] = list(rows)
    while waiting:
        later: list[ImportRow] = []
        for row in waiting:
            try:
                parent = catalogue.parent(row.parent) if row.parent.strip() else None
                if row.parent.strip() and parent is None:
                    later.append(row)
                    continue
                outcome = _apply_one(session, catalogue, row, parent)
            except UnitProblem as problem:
                report.errors.append((row.line, problem.message))
                continue
            if outcome == "added":
                report.added += 1
            elif outcome == "updated":
                report.updated += 1
            else:
                report.unchanged += 1
        if len(later) == len(waiting):  # no parent appeared in a whole pass
            for row in later:
                report.errors.append(
                    (row.line, f"Không có đơn vị cấp trên tên “{row.parent.strip()}”")
                )
            break
        waiting = later
    report.errors.sort()
