"""What a unit and an administrator read: the e-mail subject as sent over a real local SMTP
server, and the keyring's failure in Vietnamese."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail

from pakn_desktop.data.settings.notify import SMTP_PASSWORD
from pakn_desktop.services.notify.dispatcher import send_email
from pakn_desktop.services.notify.settings import NotifySettings
from pakn_desktop.services.settings import Secrets, SecretUnavailable
from tests.local_servers import smtp_server

# Station codes differ in length from one centre to the next, so the subject's length does
# too; Python 3.11 dropped the space at the fold for some of these lengths.
CODES = [f"PA-261207-{station}-0001" for station in ("H", "HN01", "S5BCE", "DS5BCE", "HCM0001")]


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("role", ["chủ trì", "phối hợp"])
def test_the_subject_arrives_with_every_space(code: str, role: str) -> None:
    subject = f"[PAKN] {code}: chuyển {role} xử lý phản ánh về cấp thoát nước"
    with smtp_server() as mailbox:
        settings = NotifySettings(smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_timeout=5)
        send_email(settings, uuid.uuid4(), "ubnd@benthanh.vn", subject, "Nội dung")
    (mail,) = mailbox.messages
    assert str(mail["Subject"]) == subject
    assert mail.get_content().strip() == "Nội dung"


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(before)


@pytest.mark.usefixtures("no_keyring")
def test_no_keyring_is_said_in_vietnamese() -> None:
    secrets = Secrets()
    for attempt in (
        lambda: secrets.set(SMTP_PASSWORD, "pakn@mail", "x"),
        lambda: secrets.get(SMTP_PASSWORD, "u@mail"),
    ):
        with pytest.raises(SecretUnavailable) as info:
            attempt()
        assert "kho khóa" in str(info.value) and "recommended" not in str(info.value)
