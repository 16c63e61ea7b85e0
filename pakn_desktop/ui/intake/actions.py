"""Every action of the intake screen with its keys (one table: the actions and the help
overlay are built from it), and the quick phrases an operator inserts with Ctrl+T."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("IntakeActions", text)


@dataclass(frozen=True)
class ActionSpec:
    name: str
    keys: tuple[str, ...]
    label: str
    window_wide: bool = False  # works from every screen of the main window (F2, F3)


def action_specs() -> tuple[ActionSpec, ...]:
    return (
        ActionSpec("new_call", ("F2",), _tr("Cuộc gọi mới (bắt đầu tính giờ)"), window_wide=True),
        ActionSpec("new_message", ("F3",), _tr("Tin nhắn mới (fanpage, Zalo…)"), window_wide=True),
        ActionSpec("save", ("Ctrl+Return", "Ctrl+Enter"), _tr("Lưu hồ sơ, hiện mã hồ sơ")),
        ActionSpec("end_call", ("Ctrl+E",), _tr("Kết thúc cuộc gọi (dừng đồng hồ)")),
        ActionSpec("hold", ("Ctrl+H",), _tr("Giữ cuộc gọi: cất vào bản nháp, mở phiếu mới")),
        ActionSpec("drafts", ("Ctrl+B",), _tr("Danh sách bản nháp (Enter: mở, Delete: bỏ)")),
        ActionSpec("resume", ("Ctrl+R",), _tr("Mở lại bản nháp mới nhất")),
        ActionSpec("phrases", ("Ctrl+T",), _tr("Chèn câu mẫu / câu trả lời mẫu")),
        ActionSpec("history", ("Ctrl+Shift+L",), _tr("Xem lịch sử người gọi")),
        ActionSpec("duplicates", ("Ctrl+Shift+U",), _tr("Xem hồ sơ có thể trùng")),
        ActionSpec("link_duplicate", ("Ctrl+D",), _tr("Đánh dấu trùng với hồ sơ đang chọn")),
        ActionSpec("unlink_duplicate", ("Ctrl+Shift+D",), _tr("Bỏ đánh dấu trùng")),
        ActionSpec(
            "paste_image", ("Ctrl+Shift+V",), _tr("Dán ảnh từ bộ nhớ tạm (Ctrl+V trong ô chữ)")
        ),
        ActionSpec("attach_file", ("Ctrl+O",), _tr("Đính kèm tệp ảnh")),
        ActionSpec(
            "capture_region",
            ("Ctrl+Shift+S",),
            _tr("Chụp màn hình vùng (tin nhắn): kéo chọn vùng, Esc để huỷ"),
        ),
        ActionSpec(
            "capture_window",
            ("Ctrl+Shift+W",),  # the queue's bulk close has it too, but only on the queue screen
            _tr("Chụp cửa sổ (tin nhắn): bấm vào cửa sổ trình duyệt/Zalo, Esc để huỷ"),
        ),
        ActionSpec("copy_code", ("Ctrl+Shift+C",), _tr("Sao chép mã hồ sơ vừa lưu")),
        ActionSpec("focus_phone", ("F4",), _tr("Về ô số điện thoại")),
        ActionSpec("focus_place", ("F6",), _tr("Về ô địa bàn (xã/phường)")),
        ActionSpec("focus_content", ("F7",), _tr("Về ô nội dung")),
        ActionSpec("focus_kind", ("F8",), _tr("Về ô loại / lĩnh vực")),
        ActionSpec("dismiss", ("Escape",), _tr("Đóng thông báo / bảng phím tắt")),
        ActionSpec("help", ("F1", "Ctrl+/"), _tr("Bảng phím tắt")),
    )


# Other keys the help lists that belong to widgets, not actions.
def widget_keys() -> tuple[tuple[str, str], ...]:
    return (
        ("Tab / Shift+Tab", _tr("Ô tiếp theo theo trình tự câu chuyện của người gọi")),
        ("↓ ↑ Enter Tab", _tr("Chọn gợi ý xã/phường (gõ không dấu: phuong ben thanh)")),
        ("Ctrl+V", _tr("Dán chữ; ảnh trong bộ nhớ tạm thành tệp đính kèm")),
        ("Delete", _tr("Bỏ ảnh đính kèm / bản nháp đang chọn")),
        ("Ctrl+1 … Ctrl+5", _tr("Chuyển màn hình")),
    )


def quick_phrases() -> tuple[tuple[str, str], ...]:
    """(menu title, text inserted): common questions to the caller and common answers."""
    return (
        (_tr("Mở đầu phản ánh"), _tr("Người dân phản ánh: ")),
        (
            _tr("Đề nghị kiểm tra, xử lý"),
            _tr("Đề nghị cơ quan chức năng kiểm tra, xử lý theo quy định."),
        ),
        (
            _tr("Hỏi địa điểm cụ thể"),
            _tr("Đã đề nghị người dân cung cấp địa chỉ, vị trí cụ thể nơi xảy ra sự việc."),
        ),
        (
            _tr("Hồ sơ đã chuyển xử lý"),
            _tr(
                "Hồ sơ đã được chuyển đến đơn vị có thẩm quyền; kết quả xử lý sẽ được thông "
                "báo trong thời hạn quy định."
            ),
        ),
        (
            _tr("Tra cứu bằng mã hồ sơ"),
            _tr("Anh/chị có thể tra cứu tiến độ xử lý bằng mã hồ sơ trên cổng thông tin."),
        ),
        (
            _tr("Hướng dẫn liên hệ cơ quan"),
            _tr(
                "Đã hướng dẫn người dân liên hệ trực tiếp cơ quan có thẩm quyền để được giải quyết."
            ),
        ),
        (
            _tr("Biên bản: đã tiếp nhận, chuyển xử lý"),
            _tr("Đã tiếp nhận, lưu ảnh chụp tin nhắn và chuyển đơn vị xử lý theo thẩm quyền."),
        ),
        (
            _tr("Biên bản: đã trả lời tin nhắn"),
            _tr("Đã trả lời tin nhắn, hướng dẫn người gửi theo quy định."),
        ),
        (
            _tr("Khiếu nại/tố cáo: hướng dẫn thủ tục"),
            _tr(
                "Đã hướng dẫn người dân gửi đơn theo thủ tục giải quyết khiếu nại, tố cáo; "
                "thông tin người tố cáo được giữ bí mật."
            ),
        ),
    )
