"""Fetch on demand (decision 50): the file of an evidence row this station has only the rows
of, from the sync server's chunks (``files``), resumed, verified, then committed to the
store. Apart from ``files`` because it opens the server through ``push.Pusher``, which
imports ``files`` for the upload."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .files import Cancelled, ChunkHook, Progress, commit_part, download, only_fetch
from .push import Pusher

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.evidence.store import EvidenceStore

log = logging.getLogger(__name__)


def fetch_missing(
    database: Database,
    server_url: str,
    sha256: str,
    store: EvidenceStore,
    *,
    after_chunk: ChunkHook | None = None,
    passwords: Callable[[str], str | None] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Path:
    """The stored file of ``sha256``, fetched from the server when it is not here whole:
    resumed after the chunks a cut fetch wrote, verified by its SHA-256 on arrival, and only
    then committed to ``store``. EvidenceUnavailable (Vietnamese) when the server does not
    hold it whole or its bytes do not hash to the name; SyncRefused when the server cannot be
    reached. Runs on a worker: it waits for the network."""
    path = store.path_of(sha256)
    if store.verify(sha256):
        return path
    pusher = Pusher(database, server_url, passwords=passwords)
    try:
        engine = pusher.server_engine()
        with pusher.on_server(engine.connect) as server:
            pusher.on_server(lambda: pusher.check_schema(server))
            with only_fetch(store, sha256) as part:
                if store.verify(sha256):  # another thread or process fetched it meanwhile
                    return path
                download(pusher, server, sha256, part, after_chunk, progress, cancelled)
                commit_part(store, sha256, part)
    finally:
        pusher.close()
    log.info("sync files: %s… fetched from %s", sha256[:12], pusher.where)
    return path
