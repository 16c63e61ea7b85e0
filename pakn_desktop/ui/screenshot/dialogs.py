"""The dialogs shot, each opened the way a user opens it (the administration tasks, the detail's
action bar) or, for the evidence viewer and redaction, over a sample chat screenshot drawn here
(the demo database holds no files). A test holds the dialog classes these shots show equal
to every QDialog subclass of ui/admin, ui/workflow and ui/evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pakn_desktop.data.errors import ErrorCode, KnownError
from pakn_desktop.ui.screenshot.screens import ADMIN as ADMIN_SCREEN
from pakn_desktop.ui.screenshot.screens import select_row, set_role, show_status
from pakn_desktop.ui.screenshot.shot import Session, Shot

if TYPE_CHECKING:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QWidget

ADMIN, UNIT_OFFICER = "admin", "unit_officer"
ROWS_TRIED = 30


def _admin(
    opener: str, then: Callable[[Any, Session], None] | None = None
) -> Callable[[Session], QWidget | None]:
    """An administration dialog from the window's own opener (``window.admin.<opener>``)."""

    def build(running: Session) -> QWidget | None:
        running.window.show_screen(ADMIN_SCREEN)  # where the administrator opens it from
        set_role(running, ADMIN)
        dialog: QWidget = getattr(running.window.admin, opener)()
        running.settle()
        if then is not None:
            then(dialog, running)
            running.settle()
        return dialog

    return build


def _first_row(dialog: Any, running: Session) -> None:
    if dialog.table.model().rowCount():
        dialog.table.selectRow(0)


def _routing_test(dialog: Any, running: Session) -> None:
    """The first rule chosen, and the test box asked where a report it matches goes."""
    _first_row(dialog, running)
    running.settle()
    rule = dialog.table.item(0, 0)
    chosen = dialog.form_rule()
    if rule is not None and chosen.category_code:
        dialog.test_category.setCurrentIndex(dialog.test_category.findData(chosen.category_code))
        dialog.test_place.set_location(chosen.province_code or "", chosen.commune_code or "")
        dialog.run_test()


def _action(
    status: str,
    label: str,
    action: str,
    role: str = ADMIN,
    fill: Callable[[Any, Session], None] | None = None,
) -> Callable[[Session], QWidget | None]:
    """The first report in ``status``, ``action`` triggered on the detail's action bar."""

    def build(running: Session) -> QWidget | None:
        from pakn_desktop.domain.workflow import Action

        set_role(running, role)
        show_status(running, status, label)
        bar = running.window.queue.detail.action_bar
        assert bar is not None
        wanted = Action(action)
        rows = running.window.queue.model.rowCount()
        for row in range(min(rows, ROWS_TRIED)):  # one not paused, say, when pausing it
            select_row(running, row)
            if wanted in bar.allowed():
                break
        else:
            raise KnownError(ErrorCode.INVALID, f"không có phản ánh nào cho phép '{action}'")
        bar.trigger(wanted)
        running.wait(lambda: bar.dialog is not None)
        running.settle()
        if fill is not None:
            fill(bar.dialog, running)
            running.settle()
        return bar.dialog

    return build


def _text(words: str) -> Callable[[Any, Session], None]:
    def fill(dialog: Any, _running: Session) -> None:
        dialog.text.setPlainText(words)

    return fill


def _reason(words: str) -> Callable[[Any, Session], None]:
    def fill(dialog: Any, _running: Session) -> None:
        dialog.reason.setText(words)

    return fill


MERGE_SEARCH = "đường"


def _merge_search(dialog: Any, running: Session) -> None:
    """Candidates for the merge: a word of the report typed in the search box, the first
    candidate chosen."""
    dialog.query.setText(MERGE_SEARCH)
    running.wait(lambda: dialog.results.count() > 0)
    dialog.results.setCurrentRow(0)


CHAT = (  # (the page's own words, text)
    (False, "Chào trang, cây xanh trước số 12 Trần Phú bị gãy cành"),
    (False, "đè lên dây điện từ tối qua, rất nguy hiểm ạ."),
    (True, "Cảm ơn chị, chị cho xin số điện thoại để liên hệ ạ."),
    (False, "SĐT của em: 0905 123 456"),
    (False, "Em gửi ảnh hiện trường kèm theo ạ."),
)
BUBBLE_TOP, BUBBLE_H, BUBBLE_STEP = 76, 56, 68
PHONE_AREA = (26, 76 + 3 * 68 + 8, 330, 40)  # over the fourth bubble: the caller's number


