"""The Vietnamese words for a report's status and its timeline events: one mapping for the
screens (through Qt's translation, ``widgets.labels``) and for files written without Qt (the
archive's record). A code never reaches the reader as an identifier ("in_progress")."""

from __future__ import annotations

from collections.abc import Callable

from .enums import Status

STATUS_WORDS: dict[Status, str] = {
    Status.NEW: "Mới tiếp nhận",
    Status.SCREENING: "Đang sàng lọc",
    Status.FORWARDED: "Đã chuyển xử lý",
    Status.ACCEPTED: "Đơn vị đã nhận",
    Status.IN_PROGRESS: "Đang xử lý",
    Status.RESULT_RECORDED: "Đã có kết quả",
    Status.ANSWERED: "Đã trả lời",
    Status.PUBLISHED: "Đã công khai",
    Status.CLOSED: "Đã kết thúc",
    Status.RETURNED: "Bị trả lại",
    Status.NOT_COMPETENT: "Không thuộc thẩm quyền",
    Status.DUPLICATE: "Trùng lặp",
    Status.REJECTED: "Không tiếp nhận",
}

# The pull's event for a value that lost to another station's later one (data.sync_apply).
SYNC_CONFLICT = "sync_conflict"

# Timeline event kinds: the workflow's actions (domain.workflow.Action values), the intake's
# and the evidence custody's own, the deadline watch's escalation.
EVENT_WORDS: dict[str, str] = {
    "created": "Tiếp nhận",
    SYNC_CONFLICT: "Xung đột đồng bộ",
    "classified": "Phân loại",
    "forwarded": "Chuyển xử lý",
    "accepted": "Đơn vị nhận xử lý",
    "returned": "Trả lại",
    "result_recorded": "Ghi nhận kết quả",
    "answered": "Trả lời người phản ánh",
    "published": "Công khai kết quả",
    "closed": "Kết thúc",
    "status_changed": "Đổi trạng thái",
    "note": "Ghi chú",
    "evidence_added": "Thêm minh chứng",
    "evidence_attached": "Đính kèm minh chứng",
    "evidence_detached": "Gỡ minh chứng",
    "evidence_viewed": "Xem minh chứng",
    "evidence_exported": "Xuất bản sao minh chứng",
    "evidence_redacted": "Tạo bản che thông tin",
    "escalated": "Báo cáo cấp trên do quá hạn",
    "screen": "Sàng lọc",
    "forward": "Chuyển xử lý",
    "reroute": "Chuyển đơn vị khác",
    "accept": "Đơn vị nhận xử lý",
    "return": "Đơn vị trả lại",
    "start": "Bắt đầu xử lý",
    "record_result": "Ghi nhận kết quả",
    "answer": "Trả lời người phản ánh",
    "publish": "Công khai kết quả",
    "close": "Kết thúc",
    "not_competent": "Không thuộc thẩm quyền",
    "mark_duplicate": "Đánh dấu trùng lặp",
    "reject": "Từ chối",
    "request_extension": "Xin gia hạn",
    "approve_extension": "Duyệt gia hạn",
    "reopen": "Mở lại",
    "reopen_to_unit": "Mở lại cho đơn vị",
    "merge": "Gộp vào",
    "merged_from": "Gộp phản ánh trùng",
    "state_secret_set": "Đánh dấu bí mật nhà nước",
    "pause": "Chờ công dân bổ sung",
    "resume": "Tiếp tục xử lý",
    "explain_delay": "Giải trình lý do chậm",
}
OTHER_EVENT = "Sự kiện khác"  # a kind written by a newer version: still a word, not a code


def status_word(code: str) -> str:
    try:
        return STATUS_WORDS[Status(code)]
    except ValueError:
        return code


def event_word(kind: str) -> str:
    return EVENT_WORDS.get(kind, OTHER_EVENT)


# Why a workflow action was refused (domain.workflow.Refusal, data.workflow_store's
# ServiceRefusal, domain.publication.PublicationRefusal codes): the detail's action bar, the
# bulk summary and ``pakn-desktop ticket`` say the same words. "%1" is the refusal's detail.
REFUSAL_WORDS: dict[str, str] = {
    "not_allowed_in_state": "Thao tác này không áp dụng cho phản ánh ở trạng thái hiện tại.",
    "role_not_allowed": "Vai trò của bạn không được thực hiện thao tác này.",
    "missing_field": "Còn thiếu thông tin bắt buộc.",
    "invalid_field": "Thông tin không hợp lệ.",
    "paused": "Phản ánh đang chờ công dân bổ sung: hãy «Tiếp tục xử lý» trước.",
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
    # Only a typed name can name several units (the forward dialog picks from a list).
    "unit_ambiguous": "Có nhiều đơn vị khớp với “%1”: hãy ghi mã đơn vị.",
}
OTHER_REFUSAL = "Không thực hiện được thao tác."

# The fields a refusal names (domain.workflow's field names).
REFUSAL_FIELDS: dict[str, str] = {
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


def _same(text: str) -> str:
    return text


def refusal_words(code: str, detail: str = "", translate: Callable[[str], str] = _same) -> str:
    """A refusal's code in Vietnamese; a missing or invalid field is named. ``translate``:
    the screens pass Qt's, the command line none."""
    text = translate(REFUSAL_WORDS.get(code, OTHER_REFUSAL))
    if code in ("missing_field", "invalid_field") and detail in REFUSAL_FIELDS:
        text = text.rstrip(".") + f": {translate(REFUSAL_FIELDS[detail])}."
    return text.replace("%1", detail)
