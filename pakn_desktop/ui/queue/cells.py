"""Queue cells: a fetched row with its texts, made on the worker so painting only looks up."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from pakn_desktop.domain.enums import OPEN_STATUSES
from pakn_desktop.domain.office_time import OFFICE_ZONE
from pakn_desktop.services.queue import QueueRow
from pakn_desktop.widgets.labels import status_label


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("Queue", text)


_OPEN = frozenset(s.value for s in OPEN_STATUSES)

(
    COL_CODE,
    COL_RECEIVED,
    COL_CHANNEL,
    COL_CATEGORY,
    COL_KIND,
    COL_COMMUNE,
    COL_SUMMARY,
    COL_STATUS,
    COL_UNIT,
    COL_DUE,
    COL_FORWARD,
) = range(11)


def header_texts() -> list[str]:
    """The columns' titles, in column order."""
    return [
        _tr("Mã hồ sơ"),
        _tr("Tiếp nhận"),
        _tr("Kênh"),
        _tr("Lĩnh vực"),
        _tr("Loại"),
        _tr("Xã/phường"),
        _tr("Tóm tắt"),
        _tr("Trạng thái"),
        _tr("Đơn vị xử lý"),
        _tr("Hạn xử lý"),
        _tr("Hạn chuyển"),
    ]


class Line(NamedTuple):
    """A fetched row with its cell texts, made on the worker so painting only looks up."""

    row: QueueRow
    cells: tuple[str, ...]
    open: bool
    # When an open report turns "at risk" (data.deadline_sql's rule, issue 8): painting then
    # compares two instants with the clock instead of doing deadline arithmetic.
    at_risk_at: datetime | None = None
    # Waiting for the citizen (data.deadline_sql's "paused": paused before the due time):
    # neither at risk nor overdue while it lasts.
    paused: bool = False
    # Waiting to be forwarded: its forward at-risk moment (None once forwarded or closed).
    forward_at_risk_at: datetime | None = None


def is_paused(row: QueueRow) -> bool:
    """data.deadline_sql's "paused" for one row: a pause that began before the due time."""
    paused = row.paused_at
    return paused is not None and (row.due_at is None or row.due_at >= paused)


def present(rows: list[QueueRow]) -> list[Line]:
    """Runs on the worker thread (plain Python; Qt's translate is thread-safe).

    Kept lean: it holds the GIL the GUI thread needs to paint. Times are the office's.
    """
    labels: dict[str, str] = {}
    lines = []
    for row in rows:
        status = row.status
        label = labels.get(status)
        if label is None:
            label = labels[status] = status_label(status)
        paused = status in _OPEN and is_paused(row)
        if paused:
            label = f"{_tr('Tạm dừng')} · {label}"  # first: the column is narrow
        lines.append(
            Line(
                row,
                (
                    row.code,
                    _short(row.received_at),
                    row.channel,
                    row.category,
                    row.kind,
                    row.commune,
                    row.summary,
                    label,
                    row.unit,
                    _short(row.due_at) if row.due_at is not None else "",
                    _forward_cell(row),
                ),
                status in _OPEN,
                # The stored moment; a missing one is the due time, as data.deadline_sql
                # reads it (the share is already in the stored moment).
                (
                    (row.at_risk_at or row.due_at)
                    if row.due_at is not None and status in _OPEN
                    else None
                ),
                paused,
                row.forward_at_risk_at if row.forward_due_at is not None else None,
            )
        )
    return lines


def _forward_cell(row: QueueRow) -> str:
    """The "Hạn chuyển" cell: the forward due time while the report waits to be forwarded
    (painted by state: sắp quá hạn chuyển, quá hạn chuyển), then whether the first forward
    was on time."""
    # Short words under the "Hạn chuyển" header (the tooltip says when): at 1366 px the
    # summary needs the room.
    if row.forwarded_at is not None:
        if row.forward_on_time is None:
            return _tr("Đã chuyển")
        return _tr("Đúng hạn") if row.forward_on_time else _tr("Quá hạn")
    if row.forward_at_risk_at is not None and row.forward_due_at is not None:
        return _short(row.forward_due_at)
    return ""


def _short(value: datetime) -> str:
    t = value.astimezone(OFFICE_ZONE)
    return f"{t.day:02d}/{t.month:02d} {t.hour:02d}:{t.minute:02d}"


def sort_value(item: QueueRow, column: int) -> Any:
    return (
        item.code,
        item.received_at,
        item.channel,
        item.category,
        item.kind,
        item.commune,
        item.summary,
        item.status,
        item.unit,
        item.due_at,
        item.forward_due_at,
    )[column]
