"""The workflow's words and keys: action names, their shortcuts, refusals in Vietnamese."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

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

_REFUSALS: dict[str, str] = {
    "not_allowed_in_state": "Thao tác này không áp dụng cho phản ánh ở trạng thái hiện tại.",
    "role_not_allowed": "Vai trò của bạn không được thực hiện thao tác này.",
    "missing_field": "Còn thiếu thông tin bắt buộc.",
    "invalid_field": "Thông tin không hợp lệ.",
    "paused": "Phản ánh đang chờ công dân bổ sung: bấm «Tiếp tục xử lý» trước.",
    "already_paused": "Phản ánh đã đang chờ công dân bổ sung.",
    "not_paused": "Phản ánh không ở trạng thái chờ công dân bổ sung.",
    "not_found": "Không tìm thấy phản ánh.",
    "stale": "Phản ánh vừa được người khác thay đổi; hãy xem lại rồi thao tác.",
    "unit_unknown": "Đơn vị không tồn tại hoặc đã ngừng hoạt động.",
    "duplicate_unknown": "Không tìm thấy phản ánh gốc với mã đã nhập.",
    "duplicate_self": "Một phản ánh không thể trùng với chính nó.",
    "no_lead_unit": "Phản ánh chưa có đơn vị chủ trì.",
    "no_pending_extension": "Không có đề nghị gia hạn nào đang chờ duyệt.",
    "no_result": "Chưa ghi nhận kết quả xử lý.",
    "merge_self": "Không thể gộp một phản ánh vào chính nó.",
    "already_merged": "Phản ánh này đã được gộp vào %1.",
    "merge_cycle": "Không thể gộp: phản ánh %1 đã được gộp vào phản ánh này.",
    "merge_target_merged": (
        "Phản ánh được chọn đã được gộp hoặc là bản trùng; hãy gộp vào phản ánh gốc %1."
    ),
    "merge_target_rejected": "Không thể gộp vào phản ánh %1: phản ánh đó đã bị từ chối.",
    "confidential": "Người phản ánh đề nghị giữ bí mật: không được công khai.",
    "no_publish": "Người phản ánh đề nghị không công khai.",
    "state_secret": "Phản ánh có nội dung bí mật nhà nước: không được công khai.",
    "personal_data": "Nội dung công khai còn thông tin cá nhân của người phản ánh.",
}

_FIELDS: dict[str, str] = {
    "lead_unit_id": "đơn vị chủ trì",
    "coordinating_unit_ids": "đơn vị phối hợp",
    "reason": "lý do",
    "reason_code": "lý do từ chối",
    "target_body": "cơ quan có thẩm quyền",
    "duplicate_of": "mã phản ánh gốc",
    "merge_into": "phản ánh giữ lại",
    "result_text": "kết quả xử lý",
    "publication_text": "nội dung công khai",
    "due_at": "hạn mới",
}


def action_label(action: Action | str) -> str:
    return _tr(ACTIONS[Action(action)][0])


def refusal_text(code: str, detail: str = "") -> str:
    """A refusal's code (domain, service or publication) in Vietnamese."""
    text = _tr(_REFUSALS.get(code, "Không thực hiện được thao tác."))
    if code in ("missing_field", "invalid_field") and detail in _FIELDS:
        text = text.rstrip(".") + f": {_tr(_FIELDS[detail])}."
    return text.replace("%1", detail)
