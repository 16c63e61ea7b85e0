"""The values evidence services hand out: frozen dataclasses, never ORM rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SOURCES = ("screenshot", "clipboard", "file", "drop", "derived")


@dataclass(frozen=True)
class AttachedEvidence:
    id: uuid.UUID
    ticket_id: uuid.UUID
    ticket_code: str
    sha256: str
    display_name: str
    mime: str
    size: int
    source: str
    captured_at: datetime
    captured_by_id: uuid.UUID | None
    station_id: uuid.UUID | None
    geometry: dict[str, Any] | None
    detached_at: datetime | None = None
    derived_from: uuid.UUID | None = None
    purpose: str | None = None
    already_attached: bool = False  # the same bytes were already on this report: no new row
    # ``flags`` codes of a file taken as it is but worth a word (truncated image, PDF with
    # JavaScript); set when attaching, also written into the custody event.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidenceBytes:
    """Bytes from the clipboard, a drop or a capture, with what the metadata needs."""

    name: str
    data: bytes = field(repr=False)
    source: str = "clipboard"
    geometry: dict[str, Any] | None = None


@dataclass(frozen=True)
class StoreProblem:
    sha256: str
    kind: str  # "missing" | "altered" | "orphan" | "not_regular" | "unreadable"
    names: tuple[str, ...] = ()
    ticket_codes: tuple[str, ...] = ()
    actual_sha256: str | None = None
    detail: str = ""  # what is there instead (a folder, a link, a FIFO) or why it is unreadable


@dataclass(frozen=True)
class VerifyReport:
    missing: tuple[StoreProblem, ...]
    altered: tuple[StoreProblem, ...]
    ok_count: int
    orphans: tuple[StoreProblem, ...] = ()
    # Something at a hash name that is not a regular file (a symbolic link, even to the right
    # bytes; a folder; a FIFO) or that cannot be read: the store no longer holds the proof.
    irregular: tuple[StoreProblem, ...] = ()

    @property
    def ok(self) -> bool:
        """Orphans (a file no row names, e.g. from a save that rolled back) are not errors."""
        return not self.missing and not self.altered and not self.irregular
