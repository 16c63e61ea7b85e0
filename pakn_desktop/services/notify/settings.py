"""Where the units' SMS and e-mail go: one typed value, ``NotifySettings``, read through the
settings registry (``data/settings/notify.py``, ``station.py``).

The gateway URL and the SMTP host, port, sender, security and user are shared ``notify.*``
rows (decision 16): the centre has one gateway and one mail server, so every workstation sends
through the same ones. The password never goes to a file or the database: it is kept by
``keyring`` under service ``pakn-desktop``, entry ``smtp:USER@HOST``, on each workstation that
sends. ``PAKN_SMS_URL``, ``PAKN_SMTP_HOST``/``PORT``/``FROM``/``SECURITY``/``USER``/
``PASSWORD``/``CA_FILE`` and ``PAKN_SMS_TIMEOUT`` override per field (CI, the ``notify`` CLI).
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pakn_desktop.data.settings import notify as declared
from pakn_desktop.data.settings import station
from pakn_desktop.data.settings.registry import Group, Refusal
from pakn_desktop.services.changes import Changes, Topic
from pakn_desktop.services.settings import (
    KEYRING_SERVICE,
    KeyringState,
    Secrets,
    SecretUnavailable,
    Settings,
)

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database

__all__ = [
    "KEYRING_SERVICE",
    "NOTIFY",
    "ConfigSaved",
    "KeyringState",
    "NotifySettings",
    "NotifySettingsSource",
    "SecretUnavailable",
    "Secrets",
    "load_config",
    "password_key",
    "save_config",
    "settings_from",
]

RELOAD_S = 30.0  # a running station follows an edit made elsewhere within this


@dataclass(frozen=True)
class NotifySettings:
    """Where and how to send: the shared fields the dialog edits, this workstation's own
    (timeout, CA file), the password, and the dispatcher's fixed retry rules."""

    sms_url: str = ""
    sms_timeout: float = 5.0
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "pakn@localhost"
    smtp_timeout: float = 10.0
    smtp_security: str = "none"  # none | starttls | ssl
    smtp_user: str = ""  # empty: no AUTH
    smtp_password: str = field(default="", repr=False)  # from the keyring or the environment
    smtp_ca_file: str = ""  # a CA to trust besides the system's (an internal mail server)
    max_attempts: int = 8
    base_delay: float = 5.0  # seconds before the first retry
    max_delay: float = 1800.0  # the backoff's cap
    lease: float = 120.0  # a claimed job is retried after this if its sender died

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> NotifySettings:
        """The defaults under the environment alone (no database, no keyring)."""
        reader = Settings(None, environ)
        password = declared.SMTP_PASSWORD.from_env(reader.environ) or ""
        return replace(reader.effective(NOTIFY, cls()), smtp_password=password)

    @property
    def configured(self) -> bool:
        return bool(self.sms_url or self.smtp_host)

    @property
    def channels(self) -> frozenset[str]:
        """The channels something is configured to send through."""
        return frozenset(
            name for name, there in (("sms", self.sms_url), ("email", self.smtp_host)) if there
        )

    def backoff(self, attempts: int, rng: random.Random) -> float:
        """Seconds until the next try after ``attempts`` failures: exponential, capped, with
        jitter (half to all of it) so that many jobs failing together do not retry together."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** max(0, attempts - 1))
        return float(delay * (0.5 + 0.5 * rng.random()))

    def problems(self) -> list[Refusal]:
        """Why these settings are refused, in Vietnamese (the dialog shows each)."""
        return NOTIFY.refusals(self)


def _cross(s: NotifySettings) -> list[Refusal]:
    found: list[Refusal] = []
    if s.smtp_host and "@" not in s.smtp_from:
        found.append(Refusal(declared.SMTP_FROM.key, declared.FROM_NOT_ADDRESS))
    if s.smtp_user and not s.smtp_host:
        found.append(Refusal(declared.SMTP_USER.key, declared.USER_WITHOUT_HOST))
    return found


NOTIFY: Group[NotifySettings] = Group(
    NotifySettings,
    {
        "sms_url": declared.SMS_URL,
        "sms_timeout": station.SMS_TIMEOUT,
        "smtp_host": declared.SMTP_HOST,
        "smtp_port": declared.SMTP_PORT,
        "smtp_from": declared.SMTP_FROM,
        "smtp_security": declared.SMTP_SECURITY,
        "smtp_user": declared.SMTP_USER,
        "smtp_ca_file": station.SMTP_CA_FILE,
    },
    _cross,
)


def password_key(host: str, user: str) -> str:
    """The keyring entry of the SMTP password (``smtp:USER@HOST``)."""
    return declared.SMTP_PASSWORD.account(f"{user}@{host}")


def load_config(database: Database) -> NotifySettings:
    """The shared rows (no environment, no password)."""
    return Settings(database, {}).stored(NOTIFY)


@dataclass(frozen=True)
class ConfigSaved:
    changed: tuple[str, ...]  # the setting keys written
    password_saved: bool | None  # None: no password given
    password_error: str = ""  # why it was not saved (no keyring)

    @property
    def changes(self) -> Changes:
        return Changes.of(Topic.NOTIFY_SETTINGS)


def save_config(
    database: Database,
    config: NotifySettings,
    password: str | None = None,
    *,
    user_id: uuid.UUID | None = None,
    secrets: Secrets | None = None,
) -> ConfigSaved:
    """The shared rows in one transaction with their outbox rows; then the password, if
    given, in the keyring. A keyring that fails does not undo the rows: the result says so."""
    reader = Settings(database, {}, secrets)
    changed = tuple(reader.save(NOTIFY, config, user_id=user_id))
    if password is None:
        return ConfigSaved(changed, None)
    qualifier = f"{config.smtp_user}@{config.smtp_host}"
    error = reader.save_secret(declared.SMTP_PASSWORD, qualifier, password)
    return ConfigSaved(changed, not error, error)


def settings_from(
    config: NotifySettings,
    environ: Mapping[str, str] | None = None,
    secrets: Secrets | None = None,
    password: str | None = None,
) -> NotifySettings:
    """The dispatcher's settings: ``config`` under the environment, the password given, else
    from the environment, else from the keyring (none when the keyring is unusable)."""
    reader = Settings(None, environ, secrets)
    effective = reader.effective(NOTIFY, config)
    if password is None and effective.smtp_user and effective.smtp_host:
        qualifier = f"{effective.smtp_user}@{effective.smtp_host}"
        password = reader.secret(declared.SMTP_PASSWORD, qualifier)
    elif password is None:
        password = declared.SMTP_PASSWORD.from_env(reader.environ)
    return replace(effective, smtp_password=password or "")


class NotifySettingsSource:
    """What a dispatcher asks each round: the stored settings under the environment, read
    again every ``RELOAD_S`` seconds or after ``invalidate()`` (a save on this station)."""

    def __init__(
        self,
        database: Database,
        environ: Mapping[str, str] | None = None,
        secrets: Secrets | None = None,
    ) -> None:
        self._database = database
        self._environ = environ
        self.secrets = secrets or Secrets()
        self._lock = threading.Lock()
        self._cached: NotifySettings | None = None
        self._read_at = 0.0

    def database(self) -> Database:
        return self._database

    def __call__(self) -> NotifySettings:
        with self._lock:
            if self._cached is None or time.monotonic() - self._read_at > RELOAD_S:
                config = load_config(self.database())
                self._cached = settings_from(config, self._environ, self.secrets)
                self._read_at = time.monotonic()
            return self._cached

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None

    # What the settings dialog reads and writes (on workers).

    def load(self) -> tuple[NotifySettings, dict[str, str], KeyringState, bool]:
        """Stored settings, the fields the environment overrides, the keyring, whether a
        password is stored for the stored host and user."""
        reader = Settings(self.database(), self._environ, self.secrets)
        config = reader.stored(NOTIFY)
        state = self.secrets.state()
        stored = False
        if state.usable and config.smtp_user and config.smtp_host:
            qualifier = f"{config.smtp_user}@{config.smtp_host}"
            stored = reader.has_secret(declared.SMTP_PASSWORD, qualifier)
        return config, reader.overridden(NOTIFY), state, stored

    def save(self, config: NotifySettings, password: str | None) -> ConfigSaved:
        saved = save_config(self.database(), config, password, secrets=self.secrets)
        self.invalidate()
        return saved

    def for_test(self, config: NotifySettings, password: str | None) -> NotifySettings:
        """The settings a test send uses: the form's values (not yet saved), the typed
        password or the stored one, under the environment as the dispatcher would."""
        return settings_from(config, self._environ, self.secrets, password or None)
