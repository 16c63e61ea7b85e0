"""What a setting is: key, type, default, check, environment override and where it lives.

Picard's option registry is the model: a setting is declared once, as a module constant, and
read by attribute (``NOTIFY.smtp_port``), never by a string key scattered in the code. Checks
answer in Vietnamese, so a bad value typed in a dialog and a bad ``PAKN_*`` variable in a
service unit are refused with the same words. No SQLAlchemy and no Qt here: the start path
reads its environment settings through this module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from enum import StrEnum
from typing import Any, Generic, TypeVar, cast

from pakn_desktop.data.errors import ErrorCode, KnownError

T = TypeVar("T")
G = TypeVar("G")


class Where(StrEnum):
    """Where a setting's value lives, besides its environment variable."""

    SHARED = "shared"  # a row of the shared ``setting`` table: every workstation, synced
    STATION = "station"  # this workstation only: its environment or command line, else default
    KEYRING = "keyring"  # this workstation's OS keyring: never a file, never the database


# Plain classes with slots, not dataclasses: this module is on the start path (the data
# folder's variable), where generating a dataclass's methods costs milliseconds each.


class Kind(Generic[T]):
    """How a type is stored (JSON) and typed in an environment variable."""

    __slots__ = ("decode", "encode", "need", "parse")

    def __init__(
        self,
        decode: Callable[[Any], T],  # stored JSON → value; ValueError/TypeError/KeyError
        encode: Callable[[T], Any],  # value → JSON
        parse: Callable[[str], T],  # environment text → value; ValueError if not one
        need: str,  # what the text must be, in Vietnamese, for a variable that does not parse
    ) -> None:
        self.decode = decode
        self.encode = encode
        self.parse = parse
        self.need = need


def _int_text(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()):
        raise ValueError(raw)
    return int(raw)


def _float_text(raw: str) -> float:
    if not raw.isascii():
        raise ValueError(raw)
    value = float(raw)
    if value != value or value in (_INF, -_INF):  # NaN, ±inf: no math import on the start path
        raise ValueError(raw)
    return value


_INF = float("inf")


def _json_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ValueError(value)
    return int(value)


def _json_float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(value)
    return float(value)


def _json_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    return value


TEXT: Kind[str] = Kind(_json_text, str, str, "cần một chuỗi")
INTEGER: Kind[int] = Kind(_json_int, int, _int_text, "cần một số nguyên")
NUMBER: Kind[float] = Kind(_json_float, float, _float_text, "cần một số")


def choice(*values: str) -> Kind[str]:
    """Text from a fixed set; typed in any case in an environment variable."""

    def parse(raw: str) -> str:
        if raw.lower() not in values:
            raise ValueError(raw)
        return raw.lower()

    return Kind(_json_text, str, parse, "cần một trong " + ", ".join(sorted(values)))


def _usable(_value: object) -> str | None:
    return None


def in_range(low: float, high: float, message: str) -> Callable[[float], str | None]:
    """A check refusing a number outside [low, high] (NaN too) with ``message``."""
    return lambda value: None if low <= value <= high else message


class Refusal:
    """A value refused: the setting's key and why, in Vietnamese."""

    __slots__ = ("key", "message")

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Refusal) and (other.key, other.message) == (self.key, self.message)

    def __hash__(self) -> int:
        return hash((self.key, self.message))

    def __repr__(self) -> str:
        return f"Refusal({self.key!r}, {self.message!r})"


