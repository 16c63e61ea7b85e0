"""Intake: record one report from the form (or the CLI) in one local transaction.

The save never waits on the network: ticket, reporter, first timeline events, evidence rows
and their outbox rows commit together in the local database; the sync pushes them later.
SQLAlchemy is imported on first use, as in ``services.queue``.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pakn_desktop.data.types import utcnow
from pakn_desktop.domain.enums import OPEN_STATUSES
from pakn_desktop.services.intake.form import (
    IntakeForm,
    IntakeInvalid,
    SavedTicket,
    ValidationResult,
)
from pakn_desktop.services.intake.rules import IntakeReference, Place, validate

if TYPE_CHECKING:
    from pakn_desktop.data.models import Station
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.evidence.store import EvidenceStore
    from pakn_desktop.services.intake.store import Deadlines, Imported
    from pakn_desktop.services.sla import SlaService

log = logging.getLogger(__name__)


def load_reference(database: Database) -> IntakeReference:
    """Channels, kinds, active categories, provinces and communes, read once (~20 ms)."""
    from pakn_desktop.data.reference_read import pick_rows

    with database.engine.connect() as conn:
        rows = pick_rows(conn)
    return IntakeReference(
        channels={c.code: c.name for c in rows.channels},
        kinds={k.code: k.name for k in rows.kinds},
        categories={c.code: c.name for c in rows.categories},
        provinces={p.code: Place(p.code, p.name, p.folded) for p in rows.provinces},
        communes={c.code: Place(c.code, c.name, c.folded, c.province_code) for c in rows.communes},
        own_procedure=frozenset(k.code for k in rows.kinds if k.own_procedure),
    )


class IntakeService:
    """Validate and save intake forms. Every call opens its own session, so calls may run on
    any worker thread; run ``save`` on the serial write lane.

    ``evidence`` is the store attachments go to; a form with attachments and no store is a
    programming error (ValueError). ``clock`` is for tests.
    """

    def __init__(
        self,
        database: Database,
        evidence: EvidenceStore | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
        user_id: uuid.UUID | None = None,
        sla: SlaService | None = None,
    ) -> None:
        self._database = database
        self._evidence = evidence
        self._clock = clock
        self._user_id = user_id
        self._reference: IntakeReference | None = None
        self._sla = sla  # the shared deadline rules (AppServices.sla); built here if None
        self._station: Station | None = None  # this database's station: fixed once created
        self._lock = threading.Lock()

    def reference(self) -> IntakeReference:
        """The reference codes, loaded on first use and cached (they change rarely)."""
        with self._lock:
            if self._reference is None:
                self._reference = load_reference(self._database)
            return self._reference

    def reload(self) -> None:
        """Forget the cached reference data and deadline rules (after an administrator's edit)."""
        with self._lock:
            self._reference = None
            sla = self._sla
        if sla is not None:
            sla.reload()

    def validate(self, form: IntakeForm) -> ValidationResult:
        """``validate(form, self.reference())`` at the service's clock."""
        return validate(form, self.reference(), now=self._clock())

    def save(self, form: IntakeForm, *, draft_id: uuid.UUID | None = None) -> SavedTicket:
        """Validate and store ``form`` in one local transaction; raise IntakeInvalid (nothing
        stored) when invalid or when ``duplicate_of`` names no known report.

        Stores: the reporter (reused by E.164 phone), the ticket (status ``new``; ``closed``
        with ``closed_at`` for a hỏi đáp answered on the call; ``duplicate`` with the link for
        ``duplicate_of``), its first timeline events hash-chained, attachments (evidence store
        + blob/evidence rows), the outbox rows (ORM hook), and deletes ``draft_id`` if given,
        all in the same commit. Khiếu nại / tố cáo keep their kind and are marked for their
        own procedure in the "created" event; tố cáo sets ``identity_protected``.
        """
        now = self._clock()
        result = validate(form, self.reference(), now=now)
        if not result.ok:
            raise IntakeInvalid(result)
        if form.attachments and self._evidence is None:
            raise ValueError("IntakeService was built without an evidence store")
        from pakn_desktop.services.intake import store as intake_store

        clean_form = intake_store.cleaned(form)
        deadlines = self._deadlines(clean_form, clean_form.received_at or now)
        saved, self._station = intake_store.store(
            self._database,
            clean_form,
            now=now,
            deadlines=deadlines,
            evidence=self._evidence,
            user_id=self._user_id,
            draft_id=draft_id,
            own_procedure=clean_form.kind in self.reference().own_procedure,
            station=self._station,
        )
        log.info("report %s saved (%s)", saved.code, saved.status)
        return replace(saved, warnings=(*result.warnings, *saved.warnings))

    def save_imported(self, items: Sequence[tuple[IntakeForm, Imported]]) -> list[SavedTicket]:
        """Store reports taken in from a register (``services.reports.register_import``),
        all in one transaction (one commit for a batch: a register holds thousands), through
        the same store as the form: reporter reuse, case code, timeline, outbox and search
        text alike. The import has checked each row itself (a register has no commune, no
        handling note: the form's rules would refuse most rows). A unique-key clash (another
        import of the same rows meanwhile) rolls the whole batch back.

        Deadlines come from the rules at the report's received time, but none that had
        passed before the import is kept, and a closed report keeps none: the alert scan,
        the escalation ladder and the forward watch read only these columns, so a register
        of last month raises no alert and sends no notification (docs/decisions.md).
        The full set is kept in ``intake_meta["import"]``.
        """
        from pakn_desktop.services.intake import store as intake_store
        from pakn_desktop.services.intake.batch import open_batch

        now = self._clock()
        own_procedure = self.reference().own_procedure
        # Checked and timed before the write transaction: nothing here reads what it writes,
        # and another station's save waits only for the batch's database work.
        ready: list[tuple[IntakeForm, Imported, Deadlines | None]] = []
        for form, imported in items:
            clean_form = intake_store.cleaned(form)
            computed = self._deadlines(clean_form, clean_form.received_at or now)
            deadlines = None
            if computed is not None:
                imported.meta["deadlines"] = [d.isoformat() for d in computed]
                if imported.status in OPEN_STATUSES:
                    kept = tuple(d if d > now else None for d in computed)
                    deadlines = (kept[0], kept[1], kept[2], kept[3])
            ready.append((clean_form, imported, deadlines))
        saved: list[SavedTicket] = []
        with self._database.writer.begin() as conn:
            station = intake_store.station_of(self._database, conn, self._station)
            batch = open_batch(
                conn, station, [(f.received_at or now, f.reporter_phone) for f, _, _ in ready]
            )
            for clean_form, imported, deadlines in ready:
                one, station = intake_store.store(
                    self._database,
                    clean_form,
                    now=now,
                    deadlines=deadlines,
                    evidence=None,
                    user_id=self._user_id,
                    draft_id=None,
                    own_procedure=clean_form.kind in own_procedure,
                    station=station,
                    imported=imported,
                    within=conn,
                    batch=batch,
                )
                saved.append(one)
            intake_store.insert_pending(conn, batch)
        self._station = station  # only once committed: a rolled-back station is no station
        return saved

    def _deadlines(
        self, form: IntakeForm, received: datetime
    ) -> tuple[datetime, datetime, datetime, datetime] | None:
        """(forward due, resolve due, at-risk moment, forward at-risk moment) under the best
        matching policy, or None if none does."""
        from pakn_desktop.domain.sla import deadlines, forward_at_risk_at
        from pakn_desktop.services.sla import SlaService

        with self._lock:
            if self._sla is None:
                self._sla = SlaService(self._database)
            sla = self._sla
        policy = sla.match(form.channel, form.category, form.kind, form.urgency)
        if policy is None:
            return None
        due = deadlines(received, policy, sla.calendar())
        at_risk = sla.at_risk_at(received, due.resolve_due, policy)
        forward_risk = forward_at_risk_at(received, due.forward_due, sla.settings().at_risk_share)
        return (
            due.forward_due.astimezone(UTC),
            due.resolve_due.astimezone(UTC),
            at_risk,
            forward_risk.astimezone(UTC),
        )
