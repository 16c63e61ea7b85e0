"""Notifications after a forward, through a real local SMS gateway and SMTP server."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from pakn_desktop.data.types import utcnow
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.notify.dispatcher import (
    DeliveryCounts,
    Dispatcher,
    notifications_for,
)
from pakn_desktop.services.notify.settings import NotifySettings
from pakn_desktop.services.workflow.service import WorkflowService
from tests.local_servers import Gateway, free_port, sms_gateway, smtp_server
from tests.workflow_data import add_unit, save_report


@pytest.fixture
def store(env: Environment) -> EvidenceStore:
    return EvidenceStore(env.evidence_dir)


def _settings(sms_port: int, smtp_port: int, **more: object) -> NotifySettings:
    return NotifySettings(
        sms_url=f"http://127.0.0.1:{sms_port}/sms",
        sms_timeout=2,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        smtp_from="pakn@trungtam.vn",
        smtp_timeout=2,
        **more,  # type: ignore[arg-type]
    )


def test_forward_sends_a_real_sms_and_a_real_email(
    database: Database, store: EvidenceStore
) -> None:
    tid = save_report(database, store)
    unit = add_unit(database, "U1", phone="+84901000001", email="ubnd@benthanh.vn")
    state = WorkflowService(database).act(tid, "forward", "operator", None, {"lead_unit_id": unit})
    with sms_gateway() as gateway, smtp_server() as mailbox:
        counts = Dispatcher(database, _settings(gateway.port, mailbox.port)).deliver_due()
        assert counts == DeliveryCounts(sent=2)
        assert Dispatcher(database, _settings(gateway.port, mailbox.port)).deliver_due() == (
            DeliveryCounts()
        )
    (sms,) = gateway.requests
    assert sms["to"] == "+84901000001" and state.code in sms["text"]
    assert sms["_key"] == sms["id"]  # the idempotency key is the notification id
    assert "(chu tri)" in sms["text"]  # GSM-7: accent-free
    (mail,) = mailbox.messages
    assert mail["To"] == "ubnd@benthanh.vn" and state.code in mail["Subject"]
    assert "Cống bị tắc" in mail.get_content()
    views = notifications_for(database, tid)
    assert {(v.channel, v.state, v.attempts) for v in views} == {
        ("sms", "sent", 1),
        ("email", "sent", 1),
    }
    assert all(v.sent_at is not None for v in views)


@pytest.mark.parametrize(
    "changes", [{"kind": "to_cao", "category": "thai_do_can_bo"}, {"confidential": True}]
)
def test_protected_reporter_never_in_notifications(
    database: Database, store: EvidenceStore, changes: dict[str, object]
) -> None:
    content = "Tôi là Nguyễn Văn An, số 0912 345 678, tố cáo cán bộ phường nhận tiền."
    tid = save_report(database, store, content=content, summary=content, **changes)
    unit = add_unit(database, "U1")
    WorkflowService(database).act(tid, "forward", "operator", None, {"lead_unit_id": unit})
    with sms_gateway() as gateway, smtp_server() as mailbox:
        Dispatcher(database, _settings(gateway.port, mailbox.port)).deliver_due()
    texts = [r["text"] for r in gateway.requests] + [m.get_content() for m in mailbox.messages]
    assert len(texts) == 2
    for text in texts:
        digits = "".join(filter(str.isdigit, text))
        assert "Nguyễn Văn An" not in text and "An," not in text
        assert "912345678" not in digits


def test_unprotected_reporter_is_named_for_the_unit(
    database: Database, store: EvidenceStore
) -> None:
    """The unit may call an ordinary reporter back: the e-mail names them."""
    tid = save_report(database, store)
    WorkflowService(database).act(
        tid, "forward", "operator", None, {"lead_unit_id": add_unit(database, "U1", phone=None)}
    )
    with smtp_server() as mailbox:
        Dispatcher(database, _settings(free_port(), mailbox.port)).deliver_due()
    assert "Người phản ánh: Nguyễn Văn An, +84912345678" in mailbox.messages[0].get_content()


def test_gateway_down_then_back_nothing_lost_nothing_twice(
    database: Database, store: EvidenceStore
) -> None:
    ids = [save_report(database, store) for _ in range(3)]
    unit = add_unit(database, "U1", email=None)
    service = WorkflowService(database)
    for tid in ids:
        service.act(tid, "forward", "operator", None, {"lead_unit_id": unit})
    port = free_port()  # nothing listens there yet: the gateway is down
    dispatcher = Dispatcher(database, _settings(port, free_port()))
    now = utcnow()
    assert dispatcher.deliver_due(now) == DeliveryCounts(retried=3)
    views = [v for tid in ids for v in notifications_for(database, tid)]
    assert all(v.state == "pending" and v.attempts == 1 and v.last_error for v in views)
    assert all(v.next_attempt_at > now for v in views)
    assert dispatcher.deliver_due(now) == DeliveryCounts()  # backing off: not due yet
    assert dispatcher.deliver_due(now + timedelta(seconds=11)) == DeliveryCounts(retried=3)
    gateway = Gateway(port)
    with sms_gateway(gateway=gateway):
        assert dispatcher.deliver_due(now + timedelta(hours=1)) == DeliveryCounts(sent=3)
        assert dispatcher.deliver_due(now + timedelta(hours=2)) == DeliveryCounts()
    assert len(gateway.accepted) == 3 and gateway.repeats == 0
    views = [v for tid in ids for v in notifications_for(database, tid)]
    assert {(v.state, v.attempts) for v in views} == {("sent", 3)}


def test_gives_up_after_max_attempts(database: Database, store: EvidenceStore) -> None:
    tid = save_report(database, store)
    WorkflowService(database).act(
        tid, "forward", "operator", None, {"lead_unit_id": add_unit(database, "U1", email=None)}
    )
    dispatcher = Dispatcher(database, _settings(free_port(), free_port(), max_attempts=2))
    now = utcnow()
    assert dispatcher.deliver_due(now).retried == 1
    assert dispatcher.deliver_due(now + timedelta(days=1)).failed == 1
    (view,) = notifications_for(database, tid)
    assert (view.state, view.attempts) == ("failed", 2)


def test_two_dispatchers_never_send_one_job_twice(database: Database, store: EvidenceStore) -> None:
    unit = add_unit(database, "U1", email=None)
    service = WorkflowService(database)
    for _ in range(20):
        service.act(
            save_report(database, store), "forward", "operator", None, {"lead_unit_id": unit}
        )
    with sms_gateway() as gateway:
        settings = _settings(gateway.port, free_port())
        errors: list[BaseException] = []

        def run() -> None:
            try:
                Dispatcher(database, settings).deliver_due()
            except BaseException as error:  # noqa: BLE001 (reported below)
                errors.append(error)

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert len(gateway.accepted) == 20 and len(gateway.requests) == 20
    views = [v for v in notifications_for_all(database)]
    assert len(views) == 20 and {v.state for v in views} == {"sent"}


def notifications_for_all(database: Database) -> list[object]:
    from sqlalchemy import select

    from pakn_desktop.data.models import Notification

    with database.sessions() as s:
        return list(s.scalars(select(Notification)))


def test_backoff_grows_and_is_capped() -> None:
    import random

    settings = NotifySettings(base_delay=5, max_delay=60)
    rng = random.Random(1)
    delays = [settings.backoff(n, rng) for n in range(1, 10)]
    assert all(2.5 <= delays[0] <= 5 for _ in delays)
    assert max(delays) <= 60 and delays[-1] >= 30
    assert NotifySettings.from_env({"PAKN_SMS_URL": "http://x/sms", "PAKN_SMTP_PORT": "2525"}) == (
        NotifySettings(sms_url="http://x/sms", smtp_port=2525)
    )


def test_cli_notify_once(database: Database, store: EvidenceStore, env: Environment) -> None:
    import json
    import os
    import subprocess
    import sys

    tid = save_report(database, store)
    WorkflowService(database).act(
        tid, "forward", "operator", None, {"lead_unit_id": add_unit(database, "U1", email=None)}
    )
    with sms_gateway() as gateway:
        done = subprocess.run(
            [sys.executable, "-m", "pakn_desktop.cli", "--data-dir", str(env.data_dir)]
            + ["notify", "--once", "--json"],
            env={**os.environ, "PAKN_SMS_URL": gateway.url},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"sent": 1, "retried": 0, "failed": 0, "waiting": ""}
    assert len(gateway.accepted) == 1
