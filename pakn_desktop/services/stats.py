"""Counts for ``pakn-desktop stats``: reports by status and channel, evidence, outbox, overdue."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pakn_desktop.domain.enums import ChannelCode, Status
from pakn_desktop.services.database import Database

KEYS = ("tickets", "by_status", "by_channel", "evidence", "outbox_pending", "overdue")


def collect(database: Database, *, now: datetime | None = None) -> dict[str, Any]:
    """The figures, under stable keys (``KEYS``); ``by_status`` names every status and
    ``by_channel`` every channel, zero included, so scripts can rely on them.

    ``evidence`` counts attached files (not detached); ``outbox_pending`` the local changes not
    yet pushed; ``overdue`` the open reports whose deadline is before ``now``.
    """
    from pakn_desktop.data import tally_read
    from pakn_desktop.data.dashboard import channels as channel_list

    moment = now or datetime.now(UTC)
    with database.engine.connect() as conn, conn.begin():  # one snapshot for every figure
        by_status: dict[str, int] = dict.fromkeys((s.value for s in Status), 0)
        by_status.update(tally_read.grouped(conn, "status"))
        channels = [c.value for c in ChannelCode]
        channels += [c for c, _name in channel_list(conn) if c not in channels]
        by_channel: dict[str, int] = dict.fromkeys(channels, 0)
        by_channel.update(tally_read.grouped(conn, "channel"))
        evidence = tally_read.pending(conn, "evidence")
        pending = tally_read.pending(conn, "outbox")
        overdue = tally_read.overdue(conn, moment)
    return {
        "tickets": sum(by_status.values()),
        "by_status": by_status,
        "by_channel": by_channel,
        "evidence": int(evidence or 0),
        "outbox_pending": int(pending or 0),
        "overdue": int(overdue or 0),
    }
