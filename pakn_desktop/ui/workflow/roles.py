"""The roles an operator can act in, in Vietnamese (apart from the workflow's other words).

Kept apart from ``words``: the status bar's role selector is built before the window's first
paint, and ``words`` imports the workflow's transition table.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

ADMIN = "admin"  # domain.workflow.Role.ADMIN: the one role that edits settings and rules

ROLES: dict[str, str] = {
    "operator": "Tiếp nhận viên",
    "moderator": "Kiểm duyệt viên",
    "unit_officer": "Cán bộ đơn vị",
    "supervisor": "Lãnh đạo",
    ADMIN: "Quản trị",
}


def role_label(role: str) -> str:
    return QCoreApplication.translate("workflow", ROLES.get(role, role))
