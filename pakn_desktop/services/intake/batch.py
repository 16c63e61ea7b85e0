"""Many reports saved in one transaction (a register import: ``IntakeService.save_imported``).

``services.intake.store`` builds each report's rows as for one save, but a :class:`Batch`
collects them for one insert a table, and answers the two questions a save asks the
database from what it read once for the whole batch: the reporter rows a phone number
already has (one query for every phone of the batch) and the next case number (the day's
numbers reserved at once, one statement a day). A register of thousands of rows would
otherwise pay two round trips a report.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from pakn_desktop.data import intake_rows
from pakn_desktop.data.models import Station
from pakn_desktop.data.stations import reserve_case_numbers
from pakn_desktop.domain.office_time import OFFICE_ZONE
from pakn_desktop.domain.phone import normalise_phone

# Case codes count per local day: a call at 06:30 in Hanoi is that day's, not yesterday's UTC.
CASE_DAY_ZONE = OFFICE_ZONE
# Parents before children (foreign keys); blob's key is its hash.
INSERT_ORDER = ("reporter", "ticket", "ticket_event", "blob", "evidence")
Pending = dict[str, list[dict[str, Any]]]  # table → rows to insert, in INSERT_ORDER
KnownReporter = tuple[uuid.UUID, str | None, str | None, str | None]  # id, name, email, address


def new_pending() -> Pending:
    return {name: [] for name in INSERT_ORDER}


def case_day(received: datetime) -> date:
    return received.astimezone(CASE_DAY_ZONE).date()


@dataclass
class Batch:
    """The rows of a batch's reports, waiting for their inserts, and what the batch read."""

    rows: Pending = field(default_factory=new_pending)
    # phone (E.164) → its reporter rows in the database, newest first, as the batch left them
    # (every phone the batch was opened with, [] for none)
    known: dict[str, list[KnownReporter]] = field(default_factory=dict)
    # phone → the batch's new reporter rows with it, in the order they were made
    fresh: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    numbers: dict[date, int] = field(default_factory=dict)  # day → its next reserved number

    def take_number(self, day: date) -> int:
        number = self.numbers[day]
        self.numbers[day] = number + 1
        return number


def open_batch(
    conn: Connection, station: Station, reports: Iterable[tuple[datetime, str]]
) -> Batch:
    """A batch for ``reports`` ((received at, phone as written) each, every report the batch
    will save), in the caller's write transaction: their phones' reporters read, and each
    day's case numbers reserved."""
    days: Counter[date] = Counter()
    phones: set[str] = set()
    for received, phone in reports:
        days[case_day(received)] += 1
        e164 = normalise_phone(phone) if phone else None
        if e164 is not None:
            phones.add(e164)
    batch = Batch()
    if phones:
        found = intake_rows.reporters_by_phones(conn, phones)
        batch.known = {phone: found.get(phone, []) for phone in phones}
    for day, count in sorted(days.items()):
        batch.numbers[day] = reserve_case_numbers(conn, station, day, count)
    return batch
