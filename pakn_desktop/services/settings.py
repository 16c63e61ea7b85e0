"""The one reader and writer of settings (``data.settings``): a workstation's environment over
the shared rows over the defaults, and secrets through the OS keyring only.

Every setting is declared once in ``data/settings/`` with its key, type, default, check,
``PAKN_*`` variable and where it lives; screens and services read a group as one typed value
(``Settings.effective(SLA)``) and never a string key. UI state (window geometry, splitters,
header states) is not a setting: it stays in ``QSettings`` (``ui/main/build.py``).
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pakn_desktop.data.errors import ErrorCode, KnownError
from pakn_desktop.data.settings.registry import Group, Setting, Where
from pakn_desktop.domain.errors import ExpectedError

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database

log = logging.getLogger(__name__)

G = TypeVar("G")
T = TypeVar("T")
KEYRING_SERVICE = "pakn-desktop"


class SecretUnavailable(ExpectedError):
    """No usable OS keyring (a headless Linux without Secret Service, a locked store); the
    message is Vietnamese, for the settings dialog; ``keyring``'s own (English) is the cause."""

    def __init__(self, message: str) -> None:
        super().__init__("secret_unavailable", message)

    @classmethod
    def from_error(cls, error: Exception) -> SecretUnavailable:
        from keyring import errors

        if isinstance(error, errors.NoKeyringError):
            reason = "máy này không có kho khóa của hệ điều hành (keyring)"
        elif isinstance(error, errors.KeyringLocked):
            reason = "kho khóa của hệ điều hành đang bị khóa; hãy mở khóa rồi thử lại"
        else:
            reason = f"kho khóa của hệ điều hành báo lỗi ({type(error).__name__})"
        return cls(f"Không dùng được mật khẩu đã lưu: {reason}")


@dataclass(frozen=True)
class KeyringState:
    usable: bool
    backend: str  # the backend's name, for the dialog


class Secrets:
    """``Where.KEYRING`` settings in the OS keyring (service ``pakn-desktop``, entry
    ``setting.account(qualifier)``); ``keyring``'s errors become SecretUnavailable.

    A secret typed for this session only (no keyring here, or the user chose not to keep it,
    decision 51) is held in this object's memory, never in a file: ``remember``. It comes
    before the keyring's (the user typed it after the keyring's was refused), and is gone
    when the program ends. The composition root owns one, so every reader sees it."""

    def __init__(self) -> None:
        self._session: dict[str, str] = {}
        self._lock = threading.Lock()  # the sync's thread reads what the GUI's worker wrote

    def remember(self, setting: Setting[str], qualifier: str, value: str) -> None:
        _secret(setting)
        with self._lock:
            self._session[setting.account(qualifier)] = value

    def remembered(self, setting: Setting[str], qualifier: str) -> str | None:
        with self._lock:
            return self._session.get(setting.account(qualifier))

    def state(self) -> KeyringState:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        return KeyringState(not isinstance(backend, fail.Keyring), type(backend).__name__)

    def get(self, setting: Setting[str], qualifier: str) -> str | None:
        import keyring

        _secret(setting)
        typed = self.remembered(setting, qualifier)
        if typed is not None:
            return typed
        try:
            return keyring.get_password(KEYRING_SERVICE, setting.account(qualifier))
        except Exception as error:  # any backend's own failure: no secret here
            raise SecretUnavailable.from_error(error) from error

    def set(self, setting: Setting[str], qualifier: str, value: str) -> None:
        import keyring

        _secret(setting)
        try:
            keyring.set_password(KEYRING_SERVICE, setting.account(qualifier), value)
        except Exception as error:
            raise SecretUnavailable.from_error(error) from error


def _secret(setting: Setting[Any]) -> None:
    if setting.where is not Where.KEYRING:
        raise ValueError(f"{setting.key} is not a secret")


class Settings:
    """Reads and writes every declared setting. ``database`` None: no shared rows (defaults
    under the environment); ``environ`` None: the process environment."""

    def __init__(
        self,
        database: Database | None = None,
        environ: Mapping[str, str] | None = None,
        secrets: Secrets | None = None,
    ) -> None:
        self._database = database
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.secrets = secrets or Secrets()

    def _db(self) -> Database | None:
        return self._database

    # --- reading --------------------------------------------------------------------------

    def stored(self, group: Group[G]) -> G:
        """A group as stored (shared rows, defaults elsewhere): what its dialog edits."""
        db = self._db()
        if db is None:
            return group.build({})
        from pakn_desktop.data.settings.rows import read_group

        with db.engine.connect() as conn:
            return read_group(conn, group)

    def effective(self, group: Group[G], stored: G | None = None) -> G:
        """A group as this workstation uses it: the environment over ``stored`` (read when
        not given). Secrets are not read here (``secret``)."""
        return group.with_environment(
            self.stored(group) if stored is None else stored, self.environ
        )

    def get(self, setting: Setting[T]) -> T:
        """One setting: its variable, else its shared row, else its default (a secret: its
        variable only; the keyring needs a qualifier, ``secret``)."""
        found = setting.from_env(self.environ)
        if found is not None:
            return found
        db = self._db()
        if setting.where is not Where.SHARED or db is None:
            return setting.default
        from pakn_desktop.data.settings.rows import read

        with db.engine.connect() as conn:
            return read(conn, setting)

    def overridden(self, group: Group[Any]) -> dict[str, str]:
        """The group's fields a variable overrides on this workstation: field → variable."""
        return group.overridden(self.environ)

    def secret(self, setting: Setting[str], qualifier: str) -> str | None:
        """The variable, else the keyring's entry; None when neither has one or the keyring
        is unusable (the caller says what is missing)."""
        found = setting.from_env(self.environ)
        if found is not None:
            return found
        try:
            return self.secrets.get(setting, qualifier)
        except SecretUnavailable:
            return None

    def has_secret(self, setting: Setting[str], qualifier: str) -> bool:
        """Whether the keyring holds one (the dialog's "saved" hint); False if unusable."""
        try:
            return self.secrets.get(setting, qualifier) is not None
        except SecretUnavailable:
            return False

    # --- writing --------------------------------------------------------------------------

    def save(
        self,
        group: Group[G],
        value: G,
        *,
        user_id: uuid.UUID | None = None,
        also: Mapping[Setting[Any], Any] | None = None,
    ) -> list[str]:
        """The group's shared fields (and ``also``) in one transaction with their outbox rows;
        the keys changed. Refused: KnownError(INVALID) with the Vietnamese reasons."""
        refused = group.refusals(value)
        if refused:
            words = "; ".join(r.message for r in refused)
            raise KnownError(ErrorCode.INVALID, f"cài đặt không hợp lệ: {words}")
        db = self._db()
        if db is None:
            raise ValueError("no database to store shared settings in")
        from pakn_desktop.data.settings import rows

        with db.writer.begin() as conn:
            return rows.write(conn, {**group.values(value, Where.SHARED), **(also or {})}, user_id)

    def save_secret(self, setting: Setting[str], qualifier: str, value: str) -> str:
        """Into the keyring; "" when saved, else why not (Vietnamese): the keyring failing
        does not undo what was saved with it."""
        try:
            self.secrets.set(setting, qualifier, value)
        except SecretUnavailable as error:
            log.warning(
                "%s not saved: no keyring (%s)", setting.key, type(error.__cause__).__name__
            )
            return str(error)
        return ""
