"""EvidenceService: files and bytes onto a report, with their custody events.

A call is all-or-nothing: every file is staged and checked first (``store.stage_*``); one
refusal discards the whole batch, so nothing of it is stored and no row is written. Then the
staged files are renamed into the store and fsynced, and only then are the rows and events
written in one short transaction: no disk write ever happens under SQLite's writer lock. A
transaction that fails after the renames leaves unreferenced files, which are harmless
(content-addressed, written once) and shown by ``verify_all`` as orphans.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from pakn_desktop.data import evidence_rows, workflow_store
from pakn_desktop.data.models import Blob, Evidence
from pakn_desktop.data.stations import local_station
from pakn_desktop.data.types import utcnow
from pakn_desktop.domain.text import clean

from . import custody
from .errors import EvidenceError
from .names import sanitise_name
from .records import SOURCES, AttachedEvidence, EvidenceBytes, VerifyReport
from .store import EvidenceStore, Progress, ShouldCancel, Staged, StoredBlob

# Fetches a file this station has the rows of from the sync server (AppServices._fetch_file):
# (sha256, progress, cancelled).
Fetch = Callable[[str, Progress | None, ShouldCancel | None], object]

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database

log = logging.getLogger(__name__)

MAX_REASON = 500
# How a derived copy's display name says what it is (the purpose code stays in the row).
_PURPOSE_NAMES = {"redacted": "da-che-thong-tin"}


class EvidenceService:
    def __init__(
        self,
        database: Database,
        store: EvidenceStore,
        *,
        user_id: uuid.UUID | None = None,
        clock: Callable[[], datetime] = utcnow,
        fetch: Fetch | None = None,
    ) -> None:
        self.database = database
        self.store = store
        self.user_id = user_id
        self._clock = clock
        # Brings a file this station has only the rows of (another station's, pulled by the
        # sync) into the store; None: a missing file stays missing (decision 50).
        self._fetch = fetch

    # --- attaching ----------------------------------------------------------------------

    def attach_files(
        self,
        code_or_id: str | uuid.UUID,
        paths: Sequence[Path | str],
        source: str = "file",
        progress: Progress | None = None,
        should_cancel: ShouldCancel | None = None,
        *,
        purpose: str | None = None,
    ) -> list[AttachedEvidence]:
        """Attach ``paths`` to the report; all of them or (EvidenceError naming the file)
        none. ``progress(done, total)`` in bytes over the batch; ``should_cancel`` is checked
        between 1 MiB chunks (EvidenceCancelled). ``purpose``: why they were attached
        (``result``: the unit's handling result; None: evidence of the report)."""
        _check_source(source)
        ticket_id = self._ticket_id(code_or_id)  # a wrong code fails before any copying
        files = [Path(p) for p in paths]
        total = sum(_size(p) for p in files)
        done = 0

        def step() -> Progress | None:
            report = progress
            if report is None:
                return None
            base = done
            return lambda n, _all: report(base + n, max(total, base + n))

        staged: list[tuple[Staged, str, str, dict[str, Any] | None]] = []
        try:
            for path in files:
                try:
                    item = self.store.stage_file(path, step(), should_cancel)
                except EvidenceError as error:
                    # cleaned: a name with escape sequences or a bidi override is printed too
                    raise error.for_file(sanitise_name(path.name, "")) from error
                done += item.blob.size
                staged.append((item, path.name, source, None))
        except BaseException:
            for item, *_ in staged:
                self.store.discard(item)
            raise
        return self._record(ticket_id, staged, purpose)

    def attach_bytes(
        self,
        code_or_id: str | uuid.UUID,
        items: Sequence[EvidenceBytes],
        progress: Progress | None = None,
        should_cancel: ShouldCancel | None = None,
        *,
        purpose: str | None = None,
    ) -> list[AttachedEvidence]:
        """Attach pasted, dropped or captured bytes; all or none, as :meth:`attach_files`."""
        for item in items:
            _check_source(item.source)
        ticket_id = self._ticket_id(code_or_id)
        total = sum(len(item.data) for item in items)
        staged: list[tuple[Staged, str, str, dict[str, Any] | None]] = []
        done = 0
        try:
            for item in items:
                if should_cancel is not None and should_cancel():
                    from .errors import EvidenceCancelled

                    raise EvidenceCancelled()
                try:
                    one = self.store.stage_bytes(item.data)
                except EvidenceError as error:
                    raise error.for_file(sanitise_name(item.name or "?", "")) from error
                staged.append((one, item.name, item.source, item.geometry))
                done += len(item.data)
                if progress is not None:
                    progress(done, total)
        except BaseException:
            for one, *_ in staged:
                self.store.discard(one)
            raise
        return self._record(ticket_id, staged, purpose)

    def attach(
        self,
        ticket_id: uuid.UUID,
        paths: Sequence[Path],
        items: Sequence[EvidenceBytes],
        source: str,
        progress: Progress | None = None,
        should_cancel: ShouldCancel | None = None,
    ) -> list[AttachedEvidence]:
        """Files, then bytes (a paste rarely carries both): each call is all or nothing, with
        progress and the cancel check between 1 MiB chunks."""
        out: list[AttachedEvidence] = []
        if paths:
            out += self.attach_files(ticket_id, paths, source, progress, should_cancel)
        if items:
            out += self.attach_bytes(ticket_id, items, progress, should_cancel)
        return out

    def attach_derived(
        self,
        original_id: uuid.UUID,
        staged: Staged,
        *,
        purpose: str,
        event_data: dict[str, Any],
    ) -> AttachedEvidence:
        """A copy made from an original (a redacted screenshot): its own evidence row linked
        by ``derived_from``, and one custody event naming both hashes.

        The file is committed (renamed, fsynced) before the write transaction opens, as in
        :meth:`_record`: a slow disk must not hold SQLite's writer lock."""
        try:
            blob = self.store.commit(staged)
        except BaseException:
            self.store.discard(staged)
            raise
        with self.database.write_sessions() as session:
            original = _evidence(session, original_id)
            station = local_station(session)
            now = self._clock()
            _ensure_blob(session, blob, now)
            label = _PURPOSE_NAMES.get(purpose, purpose)
            name = sanitise_name(f"{Path(original.display_name).stem}-{label}", blob.mime)
            row = Evidence(
                ticket_id=original.ticket_id,
                sha256=blob.sha256,
                display_name=name,
                source="derived",
                captured_at=now,
                captured_by_id=self.user_id,
                station_id=station.id,
                geometry=None,
                derived_from=original.id,
                purpose=purpose,
            )
            session.add(row)
            session.flush()
            data = {"evidence_id": row.id, "from_evidence_id": original.id, "purpose": purpose}
            data |= {"from_sha256": original.sha256, "sha256": blob.sha256, **event_data}
            self._event(session, original.ticket_id, custody.REDACTED, data, now, station.id)
            result = _record_of(session, row, blob)
            session.commit()
        return result

    def _record(
        self,
        ticket_id: uuid.UUID,
        staged: list[tuple[Staged, str, str, dict[str, Any] | None]],
        purpose: str | None = None,
    ) -> list[AttachedEvidence]:
        out: list[AttachedEvidence] = []
        try:
            blobs = [self.store.commit(item) for item, *_ in staged]
        except BaseException:
            for item, *_ in staged:
                self.store.discard(item)
            raise
        with self.database.write_sessions() as session:
            station = local_station(session)
            now = self._clock()
            for blob, (_, name, source, geometry) in zip(blobs, staged, strict=True):
                _ensure_blob(session, blob, now)
                existing = evidence_rows.attached_copy(session, ticket_id, blob.sha256)
                if existing is not None:  # the same bytes twice: one row, one event
                    out.append(_record_of(session, existing, blob, already=True))
                    continue
                row = Evidence(
                    ticket_id=ticket_id,
                    sha256=blob.sha256,
                    display_name=sanitise_name(name, blob.mime),
                    source=source,
                    captured_at=now,
                    captured_by_id=self.user_id,
                    station_id=station.id,
                    geometry=geometry,
                    purpose=purpose,
                )
                session.add(row)
                session.flush()
                data = {"evidence_id": row.id, "sha256": blob.sha256, "name": row.display_name}
                data |= {"mime": blob.mime, "size": blob.size, "source": source}
                if purpose is not None:
                    data["purpose"] = purpose
                if blob.warnings:  # kept as it is, and the chain says what is odd about it
                    data["warnings"] = list(blob.warnings)
                self._event(session, ticket_id, custody.ATTACHED, data, now, station.id)
                out.append(_record_of(session, row, blob))
            session.commit()
        log.info("attached %d evidence file(s)", len(out))  # no names: they may be personal
        return out

    # --- custody ------------------------------------------------------------------------

    def detach(self, evidence_id: uuid.UUID, reason: str) -> AttachedEvidence:
        """Mark the evidence detached (the file and row stay: proof is never deleted)."""
        reason = clean(reason).strip()[:MAX_REASON]
        if not reason:
            raise EvidenceError("no_reason", "Cần ghi lý do gỡ minh chứng")
        with self.database.write_sessions() as session:
            row = _evidence(session, evidence_id)
            if row.detached_at is not None:
                raise EvidenceError("detached", "Minh chứng này đã được gỡ trước đó")
            now = self._clock()
            station = local_station(session)
            row.detached_at = now
            data = {"evidence_id": row.id, "sha256": row.sha256, "reason": reason}
            self._event(session, row.ticket_id, custody.DETACHED, data, now, station.id)
            result = _record_of(session, row, None)
            session.commit()
        return result

    def record_view(self, evidence_id: uuid.UUID) -> None:
        with self.database.write_sessions() as session:
            row = _evidence(session, evidence_id)
            station = local_station(session)
            data = {"evidence_id": row.id, "sha256": row.sha256}
            self._event(session, row.ticket_id, custody.VIEWED, data, self._clock(), station.id)
            session.commit()

    def record_export(self, evidence_ids: Sequence[uuid.UUID], purpose: str) -> None:
        """One event per report naming every exported file (archive, sharing)."""
        with self.database.write_sessions() as session:
            station = local_station(session)
            now = self._clock()
            by_ticket: dict[uuid.UUID, list[dict[str, Any]]] = {}
            for evidence_id in evidence_ids:
                row = _evidence(session, evidence_id)
                entry = {"evidence_id": str(row.id), "sha256": row.sha256}
                by_ticket.setdefault(row.ticket_id, []).append(entry)
            for ticket_id, entries in by_ticket.items():
                data = {"purpose": purpose, "evidence": entries}
                self._event(session, ticket_id, custody.EXPORTED, data, now, station.id)
            session.commit()

    # --- reading ------------------------------------------------------------------------

    def list_for_ticket(
        self, ticket_id: uuid.UUID, *, include_detached: bool = True
    ) -> list[AttachedEvidence]:
        with self.database.sessions() as session:
            rows = evidence_rows.of_ticket(session, ticket_id, include_detached=include_detached)
            return [_record_of(session, row, None) for row in rows]

    def local_path(
        self,
        sha256: str,
        progress: Progress | None = None,
        cancelled: ShouldCancel | None = None,
    ) -> Path:
        """The stored file's path, fetched first from the sync server when it is not here
        (``fetch``): on a worker, never the GUI thread (it waits for the network).
        ``progress`` hears (bytes here, bytes in all) as the chunks come; ``cancelled`` stops
        the fetch between two chunks (FetchCancelled; the next one resumes). Nothing is
        fetched over a file that is here, even an altered one: the verify reports that."""
        path = self.store.path_of(sha256)
        if self._fetch is not None and not os.path.lexists(path):
            self._fetch(sha256, progress, cancelled)
        return path

    def is_here(self, sha256: str) -> bool:
        """Whether the file is in this station's store (else opening it fetches it)."""
        return os.path.lexists(self.store.path_of(sha256))

    def get(self, evidence_id: uuid.UUID) -> AttachedEvidence:
        with self.database.sessions() as session:
            return _record_of(session, _evidence(session, evidence_id), None)

    def verify_all(self, progress: Progress | None = None) -> VerifyReport:
        from .verify import verify_store

        return verify_store(self.database, self.store, progress)

    # --- internals ----------------------------------------------------------------------

    def _ticket_id(self, code_or_id: str | uuid.UUID) -> uuid.UUID:
        with self.database.sessions() as session:
            found = workflow_store.find_ticket(session.connection(), code_or_id)
        if found is None:
            raise EvidenceError("no_ticket", f"Không có hồ sơ {code_or_id}")
        return found

    def _event(
        self,
        session: Session,
        ticket_id: uuid.UUID,
        kind: str,
        data: dict[str, Any],
        now: datetime,
        station_id: uuid.UUID,
    ) -> None:
        custody.append_event(
            session, ticket_id, kind, data, at=now, actor_id=self.user_id, station_id=station_id
        )


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise EvidenceError("bad_source", f"Nguồn minh chứng không hợp lệ: {source}")


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # stage_file reports it with the file's name


def _evidence(session: Session, evidence_id: uuid.UUID) -> Evidence:
    row = session.get(Evidence, evidence_id)
    if row is None:
        raise EvidenceError("no_evidence", "Không tìm thấy minh chứng")
    return row


def _ensure_blob(session: Session, blob: StoredBlob, now: datetime) -> None:
    if session.get(Blob, blob.sha256) is None:
        session.add(Blob(sha256=blob.sha256, size=blob.size, mime=blob.mime, stored_at=now))
        session.flush()


def _record_of(
    session: Session, row: Evidence, blob: StoredBlob | None, *, already: bool = False
) -> AttachedEvidence:
    if blob is None:
        stored = session.get(Blob, row.sha256)
        assert stored is not None  # a foreign key
        blob = StoredBlob(stored.sha256, stored.size, stored.mime)
    code = evidence_rows.ticket_code(session, row.ticket_id)
    warnings = blob.warnings  # from the bytes just staged; () for a row read back
    return AttachedEvidence(
        id=row.id,
        ticket_id=row.ticket_id,
        ticket_code=code,
        sha256=row.sha256,
        display_name=row.display_name,
        mime=blob.mime,
        size=blob.size,
        source=row.source,
        captured_at=row.captured_at,
        captured_by_id=row.captured_by_id,
        station_id=row.station_id,
        geometry=row.geometry,
        detached_at=row.detached_at,
        derived_from=row.derived_from,
        purpose=row.purpose,
        already_attached=already,
        warnings=warnings,
    )
