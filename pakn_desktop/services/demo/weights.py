"""How often things happen in the demo data: channels, kinds, categories, statuses, routing."""

from __future__ import annotations

from bisect import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pakn_desktop.domain.enums import Status

CHANNELS = {
    "hotline": 40, "fanpage": 18, "zalo": 12, "web": 10, "app": 8, "email": 4, "chatbot": 4,
    "walk_in": 2, "letter": 2,
}  # fmt: skip
KINDS = {
    "phan_anh": 55, "kien_nghi": 18, "hoi_dap": 12, "gop_y": 6, "to_giac": 5, "khieu_nai": 2.5,
    "to_cao": 1.5,
}  # fmt: skip
CATEGORIES = {
    "trat_tu_do_thi": 14, "trat_tu_cong_cong": 8, "trat_tu_an_toan_giao_thong": 12,
    "trat_tu_xay_dung": 10, "ve_sinh_moi_truong": 14, "ve_sinh_an_toan_thuc_pham": 5,
    "phong_chong_chay_no": 3, "phong_chong_dich_benh": 2, "ha_tang_do_thi": 2,
    "ha_tang_do_thi.cap_thoat_nuoc": 8, "ha_tang_do_thi.cay_xanh": 5,
    "ha_tang_do_thi.chieu_sang": 5, "ha_tang_do_thi.vien_thong": 3, "thai_do_can_bo": 3, "khac": 6,
}  # fmt: skip
OWN_PROCEDURE_CATEGORIES = {"thai_do_can_bo": 40, "trat_tu_xay_dung": 25, "khac": 35}
URGENCIES = {"normal": 85, "urgent": 12, "emergency": 3}

# Status mix by age of the report (hours): recent ones are still open, old ones mostly closed.
_S = Status
STATUS_BY_AGE: tuple[tuple[float, dict[Status, float]], ...] = (
    (0.1, {_S.NEW: 60, _S.SCREENING: 30, _S.FORWARDED: 10}),
    (1.0, {_S.NEW: 8, _S.SCREENING: 7, _S.FORWARDED: 30, _S.ACCEPTED: 25, _S.IN_PROGRESS: 20,
           _S.RESULT_RECORDED: 5, _S.DUPLICATE: 2, _S.REJECTED: 1, _S.RETURNED: 2}),
    (24.0, {_S.NEW: 0.5, _S.SCREENING: 0.5, _S.FORWARDED: 6, _S.ACCEPTED: 8, _S.IN_PROGRESS: 14,
            _S.RESULT_RECORDED: 20, _S.ANSWERED: 15, _S.PUBLISHED: 8, _S.CLOSED: 18,
            _S.RETURNED: 3, _S.NOT_COMPETENT: 3, _S.DUPLICATE: 3, _S.REJECTED: 2}),
    (168.0, {_S.NEW: 0.2, _S.SCREENING: 0.2, _S.FORWARDED: 1, _S.ACCEPTED: 1, _S.IN_PROGRESS: 4,
             _S.RESULT_RECORDED: 8, _S.ANSWERED: 15, _S.PUBLISHED: 15, _S.CLOSED: 45,
             _S.RETURNED: 1, _S.NOT_COMPETENT: 3, _S.DUPLICATE: 4, _S.REJECTED: 3}),
    (float("inf"), {_S.NEW: 0.1, _S.SCREENING: 0.1, _S.FORWARDED: 0.3, _S.ACCEPTED: 0.5,
                    _S.IN_PROGRESS: 1.5, _S.RESULT_RECORDED: 3, _S.ANSWERED: 10,
                    _S.PUBLISHED: 20, _S.CLOSED: 55, _S.RETURNED: 0.5, _S.NOT_COMPETENT: 3,
                    _S.DUPLICATE: 4, _S.REJECTED: 3}),
)  # fmt: skip
WITH_UNIT = frozenset(
    {_S.FORWARDED, _S.ACCEPTED, _S.IN_PROGRESS, _S.RESULT_RECORDED, _S.ANSWERED, _S.PUBLISHED,
     _S.CLOSED, _S.RETURNED, _S.NOT_COMPETENT}
)  # fmt: skip
ACCEPTED = frozenset(
    {_S.ACCEPTED, _S.IN_PROGRESS, _S.RESULT_RECORDED, _S.ANSWERED, _S.PUBLISHED, _S.CLOSED}
)
# After the result: each status and the delay to the next one (minimum, spread; minutes).
CLOSING_STEPS: tuple[tuple[Status, tuple[float, float]], ...] = (
    (_S.RESULT_RECORDED, (5, 55)),
    (_S.ANSWERED, (10, 600)),
    (_S.PUBLISHED, (0, 120)),
)
VERSION = {
    _S.NEW: 1, _S.SCREENING: 2, _S.FORWARDED: 3, _S.ACCEPTED: 4, _S.IN_PROGRESS: 5,
    _S.RESULT_RECORDED: 6, _S.ANSWERED: 7, _S.PUBLISHED: 8, _S.CLOSED: 8, _S.RETURNED: 4,
    _S.NOT_COMPETENT: 4, _S.DUPLICATE: 2, _S.REJECTED: 2,
}  # fmt: skip
# Hours of the (local) day people report in.
HOURS = (1, 0.5, 0.3, 0.3, 0.5, 1.5, 3, 6, 9, 10, 10, 9, 6, 6, 9, 9, 9, 8, 6, 6, 5, 4, 3, 2)
# Weekday weights (Monday first) of the days in the window; a day off weighs DAY_OFF.
WEEKDAYS = (1.0, 1.0, 1.0, 1.0, 0.95, 0.6, 0.45)
DAY_OFF = 0.5

