"""The sync as the window and the command line run it (``AppServices.sync``): the address
resolved (``--server``, else ``PAKN_SYNC_URL``, else the shared setting), the demo database
and the station's own database refused, and the station's one deadline clock, evidence
store, password source and sync log handed to the push, the pull and the watcher."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pakn_desktop.services.changes import Changes
    from pakn_desktop.services.clock import DeadlineClock
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.environment import Environment
    from pakn_desktop.services.evidence.store import EvidenceStore

    from .journal import SyncJournal
    from .service import SyncCounts
    from .watch import Round


class SyncParts(Protocol):
    """What the sync takes from the composition root (``AppServices``, named here: it
    imports this module)."""

    @property
    def database(self) -> Database: ...
    @property
    def clock(self) -> DeadlineClock: ...
    @property
    def evidence_store(self) -> EvidenceStore: ...
    @property
    def sync_journal(self) -> SyncJournal: ...
    def sync_password(self, url: str) -> str | None: ...


class SyncRunner:
    def __init__(
        self, parts: SyncParts, env: Environment, environ: Mapping[str, str] | None
    ) -> None:
        self._parts = parts
        self._env = env
        self._environ = environ

    def _url(self, given: str | None) -> str:
        from .connection import server_url

        return server_url(given, self._parts.database, self._environ)

    def once(self, server_url: str | None = None) -> SyncCounts:
        """Push this workstation's changes once, then pull; the counts after it. Refusals
        are ``SyncRefused``."""
        from pakn_desktop.services.environment import is_demo

        from .service import sync_once

        parts = self._parts
        counts, _, _ = sync_once(
            parts.database,
            self._url(server_url),
            demo=is_demo(self._env),
            local_url=self._env.db_url,
            clock=parts.clock,
            files=parts.evidence_store,
            passwords=parts.sync_password,
            journal=parts.sync_journal,
        )
        return counts

    def watch(
        self,
        server_url: str | None,
        stop: threading.Event,
        on_round: Callable[[Round], None],
        poll_seconds: float | None = None,
        on_offline: Callable[[str], None] | None = None,
        on_pulled: Callable[[Changes], None] | None = None,
    ) -> None:
        """Push then pull, again when another station pushes (then pull first: decision 54)
        or every ``poll_seconds``, until ``stop`` is set (decision 46). ``on_pulled``: a
        pull's changes as soon as they are committed here. Refusals are ``SyncRefused``."""
        from pakn_desktop.services.environment import is_demo

        from .service import check_target
        from .watch import POLL_S, Watcher

        parts = self._parts
        url = self._url(server_url)
        check_target(url, demo=is_demo(self._env), local_url=self._env.db_url)
        Watcher(
            parts.database,
            url,
            poll_seconds=POLL_S if poll_seconds is None else poll_seconds,
            on_round=on_round,
            on_offline=on_offline,
            on_pulled=on_pulled,
            clock=parts.clock,
            files=parts.evidence_store,
            passwords=parts.sync_password,
            journal=parts.sync_journal,
        ).run(stop)

    def configured(self) -> bool:
        """Whether this workstation has a server to sync with (``PAKN_SYNC_URL`` or the
        shared setting) and may use it (not the demo database)."""
        from pakn_desktop.services.environment import is_demo

        from .errors import SyncRefused

        if is_demo(self._env):
            return False
        try:
            self._url(None)
        except SyncRefused:
            return False
        return True
