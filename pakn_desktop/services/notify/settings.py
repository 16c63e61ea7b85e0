"""Where the units' SMS and e-mail go: shared settings rows, the SMTP password in the OS
keyring, environment variables over both.

The gateway URL and the SMTP host, port, sender, security and user are ``notify.*`` rows of
the shared ``setting`` table (decision 16): the centre has one gateway and one mail server,
so every workstation sends through the same ones. The password never goes to a file or the
database: it is kept by ``keyring`` under service ``pakn-desktop``, key ``smtp:USER@HOST``,
on each workstation that sends. ``PAKN_SMS_URL``, ``PAKN_SMTP_HOST``/``PORT``/``FROM``/
``SECURITY``/``USER``/``PASSWORD``/``CA_FILE`` override per field (CI, the ``notify`` CLI).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pakn_desktop.services.changes import Changes, Topic
from pakn_desktop.services.notify.dispatcher import NotifySettings

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database

log = logging.getLogger(__name__)

KEYRING_SERVICE = "pakn-desktop"
PREFIX = "notify."
RELOAD_S = 30.0  # a running station follows an edit made elsewhere within this


class Security(StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    SSL = "ssl"


class ConfigProblem(StrEnum):
    """Why a configuration is refused; the dialog words each code."""

    SMS_URL = "sms_url"  # not http(s)://host…
    PORT = "port"
    SECURITY = "security"
    FROM = "from"  # not an address
    USER_WITHOUT_HOST = "user_without_host"


@dataclass(frozen=True)
class NotifyConfig:
    """The shared, non-secret part, as stored (one row per field)."""

    sms_url: str = ""
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "pakn@localhost"
    smtp_security: str = Security.NONE.value
    smtp_user: str = ""

    def problems(self) -> list[ConfigProblem]:
        found: list[ConfigProblem] = []
        url = self.sms_url.strip()
        if url and not (url.startswith(("http://", "https://")) and len(url.split("//", 1)[1]) > 0):
            found.append(ConfigProblem.SMS_URL)
        if not 1 <= self.smtp_port <= 65535:
            found.append(ConfigProblem.PORT)
        if self.smtp_security not in {s.value for s in Security}:
            found.append(ConfigProblem.SECURITY)
        if self.smtp_host and "@" not in self.smtp_from:
            found.append(ConfigProblem.FROM)
        if self.smtp_user and not self.smtp_host:
            found.append(ConfigProblem.USER_WITHOUT_HOST)
        return found

    def to_rows(self) -> dict[str, Any]:
        return {PREFIX + f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_rows(cls, rows: Mapping[str, Any]) -> NotifyConfig:
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in rows.items():
            name = key.removeprefix(PREFIX)
            if name in known and value is not None:
                values[name] = int(value) if name == "smtp_port" else str(value)
        return cls(**values)


# Field → environment variable that overrides it on this workstation.
ENVIRONMENT = {
    "sms_url": "PAKN_SMS_URL",
    "smtp_host": "PAKN_SMTP_HOST",
    "smtp_port": "PAKN_SMTP_PORT",
    "smtp_from": "PAKN_SMTP_FROM",
    "smtp_security": "PAKN_SMTP_SECURITY",
    "smtp_user": "PAKN_SMTP_USER",
}
PASSWORD_ENV = "PAKN_SMTP_PASSWORD"


def overridden(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The fields the environment overrides here: field → variable name."""
    env = os.environ if environ is None else environ
    return {name: var for name, var in ENVIRONMENT.items() if env.get(var)}


def with_environment(
    config: NotifyConfig, environ: Mapping[str, str] | None = None
) -> NotifyConfig:
    """``config`` with the environment's values; KnownError(ENVIRONMENT) naming the variable
    when one of them is not usable (a port that is not a number, an unknown security…)."""
    from pakn_desktop.data.env_values import env_choice, env_int
    from pakn_desktop.data.errors import ErrorCode, KnownError

    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name, var in overridden(env).items():
        if name == "smtp_port":
            values[name] = env_int(var, config.smtp_port, low=1, high=65535, environ=env)
        elif name == "smtp_security":
            values[name] = env_choice(var, "none", {s.value for s in Security}, environ=env)
        else:
            values[name] = env[var].strip()
    effective = replace(config, **values)
    for problem in effective.problems():
        var = ENVIRONMENT.get(_PROBLEM_FIELD[problem], "")
        if var in overridden(env).values():
            shown = var if var == "PAKN_SMS_URL" else f"{var}={env[var]!r}"  # may hold a key
            raise KnownError(ErrorCode.ENVIRONMENT, f"{shown}: {_PROBLEM_WORDS[problem]}")
    return effective


_PROBLEM_FIELD = {
    ConfigProblem.SMS_URL: "sms_url",
    ConfigProblem.PORT: "smtp_port",
    ConfigProblem.SECURITY: "smtp_security",
    ConfigProblem.FROM: "smtp_from",
    ConfigProblem.USER_WITHOUT_HOST: "smtp_user",
}
_PROBLEM_WORDS = {
    ConfigProblem.SMS_URL: "cần địa chỉ http:// hoặc https://",
    ConfigProblem.PORT: "cần số nguyên từ 1 đến 65535",
    ConfigProblem.SECURITY: "cần none, starttls hoặc ssl",
    ConfigProblem.FROM: "cần một địa chỉ thư (có @)",
    ConfigProblem.USER_WITHOUT_HOST: "có người dùng nhưng chưa có máy chủ thư (PAKN_SMTP_HOST)",
}


# --- the password ---------------------------------------------------------------------------


