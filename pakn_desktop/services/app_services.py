"""Every service of one workstation, built in one place: the composition root's service half.

The GUI, the screenshot command and the command line build one ``AppServices`` over a
database opener and hand it (or the services it holds) to what needs them. Each service is
built on first use and then shared, so there is one ``SlaService`` and one
``EvidenceStore`` per database. The database opens on whichever thread first asks: the GUI
asks only from worker threads (``ui/tasks.py``), so its window paints before SQLAlchemy is
imported. This module imports nothing heavy; each service's module is imported when built.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:  # uuid too: it imports platform (nine regexes), not needed to paint
    import uuid
    from datetime import datetime

    from pakn_desktop.services.alerts import AlertScanner
    from pakn_desktop.services.clock import DeadlineClock
    from pakn_desktop.services.dashboard import DashboardService
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.environment import Environment
    from pakn_desktop.services.evidence.copies import OpenCopies
    from pakn_desktop.services.evidence.service import EvidenceService
    from pakn_desktop.services.evidence.store import EvidenceStore
    from pakn_desktop.services.intake.caller_history import CallerHistory
    from pakn_desktop.services.intake.drafts import DraftService
    from pakn_desktop.services.intake.service import IntakeService
    from pakn_desktop.services.notify.dispatcher import Dispatcher
    from pakn_desktop.services.notify.settings import NotifySettingsSource
    from pakn_desktop.services.queue import QueueService
    from pakn_desktop.services.redaction import RedactionService
    from pakn_desktop.services.reference_lists import ReferenceLists
    from pakn_desktop.services.reports.daily_export import DailyReports
    from pakn_desktop.services.search import SearchService
    from pakn_desktop.services.settings import Secrets
    from pakn_desktop.services.sla import SlaService, SlaSettingsStore
    from pakn_desktop.services.sync.activity import SyncActivity
    from pakn_desktop.services.sync.connection import SyncConnection
    from pakn_desktop.services.sync.journal import SyncJournal
    from pakn_desktop.services.sync.runner import SyncRunner
    from pakn_desktop.services.units import UnitsService
    from pakn_desktop.services.workflow.routing import RoutingService
    from pakn_desktop.services.workflow.service import WorkflowService
    from pakn_desktop.services.workstation import Workstation

T = TypeVar("T")


class AppServices:
    """The services over ``database`` (a function opening it once, e.g.
    ``services.opening.DatabaseOpener``), with files under ``env.data_dir``.

    ``as_login``: writes name the OS login's user row (the GUI, where that login works);
    the command line's records name no user, as they always have.
    ``environ``: where the SMS gateway and SMTP settings' overrides come from (the process
    environment unless a test gives its own). ``evidence_max_bytes``: the store's limit
    (``evidence add --max-mb``); the store's default otherwise. ``station_clock``: the
    station's own clock under the deadline clock (tests put it anywhere; the system's if None).
    """

    def __init__(
        self,
        database: Callable[[], Database],
        env: Environment,
        *,
        as_login: bool = True,
        environ: Mapping[str, str] | None = None,
        evidence_max_bytes: int | None = None,
        station_clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._open = database
        self._station_clock = station_clock
        self._env = env
        self.data_dir: Path = env.data_dir
        self.evidence_dir: Path = env.evidence_dir
        self.thumbs_dir: Path = env.data_dir / "thumbs"  # evidence thumbnails, a cache
        self._copies_dir = env.data_dir / "open-copies"
        self._as_login = as_login
        self._environ = environ
        self._evidence_max_bytes = evidence_max_bytes
        # Reentrant: building one service asks for others (the alerts need the clock).
        self._lock = threading.RLock()
        self._built: dict[str, Any] = {}

    def _once(self, name: str, build: Callable[[], T]) -> T:
        """``build()`` the first time ``name`` is asked for, from any thread; the same after."""
        with self._lock:
            if name not in self._built:
                self._built[name] = build()
            return cast(T, self._built[name])

    # --- the database and who works on it ----------------------------------------------------

    @property
    def database(self) -> Database:
        """The open database (opened now if it is not yet: never call this on the GUI thread
        before the window's start)."""
        return self._open()

    @property
    def user_id(self) -> uuid.UUID | None:
        """Who acts: the OS login's user row (no accounts yet); None on the command line."""

        def build() -> uuid.UUID | None:
            from pakn_desktop.services.workstation import local_user_id

            return local_user_id(self.database) if self._as_login else None

        return self._once("user_id", build)

    def workstation(self) -> Workstation:
        """This station and the OS user (the station is created on first start: a write)."""
        from pakn_desktop.services.workstation import load_workstation

        return load_workstation(self.database)

    def reference_lists(self) -> ReferenceLists:
        """Channels, categories, places… for the pick lists (read anew each time asked)."""
        from pakn_desktop.services.reference_lists import load_reference_lists

        return load_reference_lists(self.database)

    # --- queue, deadlines, dashboard -----------------------------------------------------------

    @property
    def queue(self) -> QueueService:
        def build() -> QueueService:
            from pakn_desktop.services.queue import QueueService

            return QueueService(self.database)

        return self._once("queue", build)

    @property
    def clock(self) -> DeadlineClock:
        """The one clock every deadline-bearing time is taken from (decision 47): the
        server's, through the station's measured offset (on SQLite: the sync server's)."""

        def build() -> DeadlineClock:
            from pakn_desktop.services.clock import DeadlineClock

            if self._station_clock is None:
                return DeadlineClock(self.database)
            return DeadlineClock(self.database, station=self._station_clock)

        return self._once("clock", build)

    def now(self) -> datetime:
        """The deadline clock's time where no database may be waited for (the GUI thread):
        the station's own clock until ``clock`` has been built (on a worker, by the window's
        first clock measurement), which costs one read of this database."""
        with self._lock:
            built: DeadlineClock | None = self._built.get("clock")
        if built is not None:
            return built.now()
        if self._station_clock is not None:
            return self._station_clock()
        from datetime import UTC, datetime

        return datetime.now(UTC)

    @property
    def sla(self) -> SlaService:
        """The deadline rules and settings: the one instance intake and the alerts share, so a
        settings save reloads both."""

        def build() -> SlaService:
            from pakn_desktop.services.sla import SlaService

            return SlaService(self.database)

        return self._once("sla", build)

    @property
    def sla_settings(self) -> SlaSettingsStore:
        def build() -> SlaSettingsStore:
            from pakn_desktop.services.sla import SlaSettingsStore

            return SlaSettingsStore(self.database, self.sla)

        return self._once("sla_settings", build)

    @property
    def dashboard(self) -> DashboardService:
        def build() -> DashboardService:
            from pakn_desktop.services.dashboard import DashboardService

            return DashboardService(self.database, clock=self.clock.now)

        return self._once("dashboard", build)

    @property
    def reports(self) -> DailyReports:
        """The daily report's defaults, preview figures and export (the Reports screen)."""

        def build() -> DailyReports:
            from pakn_desktop.services.reports.daily_export import DailyReports

            return DailyReports(self.database, self.clock.now)

        return self._once("reports", build)

    @property
    def alerts(self) -> AlertScanner:
        def build() -> AlertScanner:
            from pakn_desktop.services.alerts import AlertScanner

            return AlertScanner(self.database, self.clock.now, sla=self.sla)

        return self._once("alerts", build)

    # --- intake ---------------------------------------------------------------------------------

    @property
    def evidence_store(self) -> EvidenceStore:
        """The one content-addressed store: intake's attachments and the evidence service's."""

        def build() -> EvidenceStore:
            from pakn_desktop.services.evidence.store import DEFAULT_MAX_BYTES, EvidenceStore

            limit = self._evidence_max_bytes or DEFAULT_MAX_BYTES
            return EvidenceStore(self.evidence_dir, max_bytes=limit)

        return self._once("evidence_store", build)

    @property
    def intake(self) -> IntakeService:
        def build() -> IntakeService:
            from pakn_desktop.services.intake.service import IntakeService

            db = self.database
            return IntakeService(
                db, self.evidence_store, clock=self.clock.now, user_id=self.user_id, sla=self.sla
            )

        return self._once("intake", build)

    @property
    def drafts(self) -> DraftService:
        def build() -> DraftService:
            from pakn_desktop.services.intake.drafts import DraftService

            return DraftService(self.database)

        return self._once("drafts", build)

    @property
    def caller_history(self) -> CallerHistory:
        def build() -> CallerHistory:
            from pakn_desktop.services.intake.caller_history import CallerHistory

            return CallerHistory(self.database)

        return self._once("caller_history", build)

    # --- evidence -------------------------------------------------------------------------------

    @property
    def evidence(self) -> EvidenceService:
        def build() -> EvidenceService:
            from pakn_desktop.services.evidence.service import EvidenceService

            return EvidenceService(
                self.database, self.evidence_store, user_id=self.user_id, fetch=self._fetch_file
            )

        return self._once("evidence", build)

    def _fetch_file(
        self,
        sha256: str,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        """A file this station has the rows of but not the bytes, from the sync server when
        one is set (decision 50); without one it stays missing, as before any sync."""
        from pakn_desktop.services.environment import is_demo
        from pakn_desktop.services.sync.connection import server_url
        from pakn_desktop.services.sync.errors import SyncRefused
        from pakn_desktop.services.sync.fetch import fetch_missing

        if is_demo(self._env):
            return
        try:
            url = server_url(None, self.database, self._environ)
        except SyncRefused as refusal:
            if refusal.code == "sync_no_server":
                return
            raise
        fetch_missing(
            self.database,
            url,
            sha256,
            self.evidence_store,
            passwords=self.sync_password,
            progress=progress,
            cancelled=cancelled,
        )

    @property
    def redaction(self) -> RedactionService:
        def build() -> RedactionService:
            from pakn_desktop.services.redaction import RedactionService

            return RedactionService(self.evidence)

        return self._once("redaction", build)

    @property
    def open_copies(self) -> OpenCopies:
        """Read-only copies of evidence handed to the system's programs (the GUI's: the
        last session's copies are removed when it first opens one)."""

        def build() -> OpenCopies:
            from pakn_desktop.services.evidence.copies import OpenCopies

            return OpenCopies(self.evidence, self._copies_dir)

        return self._once("open_copies", build)

    # --- workflow and notifications ----------------------------------------------------------

    @property
    def workflow(self) -> WorkflowService:
        def build() -> WorkflowService:
            from pakn_desktop.services.workflow.service import WorkflowService

            return WorkflowService(self.database, clock=self.clock.now)

        return self._once("workflow", build)

    @property
    def routing(self) -> RoutingService:
        def build() -> RoutingService:
            from pakn_desktop.services.workflow.routing import RoutingService

            return RoutingService(self.database)

        return self._once("routing", build)

    @property
    def search(self) -> SearchService:
        def build() -> SearchService:
            from pakn_desktop.services.search import SearchService

            return SearchService(self.database)

        return self._once("search", build)

    @property
    def secrets(self) -> Secrets:
        """The OS keyring, with the passwords typed for this session only (decision 51): one,
        so that what the sync's prompt took is what every later connection reads."""

        def build() -> Secrets:
            from pakn_desktop.services.settings import Secrets

            return Secrets()

        return self._once("secrets", build)

    def sync_password(self, url: str) -> str | None:
        """The password for the sync address ``url`` when it carries none: typed this session,
        ``PAKN_SYNC_PASSWORD``, the keyring's; None (libpq then reads ~/.pgpass)."""
        from pakn_desktop.services.sync.connection import password_for

        return password_for(url, self._environ, self.secrets)

    @property
    def sync_journal(self) -> SyncJournal:
        """The sync log, ``logs/sync.log`` of the data folder (decision 53)."""

        def build() -> SyncJournal:
            from pakn_desktop.services.sync.journal import SyncJournal

            return SyncJournal(self._env.log_dir)

        return self._once("sync_journal", build)

    @property
    def sync_activity(self) -> SyncActivity:
        """The sync log's end, the refused changes, the conflicts (decision 53)."""

        def build() -> SyncActivity:
            from pakn_desktop.services.sync.activity import SyncActivity

            return SyncActivity(self.database, self.sync_journal)

        return self._once("sync_activity", build)

    @property
    def sync_connection(self) -> SyncConnection:
        """The shared server's address, its password in the keyring, a connection test."""

        def build() -> SyncConnection:
            from pakn_desktop.services.sync.connection import SyncConnection

            return SyncConnection(self.database, self._environ, self.secrets)

        return self._once("sync_connection", build)

    @property
    def notify_settings(self) -> NotifySettingsSource:
        """Shared settings rows, the keyring, the environment over both; re-read each round,
        so a dispatcher with nothing configured waits and does nothing."""

        def build() -> NotifySettingsSource:
            from pakn_desktop.services.notify.settings import NotifySettingsSource

            return NotifySettingsSource(self.database, self._environ)

        return self._once("notify_settings", build)

    @property
    def dispatcher(self) -> Dispatcher:
        def build() -> Dispatcher:
            from pakn_desktop.services.notify.dispatcher import Dispatcher

            return Dispatcher(self.database, self.notify_settings)

        return self._once("dispatcher", build)

    @property
    def units(self) -> UnitsService:
        def build() -> UnitsService:
            from pakn_desktop.services.units import UnitsService

            return UnitsService(self.database)

        return self._once("units", build)

    # --- sync with the shared server ---------------------------------------------------------

    @property
    def sync(self) -> SyncRunner:
        """Push and pull once, watch, whether a server is set (``services.sync.runner``)."""

        def build() -> SyncRunner:
            from pakn_desktop.services.sync.runner import SyncRunner

            return SyncRunner(self, self._env, self._environ)

        return self._once("sync", build)
