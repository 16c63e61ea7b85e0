"""The cached demo databases the benchmarks share (.tmp/bench/NAME-N/pakn.sqlite3 + READY)."""

from __future__ import annotations

import re
from pathlib import Path

CACHE = Path(__file__).resolve().parents[1] / ".tmp" / "bench"


def largest(cache: Path = CACHE) -> tuple[Path, int] | None:
    """(sqlite file, reports) of the largest ready cache, or None. A kept older copy such as
    "queue-1000000.old0001" does not count: its digits would read as ten billion."""
    best: tuple[Path, int] | None = None
    for ready in cache.glob("*/READY"):
        db = ready.parent / "pakn.sqlite3"
        size = re.fullmatch(r"[a-z]+-(\d+)", ready.parent.name)
        if db.exists() and size and (best is None or int(size[1]) > best[1]):
            best = (db, int(size[1]))
    return best
