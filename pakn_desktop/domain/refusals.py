"""What a ``WorkflowRefused`` says: a workflow refusal in ``labels``' words, or every problem
of a routing rule an administrator typed (``domain.routing.RuleProblem`` codes)."""

from __future__ import annotations

from .labels import refusal_words
from .routing import PRIORITY_MAX, PRIORITY_MIN

RULE_PROBLEMS: dict[str, str] = {
    "no_unit": "Chọn đơn vị chủ trì.",
    "unknown_unit": "Đơn vị chủ trì không còn trong danh mục.",
    "unknown_category": "Lĩnh vực không có trong danh mục.",
    "unknown_commune": "Xã/phường không có trong danh mục: chọn từ danh sách gợi ý.",
    "commune_outside_province": "Xã/phường không thuộc tỉnh/thành phố đã chọn.",
    "priority_range": f"Mức ưu tiên phải từ {PRIORITY_MIN} đến {PRIORITY_MAX}.",
    "duplicate": (
        "Đã có quy tắc cùng lĩnh vực, địa bàn và mức ưu tiên: sửa quy tắc đó hoặc đổi mức ưu tiên."
    ),
}


def message(code: str, detail: str) -> str:
    """A routing rule's problems (``detail`` lists them when there are several), or a workflow
    refusal."""
    if code in RULE_PROBLEMS:
        codes = detail.split(",") if "," in detail else [code]
        return " ".join(RULE_PROBLEMS.get(c, f"Dữ liệu không hợp lệ ({c}).") for c in codes)
    return refusal_words(code, detail)
