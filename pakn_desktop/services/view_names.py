"""The queue's saved views by key and Vietnamese name: plain constants, nothing imported.

The main window's navigation lists them before its first paint; their queries
(services.queue_views) need the queue's types, which load after it (tests/test_start_path.py).
"""

from __future__ import annotations

ALL, TO_SCREEN, WAITING, AT_RISK, OVERDUE, PAUSED, MINE, BY_UNIT, BY_CHANNEL, COMPLAINTS = (
    "all",
    "to_screen",
    "waiting",
    "at_risk",
    "overdue",
    "paused",
    "mine",
    "by_unit",
    "by_channel",
    "complaints",
)
# The forward (5-minute) deadline's views: reports not yet forwarded (data.deadline_sql).
FORWARD_AT_RISK, FORWARD_OVERDUE = "forward_at_risk", "forward_overdue"
VIEWS: dict[str, str] = {
    ALL: "Tất cả phản ánh",
    TO_SCREEN: "Cần sàng lọc",
    FORWARD_AT_RISK: "Sắp quá hạn chuyển",
    FORWARD_OVERDUE: "Quá hạn chuyển",
    WAITING: "Đã chuyển – chờ đơn vị",
    AT_RISK: "Sắp quá hạn",
    OVERDUE: "Quá hạn",
    PAUSED: "Chờ công dân bổ sung",
    MINE: "Của tôi (máy trạm này)",
    BY_UNIT: "Theo đơn vị",
    BY_CHANNEL: "Theo kênh",
    COMPLAINTS: "Khiếu nại, tố cáo",
}
