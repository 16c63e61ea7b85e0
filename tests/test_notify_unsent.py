"""A channel with nothing configured to send it through: its jobs wait, attempts unspent,
and the dispatcher says why (the GUI's status bar shows it while it holds)."""

from __future__ import annotations

from pakn_desktop.services.database import Database
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.notify.dispatcher import Dispatcher, notifications_for
from pakn_desktop.services.notify.settings import NotifySettings
from pakn_desktop.services.workflow.service import WorkflowService
from tests.local_servers import smtp_server
from tests.workflow_data import add_unit, save_report

BOTH = "Chưa cấu hình cổng SMS / máy chủ thư: tin nhắn cho đơn vị chưa được gửi"
SMS = "Chưa cấu hình cổng SMS: tin nhắn SMS cho đơn vị chưa được gửi"


def test_no_gateway_keeps_the_sms_waiting_and_says_why(
    database: Database, store: EvidenceStore
) -> None:
    ticket = save_report(database, store)
    WorkflowService(database).act(
        ticket, "forward", "operator", None, {"lead_unit_id": add_unit(database, "U1")}
    )
    nothing = Dispatcher(database, NotifySettings())
    assert nothing.unconfigured() == BOTH
    assert nothing.deliver_due().waiting == BOTH
    assert nothing.unsent(ticket) == BOTH

    with smtp_server() as mailbox:  # a mail server, still no SMS gateway
        mail_only = NotifySettings(smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_timeout=2)
        counts = Dispatcher(database, mail_only).deliver_due()
    assert (counts.sent, counts.retried, counts.failed) == (1, 0, 0)
    assert counts.waiting == SMS and len(mailbox.messages) == 1
    jobs = {job.channel: job for job in notifications_for(database, ticket)}
    assert jobs["email"].state == "sent"
    sms = jobs["sms"]  # not tried and failed eight times over: waiting for a gateway
    assert (sms.state, sms.attempts, sms.last_error) == ("pending", 0, None)
    dispatcher = Dispatcher(database, mail_only)
    assert dispatcher.unsent_channels(ticket) == {"sms"}
    assert dispatcher.unconfigured() is None
