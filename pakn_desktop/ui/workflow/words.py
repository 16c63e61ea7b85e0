"""The workflow's words and keys: action names, their shortcuts, refusals in Vietnamese."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from pakn_desktop.domain.labels import refusal_words
from pakn_desktop.domain.workflow import Action
from pakn_desktop.ui.workflow.roles import ROLES, role_label

__all__ = ["ACTIONS", "REJECT_REASONS", "ROLES", "action_label", "refusal_text", "role_label"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("workflow", text)


# (label, shortcut): the shortcuts work while the queue has focus (the detail is in it).
ACTIONS: dict[Action, tuple[str, str]] = {
    Action.SCREEN: ("Sàng lọc", "Ctrl+Shift+1"),
    Action.FORWARD: ("Chuyển xử lý", "F5"),
    Action.REROUTE: ("Chuyển đơn vị khác", "Shift+F5"),
    Action.ACCEPT: ("Nhận xử lý", "Ctrl+Shift+2"),
    Action.START: ("Bắt đầu xử lý", "Ctrl+Shift+3"),
    Action.RETURN: ("Trả lại", "Ctrl+Shift+R"),
    Action.RECORD_RESULT: ("Ghi kết quả", "Ctrl+Shift+K"),
    Action.ANSWER: ("Đã trả lời", "Ctrl+Shift+L"),
    Action.PUBLISH: ("Công khai", "Ctrl+Shift+P"),
    Action.CLOSE: ("Kết thúc", "Ctrl+Shift+E"),
    Action.NOT_COMPETENT: ("Không thuộc thẩm quyền", "Ctrl+Shift+N"),
    Action.MARK_DUPLICATE: ("Trùng lặp", "Ctrl+Shift+D"),
    Action.MERGE: ("Gộp hồ sơ", "Ctrl+Shift+M"),
    Action.REJECT: ("Từ chối", "Ctrl+Shift+X"),
    Action.REQUEST_EXTENSION: ("Xin gia hạn", "Ctrl+Shift+G"),
    Action.APPROVE_EXTENSION: ("Duyệt gia hạn", "Ctrl+Shift+H"),
    Action.REOPEN: ("Mở lại", "Ctrl+Shift+O"),
    Action.REOPEN_TO_UNIT: ("Mở lại cho đơn vị", "Ctrl+Shift+U"),
    Action.PAUSE: ("Chờ công dân bổ sung", "Ctrl+Shift+B"),  # bổ sung
    Action.RESUME: ("Tiếp tục xử lý", "Ctrl+Shift+T"),  # tiếp tục
    Action.EXPLAIN_DELAY: ("Giải trình lý do chậm", "Ctrl+Shift+J"),  # giải trình
}

REJECT_REASONS: dict[str, str] = {
    "spam": "Tin rác, quảng cáo",
    "abuse": "Nội dung xúc phạm",
    "no_content": "Không có nội dung",
}


def action_label(action: Action | str) -> str:
    return _tr(ACTIONS[Action(action)][0])


def refusal_text(code: str, detail: str = "") -> str:
    """A refusal's code (domain, service or publication) in Vietnamese (domain.labels, the
    words the command line prints too), through Qt's translation."""
    return refusal_words(code, detail, _tr)
