"""A register's words matched to the reference lists: channels, categories, kinds, and the
result column read as a status.

Matched folded (``register_headers.folded_header``: no accents, no punctuation), by the
list's own name, its code, or a synonym registers use ("Email" is "Thư điện tử", "Cổng thông
tin" is "Cổng thông tin điện tử"). A synonym counts only when its code is in the list the
database holds (an administrator may have removed one).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from pakn_desktop.domain.enums import Status
from pakn_desktop.reports.register_headers import RESULT, Header, folded_header

CHANNEL_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(
        ("duong day nong", "hotline", "dien thoai", "goi dien", "tong dai", "1022", "cuoc goi",
         "tong dai 1022", "duong day nong 1022",
         "dt", "sdt", "goi dien thoai", "dien thoai duong day nong", "so dien thoai"),
        "hotline",
    ),
    **dict.fromkeys(
        ("fanpage", "facebook", "messenger", "fb", "mang xa hoi", "trang facebook"), "fanpage"
    ),
    **dict.fromkeys(("zalo", "zalo oa"), "zalo"),
    **dict.fromkeys(
        ("cong thong tin", "cong thong tin dien tu", "website", "web", "trang web",
         "trang thong tin dien tu", "cong dich vu cong", "cong tiep nhan"),
        "web",
    ),
    **dict.fromkeys(
        ("ung dung", "ung dung di dong", "app", "mobile app", "ung dung dien thoai",
         "smart city", "do thi thong minh"),
        "app",
    ),
    **dict.fromkeys(
        ("email", "e mail", "thu dien tu", "mail", "hop thu", "hop thu dien tu", "gmail"), "email"
    ),
    **dict.fromkeys(("chatbot", "chat bot", "tro ly ao"), "chatbot"),
    **dict.fromkeys(
        ("truc tiep", "tiep cong dan", "den truc tiep", "tai tru so", "tiep truc tiep"), "walk_in"
    ),
    **dict.fromkeys(
        ("thu", "don", "thu don", "don thu", "van ban", "buu dien", "buu chinh", "cong van"),
        "letter",
    ),
    **dict.fromkeys(("khac", "kenh khac"), "other"),
}  # fmt: skip

CATEGORY_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(
        ("do thi", "lan chiem via he", "lan chiem", "via he", "trat tu do thi"), "trat_tu_do_thi"
    ),
    **dict.fromkeys(
        ("an ninh trat tu", "trat tu", "tieng on", "gay roi", "an ninh"), "trat_tu_cong_cong"
    ),
    **dict.fromkeys(
        ("giao thong", "atgt", "an toan giao thong", "trat tu giao thong"),
        "trat_tu_an_toan_giao_thong",
    ),
    **dict.fromkeys(("xay dung", "xay dung trai phep", "trat tu xd"), "trat_tu_xay_dung"),
    **dict.fromkeys(("moi truong", "rac thai", "ve sinh", "o nhiem"), "ve_sinh_moi_truong"),
    **dict.fromkeys(
        ("an toan thuc pham", "ve sinh thuc pham", "attp", "vsattp", "thuc pham"),
        "ve_sinh_an_toan_thuc_pham",
    ),
    **dict.fromkeys(("pccc", "chay no", "phong chay chua chay", "chay"), "phong_chong_chay_no"),
    **dict.fromkeys(("dich benh", "y te", "phong dich"), "phong_chong_dich_benh"),
    **dict.fromkeys(("ha tang", "ha tang ky thuat"), "ha_tang_do_thi"),
    **dict.fromkeys(
        ("cap nuoc", "thoat nuoc", "ngap", "ngap nuoc", "nuoc sach"),
        "ha_tang_do_thi.cap_thoat_nuoc",
    ),
    **dict.fromkeys(("cay xanh", "cong vien"), "ha_tang_do_thi.cay_xanh"),
    **dict.fromkeys(("chieu sang", "den duong", "den chieu sang"), "ha_tang_do_thi.chieu_sang"),
    **dict.fromkeys(
        ("vien thong", "internet", "cap vien thong", "buu chinh vien thong"),
        "ha_tang_do_thi.vien_thong",
    ),
    **dict.fromkeys(
        ("can bo", "thai do", "thai do phuc vu", "trach nhiem can bo", "cong chuc"),
        "thai_do_can_bo",
    ),
    **dict.fromkeys(("khac", "linh vuc khac"), "khac"),
}  # fmt: skip

KIND_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("phan anh", "pa", "phan anh kien nghi", "pakn"), "phan_anh"),
    **dict.fromkeys(("kien nghi", "kn", "de nghi", "yeu cau"), "kien_nghi"),
    **dict.fromkeys(
        ("hoi dap", "hoi", "tu van", "hoi thong tin", "cung cap thong tin", "giai dap"), "hoi_dap"
    ),
    **dict.fromkeys(("gop y", "hien ke", "gop y hien ke", "de xuat"), "gop_y"),
    **dict.fromkeys(("to giac", "to giac vi pham", "bao tin"), "to_giac"),
    **dict.fromkeys(("khieu nai",), "khieu_nai"),
    **dict.fromkeys(("to cao",), "to_cao"),
}  # fmt: skip

# The result column's words. A phrase found inside a longer text counts ("Đã cử cán bộ kiểm
# tra, xử lý xong"), longest first, so "chưa xử lý" is never read as "xử lý".
STATUS_WORDS: dict[str, Status] = {
    **dict.fromkeys(
        ("da xu ly", "xu ly xong", "da xu ly xong", "hoan thanh", "da hoan thanh",
         "da giai quyet", "giai quyet xong", "xong", "da tra loi", "ket thuc", "da khac phuc",
         "da dong", "hoan tat"),
        Status.CLOSED,
    ),
    **dict.fromkeys(
        ("dang xu ly", "dang giai quyet", "dang thuc hien", "dang kiem tra", "dang xac minh",
         "chua xong", "dang khac phuc", "dang giai quyet xu ly"),
        Status.IN_PROGRESS,
    ),
    **dict.fromkeys(
        ("chua xu ly", "moi", "moi tiep nhan", "cho xu ly", "chua giai quyet", "tiep nhan"),
        Status.NEW,
    ),
    **dict.fromkeys(
        ("khong thuoc tham quyen", "sai tham quyen", "khong dung tham quyen"),
        Status.NOT_COMPETENT,
    ),
    **dict.fromkeys(("tu choi", "khong tiep nhan", "khong xu ly"), Status.REJECTED),
    **dict.fromkeys(("tra lai", "da tra lai"), Status.RETURNED),
}  # fmt: skip
_STATUS_PHRASES = sorted(STATUS_WORDS, key=lambda p: -len(p))


_SHORT = 4  # names this long or shorter match only whole
# A register writes the same few channels, categories and results on every row: each
# distinct text is folded and looked up once (a bound, for a register of free text).
_REMEMBERED = 4096


class Matcher:
    """Folded text → a code of one reference list."""

    def __init__(self, names: Mapping[str, str], synonyms: Mapping[str, str]) -> None:
        index: dict[str, str] = {}
        for folded, code in synonyms.items():
            if code in names:
                index[folded] = code
        for code, name in names.items():
            index[folded_header(code.replace("_", " "))] = code
            for part in name.split("/"):  # "Fanpage/Messenger", "Thư/đơn"
                index.setdefault(folded_header(part), code)
            index[folded_header(name)] = code
        index.pop("", None)
        self._index = index
        # For a longer text ("Tổng đài 1022", "Qua Zalo"): the longest known name inside it.
        # Short ones ("dt", "thu", "don") would be found in unrelated words: exact only.
        self._inside = sorted(
            ((name, code) for name, code in index.items() if len(name) > _SHORT),
            key=lambda pair: -len(pair[0]),
        )
        self._seen: dict[str, str | None] = {}

    def match(self, text: str) -> str | None:
        if text in self._seen:
            return self._seen[text]
        code = self._match(text)
        if len(self._seen) < _REMEMBERED:
            self._seen[text] = code
        return code

    def _match(self, text: str) -> str | None:
        folded = folded_header(text)
        exact = self._index.get(folded)
        if exact is not None or not folded:
            return exact
        padded = f" {folded} "
        return next((code for name, code in self._inside if f" {name} " in padded), None)


@functools.lru_cache(maxsize=_REMEMBERED)
def status_of(text: str) -> Status | None:
    """The status a result cell names, or None when it names none (then the report is new)."""
    padded = f" {folded_header(text)} "
    for phrase in _STATUS_PHRASES:
        if f" {phrase} " in padded:
            return STATUS_WORDS[phrase]
    return None


def tick_columns(header: Header) -> dict[int, Status]:
    """Result columns laid out as ticks: "Kết quả xử lý" over "Đã xử lý" / "Đang xử lý",
    an "x" in the column of the report's state. Column index → that column's status."""
    marks: dict[int, Status] = {}
    for column in header.columns:
        if column.field == RESULT and " / " in column.header:
            status = status_of(column.header.rsplit(" / ", 1)[1])
            if status is not None:
                marks[column.index] = status
    return marks
