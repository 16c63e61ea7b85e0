"""The shared server's connection, as the "Máy chủ đồng bộ" dialog edits it: the address (the
shared setting ``sync.server_url``, with the user name, never the password), the password in
this workstation's OS keyring (entry ``sync:USER@HOST``, ``services.settings.Secrets``), and a
connection test. The sync takes the password from the keyring when the address has none
(``password_for``)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from pakn_desktop.data.errors import ErrorCode, KnownError
from pakn_desktop.data.settings.sync import SERVER_PASSWORD, SERVER_URL
from pakn_desktop.services.changes import Changes, Topic
from pakn_desktop.services.settings import KeyringState, Secrets, Settings

from . import errors

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from pakn_desktop.services.database import Database

# scheme://[userinfo@]rest
_PARTS = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?:(?P<user>[^@/?#]*)@)?(?P<rest>.*)$")
PASSWORD_IN_ADDRESS = (
    "đừng ghi mật khẩu trong địa chỉ máy chủ: nhập nó vào ô Mật khẩu (lưu trong kho khóa)"
)


def split_address(url: str) -> tuple[str, str]:
    """(the address without user and password, the user name) of a stored URL."""
    match = _PARTS.match(url.strip())
    if match is None:
        return url.strip(), ""
    user = unquote((match.group("user") or "").partition(":")[0])
    return match.group("scheme") + match.group("rest"), user


def compose(address: str, user: str) -> str:
    """The URL stored: ``address`` with ``user`` (else the address's own), never a password;
    refused in Vietnamese (KnownError BAD_URL) when it is not a usable PostgreSQL address."""
    text = address.strip()
    if not text:
        return ""
    match = _PARTS.match(text)
    if match is None:
        raise KnownError(ErrorCode.BAD_URL, SERVER_URL.problem("x") or "địa chỉ không hợp lệ")
    userinfo = match.group("user") or ""
    if ":" in userinfo:
        raise KnownError(ErrorCode.BAD_URL, PASSWORD_IN_ADDRESS)
    name = user.strip() or unquote(userinfo)
    url = match.group("scheme") + (quote(name, safe="") + "@" if name else "") + match.group("rest")
    problem = SERVER_URL.problem(url)
    if problem is not None:
        raise KnownError(ErrorCode.BAD_URL, problem)
    from pakn_desktop.data.db_url import parse_db_url

    parse_db_url(url)  # ports, hosts: refused in Vietnamese
    return url


def qualifier(url: str) -> str | None:
    """``USER@HOST`` of the keyring entry (the first host of a cluster); None without a user."""
    from pakn_desktop.data.db_url import parse_db_url

    parsed = parse_db_url(url)
    if not parsed.username:
        return None
    return f"{parsed.username}@{_host(parsed)}"


def _host(parsed: URL) -> str:
    if parsed.host:
        return parsed.host
    hosts = parsed.query.get("host")
    first = (hosts if isinstance(hosts, str) else (hosts or ("localhost",))[0]).split(",")[0]
    return first.rpartition(":")[0] if first.count(":") == 1 else first


def server_url(given: str | None, database: Database, environ: Mapping[str, str] | None) -> str:
    """The address the sync uses: ``--server``, else ``PAKN_SYNC_URL``, else the shared
    setting ``sync.server_url``; none of them: refused in Vietnamese."""
    url = (given or "").strip() or Settings(database, environ).get(SERVER_URL).strip()
    if not url:
        raise errors.no_server()
    problem = SERVER_URL.problem(url)
    if problem is not None:
        from pakn_desktop.services.workstation import describe_url

        raise errors.not_a_server(describe_url(url))
    return url


def password_for(
    url: str, environ: Mapping[str, str] | None = None, secrets: Secrets | None = None
) -> str | None:
    """The password the sync connects with when ``url`` carries none: ``PAKN_SYNC_PASSWORD``,
    else the keyring's entry; None (libpq then reads ~/.pgpass) when neither has one."""
    from pakn_desktop.data.db_url import parse_db_url

    if parse_db_url(url).password is not None:
        return None
    key = qualifier(url)
    reader = Settings(None, environ, secrets)
    if key is None:
        return SERVER_PASSWORD.from_env(reader.environ)
    return reader.secret(SERVER_PASSWORD, key)


@dataclass(frozen=True)
class Loaded:
    address: str  # the stored URL without its user
    user: str
    keyring: KeyringState
    password_stored: bool  # in the keyring
    password_typed: bool  # typed for this session only (no keyring, or not kept: decision 51)
    overridden_by: str  # the variable that wins over the setting here ("" when none)


@dataclass(frozen=True)
class Saved:
    changed: tuple[str, ...]
    password_saved: bool | None  # None: no password given
    password_error: str = ""

    @property
    def changes(self) -> Changes:
        return Changes.of(Topic.SYNC_SETTINGS)


@dataclass(frozen=True)
class PasswordTaken:
    kept: bool  # in the keyring as well (else for this session only)
    error: str = ""  # why the keyring did not keep it (Vietnamese), when asked to

    @property
    def changes(self) -> Changes:
        return Changes.of(Topic.SYNC_SETTINGS)


@dataclass(frozen=True)
class Checked:
    reachable: bool
    matches: bool  # the server's schema is this program's revision
    message: str  # Vietnamese, without the password


class SyncConnection:
    """What the dialog reads, saves and tests (on workers)."""

    def __init__(
        self,
        database: Database,
        environ: Mapping[str, str] | None = None,
        secrets: Secrets | None = None,
    ) -> None:
        self._database = database
        self._environ = environ
        self.secrets = secrets or Secrets()

    def load(self) -> Loaded:
        reader = Settings(self._database, self._environ, self.secrets)
        url = Settings(self._database, {}, self.secrets).get(SERVER_URL).strip()
        address, user = split_address(url)
        state = self.secrets.state()
        key = _safe_qualifier(url)
        typed = key is not None and self.secrets.remembered(SERVER_PASSWORD, key) is not None
        stored = (
            state.usable
            and key is not None
            and not typed
            and reader.has_secret(SERVER_PASSWORD, key)
        )
        variable = SERVER_URL.env if SERVER_URL.overridden(reader.environ) else None
        return Loaded(address, user, state, stored, typed, variable or "")

    def save(
        self, address: str, user: str, password: str | None, user_id: uuid.UUID | None = None
    ) -> Saved:
        url = compose(address, user)
        reader = Settings(self._database, {}, self.secrets)
        from pakn_desktop.data.settings import rows

        with self._database.writer.begin() as conn:
            changed = tuple(rows.write(conn, {SERVER_URL: url}, user_id))
        key = _safe_qualifier(url)
        if password is None or key is None:
            return Saved(changed, None)
        error = reader.save_secret(SERVER_PASSWORD, key, password)
        if error:  # not kept: still used until the program ends (asked again at the next start)
            self.secrets.remember(SERVER_PASSWORD, key, password)
        return Saved(changed, not error, error)

    def use_password(self, password: str, *, keep: bool) -> PasswordTaken:
        """The password the sync's prompt took, for the address the sync uses (``PAKN_SYNC_URL``
        over the setting): used from now until the program ends, and kept in the keyring too
        when ``keep`` and the keyring can; never in a file or the database."""
        url = server_url(None, self._database, self._environ)
        key = qualifier(url)
        if key is None:  # an address without a user: libpq would not know whose it is
            raise KnownError(
                ErrorCode.BAD_URL,
                "địa chỉ máy chủ đồng bộ chưa có tên đăng nhập (Quản trị → Máy chủ đồng bộ)",
            )
        self.secrets.remember(SERVER_PASSWORD, key, password)
        if not keep:
            return PasswordTaken(kept=False)
        error = Settings(None, {}, self.secrets).save_secret(SERVER_PASSWORD, key, password)
        return PasswordTaken(kept=not error, error=error)

    def keyring_state(self) -> KeyringState:
        return self.secrets.state()

    def test(self, address: str, user: str, password: str | None) -> Checked:
        """Connects with the form's values (the typed password, else the stored one) and
        reads the server's schema revision; never raises for the server's own failures."""
        from sqlalchemy.exc import SQLAlchemyError

        from pakn_desktop.data import migrate, sync_server
        from pakn_desktop.data.engine import make_engine

        url = compose(address, user)
        if not url:
            return Checked(False, False, "Chưa nhập địa chỉ máy chủ.")
        secret = password or password_for(url, self._environ, self.secrets)
        engine = make_engine(url, password=secret)
        try:
            with engine.connect() as conn:
                found = sync_server.revision(conn)
        except SQLAlchemyError as error:
            return Checked(False, False, "Không kết nối được: " + _words(error, secret))
        finally:
            engine.dispose()
        here = migrate.head_revision()
        if found == here:
            return Checked(True, True, f"Kết nối được; lược đồ máy chủ ở phiên bản {found}, khớp.")
        if found is None:
            words = "máy chủ chưa có lược đồ PAKN (chạy 'pakn-desktop db upgrade' trên máy chủ)"
        else:
            words = f"lược đồ máy chủ ở phiên bản {found}, máy này cần {here}"
        return Checked(True, False, f"Kết nối được, nhưng {words}.")


def _safe_qualifier(url: str) -> str | None:
    if not url:
        return None
    try:
        return qualifier(url)
    except KnownError:
        return None


def _words(error: Exception, secret: str | None) -> str:
    """The driver's first line, the password (if it appears) masked."""
    orig = getattr(error, "orig", None) or error
    text = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    if secret:
        text = text.replace(secret, "***")
    return text
