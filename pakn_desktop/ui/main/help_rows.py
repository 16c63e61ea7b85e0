"""What the window's shortcut list (F1) shows: the window's own actions as they are bound,
then the queue's and the report actions' keys from the modules that bind them."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

from pakn_desktop.widgets.shortcut_help import native_keys


def _tr(text: str) -> str:
    return QCoreApplication.translate("WindowHelp", text)


def window_help_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    from pakn_desktop.ui.queue.bulk import BULK_CLOSE_KEY, BULK_FORWARD_KEY
    from pakn_desktop.ui.queue.export import EXPORT_KEY
    from pakn_desktop.ui.queue.view import PICK_VIEW_KEY
    from pakn_desktop.ui.workflow.words import ACTIONS

    rows: list[tuple[str, str]] = [(_tr("Toàn chương trình"), "")]
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.PortableText) for k in action.shortcuts()]
        if action.text() and keys:
            rows.append((native_keys(keys), action.text()))
    rows += [
        (_tr("Hàng đợi"), ""),
        (native_keys([PICK_VIEW_KEY]), _tr("Chọn chế độ xem (cần sàng lọc, quá hạn, của tôi…)")),
        (native_keys(["Ctrl+F"]), _tr("Tìm theo mã, nội dung, người phản ánh, số điện thoại")),
        ("↑ ↓ Enter", _tr("Chọn phản ánh, mở khung chi tiết")),
        (native_keys([BULK_FORWARD_KEY]), _tr("Chuyển xử lý các phản ánh đã chọn")),
        (native_keys([BULK_CLOSE_KEY]), _tr("Kết thúc các phản ánh đã chọn")),
        (native_keys([EXPORT_KEY]), _tr("Xuất danh sách đang xem ra Excel (danh tính bị che)")),
        (native_keys(["Ctrl+C"]), _tr("Sao chép các dòng đã chọn (dán vào Excel)")),
        (_tr("Xử lý phản ánh (khung chi tiết; chỉ những việc vai trò được làm)"), ""),
    ]
    rows += [(native_keys([key]), _tr(label)) for label, key in ACTIONS.values()]
    return rows
