"""Duplicate candidates while typing: recent reports of the same place and category."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .database import Database

DEFAULT_DAYS = 30
DEFAULT_LIMIT = 5
MAX_ROWS = 500  # rows scored per query: bounds the work at any table size
THRESHOLD = 70.0  # rapidfuzz score (0-100) below which a report is not offered


@dataclass(frozen=True)
class Candidate:
    id: uuid.UUID
    code: str
    received_at: datetime
    summary: str
    score: float  # 0-100, higher is more alike
    status: str = ""


def find_candidates(
    database: Database,
    commune_code: str,
    category_code: str,
    text: str,
    *,
    days: int = DEFAULT_DAYS,
    limit: int = DEFAULT_LIMIT,
    now: datetime | None = None,
    threshold: float = THRESHOLD,
) -> list[Candidate]:
    """The best ``limit`` matches among the last ``MAX_ROWS`` reports of the same commune and
    category received within ``days``, scored with rapidfuzz on accent-folded text (đ → d)
    against the folded summary and content head; [] for a text too short to compare. Uses
    the (commune_code, received_at, id) index; an empty ``commune_code`` falls back to the
    category's index. Safe on any worker thread."""
    raise NotImplementedError