class Setting(Generic[T]):
    """One declared setting; compared by identity (each is a module constant)."""

    __slots__ = ("check", "default", "env", "key", "kind", "show_env_value", "where")

    def __init__(
        self,
        key: str,  # the ``setting`` row's key; for a secret, the keyring entry's prefix
        where: Where,
        default: T,
        kind: Kind[T],
        check: Callable[[T], str | None] = _usable,  # why a value is refused, or None
        env: str | None = None,  # ``PAKN_*``: wins over the stored value on this workstation
        show_env_value: bool = True,  # False: a refusal names the variable, not its value
    ) -> None:
        self.key = key
        self.where = where
        self.default = default
        self.kind = kind
        self.check = check
        self.env = env
        self.show_env_value = show_env_value

    def __repr__(self) -> str:
        return f"Setting({self.key!r}, {self.where.value})"

    def problem(self, value: T) -> str | None:
        return self.check(value)

    def from_env(self, environ: Mapping[str, str] | None = None) -> T | None:
        """The environment's value, checked; None when the variable is unset or blank.
        A bad value is KnownError(ENVIRONMENT) naming the variable, in Vietnamese."""
        if self.env is None:
            return None
        raw = (os.environ if environ is None else environ).get(self.env)
        if raw is None or not raw.strip():
            return None
        raw = raw.strip()
        try:
            value = self.kind.parse(raw)
        except ValueError:
            raise self.refused(raw, self.kind.need) from None
        message = self.check(value)
        if message is not None:
            raise self.refused(raw, message)
        return value

    def from_env_or_default(self, environ: Mapping[str, str] | None = None) -> T:
        value = self.from_env(environ)
        return self.default if value is None else value

    def overridden(self, environ: Mapping[str, str] | None = None) -> bool:
        env = os.environ if environ is None else environ
        return self.env is not None and bool(env.get(self.env, "").strip())

    def refused(self, raw: str, message: str) -> KnownError:
        assert self.env is not None
        if not self.show_env_value or self.where is Where.KEYRING:
            return KnownError(ErrorCode.ENVIRONMENT, f"{self.env}: {message}")
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        return KnownError(ErrorCode.ENVIRONMENT, f"{self.env}={shown!r}: {message}")

    def account(self, qualifier: str) -> str:
        """A secret's keyring entry for ``qualifier`` (e.g. ``smtp:USER@HOST``)."""
        return f"{self.key}:{qualifier}"


def _no_cross(_value: object) -> list[Refusal]:
    return []


class Group(Generic[G]):
    """Settings read and written together as one typed value (a frozen dataclass): each
    field of ``make`` named here is one declared setting; other fields keep their defaults."""

    __slots__ = ("cross", "fields", "make")

    def __init__(
        self,
        make: Callable[..., G],
        fields: Mapping[str, Setting[Any]],  # dataclass field → setting
        cross: Callable[[G], list[Refusal]] = _no_cross,  # checks over several fields
    ) -> None:
        self.make = make
        self.fields = fields
        self.cross = cross

    def settings(self, where: Where | None = None) -> tuple[Setting[Any], ...]:
        return tuple(s for s in self.fields.values() if where is None or s.where is where)

    def values(self, value: G, where: Where | None = None) -> dict[Setting[Any], Any]:
        return {
            s: getattr(value, name)
            for name, s in self.fields.items()
            if where is None or s.where is where
        }

    def build(self, values: Mapping[Setting[Any], Any]) -> G:
        """The typed value: ``values`` where given, each setting's default elsewhere."""
        return self.make(**{name: values.get(s, s.default) for name, s in self.fields.items()})

    def refusals(self, value: G) -> list[Refusal]:
        found = [
            Refusal(s.key, message)
            for name, s in self.fields.items()
            if (message := s.check(getattr(value, name))) is not None
        ]
        return found + self.cross(value)

    def overridden(self, environ: Mapping[str, str] | None = None) -> dict[str, str]:
        """The fields the environment overrides here: field → variable."""
        return {
            name: s.env
            for name, s in self.fields.items()
            if s.env is not None and s.overridden(environ)
        }

    def with_environment(self, value: G, environ: Mapping[str, str] | None = None) -> G:
        """``value`` with the environment's values over it; KnownError(ENVIRONMENT) naming
        the variable when one is refused, alone or with the others (a user with no host)."""
        changes: dict[str, Any] = {}
        for name, s in self.fields.items():
            found = s.from_env(environ)
            if found is not None:
                changes[name] = found
        effective = cast(G, replace(cast(Any, value), **changes))
        by_key = {s.key: s for s in self.fields.values()}
        env = os.environ if environ is None else environ
        for refusal in self.refusals(effective):
            refused = by_key.get(refusal.key)
            if refused is not None and refused.env is not None and refused.overridden(env):
                raise refused.refused(env[refused.env].strip(), refusal.message)
        return effective