# Where reports come from: Hà Nội, TP.HCM, Khánh Hòa, then anywhere.
FOCUS_PROVINCES = (("01", 0.35), ("79", 0.30), ("56", 0.15))
HOT_COMMUNES = 40  # per focus province, the communes that get 70 % of its reports
ADDRESS_CUM = (0.5, 0.75, 1.0)  # cumulative shares of the address heads

# Province-level units: label and mailbox.
PROVINCE_UNITS = {
    "ubnd_tinh": ("UBND", "ubnd"),
    "sxd": ("Sở Xây dựng", "soxaydung"),
    "snnmt": ("Sở Nông nghiệp và Môi trường", "sonnmt"),
    "syt": ("Sở Y tế", "soyte"),
    "skhcn": ("Sở Khoa học và Công nghệ", "sokhcn"),
    "snv": ("Sở Nội vụ", "sonoivu"),
    "cong_an": ("Công an", "congan"),
    "thanh_tra": ("Thanh tra", "thanhtra"),
}
# Per category: cumulative thresholds of the province-level unit that leads instead of the
# commune's People's Committee (the rest).
ROUTING: dict[str, tuple[tuple[float, str], ...]] = {
    "trat_tu_cong_cong": ((0.3, "cong_an"),),
    "trat_tu_an_toan_giao_thong": ((0.6, "cong_an"), (0.8, "sxd")),
    "trat_tu_xay_dung": ((0.15, "sxd"),),
    "ve_sinh_moi_truong": ((0.2, "snnmt"),),
    "ve_sinh_an_toan_thuc_pham": ((0.4, "syt"),),
    "phong_chong_chay_no": ((0.8, "cong_an"),),
    "phong_chong_dich_benh": ((0.6, "syt"),),
    "ha_tang_do_thi": ((0.4, "sxd"),),
    "ha_tang_do_thi.cap_thoat_nuoc": ((0.4, "sxd"),),
    "ha_tang_do_thi.cay_xanh": ((0.4, "sxd"),),
    "ha_tang_do_thi.chieu_sang": ((0.4, "sxd"),),
    "ha_tang_do_thi.vien_thong": ((0.7, "skhcn"),),
    "thai_do_can_bo": ((0.5, "snv"),),
}


def cumulative(weights: Sequence[float]) -> list[float]:
    total = float(sum(weights))
    acc, out = 0.0, []
    for w in weights:
        acc += w
        out.append(acc / total)
    out[-1] = 1.0
    return out


@dataclass(frozen=True)
class Choice:
    """A weighted pick by one uniform draw in [0, 1)."""

    items: tuple[Any, ...]
    cum: tuple[float, ...]

    @classmethod
    def of(cls, weights: Mapping[Any, float]) -> Choice:
        return cls(tuple(weights), tuple(cumulative(list(weights.values()))))

    def pick(self, r: float) -> Any:
        return self.items[bisect(self.cum, r)]
