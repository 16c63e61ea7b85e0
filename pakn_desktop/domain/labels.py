"""The Vietnamese words for a report's status and its timeline events: one mapping for the
screens (through Qt's translation, ``widgets.labels``) and for files written without Qt (the
archive's record). A code never reaches the reader as an identifier ("in_progress")."""

from __future__ import annotations

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

# Timeline event kinds: the workflow's actions (domain.workflow.Action values), the intake's
# and the evidence custody's own, the deadline watch's escalation.
EVENT_WORDS: dict[str, str] = {
    "created": "Tiếp nhận",
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