class SecretUnavailable(Exception):
    """No usable OS keyring (a headless Linux without Secret Service, a locked store); the
    message is Vietnamese, for the settings dialog; ``keyring``'s own (English) is the cause."""

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


def password_key(host: str, user: str) -> str:
    return f"smtp:{user}@{host}"


class Passwords:
    """The SMTP password in the OS keyring; ``keyring``'s errors become SecretUnavailable."""

    def state(self) -> KeyringState:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        usable = not isinstance(backend, fail.Keyring)
        return KeyringState(usable, type(backend).__name__)

    def get(self, host: str, user: str) -> str | None:
        import keyring

        try:
            return keyring.get_password(KEYRING_SERVICE, password_key(host, user))
        except Exception as error:  # any backend's own failure: no password here
            raise SecretUnavailable.from_error(error) from error

    def set(self, host: str, user: str, password: str) -> None:
        import keyring

        try:
            keyring.set_password(KEYRING_SERVICE, password_key(host, user), password)
        except Exception as error:
            raise SecretUnavailable.from_error(error) from error


# --- reading and writing ----------------------------------------------------------------------


def load_config(database: Database) -> NotifyConfig:
    from sqlalchemy import select

    from pakn_desktop.data.models import Setting

    with database.engine.connect() as conn:
        rows = conn.execute(
            select(Setting.key, Setting.value).where(Setting.key.startswith(PREFIX))
        ).all()
    return NotifyConfig.from_rows({key: value for key, value in rows})


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
    config: NotifyConfig,
    password: str | None = None,
    *,
    user_id: uuid.UUID | None = None,
    passwords: Passwords | None = None,
) -> ConfigSaved:
    """The rows in one transaction with their outbox rows; then the password, if given, in
    the keyring. A keyring that fails does not undo the rows: the result says so."""
    from pakn_desktop.data import sla_store
    from pakn_desktop.data.errors import ErrorCode, KnownError

    problems = config.problems()
    if problems:
        raise KnownError(ErrorCode.INVALID, f"cấu hình gửi tin không hợp lệ: {problems}")
    with database.writer.begin() as conn:
        changed = sla_store.write_settings(conn, config.to_rows(), user_id)
    if password is None:
        return ConfigSaved(tuple(changed), None)
    try:
        (passwords or Passwords()).set(config.smtp_host, config.smtp_user, password)
    except SecretUnavailable as error:
        log.warning("SMTP password not saved: no keyring (%s)", type(error.__cause__).__name__)
        return ConfigSaved(tuple(changed), False, str(error))
    return ConfigSaved(tuple(changed), True)


def settings_from(
    config: NotifyConfig,
    environ: Mapping[str, str] | None = None,
    passwords: Passwords | None = None,
    password: str | None = None,
) -> NotifySettings:
    """The dispatcher's settings: ``config`` under the environment, the password given, else
    from the environment, else from the keyring (none when the keyring is unusable)."""
    env = os.environ if environ is None else environ
    effective = with_environment(config, env)
    if password is None:
        password = env.get(PASSWORD_ENV) or None
    if password is None and effective.smtp_user and effective.smtp_host:
        try:
            password = (passwords or Passwords()).get(effective.smtp_host, effective.smtp_user)
        except SecretUnavailable:
            password = None  # the send fails with "no password", recorded on the job
    base = NotifySettings.from_env(env)
    return replace(
        base,
        sms_url=effective.sms_url,
        smtp_host=effective.smtp_host,
        smtp_port=effective.smtp_port,
        smtp_from=effective.smtp_from,
        smtp_security=effective.smtp_security,
        smtp_user=effective.smtp_user,
        smtp_password=password or "",
    )


class NotifySettingsSource:
    """What a dispatcher asks each round: the stored settings under the environment, read
    again every ``RELOAD_S`` seconds or after ``invalidate()`` (a save on this station)."""

    def __init__(
        self,
        database: Database | Callable[[], Database],
        environ: Mapping[str, str] | None = None,
        passwords: Passwords | None = None,
    ) -> None:
        self._database = database
        self._environ = environ
        self.passwords = passwords or Passwords()
        self._lock = threading.Lock()
        self._cached: NotifySettings | None = None
        self._read_at = 0.0

    def database(self) -> Database:
        db = self._database
        return db() if callable(db) else db

    def __call__(self) -> NotifySettings:
        with self._lock:
            if self._cached is None or time.monotonic() - self._read_at > RELOAD_S:
                config = load_config(self.database())
                self._cached = settings_from(config, self._environ, self.passwords)
                self._read_at = time.monotonic()
            return self._cached

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None

    # What the settings dialog reads and writes (on workers).

    def load(self) -> tuple[NotifyConfig, dict[str, str], KeyringState, bool]:
        """Stored config, the fields the environment overrides, the keyring, whether a
        password is stored for the stored host and user."""
        config = load_config(self.database())
        state = self.passwords.state()
        stored = False
        if state.usable and config.smtp_user and config.smtp_host:
            try:
                stored = self.passwords.get(config.smtp_host, config.smtp_user) is not None
            except SecretUnavailable:
                stored = False
        return config, overridden(self._environ), state, stored

    def save(self, config: NotifyConfig, password: str | None) -> ConfigSaved:
        saved = save_config(self.database(), config, password, passwords=self.passwords)
        self.invalidate()
        return saved

    def for_test(self, config: NotifyConfig, password: str | None) -> NotifySettings:
        """The settings a test send uses: the form's values (not yet saved), the typed
        password or the stored one, under the environment as the dispatcher would."""
        return settings_from(config, self._environ, self.passwords, password or None)
