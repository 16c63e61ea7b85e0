"""Writes by another program on this station's SQLite file reach the open window by the hub,
like its own (issue 14: a report saved from the command line, an import run beside the
window): ``data.other_writers`` polled on a worker every second, each round's reports less
those this window published itself meanwhile."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from pakn_desktop.ui.periodic import PeriodicRead
from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.data.other_writers import OtherWriters, Written
    from pakn_desktop.services.changes import Changes
    from pakn_desktop.services.database import Database
    from pakn_desktop.ui.changes_hub import ChangesHub

INTERVAL_MS = 1_000  # a PRAGMA per second; what another program wrote shows within it


class OtherWritersWatch(QObject):
    def __init__(
        self,
        database: Callable[[], Database],
        hub: ChangesHub,
        tasks: Tasks,
        parent: QObject,
        *,
        interval_ms: int = INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._database = database  # asked on the worker: its file, if SQLite
        self._off = False  # not a SQLite file: nothing to watch
        self._hub = hub
        self._watch: OtherWriters | None = None  # opened on the worker, at the first round
        self._own: set[uuid.UUID] = set()  # reports this window published since a round
        self._own_every = False
        self._held: Changes | None = None  # found by the last round, told at the next
        hub.changed.connect(self._heard)
        self._rounds = PeriodicRead(
            tasks,
            self._poll,
            self._found,
            key="other-writers",
            what="other programs' writes",
            interval_ms=interval_ms,
            parent=self,
        )

    def start(self) -> None:
        self._rounds.start()

    def _poll(self) -> Written | None:
        from pakn_desktop.data.other_writers import OtherWriters

        if self._watch is None:
            url = self._database().engine.url
            if url.get_backend_name() != "sqlite" or not url.database:
                self._off = True
                return None
            self._watch = OtherWriters(Path(url.database))
            return None  # what was there before the window watched: it read that itself
        return self._watch.poll()

    def stop(self) -> None:
        self._rounds.stop()

    def _heard(self, changes: Changes, by: object) -> None:
        if by is not self:
            self._own |= changes.reports
            self._own_every = self._own_every or changes.every_report

    def _found(self, written: Written | None) -> None:
        """What a round found waits one round before it is told: this window's own saves
        are in the outbox too, and their own publication (on this thread, after their
        commit) has come by then, so they are taken away and told once."""
        from pakn_desktop.services.other_writers import changes_of

        if self._off:
            self._rounds.stop()
            return
        held, self._held = self._held, changes_of(written) if written is not None else None
        own, own_every = self._own, self._own_every
        if self._held is None:  # nothing new waits: what was heard is spent
            self._own, self._own_every = set(), False
        if held is None:
            return
        if not held.every_report:
            if own_every and not held.topics:
                return  # this window already read every report again
            held = _without(held, own)
        self._hub.publish(held, self)


def _without(changes: Changes, own: set[uuid.UUID]) -> Changes:
    from dataclasses import replace

    return replace(changes, created=changes.created - own, updated=changes.updated - own)
