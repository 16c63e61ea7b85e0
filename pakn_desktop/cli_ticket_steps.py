"""The ticket commands: one per workflow action, what each asks for (no imports of the
commands themselves, so their words and their parsers both read it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One subcommand: the workflow action it takes and what it asks for."""

    action: str
    help: str
    options: tuple[str, ...] = ()  # "unit", "text", "file" and the names of cli_ticket._PLAIN


# In the workflow's order; the window's buttons and keys are ui/workflow/words.ACTIONS.
STEPS: dict[str, Step] = {
    "screen": Step("screen", "sàng lọc phản ánh mới"),
    "forward": Step("forward", "chuyển cho đơn vị chủ trì (và đơn vị phối hợp)", ("unit", "note")),
    "reroute": Step("reroute", "chuyển sang đơn vị khác (lãnh đạo, có lý do)", ("unit", "reason")),
    "accept": Step("accept", "đơn vị nhận xử lý"),
    "return": Step("return", "đơn vị trả lại: không đúng đơn vị", ("reason",)),
    "start": Step("start", "đơn vị bắt đầu xử lý"),
    "extend": Step("request_extension", "đơn vị xin gia hạn", ("due", "reason")),
    "approve-extension": Step("approve_extension", "duyệt gia hạn (lãnh đạo)", ("due",)),
    "explain-delay": Step("explain_delay", "giải trình lý do chậm (được công khai)", ("reason",)),
    "result": Step("record_result", "ghi kết quả xử lý (kèm tệp)", ("text", "file")),
    "answer": Step("answer", "đã trả lời người phản ánh"),
    "publish": Step("publish", "công khai kết quả (mặc định: nội dung đã che)", ("text",)),
    "close": Step("close", "kết thúc phản ánh"),
    "pause": Step("pause", "chờ công dân bổ sung: tạm dừng thời hạn", ("reason",)),
    "resume": Step("resume", "tiếp tục xử lý: hạn lùi lại theo thời gian chờ", ("reason",)),
    "reopen": Step("reopen", "mở lại, về sàng lọc", ("reason",)),
    "reopen-to-unit": Step("reopen_to_unit", "mở lại cho đơn vị xử lý tiếp", ("reason",)),
    "not-competent": Step(
        "not_competent", "không thuộc thẩm quyền: nêu cơ quan có thẩm quyền", ("body", "reason")
    ),
    "duplicate": Step("mark_duplicate", "đánh dấu trùng với phản ánh gốc", ("of",)),
    "merge": Step("merge", "gộp vào phản ánh giữ lại (cả diễn biến và minh chứng)", ("into",)),
    "reject": Step("reject", "không tiếp nhận (tin rác, xúc phạm…)", ("reason_code", "note")),
}
