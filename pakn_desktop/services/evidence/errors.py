"""Why the evidence store refuses a file: a stable code and a Vietnamese message."""

from __future__ import annotations

from pakn_desktop.domain.errors import ExpectedError

# One message per code, Vietnamese: what an operator reads in the strip or a script's log.
MESSAGES: dict[str, str] = {
    "empty": "Tệp rỗng (0 byte)",
    "too_large": "Tệp quá lớn",
    "unsupported_type": (
        "Loại tệp không được nhận; chỉ nhận ảnh (PNG, JPEG, WebP, GIF, HEIC), PDF, video (MP4, "
        "MOV, 3GP), ghi âm (MP3, M4A, AAC, WAV, OGG/Opus, AMR), Word (DOCX) và Excel (XLSX)"
    ),
    "executable": "Tệp chương trình (tệp chạy được) không được nhận làm minh chứng",
    "postscript": "Tệp PostScript/EPS không được nhận (có thể chứa mã chạy được)",
    "image_too_big": "Ảnh có quá nhiều điểm ảnh (nghi ngờ ảnh bom giải nén)",
    "corrupt_image": "Ảnh bị hỏng hoặc không đọc được",
    "heic_unsupported": (
        "Ảnh HEIC chưa mở được trên máy này; hãy chuyển sang JPEG rồi đính kèm lại"
    ),
    "bad_office": ("Tệp nén không phải văn bản Word (DOCX) hay bảng tính Excel (XLSX) hợp lệ"),
    "macro_office": "Tệp Office có macro (DOCM, XLSM) không được nhận",
    "unreadable": "Không đọc được tệp",
    "not_regular": "Không phải tệp thường nên không được nhận làm minh chứng",
    "changed": "Tệp bị thay đổi trong khi đang đọc; hãy đính kèm lại",
    "cancelled": "Đã huỷ",
}


class EvidenceError(ExpectedError, ValueError):
    """A file the store refuses; ``code`` is stable for scripts, ``message`` is Vietnamese.

    A ValueError, so the intake screen's existing ``except ValueError`` keeps catching it.
    ``detail`` says which file or which figure; it is part of ``message``.
    """

    def __init__(self, code: str, message: str | None = None, *, detail: str = "") -> None:
        base = message if message is not None else MESSAGES.get(code, code)
        super().__init__(code, f"{base} ({detail})" if detail else base)
        self.detail = detail

    def for_file(self, name: str) -> EvidenceError:
        """The same refusal naming the file it is about (for a batch of several)."""
        error = EvidenceError(self.code, f"{name}: {self.message}")
        error.detail = self.detail
        return error


class EvidenceCancelled(EvidenceError):
    """The operator cancelled; nothing of the batch was stored."""

    def __init__(self) -> None:
        super().__init__("cancelled")


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"
