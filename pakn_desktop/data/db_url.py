"""The ``--db`` / ``PAKN_DB_URL`` address: checked, refused in Vietnamese, or normalised.

Only what the program ships drivers for is accepted (SQLite through the standard library,
PostgreSQL through psycopg 3). An in-memory SQLite database is refused: the program would
print a case code for a report that vanishes when it exits. libpq's multi-host forms
(``postgresql://u@h1:5432,h2:5433/db``, ``?host=h1,h2&port=5432``) are rewritten into the
``host=h:p`` list SQLAlchemy passes on to psycopg, which tries the hosts in turn.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from .errors import ErrorCode, KnownError

SQLITE_DRIVERS = ("sqlite", "sqlite+pysqlite")
POSTGRESQL_DRIVERS = ("postgresql", "postgres", "postgresql+psycopg")
MEMORY_REFUSED = (
    "cơ sở dữ liệu SQLite trong bộ nhớ không được phép vì mọi phản ánh sẽ mất khi chương "
    "trình thoát; hãy chỉ một tệp, ví dụ sqlite:////duong/dan/pakn.sqlite3"
)

_EXPECTED = "cần dạng sqlite:////đường/dẫn/pakn.sqlite3 hoặc postgresql://người_dùng@máy_chủ/tên"
# scheme://[userinfo@]host1[:port1],host2[:port2]…[/database][?query]
_MULTI_HOST = re.compile(r"^(?P<scheme>[^:/]+://)(?P<user>[^/?#]*@)?(?P<hosts>[^/?#@]*,[^/?#]*)")


def parse_db_url(url: str) -> URL:
    """The URL SQLAlchemy gets, or KnownError(BAD_URL) with the reason in Vietnamese."""
    text = url.strip()
    hosts: list[str] = []
    match = _MULTI_HOST.match(text)
    if match is not None:  # make_url cannot read "h1:p1,h2:p2"; the hosts go in the query
        hosts = match.group("hosts").split(",")
        text = match.group("scheme") + (match.group("user") or "") + text[match.end() :]
    try:
        parsed = make_url(text)
    # The URL itself is not repeated: it may hold a password, and stderr goes to logs.
    except ArgumentError:
        raise KnownError(ErrorCode.BAD_URL, _EXPECTED) from None
    except ValueError:  # a port that is not a number
        raise KnownError(ErrorCode.BAD_URL, "cổng phải là số từ 1 đến 65535") from None
    if parsed.drivername in SQLITE_DRIVERS:
        _refuse_memory(parsed)
        return parsed.set(drivername="sqlite")
    if parsed.drivername in POSTGRESQL_DRIVERS:
        return _postgresql(parsed.set(drivername="postgresql+psycopg"), hosts)
    backend = parsed.drivername.split("+", 1)[0]
    if backend in ("sqlite", "postgresql", "postgres"):
        raise KnownError(
            ErrorCode.BAD_URL,
            f"không hỗ trợ trình điều khiển {parsed.drivername}; dùng sqlite:/// hoặc "
            "postgresql:// (psycopg)",
        )
    raise KnownError(ErrorCode.BAD_URL, f"chỉ hỗ trợ sqlite và postgresql, không hỗ trợ {backend}")


def is_memory_sqlite(url: URL) -> bool:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file::memory:"):
        return True
    return str(url.query.get("mode", "")).lower() == "memory"


def _refuse_memory(url: URL) -> None:
    if is_memory_sqlite(url):
        raise KnownError(ErrorCode.BAD_URL, MEMORY_REFUSED)


def _postgresql(url: URL, netloc_hosts: list[str]) -> URL:
    """Ports checked (1–65535); several hosts as SQLAlchemy's ``host=h:p`` list. libpq's
    rules: in the authority each host has its own port (default 5432); a single ``port=``
    in the query applies to every host."""
    entries = [_host_port(item) for item in netloc_hosts]
    query = dict(url.query)
    raw_hosts = query.pop("host", None)
    raw_ports = query.pop("port", None)
    entries += [_host_port(h) for part in _items(raw_hosts) for h in part.split(",")]
    if raw_ports is not None:
        ports = [p.strip() for part in _items(raw_ports) for p in part.split(",")]
        entries = _with_ports(entries or [(url.host or "", None)], ports)
    for port in [p for _, p in entries] + ([str(url.port)] if url.port is not None else []):
        _check_port(port)
    if len(entries) <= 1 and raw_ports is None and not netloc_hosts:
        return url  # one host, written the usual way: left as the user wrote it
    if url.port is not None:
        entries = [(h, p or str(url.port)) for h, p in entries]
    listed = tuple(f"{h}:{p}" if p else h for h, p in entries)
    return url.set(host=None, port=None, query={**query, "host": listed})


def _items(value: str | tuple[str, ...] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _host_port(item: str) -> tuple[str, str | None]:
    item = item.strip()
    if item.startswith("["):  # [IPv6]:port
        host, _, rest = item[1:].partition("]")
        return host, rest.removeprefix(":") or None
    host, sep, port = item.partition(":")
    if not sep or ":" in port:  # no port, or a bare IPv6 address
        return item, None
    return host, port or None


def _with_ports(
    entries: list[tuple[str, str | None]], ports: list[str]
) -> list[tuple[str, str | None]]:
    if len(ports) == 1:  # libpq: one port for every host
        return [(h, p or ports[0]) for h, p in entries]
    if len(ports) != len(entries):
        raise KnownError(
            ErrorCode.BAD_URL, f"{len(entries)} máy chủ nhưng {len(ports)} cổng trong địa chỉ"
        )
    return [(h, p or port) for (h, p), port in zip(entries, ports, strict=True)]


def _check_port(port: str | None) -> None:
    if not port:
        return
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise KnownError(ErrorCode.BAD_URL, f"cổng {port!r} không hợp lệ (cần số từ 1 đến 65535)")
