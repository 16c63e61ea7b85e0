"""``PAKN_*`` environment variables read as numbers or choices, refused in Vietnamese.

A typo in a service unit (``PAKN_SMTP_PORT=abc``) must stop the program with one clear line
naming the variable, not a ``ValueError`` traceback, and not a silent default either.
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Mapping

from .errors import ErrorCode, KnownError


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_int(
    name: str, default: int, *, low: int, high: int, environ: Mapping[str, str] | None = None
) -> int:
    raw = _raw(name, environ)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise _refused(name, raw, f"cần số nguyên từ {low} đến {high}")
    return int(raw)


def env_float(
    name: str, default: float, *, low: float, high: float, environ: Mapping[str, str] | None = None
) -> float:
    raw = _raw(name, environ)
    if raw is None:
        return default
    try:
        value = float(raw) if raw.isascii() else math.nan
    except ValueError:
        value = math.nan
    if not low <= value <= high:  # NaN fails too
        raise _refused(name, raw, f"cần số từ {low:g} đến {high:g}")
    return value


def env_choice(
    name: str, default: str, choices: Collection[str], environ: Mapping[str, str] | None = None
) -> str:
    raw = _raw(name, environ)
    if raw is None:
        return default
    if raw.lower() not in choices:
        raise _refused(name, raw, "cần một trong " + ", ".join(sorted(choices)))
    return raw.lower()


def _refused(name: str, raw: str, need: str) -> KnownError:
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    return KnownError(ErrorCode.ENVIRONMENT, f"{name}={shown!r}: {need}")
