"""The settings registry (issue 14 item 4): every declared setting round-trips where it lives,
checks refuse bad values in Vietnamese (typed or from a PAKN_* variable), the environment
wins, and a secret never reaches the database or a file."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Any

import keyring
import pytest
from sqlalchemy import select

from pakn_desktop.data.errors import ErrorCode, KnownError
from pakn_desktop.data.models import Outbox
from pakn_desktop.data.models import Setting as SettingRow
from pakn_desktop.data.settings import notify, rows, sla, station
from pakn_desktop.data.settings.catalogue import declared
from pakn_desktop.data.settings.registry import Setting, Where
from pakn_desktop.domain.sla import Amount, Rung, Unit
from pakn_desktop.domain.text import has_vietnamese_diacritics
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.notify.settings import NOTIFY, NotifySettings, save_config
from pakn_desktop.services.settings import Secrets, Settings
from pakn_desktop.services.sla import SlaService, save_settings
from tests.test_notify_smtp_auth import FileKeyring, vault  # noqa: F401 (fixture)

# A usable value other than the default, for each declared setting (by key): a setting
# declared without one here fails test_every_setting_has_a_sample.
GOOD: dict[str, Any] = {
    "station.data_dir": "/srv/pakn",
    "station.db_url": "postgresql://pakn@db/pakn",
    "station.pg_connect_timeout": 30,
    "notify.sms_timeout": 12.5,
    "notify.smtp_ca_file": "/etc/pakn/ca.pem",
    "notify.sms_url": "https://sms.tinh.gov.vn/api/send",
    "notify.smtp_host": "mail.tinh.gov.vn",
    "notify.smtp_port": 587,
    "notify.smtp_from": "pakn@tinh.gov.vn",
    "notify.smtp_security": "starttls",
    "notify.smtp_user": "pakn",
    "smtp": "mật-khẩu-bí-mật",
    "sla.at_risk_share": 0.5,
    "sla.office_hours": ((time(8), time(12)), (time(13, 30), time(17, 30))),
    "sla.weekdays": frozenset({0, 1, 2, 3, 4, 5}),
    "sla.ladder": (
        Rung("supervisor", Amount(30, Unit.MINUTES)),
        Rung("leadership", Amount(2, Unit.WORKING_DAYS)),
    ),
    "sla.result_minutes": 30,
    "sla.calendar_version": "2026-12-07T06:00:00",
    "report.issuer": "UBND THÀNH PHỐ HỒ CHÍ MINH",
    "report.place": "Thành phố Hồ Chí Minh",
    "report.daily_cutoff": "17:30",
    "station.code": "HN01",
    "sync": "mật-khẩu-máy-chủ",
    "sync.server_url": "postgresql://pakn@db.tinh.gov.vn/pakn",
}
# A refused value for each setting that has a check.
BAD: dict[str, Any] = {
    "station.pg_connect_timeout": 0,
    "notify.sms_timeout": 601.0,
    "notify.sms_url": "ftp://gateway/sms",
    "notify.smtp_port": 70000,
    "notify.smtp_security": "tls",
    "sla.at_risk_share": 1.0,
    "sla.office_hours": ((time(12), time(8)),),
    "sla.weekdays": frozenset(),
    "sla.ladder": (
        Rung("supervisor", Amount(2, Unit.WORKING_DAYS)),
        Rung("leadership", Amount(0, Unit.MINUTES)),
    ),
    "sla.result_minutes": 0,
    "report.issuer": "  ",
    "report.daily_cutoff": "7h",
    "station.code": "hn-01",
    "sync.server_url": "mysql://db/pakn",
}
# Environment text that does not parse, for each setting an environment variable may set.
BAD_TEXT: dict[str, str] = {
    "station.pg_connect_timeout": "năm",
    "notify.sms_timeout": "nan",
    "notify.smtp_port": "abc",
    "notify.smtp_security": "tls",
}
# Names a PAKN_ variable may have without being a setting (test hooks, not settings).
NOT_SETTINGS = re.compile(r"PAKN_TEST_\w+|PAKN_SMTP_$|PAKN_$")


def _by_where(where: Where) -> list[Setting[Any]]:
    return [s for s in declared() if s.where is where]


def _ids(settings: list[Setting[Any]]) -> list[str]:
    return [s.key for s in settings]


def test_every_setting_has_a_sample_and_a_usable_default() -> None:
    keys = [s.key for s in declared()]
    assert len(keys) == len(set(keys))  # declared once
    assert set(keys) == set(GOOD)
    for s in declared():
        assert s.problem(s.default) is None, s.key
        assert s.problem(GOOD[s.key]) is None, s.key
        assert GOOD[s.key] != s.default, s.key


def test_every_pakn_variable_in_the_program_is_a_declared_setting() -> None:
    source = Path(__file__).parents[1] / "pakn_desktop"
    used = {
        name
        for path in source.rglob("*.py")
        if "migrations" not in path.parts
        for name in re.findall(r"PAKN_[A-Z0-9_]*", path.read_text(encoding="utf-8"))
        if not NOT_SETTINGS.fullmatch(name)
    }
    assert used == {s.env for s in declared() if s.env is not None}


@pytest.mark.parametrize("setting", _by_where(Where.SHARED), ids=_ids(_by_where(Where.SHARED)))
def test_shared_settings_round_trip_through_their_row(
    any_db: tuple[Database, Environment], setting: Setting[Any]
) -> None:
    database, _env = any_db
    with database.engine.connect() as conn:
        assert rows.read(conn, setting) == setting.default
    with database.writer.begin() as conn:
        assert rows.write(conn, {setting: GOOD[setting.key]}) == [setting.key]
    with database.writer.begin() as conn:
        assert rows.write(conn, {setting: GOOD[setting.key]}) == []  # unchanged: no row
    with database.engine.connect() as conn:
        assert rows.read(conn, setting) == GOOD[setting.key]
        outbox = conn.execute(select(Outbox.row_id).where(Outbox.table_name == "setting"))
        assert [r for (r,) in outbox] == [setting.key]
    assert Settings(database, {}).get(setting) == GOOD[setting.key]


@pytest.mark.parametrize("setting", _by_where(Where.STATION), ids=_ids(_by_where(Where.STATION)))
def test_station_settings_come_from_their_variable_and_never_from_the_database(
    database: Database, setting: Setting[Any]
) -> None:
    assert setting.env is not None
    assert Settings(database, {}).get(setting) == setting.default
    environ = {setting.env: f" {GOOD[setting.key]} "}  # a service unit's stray spaces
    assert Settings(database, environ).get(setting) == GOOD[setting.key]
    with database.writer.begin() as conn, pytest.raises(ValueError, match="station"):
        rows.write(conn, {setting: GOOD[setting.key]})


@pytest.mark.usefixtures("vault")
def test_the_secret_round_trips_through_the_keyring_only(database: Database) -> None:
    secret = notify.SMTP_PASSWORD
    reader = Settings(database, {})
    assert reader.secret(secret, "pakn@mail") is None
    assert reader.save_secret(secret, "pakn@mail", GOOD["smtp"]) == ""
    assert reader.secret(secret, "pakn@mail") == GOOD["smtp"]
    assert reader.secret(secret, "other@mail") is None
    # The variable wins over the keyring (CI, a headless server).
    assert Settings(database, {"PAKN_SMTP_PASSWORD": "từ-biến"}).secret(secret, "pakn@mail") == (
        "từ-biến"
    )
    with database.writer.begin() as conn, pytest.raises(ValueError, match="keyring"):
        rows.write(conn, {secret: GOOD["smtp"]})
    with pytest.raises(ValueError, match="not a secret"):
        Secrets().set(notify.SMTP_HOST, "x", "y")


@pytest.mark.usefixtures("vault")
def test_a_saved_password_lands_in_no_row_and_no_file_of_the_data_folder(
    database: Database, env: Environment
) -> None:
    password = "Mk-matkhau-7361"  # ASCII: found in a file however the file encodes text
    config = NotifySettings(smtp_host="mail.tinh.gov.vn", smtp_user="pakn")
    saved = save_config(database, replace_password(config, "không-lưu"), password)
    assert saved.password_saved is True
    with database.engine.connect() as conn:
        stored = [str(v) for v in conn.execute(select(SettingRow.key, SettingRow.value))]
        stored += [str(v) for v in conn.execute(select(Outbox.payload))]
    assert stored and not any(password in v or "không-lưu" in v for v in stored)
    database.close()  # every page on disk, WAL checkpointed
    needle = password.encode()
    for path in env.data_dir.rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path
    backend = keyring.get_keyring()  # the test's OS keyring: a file outside the data folder
    assert isinstance(backend, FileKeyring)
    assert backend.get_password("pakn-desktop", "smtp:pakn@mail.tinh.gov.vn") == password


def replace_password(config: NotifySettings, password: str) -> NotifySettings:
    from dataclasses import replace

    return replace(config, smtp_password=password)


@pytest.mark.parametrize("key", sorted(BAD))
def test_checks_refuse_in_vietnamese_typed_or_stored(database: Database, key: str) -> None:
    (setting,) = [s for s in declared() if s.key == key]
    message = setting.problem(BAD[key])
    assert message is not None and has_vietnamese_diacritics(message), message
    if setting.where is Where.SHARED:
        with database.writer.begin() as conn, pytest.raises(KnownError) as info:
            rows.write(conn, {setting: BAD[key]})
        assert info.value.code is ErrorCode.INVALID and message in info.value.message
        with database.engine.connect() as conn:
            assert rows.read(conn, setting) == setting.default  # nothing written


def _env_text(value: Any) -> str:
    return (
        value
        if isinstance(value, str)
        else f"{value:g}"
        if isinstance(value, float)
        else str(value)
    )


@pytest.mark.parametrize(
    "key", sorted({*BAD_TEXT, *(k for k in BAD if not k.startswith(("sla.", "report.")))})
)
def test_bad_environment_values_are_refused_in_vietnamese_naming_the_variable(key: str) -> None:
    (setting,) = [s for s in declared() if s.key == key]
    assert setting.env is not None
    for raw in filter(None, (BAD_TEXT.get(key), _env_text(BAD.get(key, "")))):
        with pytest.raises(KnownError) as info:
            setting.from_env({setting.env: raw})
        assert info.value.code is ErrorCode.ENVIRONMENT
        assert setting.env in info.value.message
        assert has_vietnamese_diacritics(info.value.message.split(":", 1)[1]), info.value.message


def test_an_address_that_may_hold_a_key_is_named_not_echoed() -> None:
    with pytest.raises(KnownError) as info:
        notify.SMS_URL.from_env({"PAKN_SMS_URL": "ftp://gw/sms?key=s3cret"})
    assert "PAKN_SMS_URL" in info.value.message and "s3cret" not in info.value.message


def test_the_environment_wins_over_the_stored_rows(database: Database) -> None:
    stored = NotifySettings(smtp_host="mail.tinh.gov.vn", smtp_port=25, smtp_user="pakn")
    save_config(database, stored)
    environ = {"PAKN_SMTP_PORT": "2525", "PAKN_SMTP_SECURITY": "SSL", "PAKN_SMS_TIMEOUT": "9"}
    reader = Settings(database, environ)
    effective = reader.effective(NOTIFY)
    assert (effective.smtp_host, effective.smtp_port, effective.smtp_security) == (
        "mail.tinh.gov.vn",
        2525,
        "ssl",
    )
    assert effective.sms_timeout == 9.0
    assert reader.get(notify.SMTP_PORT) == 2525
    assert Settings(database, {}).get(notify.SMTP_PORT) == 25
    assert reader.overridden(NOTIFY) == {
        "sms_timeout": "PAKN_SMS_TIMEOUT",
        "smtp_port": "PAKN_SMTP_PORT",
        "smtp_security": "PAKN_SMTP_SECURITY",
    }
    # A variable refused together with a stored value: the variable is named.
    with pytest.raises(KnownError, match="PAKN_SMTP_USER"):
        Settings(database, {"PAKN_SMTP_HOST": " ", "PAKN_SMTP_USER": "x"}).effective(
            NOTIFY, NotifySettings()
        )


def test_deadline_settings_are_read_and_written_through_the_registry(database: Database) -> None:
    values = {s: GOOD[s.key] for s in sla.SLA.settings()}
    custom = sla.SLA.build(values)
    save_settings(database, custom)
    assert SlaService(database).settings() == custom
    assert Settings(database, {}).stored(sla.SLA) == custom
    with pytest.raises(KnownError) as info:
        save_settings(database, sla.SLA.build({sla.RESULT_MINUTES: 0}))
    assert "Hạn ghi kết quả phải từ 1 đến 1.440 phút." in info.value.message


def test_station_settings_are_read_on_the_start_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pakn_desktop.services.environment import resolve

    monkeypatch.setenv("PAKN_DATA_DIR", f"  {tmp_path / 'từ-biến'}  ")
    assert resolve().data_dir == tmp_path / "từ-biến"
    assert station.DATA_DIR.from_env({}) is None


@pytest.mark.parametrize("stored", ["much", [1, 2], 7.5, -1])
def test_a_bad_stored_row_falls_back_to_the_default(
    database: Database, stored: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """A row another workstation (another version, a hand edit) wrote that this one cannot
    read, or that the setting's check refuses: the default applies, every screen reading the
    settings keeps working, and the log names the key, never the value."""
    with database.sessions.begin() as session:
        session.add(SettingRow(key=sla.AT_RISK_SHARE.key, value=stored))
    with caplog.at_level("WARNING"), database.engine.connect() as conn:
        assert rows.read(conn, sla.AT_RISK_SHARE) == sla.AT_RISK_SHARE.default
        assert rows.read_group(conn, sla.SLA).at_risk_share == sla.AT_RISK_SHARE.default
    assert sla.AT_RISK_SHARE.key in caplog.text
    assert repr(stored) not in caplog.text
    assert SlaService(database).settings().at_risk_share == sla.AT_RISK_SHARE.default