def chat_image() -> QImage:
    """A pasted Messenger chat, the kind of evidence an operator attaches and redacts."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    image = QImage(720, 430, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        painter.fillRect(QRect(0, 0, 720, 56), QColor("#0866ff"))
        font = QFont("DejaVu Sans", 15)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRect(20, 0, 680, 56), Qt.AlignmentFlag.AlignVCenter, "Messenger")
        painter.setFont(QFont("DejaVu Sans", 13))
        top = BUBBLE_TOP
        for mine, words in CHAT:
            bubble = QRect(360 if mine else 20, top, 340, BUBBLE_H)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#0866ff" if mine else "#f0f2f5"))
            painter.drawRoundedRect(bubble, 16, 16)
            painter.setPen(QColor("#ffffff" if mine else "#050505"))
            flags = Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(bubble.adjusted(14, 6, -14, -6), int(flags), words)
            top += BUBBLE_STEP
    finally:
        painter.end()
    return image


def _viewer(running: Session) -> QWidget | None:
    from pakn_desktop.ui.evidence.viewer import ImageViewer

    viewer = ImageViewer("tin-nhan-messenger.png", running.window)
    viewer.show()
    viewer.show_image(chat_image())
    return viewer


def _redaction(running: Session) -> QWidget | None:
    from PySide6.QtCore import QRect

    from pakn_desktop.ui.evidence.redaction import RedactionDialog

    dialog = RedactionDialog("tin-nhan-messenger.png", chat_image(), running.window)
    dialog.show()
    dialog.add_rectangle(QRect(*PHONE_AREA))
    return dialog


def _sync_password(running: Session) -> QWidget | None:
    """The prompt as a workstation without a keyring shows it after the server's refusal."""
    from pakn_desktop.services.settings import KeyringState
    from pakn_desktop.services.sync.errors import login_refused
    from pakn_desktop.ui.main.sync_password import SyncPasswordDialog

    reason = login_refused("maychu.tinh.gov.vn/pakn").message
    running.window.status.show_sync_password(reason)  # the status bar's offer behind it
    dialog = SyncPasswordDialog(reason, KeyringState(False, "fail.Keyring"), running.window)
    dialog.show()
    return dialog


DIALOG_SHOTS = (
    Shot("admin-sla", "Cài đặt thời hạn", _admin("sla_settings")),
    Shot("admin-routing", "Quy tắc chuyển xử lý và thử", _admin("routing_rules", _routing_test)),
    Shot("admin-notify", "Cài đặt gửi tin nhắn, thư", _admin("notify_settings")),
    Shot("admin-units", "Đơn vị xử lý và người liên hệ", _admin("units", _first_row)),
    Shot("admin-sync", "Máy chủ đồng bộ", _admin("sync_server")),
    Shot("admin-sync-activity", "Hoạt động đồng bộ", _admin("sync_activity")),
    Shot("sync-password", "Hỏi mật khẩu đồng bộ", _sync_password),
    Shot("forward", "Chuyển xử lý", _action("new", "Mới", "forward")),
    Shot(
        "result",
        "Ghi kết quả xử lý",
        _action(
            "in_progress",
            "Đang xử lý",
            "record_result",
            fill=_text("Đã cắt tỉa cây, khơi thông mương thoát nước; người dân đã xác nhận."),
        ),
    ),
    Shot("publish", "Công khai kết quả", _action("result_recorded", "Có kết quả", "publish")),
    Shot(
        "pause",
        "Chờ công dân bổ sung",
        _action(
            "forwarded",
            "Đã chuyển",
            "pause",
            fill=_reason("Chờ công dân gửi ảnh hiện trường và địa chỉ cụ thể"),
        ),
    ),
    Shot(
        "explain-delay",
        "Giải trình lý do chậm",
        _action(
            "in_progress",
            "Đang xử lý",
            "explain_delay",
            fill=_reason("Chờ kết quả kiểm tra của Sở Xây dựng"),
        ),
    ),
    Shot(
        "extension",
        "Xin gia hạn",
        _action(
            "in_progress",
            "Đang xử lý",
            "request_extension",
            role=UNIT_OFFICER,
            fill=_reason("Cần phối hợp với điện lực để cắt điện khi xử lý"),
        ),
    ),
    Shot("merge", "Gộp hồ sơ trùng", _action("new", "Mới", "merge", fill=_merge_search)),
    Shot("evidence-viewer", "Xem ảnh minh chứng", _viewer),
    Shot("redaction", "Che thông tin cá nhân trên ảnh", _redaction),
)
