"""Counts for ``pakn-desktop stats``: reports by status and channel, evidence, outbox, overdue."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from pakn_desktop.data.deadline_sql import clock_running
from pakn_desktop.data.models import Channel, Evidence, Outbox, Ticket
from pakn_desktop.domain.enums import OPEN_STATUSES, ChannelCode, Status
from pakn_desktop.services.database import Database

KEYS = ("tickets", "by_status", "by_channel", "evidence", "outbox_pending", "overdue")


def collect(database: Database, *, now: datetime | None = None) -> dict[str, Any]:
    """The figures, under stable keys (``KEYS``); ``by_status`` names every status and
    ``by_channel`` every channel, zero included, so scripts can rely on them.

    ``evidence`` counts attached files (not detached); ``outbox_pending`` the local changes not
    yet pushed; ``overdue`` the open reports whose deadline is before ``now``.
    """
    moment = now or datetime.now(UTC)
    with database.engine.connect() as conn:
        by_status: dict[str, int] = dict.fromkeys((s.value for s in Status), 0)
        for status, count in conn.execute(
            select(Ticket.status, func.count()).group_by(Ticket.status)
        ):
            by_status[status] = count
        channels = [c.value for c in ChannelCode]
        channels += [c for c in conn.scalars(select(Channel.code)) if c not in channels]
        by_channel: dict[str, int] = dict.fromkeys(channels, 0)
        for channel, count in conn.execute(
            select(Ticket.channel_code, func.count()).group_by(Ticket.channel_code)
        ):
            by_channel[channel] = count
        evidence = conn.scalar(
            select(func.count()).select_from(Evidence).where(Evidence.detached_at.is_(None))
        )
        pending = conn.scalar(
            select(func.count()).select_from(Outbox).where(Outbox.pushed_at.is_(None))
        )
        overdue = conn.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(
                Ticket.status.in_(sorted(s.value for s in OPEN_STATUSES)),
                Ticket.due_at < moment,
                clock_running(),  # a report waiting for the citizen is not overdue
            )
        )
    return {
        "tickets": sum(by_status.values()),
        "by_status": by_status,
        "by_channel": by_channel,
        "evidence": int(evidence or 0),
        "outbox_pending": int(pending or 0),
        "overdue": int(overdue or 0),
    }
