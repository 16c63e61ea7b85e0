"""The forward (5-minute) deadline as stored: the migration's backfill, the share applied
again after a settings change, the alert scanner's range and the dashboard's per-day counts.

A report is *watched* for forwarding while ``ticket.forward_at_risk_at`` is set: from intake
until its first forward (stamped in ``forwarded_at`` with ``forward_on_time``) or its close
without one. Every read of the watch is then a range of ``ix_ticket_forward_at_risk``, which
holds only the few reports waiting to be forwarded (the others are NULL, outside any range).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, case, exists, func, select, update

from pakn_desktop.domain.enums import Status
from pakn_desktop.domain.sla import forward_at_risk_at

from .models import Assignment, Base, Ticket
from .outbox import outbox_row

_T = Ticket
# Where a report waits to be forwarded: as received, or being screened.
WAITING = (Status.NEW.value, Status.SCREENING.value)
_CHUNK = 2000


def backfill(conn: Connection) -> None:
    """Migration 0010: stamp the reports already forwarded (first assignment, on time or not)
    and start watching the open ones never forwarded, under the stored at-risk share."""
    from .settings.rows import read
    from .settings.sla import AT_RISK_SHARE

    a = Assignment
    first = select(func.min(a.assigned_at)).where(a.ticket_id == _T.id).scalar_subquery()
    conn.execute(update(_T).where(exists().where(a.ticket_id == _T.id)).values(forwarded_at=first))
    conn.execute(
        update(_T)
        .where(_T.forwarded_at.is_not(None), _T.forward_due_at.is_not(None))
        .values(forward_on_time=case((_T.forwarded_at <= _T.forward_due_at, True), else_=False))
    )
    _fill_missing_due(conn)
    refresh(conn, read(conn, AT_RISK_SHARE), outbox=False, only_missing=True)


def _fill_missing_due(conn: Connection) -> None:
    """A report waiting to be forwarded without a forward due time (none was computed when
    it came in, e.g. no policy matched then): the receipt plus the forward minutes of the
    policy it matches now, so it is watched too."""
    from pakn_desktop.domain.sla import match_policy

    from .sla_store import read_policies

    policies = read_policies(conn)
    t = _T
    rows = conn.execute(
        select(t.id, t.received_at, t.channel_code, t.category_code, t.kind, t.urgency).where(
            t.status.in_(WAITING), t.forwarded_at.is_(None), t.forward_due_at.is_(None)
        )
    ).all()
    table = Base.metadata.tables[Ticket.__tablename__]
    write = (
        update(table).where(table.c.id == bindparam("tid")).values(forward_due_at=bindparam("due"))
    )
    params = []
    for tid, received, channel, category, kind, urgency in rows:
        policy = match_policy(policies, channel, category, kind, urgency)
        if policy is not None:  # forward limits are calendar minutes (sla_store)
            due = received + timedelta(minutes=policy.forward.value)
            params.append({"tid": tid, "due": due.astimezone(UTC)})
    if params:
        conn.execute(write, params)


def refresh(conn: Connection, share: float, *, outbox: bool, only_missing: bool = False) -> int:
    """Set the forward at-risk moment of every report waiting to be forwarded (``share`` of
    its forward time, real clock); the number changed. ``outbox``: an update row per change
    (a settings change on a running station; the migration writes none)."""
    waiting = and_(
        _T.status.in_(WAITING), _T.forwarded_at.is_(None), _T.forward_due_at.is_not(None)
    )
    stmt = select(_T.id, _T.received_at, _T.forward_due_at, _T.forward_at_risk_at).where(waiting)
    if only_missing:
        stmt = stmt.where(_T.forward_at_risk_at.is_(None))
    rows = conn.execute(stmt.order_by(_T.id)).all()
    table = Base.metadata.tables[Ticket.__tablename__]
    write = (
        update(table)
        .where(table.c.id == bindparam("tid"))
        .values(forward_at_risk_at=bindparam("moment"))
    )
    changed = 0
    for i in range(0, len(rows), _CHUNK):
        params: list[dict[str, Any]] = []
        for tid, received, due, old in rows[i : i + _CHUNK]:
            assert due is not None  # selected so
            moment = forward_at_risk_at(received, due, share).astimezone(UTC)
            if moment != old:
                params.append({"tid": tid, "moment": moment})
        if params:
            conn.execute(write, params)
            changed += len(params)
            if outbox:
                _outbox(conn, params)
    return changed


def _outbox(conn: Connection, params: list[dict[str, Any]]) -> None:
    rows = [
        outbox_row(
            "ticket", str(p["tid"]), "update", {"forward_at_risk_at": p["moment"].isoformat()}
        )
        for p in params
    ]
    conn.execute(Base.metadata.tables["outbox"].insert(), rows)


def watched_between(
    conn: Connection, low: datetime, high: datetime
) -> list[tuple[uuid.UUID, str, datetime, datetime]]:
    """(id, code, forward_at_risk_at, forward_due_at) of the reports waiting to be forwarded
    whose at-risk moment is in (low, high]: a range of ``ix_ticket_forward_at_risk``."""
    stmt = (
        select(_T.id, _T.code, _T.forward_at_risk_at, _T.forward_due_at)
        .where(_T.forward_at_risk_at > low, _T.forward_at_risk_at <= high)
        .order_by(_T.forward_at_risk_at, _T.id)
    )
    return [
        (r[0], r[1], r[2], r[3])
        for r in conn.execute(stmt)
        if r[2] is not None and r[3] is not None
    ]


def forwarded_per_bucket(
    conn: Connection, start: datetime, end: datetime, bucket: Callable[[Any], Any]
) -> list[tuple[str, int, int]]:
    """(bucket key, forwarded on time, forwarded late) of the reports received in
    [start, end), bucketed by their receipt (``bucket``: the dashboard's hour or day key)."""
    key = bucket(_T.received_at)
    on_time = func.sum(case((_T.forward_on_time.is_(True), 1), else_=0))
    late = func.sum(case((_T.forward_on_time.is_(False), 1), else_=0))
    stmt = (
        select(key, on_time, late)
        .where(_T.received_at >= start, _T.received_at < end, _T.forward_on_time.is_not(None))
        .group_by(key)
    )
    return [(str(r[0]), int(r[1] or 0), int(r[2] or 0)) for r in conn.execute(stmt)]
