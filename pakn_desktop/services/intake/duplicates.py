"""Duplicate candidates while typing: recent reports of the same place and category."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process, utils

from pakn_desktop.data.types import utcnow
from pakn_desktop.domain.text import fold

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database

DEFAULT_DAYS = 30
DEFAULT_LIMIT = 5
MAX_ROWS = 500  # rows scored per query: bounds the work at any table size
# token_set_ratio (0-100) below which a report is not offered. Measured on street-level texts:
# the same incident told differently scores 82-100, another incident in the same street 58-74.
THRESHOLD = 78.0
HEAD_CHARS = 300  # of the content compared: the first lines say what happened
_MIN_WORDS = 2
_MIN_CHARS = 8


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
    province_code: str = "",
) -> list[Candidate]:
    """The best ``limit`` matches among the last ``MAX_ROWS`` reports of the same commune and
    category received within ``days``, scored with rapidfuzz on accent-folded text (đ → d)
    against the folded summary and content head; [] for a text too short to compare. Uses
    the (commune_code, received_at, id) index; an empty ``commune_code`` falls back to the
    category's index (within ``province_code`` when given). Reports already marked duplicate
    are left out: the original is the one to link to. Safe on any worker thread."""
    query = _prepare(text[: HEAD_CHARS * 4])
    if not category_code or len(query) < _MIN_CHARS or len(query.split()) < _MIN_WORDS:
        return []
    rows = _recent(database, commune_code, category_code, province_code, days, now)
    choices = {i: _prepare(f"{r.summary} {r.head}") for i, r in enumerate(rows)}
    found = process.extract(
        query,
        choices,
        scorer=fuzz.token_set_ratio,
        processor=None,
        score_cutoff=threshold,
        limit=limit,
    )
    # Equal scores: the newer report first (rows come newest first, extract keeps order).
    found.sort(key=lambda match: (-match[1], match[2]))
    return [
        Candidate(
            id=rows[i].id,
            code=rows[i].code,
            received_at=rows[i].received_at,
            summary=rows[i].summary,
            score=round(score, 1),
            status=rows[i].status,
        )
        for _choice, score, i in found
    ]


def _prepare(text: str) -> str:
    # fold first (đ → d, no accents), then rapidfuzz's own cleaning: punctuation to spaces,
    # so "loi," and "loi" are one token.
    return utils.default_process(fold(text[: HEAD_CHARS * 4]))


def _recent(
    database: Database,
    commune_code: str,
    category_code: str,
    province_code: str,
    days: int,
    now: datetime | None,
) -> list[Any]:
    from pakn_desktop.data.duplicates import recent_in_place

    since = (now or utcnow()) - timedelta(days=days)
    with database.engine.connect() as conn:
        return recent_in_place(
            conn,
            category_code=category_code,
            commune_code=commune_code,
            province_code=province_code,
            since=since,
            head_chars=HEAD_CHARS,
            limit=MAX_ROWS,
        )
