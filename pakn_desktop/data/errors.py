"""The environment's known errors, with a stable code, and ``classify``: which exceptions are
expected (reach the user as their message) and which are bugs (reach the crash dialog).

Known errors (locked, read-only, corrupt, unreachable, bad URL, disk full) get a clear message;
anything else is a bug and is left to propagate (qutebrowser's taxonomy). The base of every
expected error, whatever its layer, is ``domain.errors.ExpectedError``.
"""

from __future__ import annotations

from enum import StrEnum

from pakn_desktop.domain.errors import ExpectedError


class ErrorCode(StrEnum):
    BAD_URL = "bad_url"
    LOCKED = "locked"
    READ_ONLY = "read_only"
    CORRUPT = "corrupt"
    UNREACHABLE = "unreachable"
    AUTH = "auth"
    DISK_FULL = "disk_full"
    DATA_DIR = "data_dir"
    SCHEMA = "schema"
    INVALID = "invalid"
    ENVIRONMENT = "environment"
    DISK_IO = "disk_io"
    FILE = "file"


# Vietnamese by default: what an operator or a script's log should read.
MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.BAD_URL: "Địa chỉ cơ sở dữ liệu không hợp lệ",
    ErrorCode.LOCKED: "Cơ sở dữ liệu đang bị khoá bởi chương trình khác; hãy thử lại sau",
    ErrorCode.READ_ONLY: "Không ghi được vào cơ sở dữ liệu (chỉ đọc)",
    ErrorCode.CORRUPT: "Tệp cơ sở dữ liệu bị hỏng hoặc không phải cơ sở dữ liệu SQLite",
    ErrorCode.UNREACHABLE: "Không kết nối được máy chủ cơ sở dữ liệu",
    ErrorCode.AUTH: "Máy chủ cơ sở dữ liệu từ chối đăng nhập",
    ErrorCode.DISK_FULL: "Ổ đĩa đã đầy",
    ErrorCode.DATA_DIR: "Không dùng được thư mục dữ liệu",
    ErrorCode.SCHEMA: "Cấu trúc cơ sở dữ liệu không khớp phiên bản chương trình",
    ErrorCode.INVALID: "Dữ liệu không hợp lệ",
    ErrorCode.ENVIRONMENT: "Biến môi trường không hợp lệ",
    ErrorCode.FILE: "Không đọc ghi được tệp",
    # SQLite says "disk I/O error" for a full disk too (a WAL append that fails).
    ErrorCode.DISK_IO: (
        "Lỗi đọc ghi ổ đĩa (ổ đĩa đã đầy hoặc bị hỏng); dữ liệu chưa được lưu, "
        "hãy kiểm tra ổ đĩa rồi thử lại"
    ),
}


class KnownError(ExpectedError):
    """An expected failure of the environment or the input, with a message for people."""

    code: ErrorCode

    def __init__(self, code: ErrorCode, detail: str = "") -> None:
        base = MESSAGES.get(code, str(code))
        super().__init__(code, f"{base}: {detail}" if detail else base)
        self.detail = detail


def classify(error: BaseException) -> ExpectedError | None:
    """``error`` itself when it is expected, a KnownError for a database driver's or the
    operating system's error, None when it is a bug."""
    if isinstance(error, ExpectedError):
        return error
    # Imported here: the GUI and the CLI load this module on their start path.
    import sqlite3

    from sqlalchemy import exc as sa_exc

    orig = getattr(error, "orig", None) or error
    text = str(orig).lower()
    if isinstance(error, sa_exc.ArgumentError | sa_exc.NoSuchModuleError):
        return KnownError(ErrorCode.BAD_URL, str(error))
    if isinstance(orig, sqlite3.Error):
        known = _sqlite(text)
        if known is not None:
            return known
    if _refused_login(text):
        return KnownError(ErrorCode.AUTH)
    known = _server_state(str(getattr(orig, "sqlstate", None) or ""))
    if known is not None:
        return known
    if isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError) and (
        "connection" in text
        or "could not translate host" in text
        or "failed to resolve host" in text
        or "timeout" in text
    ):
        return KnownError(ErrorCode.UNREACHABLE)
    if isinstance(orig, OSError):
        return _os_error(orig)
    return None


# A login the server refused, or one libpq did not try for want of a password: no SQLSTATE
# reaches the client for either (the connection never opened), so the words decide.
_LOGIN_REFUSED = (
    "password authentication failed",
    "no password supplied",  # libpq's fe_sendauth: the server asked, nothing to send
    "authentication failed for user",  # scram, md5, ident, peer, ldap...
)


def _refused_login(text: str) -> bool:
    if any(words in text for words in _LOGIN_REFUSED):
        return True
    return "role" in text and "does not exist" in text


# PostgreSQL's states of a server that is going away or cannot take writes now, whatever the
# message's words (they are translated when the server's lc_messages is not English):
# class 08, the connection; 57P01–57P03, shut down by an administrator, crashed, starting or
# stopping (a failover's primary); 25006, a write on a standby (a replica, or a demoted
# primary reached by an address without target_session_attrs=read-write).
_GONE_STATES = ("57P01", "57P02", "57P03")
READ_ONLY_SERVER = (
    "máy chủ PostgreSQL này đang là bản sao chỉ đọc (máy dự phòng của một cụm); địa chỉ cụm "
    "cần target_session_attrs=read-write để luôn ghi vào máy chính"
)


BUSY_SERVER = "máy chủ đang bận với lượt gửi của một máy trạm khác; sẽ thử lại ở lượt sau"


def _server_state(state: str) -> KnownError | None:
    # 25P03: the server ended a transaction left idle (a client that vanished mid-push).
    if state.startswith("08") or state in _GONE_STATES or state == "25P03":
        return KnownError(ErrorCode.UNREACHABLE)
    if state == "55P03":  # lock_timeout: another push held the server's push lock too long
        return KnownError(ErrorCode.UNREACHABLE, BUSY_SERVER)
    if state == "25006":
        return KnownError(ErrorCode.READ_ONLY, READ_ONLY_SERVER)
    return None


def _sqlite(text: str) -> KnownError | None:
    if "locked" in text or "busy" in text:
        return KnownError(ErrorCode.LOCKED)
    if "readonly" in text or "read-only" in text:
        return KnownError(ErrorCode.READ_ONLY)
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return KnownError(ErrorCode.CORRUPT)
    if "disk is full" in text or "database or disk is full" in text:
        return KnownError(ErrorCode.DISK_FULL)
    if "disk i/o error" in text:
        return KnownError(ErrorCode.DISK_IO)
    if "unable to open" in text:
        return KnownError(ErrorCode.READ_ONLY, "không mở được tệp")
    return None


def _os_error(error: OSError) -> KnownError:
    """A file the program reads or writes (the data folder, evidence, an output file)."""
    import errno

    where = f"{error.filename}: " if error.filename else ""
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return KnownError(ErrorCode.DISK_FULL, where.removesuffix(": "))
    if error.errno == errno.EIO:
        return KnownError(ErrorCode.DISK_IO, f"{where}{reason}")
    if error.errno == errno.EROFS:
        return KnownError(ErrorCode.READ_ONLY, f"{where}{reason}")
    return KnownError(ErrorCode.FILE, f"{where}{reason}")
