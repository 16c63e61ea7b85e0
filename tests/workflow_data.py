"""Shared pieces for the workflow, notification and publication tests."""

from __future__ import annotations

import time
import uuid
from typing import Any

from sqlalchemy import select

from pakn_desktop.data.models import TicketEvent, Unit
from pakn_desktop.data.outbox import payload_of
from pakn_desktop.services.database import Database
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from tests.intake_data import form


def add_unit(
    database: Database,
    code: str,
    *,
    phone: str | None = "+84901000001",
    email: str | None = "donvi@example.vn",
    name: str | None = None,
) -> uuid.UUID:
    with database.sessions.begin() as s:
        unit = Unit(
            code=code,
            name=name or f"UBND phường {code}",
            kind="ubnd_xa",
            contact_name="Trần Thị Liên",
            contact_phone=phone,
            contact_email=email,
            active=True,
        )
        s.add(unit)
        s.flush()
        return unit.id


def save_report(database: Database, store: EvidenceStore, **changes: Any) -> uuid.UUID:
    return IntakeService(database, store).save(form(**changes)).id


def events(database: Database, ticket_id: uuid.UUID) -> list[dict[str, Any]]:
    """The report's events in JSON form (as hashed), in order."""
    with database.sessions() as s:
        rows = s.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.seq)
        ).all()
        return [payload_of(e) for e in rows]


def to_handling(database: Database, ticket: uuid.UUID, unit: uuid.UUID) -> None:
    """Forward to ``unit``, which accepts and starts: the report is being handled."""
    from pakn_desktop.services.workflow.service import WorkflowService

    service = WorkflowService(database)
    service.act(ticket, "forward", "operator", None, {"lead_unit_id": unit})
    service.act(ticket, "accept", "unit_officer")
    service.act(ticket, "start", "unit_officer")


def handled_report(database: Database, store: EvidenceStore) -> uuid.UUID:
    """A new report that unit "KQ" is handling."""
    ticket = save_report(database, store)
    to_handling(database, ticket, add_unit(database, "KQ"))
    return ticket


def to_result(database: Database, ticket: uuid.UUID, unit: uuid.UUID, text: str) -> None:
    """Forward, accept, start and record ``text`` as the result (as the unit would)."""
    from pakn_desktop.services.workflow.service import WorkflowService

    to_handling(database, ticket, unit)
    WorkflowService(database).act(
        ticket, "record_result", "unit_officer", None, {"result_text": text}
    )


def select_ticket(qtbot: Any, win: Any, ticket: uuid.UUID, role: str = "operator") -> Any:
    """Select ``ticket``'s row as ``role``; the action bar once it shows that report."""
    from PySide6.QtCore import QItemSelectionModel

    from pakn_desktop.ui.queue.cells import COL_CODE
    from pakn_desktop.ui.queue.model import ObjectRole

    win.role_box.setCurrentIndex(win.role_box.findData(role))
    model, table = win.queue.model, win.queue.table
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    rows = [r for r in range(model.rowCount()) if model.data(model.index(r, COL_CODE), ObjectRole)]
    qtbot.waitUntil(
        lambda: any(model.data(model.index(r, COL_CODE), ObjectRole).id == ticket for r in rows)
    )
    actions = win.queue.detail.action_bar

    last = [0.0]

    def shown() -> bool:
        # Selects again now and then until the detail shows it: the queue may refresh (a
        # count arriving, a role change) under a selection made a moment earlier.
        if actions._ticket == ticket and actions._version is not None:
            return True
        if time.monotonic() - last[0] > 1.0:
            last[0] = time.monotonic()
            for r in range(model.rowCount()):
                item = model.data(model.index(r, COL_CODE), ObjectRole)
                if item is not None and item.id == ticket:
                    # Not selectRow: it reads the keyboard modifiers, and a Ctrl+Shift
                    # shortcut pressed by an earlier test would make it toggle or extend.
                    flags = QItemSelectionModel.SelectionFlag
                    table.setFocus()
                    table.selectionModel().setCurrentIndex(
                        model.index(r, COL_CODE), flags.ClearAndSelect | flags.Rows
                    )
        return False

    qtbot.waitUntil(shown, timeout=10_000)
    table.setFocus()
    return actions
