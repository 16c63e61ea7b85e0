"""The shared server this workstation syncs with (``pakn-desktop sync``, decision 44)."""

from __future__ import annotations

from .registry import TEXT, Setting, Where


def _server_url(value: str) -> str | None:
    if not value or value.split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres"):
        return None
    return "địa chỉ máy chủ đồng bộ phải là PostgreSQL, ví dụ postgresql://nguoidung@maychu/pakn"


# The address may carry a password (better: PGPASSFILE or ~/.pgpass, which psycopg reads):
# never echoed, named by its variable only. A shared row, so an administrator sets it once;
# the variable and ``sync --server`` win over it on this workstation.
SERVER_URL = Setting(
    "sync.server_url",
    Where.SHARED,
    "",
    TEXT,
    _server_url,
    env="PAKN_SYNC_URL",
    show_env_value=False,
)

# The server's password: this workstation's OS keyring (entry ``sync:USER@HOST``), never a
# file or the database; the variable wins on a workstation without a keyring (or ~/.pgpass).
SERVER_PASSWORD = Setting("sync", Where.KEYRING, "", TEXT, env="PAKN_SYNC_PASSWORD")
