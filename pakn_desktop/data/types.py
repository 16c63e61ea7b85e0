"""Column types shared by every table."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC.

    SQLite keeps no offset, so storing naive UTC everywhere makes text order equal time order
    on both engines and keeps keyset paging on SQLite index-only.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.__class__ is datetime and value.tzinfo is UTC:  # most: one test, no convert
            return value.replace(tzinfo=None)
        if not isinstance(value, datetime):
            raise TypeError(f"expected datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw text from SQLite when read without the type
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _json_default(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


try:  # CPython's C encoder, made once: ``json.dumps`` builds one per call, in Python
    from _json import make_encoder as _make_encoder

    _ENCODE: Any = _make_encoder(
        None, _json_default, json.encoder.encode_basestring_ascii, None, ": ", ", ",
        False, False, True,
    )  # fmt: skip
except ImportError:  # pragma: no cover - another interpreter
    _ENCODE = None


def json_dumps(value: Any) -> str:
    """JSON columns' serialiser (both engines): ``json.dumps``, plus the UUIDs, dates and times
    rows hold, written as ``outbox.to_json`` writes them. An outbox payload can then be the row
    itself, without converting it value by value in Python first.

    The same text as ``json.dumps(value, default=...)`` (tests/test_writes.py), three times as
    fast: every outbox row's payload goes through here (a register import writes thousands).
    No circular-reference check: a row is never circular (it would raise RecursionError)."""
    if _ENCODE is None:  # pragma: no cover
        return json.dumps(value, default=_json_default)
    return "".join(_ENCODE(value, 0))
