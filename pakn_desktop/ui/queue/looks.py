"""How a queue cell looks beyond its text: deadline colours, status badges, tooltips."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from pakn_desktop.ui.queue.cells import (
    COL_DUE,
    COL_FORWARD,
    COL_RECEIVED,
    COL_STATUS,
    COL_SUMMARY,
    Line,
)
from pakn_desktop.widgets.labels import local_datetime

DUE_SOON = timedelta(hours=24)


def _tr(text: str) -> str:
    return QCoreApplication.translate("QueueModel", text)


class Decorations:
    """Cached brushes and fonts, judged against ``clock`` at paint time."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._overdue = QBrush(QColor("#b42318"))
        self._soon = QBrush(QColor("#b54708"))
        self._bold = QFont()
        self._bold.setBold(True)
        # Status-cell badges (issue 8): overdue red, at risk amber; cached brushes.
        self._overdue_badge = QBrush(QColor("#fee4e2"))
        self._at_risk_badge = QBrush(QColor("#fef0c7"))
        # Waiting for the citizen: neutral, neither at risk nor overdue.
        self._paused_badge = QBrush(QColor("#e4e7ec"))
        self._paused_text = QBrush(QColor("#475467"))

    def decoration(self, line: Line, column: int, role: int) -> Any:
        if column == COL_FORWARD:
            return self._forward_decoration(line, role)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if column == COL_DUE and self._overdue_now(line) else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._badge(line) if column == COL_STATUS else None
        return self._tooltip(line, column)  # ToolTipRole

    def _overdue_now(self, line: Line) -> bool:
        due = line.row.due_at
        return line.open and not line.paused and due is not None and due < self._clock()

    def _at_risk_now(self, line: Line) -> bool:
        risk = line.at_risk_at
        return not line.paused and risk is not None and risk <= self._clock()

    def _badge(self, line: Line) -> QBrush | None:
        if line.paused:
            return self._paused_badge
        if self._overdue_now(line):
            return self._overdue_badge
        return self._at_risk_badge if self._at_risk_now(line) else None

    def forward_state(self, line: Line) -> str | None:
        """data.deadline_sql's forward state of a report waiting to be forwarded, at the
        clock; None once forwarded or closed (no longer watched)."""
        risk, due = line.forward_at_risk_at, line.row.forward_due_at
        if risk is None or due is None:
            return None
        now = self._clock()
        if due < now:
            return "forward_overdue"
        return "forward_at_risk" if risk <= now else "forward_on_track"

    def _forward_decoration(self, line: Line, role: int) -> Any:
        state = self.forward_state(line)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if state == "forward_overdue" else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if state == "forward_overdue":
                return self._overdue_badge
            return self._at_risk_badge if state == "forward_at_risk" else None
        # ToolTipRole
        item = line.row
        due = local_datetime(item.forward_due_at)
        if state is not None:
            text = {
                "forward_overdue": _tr("Quá hạn chuyển: chưa chuyển đơn vị xử lý (hạn %1)"),
                "forward_at_risk": _tr("Sắp quá hạn chuyển (hạn %1)"),
                "forward_on_track": _tr("Còn trong hạn chuyển (hạn %1)"),
            }[state]
            return text.replace("%1", due)
        if item.forwarded_at is not None:
            return (
                _tr("Chuyển lúc %1 (hạn chuyển %2)")
                .replace("%1", local_datetime(item.forwarded_at))
                .replace("%2", due or "—")
            )
        return None

    def foreground(self, line: Line, column: int) -> QBrush | None:
        if column == COL_FORWARD:
            state = self.forward_state(line)
            if state == "forward_overdue" or line.row.forward_on_time is False:
                return self._overdue
            return self._soon if state == "forward_at_risk" else None
        due = line.row.due_at
        if not line.open or due is None or column not in (COL_DUE, COL_STATUS):
            return None
        if line.paused:
            return self._paused_text
        now = self._clock()
        if due < now:
            return self._overdue
        if self._at_risk_now(line):
            return self._soon
        if column == COL_DUE and due < now + DUE_SOON:
            return self._soon
        return None

    def _tooltip(self, line: Line, column: int) -> str | None:
        item = line.row
        if column == COL_SUMMARY:
            return item.summary
        if column in (COL_DUE, COL_STATUS) and line.paused:
            return _tr("Tạm dừng: đang chờ công dân bổ sung từ %1 (hạn lùi khi tiếp tục)").replace(
                "%1", local_datetime(item.paused_at)
            )
        if column in (COL_DUE, COL_STATUS) and self._overdue_now(line):
            return _tr("Quá hạn xử lý (hạn %1)").replace("%1", local_datetime(item.due_at))
        if column in (COL_DUE, COL_STATUS) and self._at_risk_now(line):
            return _tr("Sắp quá hạn: đã dùng hơn 80% thời gian (hạn %1)").replace(
                "%1", local_datetime(item.due_at)
            )
        if column == COL_RECEIVED:
            return local_datetime(item.received_at)
        if column == COL_DUE:
            return local_datetime(item.due_at) or None
        return None
