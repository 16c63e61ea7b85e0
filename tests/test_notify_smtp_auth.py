"""SMTP with STARTTLS/SSL and login, the password from the OS keyring, settings shared in the
database with the environment over them: real local servers, a real keyring backend."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from pakn_desktop.data.errors import KnownError
from pakn_desktop.data.types import utcnow
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.notify.dispatcher import (
    DeliveryCounts,
    Dispatcher,
    notifications_for,
    send_test,
)
from pakn_desktop.services.notify.settings import (
    KEYRING_SERVICE,
    NotifySettings,
    NotifySettingsSource,
    password_key,
    save_config,
)
from pakn_desktop.services.settings import Secrets
from pakn_desktop.services.workflow.service import WorkflowService
from tests.local_servers import Certificate, secure_smtp_server, self_signed, sms_gateway
from tests.workflow_data import add_unit, save_report

USER, RIGHT = "pakn@trungtam.vn", "mật-khẩu-đúng"


class FileKeyring(KeyringBackend):
    """A real backend keeping secrets in a JSON file: the tests' OS keyring (headless Linux
    has no Secret Service, and keyrings.alt is not installed)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def _all(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._all().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        found = self._all()
        found[f"{service}/{username}"] = password
        self.path.write_text(json.dumps(found))

    def delete_password(self, service: str, username: str) -> None:
        found = self._all()
        found.pop(f"{service}/{username}", None)
        self.path.write_text(json.dumps(found))


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[FileKeyring]:
    before = keyring.get_keyring()
    backend = FileKeyring(tmp_path / "keyring.json")
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    return self_signed(tmp_path)


@pytest.fixture
def store(env: Environment) -> EvidenceStore:
    return EvidenceStore(env.evidence_dir)


def _forward(database: Database, store: EvidenceStore) -> None:
    tid = save_report(database, store)
    unit = add_unit(database, "U1", phone=None, email="ubnd@benthanh.vn")
    WorkflowService(database).act(tid, "forward", "operator", None, {"lead_unit_id": unit})


def _config(port: int, security: str = "starttls") -> NotifySettings:
    return NotifySettings(
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_from="pakn@trungtam.vn",
        smtp_security=security,
        smtp_user=USER,
    )


def _env(certificate: Certificate) -> dict[str, str]:
    return {"PAKN_SMTP_CA_FILE": certificate.cert_file}  # trust the test's own CA


def test_wrong_password_fails_in_vietnamese_is_retried_and_delivered_after_the_fix(
    database: Database, store: EvidenceStore, certificate: Certificate, vault: FileKeyring
) -> None:
    _forward(database, store)
    with secure_smtp_server(certificate, USER, RIGHT) as mailbox:
        saved = save_config(database, _config(mailbox.port), "sai-mật-khẩu")
        assert saved.password_saved is True
        stored = vault.get_password(KEYRING_SERVICE, password_key("127.0.0.1", USER))
        assert stored == "sai-mật-khẩu"
        source = NotifySettingsSource(database, _env(certificate))
        dispatcher = Dispatcher(database, source)
        assert dispatcher.deliver_due() == DeliveryCounts(retried=1)
        assert mailbox.messages == [] and mailbox.logins == [(USER, False)]
        (job,) = notifications_for(database, _ticket(database))
        assert job.state == "pending" and job.attempts == 1
        assert job.last_error is not None
        assert job.last_error.startswith("Máy chủ thư từ chối đăng nhập: sai tên đăng nhập")
        # The administrator saves the right password; the retry, when due, goes through.
        source.save(_config(mailbox.port), RIGHT)
        later = utcnow() + timedelta(hours=1)
        assert dispatcher.deliver_due(now=later) == DeliveryCounts(sent=1)
        assert mailbox.tls_seen == [True]  # STARTTLS before the login
    (mail,) = mailbox.messages
    assert mail["To"] == "ubnd@benthanh.vn"
    (job,) = notifications_for(database, _ticket(database))
    assert (job.state, job.attempts) == ("sent", 2)
    # Never in a file or the database: only the keyring holds it.
    assert RIGHT not in json.dumps([str(v) for v in _settings_rows(database)])


def test_ssl_and_the_environment_override(
    database: Database, store: EvidenceStore, certificate: Certificate, vault: FileKeyring
) -> None:
    _forward(database, store)
    with secure_smtp_server(certificate, USER, RIGHT, implicit_tls=True) as mailbox:
        save_config(database, _config(1, "starttls"))  # a wrong port and security stored
        env = {
            **_env(certificate),
            "PAKN_SMTP_PORT": str(mailbox.port),
            "PAKN_SMTP_SECURITY": "ssl",
            "PAKN_SMTP_PASSWORD": RIGHT,  # CI: no keyring needed
        }
        assert Dispatcher(database, NotifySettingsSource(database, env)).deliver_due() == (
            DeliveryCounts(sent=1)
        )
    assert mailbox.tls_seen == [True] and mailbox.logins == [(USER, True)]


def test_a_certificate_not_trusted_is_refused(
    database: Database, certificate: Certificate, vault: FileKeyring
) -> None:
    with secure_smtp_server(certificate, USER, RIGHT) as mailbox:
        settings = NotifySettingsSource(database, {}).for_test(_config(mailbox.port), RIGHT)
        result = send_test(settings, email="a@b.vn")
    assert result.email is not None
    assert result.email.startswith("Chứng chỉ TLS của máy chủ thư không được tin cậy")
    assert mailbox.messages == []


def test_send_test_reaches_both_servers(
    database: Database, certificate: Certificate, vault: FileKeyring
) -> None:
    with sms_gateway() as gateway, secure_smtp_server(certificate, USER, RIGHT) as mailbox:
        config = NotifySettings(**{**_config(mailbox.port).__dict__, "sms_url": gateway.url})
        source = NotifySettingsSource(database, _env(certificate))
        source.save(config, RIGHT)
        result = send_test(source.for_test(config, None), phone="0901000001", email="a@b.vn")
        assert (result.sms, result.email) == (None, None)
        wrong = send_test(source.for_test(config, "sai"), email="a@b.vn")
    assert wrong.email is not None and "sai tên đăng nhập hoặc mật khẩu" in wrong.email
    assert [r["to"] for r in gateway.requests] == ["0901000001"]
    assert len(mailbox.messages) == 1 and "thử" in str(mailbox.messages[0]["Subject"])


def test_no_keyring_saves_the_settings_and_says_the_password_was_not(
    database: Database,
) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        source = NotifySettingsSource(database, {})
        saved = source.save(_config(2525), RIGHT)
        assert saved.password_saved is False and saved.password_error
        config, _over, state, stored = source.load()
        assert config == _config(2525) and not state.usable and not stored
        assert source().smtp_password == ""  # the send then fails with "no password"
        assert Secrets().state().backend == "Keyring"
    finally:
        keyring.set_keyring(before)


def test_bad_settings_are_refused(database: Database) -> None:
    bad = NotifySettings(sms_url="ftp://x", smtp_host="mail", smtp_port=0, smtp_from="khong")
    assert [r.key for r in bad.problems()] == [
        "notify.sms_url",
        "notify.smtp_port",
        "notify.smtp_from",
    ]
    assert bad.problems()[1].message == "Cổng máy chủ thư phải từ 1 đến 65535."
    with pytest.raises(KnownError):
        save_config(database, bad)


def _ticket(database: Database) -> object:
    from sqlalchemy import select

    from pakn_desktop.data.models import Ticket

    with database.engine.connect() as conn:
        return conn.scalar(select(Ticket.id))


def _settings_rows(database: Database) -> list[object]:
    from sqlalchemy import select

    from pakn_desktop.data.models import Outbox, Setting

    with database.engine.connect() as conn:
        rows = list(conn.execute(select(Setting.key, Setting.value)).all())
        rows += list(conn.execute(select(Outbox.payload)).all())
    return rows
