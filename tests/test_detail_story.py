"""The report's detail tells the whole story: the moderator's handling note, the unit's
result, the published text, each SMS / e-mail to the unit with its state, time and error,
and the timeline in Vietnamese words. Rendered at 1366×768 for review (``PAKN_RENDER_DIR``)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pytestqt.qtbot import QtBot

from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.notify.dispatcher import Dispatcher
from pakn_desktop.services.notify.settings import NotifySettings
from pakn_desktop.services.queue import QueueService
from pakn_desktop.services.workflow.service import WorkflowService
from tests.local_servers import free_port, smtp_server
from tests.qt_helpers import open_window
from tests.workflow_data import add_unit, save_report, select_ticket

NOTE = "Đã hướng dẫn người dân chụp thêm ảnh; đề xuất chuyển UBND phường xử lý."
RESULT = "Đã nạo vét cống trước số 12 Lê Lợi, nước đã rút."
UNSENT_BOTH = "Chưa cấu hình cổng SMS / máy chủ thư: tin nhắn cho đơn vị chưa được gửi"
UNSENT_SMS = "Chưa cấu hình cổng SMS: tin nhắn SMS cho đơn vị chưa được gửi"
PUBLISHED = "Cống trên đường Lê Lợi đã được nạo vét, nước đã rút."


def _story(database: Database, store: EvidenceStore) -> object:
    ticket = save_report(database, store, handling_note=NOTE)
    unit = add_unit(database, "BT", name="UBND phường Bến Thành")
    service = WorkflowService(database)
    service.act(ticket, "forward", "operator", None, {"lead_unit_id": unit})
    with smtp_server() as mailbox:  # the e-mail goes; the SMS gateway is not listening
        settings = NotifySettings(
            sms_url=f"http://127.0.0.1:{free_port()}/sms",
            sms_timeout=2,
            smtp_host="127.0.0.1",
            smtp_port=mailbox.port,
            smtp_timeout=2,
        )
        Dispatcher(database, settings).deliver_due()
    service.act(ticket, "accept", "unit_officer")
    service.act(ticket, "start", "unit_officer")
    service.act(ticket, "record_result", "unit_officer", None, {"result_text": RESULT})
    service.act(ticket, "answer", "operator")
    service.act(ticket, "publish", "supervisor", None, {"publication_text": PUBLISHED})
    return ticket


def test_the_detail_reads_the_outcome_and_each_delivery(
    database: Database, store: EvidenceStore
) -> None:
    detail = QueueService(database).ticket_detail(_story(database, store))  # type: ignore[arg-type]
    assert detail.outcome.handling_note == NOTE
    assert detail.outcome.result == RESULT and detail.outcome.result_at is not None
    assert detail.outcome.publication == PUBLISHED and detail.outcome.published_at is not None
    by_channel = {d.channel: d for d in detail.deliveries}
    assert by_channel["email"].state == "sent" and by_channel["email"].sent_at is not None
    sms = by_channel["sms"]
    assert sms.state == "pending" and sms.attempts == 1 and sms.next_attempt_at is not None
    assert sms.error.startswith("Không kết nối được cổng SMS")
    assert sms.unit == "UBND phường Bến Thành" and sms.queued_at is not None


def test_the_detail_pane_shows_the_whole_story_in_vietnamese(
    qtbot: QtBot, database: Database, env: Environment, store: EvidenceStore, tmp_path: Path
) -> None:
    ticket = _story(database, store)
    win = open_window(qtbot, database, env, tmp_path)
    win.resize(1366, 768)
    actions = select_ticket(qtbot, win, ticket)  # type: ignore[arg-type]
    body = win.queue.detail.body
    # No gateway in this window's settings: the SMS is not "on its way", and it says why.
    qtbot.waitUntil(lambda: actions.deliveries.text() == UNSENT_SMS)
    qtbot.waitUntil(lambda: "chưa gửi (xếp hàng lúc" in body.toPlainText())
    qtbot.waitUntil(lambda: win.status.unsent_label.text() == UNSENT_SMS, timeout=10_000)
    text = body.toPlainText()
    for words in (NOTE, RESULT, PUBLISHED, "Kết quả xử lý của đơn vị", "Nội dung đã công khai"):
        assert words in text
    assert re.search(r"Thư điện tử → UBND phường Bến Thành \(donvi@example.vn\): đã gửi lúc", text)
    assert re.search(r"SMS → .*: chưa gửi \(xếp hàng lúc \d\d/\d\d/\d{4}", text)
    assert "Không kết nối được cổng SMS" in text and text.count(UNSENT_SMS) == 1
    for word in ("Chuyển xử lý", "Bắt đầu xử lý", "Công khai kết quả"):
        assert word in text
    # No code of the program reaches the reader (forwarded, in_progress, record_result…).
    timeline = text.split("Diễn biến", 1)[1]
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|\b(forward|forwarded|start|publish)\b", timeline)
    out = Path(os.environ.get("PAKN_RENDER_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    assert win.grab().save(str(out / "detail-story.png"))
    body.verticalScrollBar().setValue(body.verticalScrollBar().maximum())
    assert win.queue.detail.grab().save(str(out / "detail-story-end.png"))


def test_the_forward_dialog_warns_before_the_forward(
    qtbot: QtBot, database: Database, env: Environment, store: EvidenceStore, tmp_path: Path
) -> None:
    from pakn_desktop.domain.workflow import Action
    from pakn_desktop.ui.workflow.forward_dialog import ForwardDialog

    ticket = save_report(database, store)
    add_unit(database, "BT", name="UBND phường Bến Thành")
    win = open_window(qtbot, database, env, tmp_path)
    win.resize(1366, 768)
    actions = select_ticket(qtbot, win, ticket)
    actions.trigger(Action.FORWARD)
    qtbot.waitUntil(lambda: isinstance(actions.dialog, ForwardDialog))
    dialog = actions.dialog
    assert isinstance(dialog, ForwardDialog)
    qtbot.waitUntil(dialog.unsent.isVisible)
    assert dialog.unsent.text() == UNSENT_BOTH
    hint = dialog.sizeHint()
    assert hint.width() <= dialog.width() and hint.height() <= dialog.height()
    out = Path(os.environ.get("PAKN_RENDER_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(out / "forward-dialog.png"))
    dialog.reject()
    qtbot.waitUntil(lambda: actions.dialog is None)
