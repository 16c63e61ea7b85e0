"""The sync log (issue 16 item 7, decision 53): one line per round that moved something, and per
change of state (reached the server again, offline, stopped), in Vietnamese, in
``logs/sync.log`` of the data folder. The window's "Hoạt động đồng bộ" shows its end; an
administrator reads the file itself. It holds counts, times and the sync's own refusals
(which name the server's host and database, never a password or a value of a report), so no
personal data. A line is appended whole with one write (the window and ``sync --watch`` may
share the file); past ``LIMIT_BYTES`` the file becomes ``sync.log.1``."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

LIMIT_BYTES = 1_000_000
NAME = "sync.log"


class Counted(Protocol):
    """What a round did (``service.SyncCounts``, named here: the service imports this)."""

    @property
    def pushed(self) -> int: ...
    @property
    def pulled(self) -> int: ...
    @property
    def pending(self) -> int: ...
    @property
    def parked(self) -> int: ...
    @property
    def conflicts(self) -> int: ...
    @property
    def files_uploaded(self) -> int: ...
    @property
    def files_bad(self) -> int: ...


class SyncJournal:
    def __init__(self, folder: Path, now: Callable[[], datetime] | None = None) -> None:
        from pakn_desktop.domain.office_time import office_now

        self.path = folder / NAME
        self._now = now or office_now
        self._lock = threading.Lock()
        self._offline = False  # said once until the server is reached again

    # --- what happened --------------------------------------------------------------------

    def round(self, counts: Counted, *, woken: bool = False) -> None:
        """A round that reached the server: a line when it moved something, or when the
        server had been unreachable before it."""
        c = counts
        moved = c.pushed or c.pulled or c.parked or c.conflicts or c.files_uploaded
        back, self._offline = self._offline, False
        if back:
            self._write("Kết nối lại được máy chủ.")
        if not moved:
            return
        words = (
            f"gửi {c.pushed}, nhận {c.pulled}, còn chờ gửi {c.pending}, "
            f"bị từ chối {c.parked}, xung đột {c.conflicts}"
        )
        if c.files_uploaded:
            words += f", tệp minh chứng gửi {c.files_uploaded}"
        if c.files_bad:
            words += f", tệp không khớp mã SHA-256 (không gửi) {c.files_bad}"
        self._write(("Đồng bộ (máy trạm khác vừa gửi): " if woken else "Đồng bộ: ") + words)

    def offline(self, message: str) -> None:
        """The server could not be reached: said once until it is reached again."""
        if self._offline:
            return
        self._offline = True
        self._write("Ngoại tuyến: " + message)

    def stopped(self, message: str) -> None:
        """A refusal that ends the sync (the server's schema, a code taken, the login)."""
        self._offline = False
        self._write("Dừng đồng bộ: " + message)

    # --- the file -------------------------------------------------------------------------

    def _write(self, text: str) -> None:
        line = f"{self._now():%d/%m/%Y %H:%M:%S}  {' '.join(text.split())}\n"
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._rotate()
                # One write of the whole line, appended: lines of two processes never mix.
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                try:
                    os.write(fd, line.encode("utf-8"))
                finally:
                    os.close(fd)
        except OSError as error:  # a full disk does not stop the sync: the app log says so
            log.warning("sync log not written: %s", type(error).__name__)

    def _rotate(self) -> None:
        try:
            if self.path.stat().st_size < LIMIT_BYTES:
                return
        except FileNotFoundError:
            return
        os.replace(self.path, self.path.with_name(NAME + ".1"))

    def tail(self, lines: int) -> list[str]:
        """The last ``lines`` lines, the latest first (the older file's too when needed)."""
        found: list[str] = []
        for path in (self.path, self.path.with_name(NAME + ".1")):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:  # not there yet, or not readable: the lines there are none
                continue
            found.extend(reversed(text.splitlines()))
            if len(found) >= lines:
                break
        return found[:lines]
