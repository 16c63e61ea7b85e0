"""Issue 13: nothing acknowledged is lost, and every bad input gets one Vietnamese line.

In-memory SQLite URLs, odd ``--db`` URLs (and libpq's multi-host forms, which must work),
an unexpandable ``~user`` data folder, bad ``PAKN_*`` values, intake JSON that breaks
parsers, output piped to a reader that goes away or to a full disk. ``main()`` in-process
where a traceback would surface as an exception; the installed program as a subprocess where
the process's own streams are the point.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from pakn_desktop.cli import main
from pakn_desktop.services.environment import Environment
from tests.db_template import MigratedEnv
from tests.local_servers import smtp_server
from tests.test_cli_errors import PROGRAM, assert_one_clear_line, run_cli
from tests.test_cli_intake import VALID

MEMORY_URLS = [
    "sqlite://",
    "sqlite:///",
    "sqlite:///:memory:",
    "sqlite:///:memory:?cache=shared",
    "sqlite+pysqlite://",
    "sqlite+pysqlite:///:memory:",
    "sqlite:///file::memory:?uri=true",
    "sqlite:///file:pakn?mode=memory&cache=shared&uri=true",
]


@pytest.fixture(autouse=True)
def _no_inherited_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("PAKN_") and not n.startswith("PAKN_T")]:
        if name != "PAKN_REQUIRE_PG":
            monkeypatch.delenv(name)


def _main_fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """``main(argv)`` returned non-zero with exactly one line on stderr and nothing on stdout."""
    code = main(list(argv))
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code != 0, f"exit 0; stdout={captured.out!r}"
    assert len(lines) == 1 and lines[0].startswith("pakn-desktop: "), captured.err
    assert captured.out == "", f"printed {captured.out!r} although it failed"
    return lines[0]


def _report(tmp_path: Path, **changes: Any) -> str:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(dict(VALID, **changes)), encoding="utf-8")
    return str(path)


# --- in-memory SQLite: a case code for a report that vanishes -----------------------------


@pytest.mark.parametrize("url", MEMORY_URLS)
def test_intake_into_an_in_memory_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    args = ["--data-dir", str(tmp_path / "d"), "--db", url, "intake", "--json", _report(tmp_path)]
    line = _main_fails(capsys, *args)
    assert "bộ nhớ" in line, line


@pytest.mark.parametrize(
    "command",
    [
        ("db", "upgrade"),
        ("stats", "--json"),
        ("demo", "--tickets", "1"),
        ("search", "cống"),
        ("notify", "--once"),
        ("evidence", "verify"),
        ("sla", "deadline", "--start", "2026-01-05T08:00", "--policy", "x"),
    ],
    ids=" ".join,
)
def test_every_command_refuses_an_in_memory_database(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
) -> None:
    monkeypatch.setenv("PAKN_DB_URL", "sqlite://")  # the environment as well as --db
    line = _main_fails(capsys, "--data-dir", str(tmp_path / "d"), *command)
    assert "bộ nhớ" in line, line


def test_the_window_refuses_an_in_memory_database(tmp_path: Path) -> None:
    """Before Qt starts (a subprocess: a window that did open would never return)."""
    done = run_cli("--data-dir", str(tmp_path / "d"), "--db", "sqlite://", timeout=60)
    assert "bộ nhớ" in assert_one_clear_line(done)


# --- odd URLs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://u@host:abc/db", "cổng"),
        ("postgresql://u@127.0.0.1:0/db", "cổng"),
        ("postgresql://u@127.0.0.1:99999/db", "cổng"),
        ("postgresql://u@/db?host=a,b&port=1,2,3", "cổng"),
        ("postgresql+asyncpg://u@127.0.0.1/db", "psycopg"),
        ("postgresql+psycopg2://u@127.0.0.1/db", "psycopg"),
        ("postgresql://u@no-such-host.invalid/db", "kết nối"),
        ("://", "sqlite"),
    ],
)
def test_odd_database_urls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, words: str
) -> None:
    line = _main_fails(capsys, "--data-dir", str(tmp_path / "d"), "--db", url, "stats")
    assert words in line, line


def test_a_password_in_a_bad_url_is_not_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql://pakn:bi-mat-123@host:abc/db"
    line = _main_fails(capsys, "--data-dir", str(tmp_path / "d"), "--db", url, "stats")
    assert "bi-mat-123" not in line


def _multi_host_forms(pg_url: str) -> list[str]:
    url = make_url(pg_url)
    host, port, user, name = url.host, url.port, url.username, url.database
    return [
        f"postgresql://{user}@{host}:{port},{host}:{port}/{name}",
        f"postgresql://{user}@/{name}?host={host},{host}&port={port}",
        f"postgresql://{user}@/{name}?host={host}:{port}&host={host}:{port}",
        # the first host refuses: psycopg goes on to the second
        f"postgresql://{user}@{host}:1,{host}:{port}/{name}",
    ]


def test_multi_host_urls_reach_the_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pg_url: str
) -> None:
    for url in _multi_host_forms(pg_url):
        code = main(["--data-dir", str(tmp_path / "d"), "--db", url, "stats", "--json"])
        captured = capsys.readouterr()
        assert code == 0, f"{url}: {captured.err}"
        assert json.loads(captured.out)["tickets"] == 0


# --- the data folder ----------------------------------------------------------------------


def test_data_dir_under_an_unknown_user(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    line = _main_fails(capsys, "--data-dir", "~no_such_user_pakn/data", "stats")
    assert "~no_such_user_pakn" in line
    monkeypatch.setenv("PAKN_DATA_DIR", "~no_such_user_pakn/data")
    _main_fails(capsys, "stats")


# --- PAKN_* environment values ------------------------------------------------------------


@pytest.mark.parametrize(
    "variables",
    [
        {"PAKN_SMTP_PORT": "abc"},
        {"PAKN_SMTP_PORT": "0"},
        {"PAKN_SMTP_PORT": "70000"},
        {"PAKN_SMTP_SECURITY": "tls"},
        {"PAKN_SMS_TIMEOUT": "abc"},
        {"PAKN_SMS_TIMEOUT": "nan"},
        {"PAKN_SMS_URL": "ftp://gateway/sms"},
        {"PAKN_SMTP_FROM": "khong-phai-dia-chi"},
    ],
    ids=lambda v: ",".join(f"{k}={x}" for k, x in v.items()),
)
def test_bad_notify_environment(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variables: dict[str, str],
) -> None:
    monkeypatch.setenv("PAKN_SMTP_HOST", "127.0.0.1")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    line = _main_fails(capsys, "--data-dir", str(tmp_path / "d"), "notify", "--once")
    assert next(iter(variables)) in line, line


def test_bad_connect_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAKN_PG_CONNECT_TIMEOUT", "abc")
    url = "postgresql://pakn@127.0.0.1:1/pakn"
    line = _main_fails(capsys, "--data-dir", str(tmp_path / "d"), "--db", url, "stats")
    assert "PAKN_PG_CONNECT_TIMEOUT" in line


# --- intake JSON --------------------------------------------------------------------------


def _intake(tmp_path: Path, text: str | bytes) -> list[str]:
    path = tmp_path / "in.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return ["--data-dir", str(tmp_path / "d"), "intake", "--json", str(path)]


def test_a_json_file_with_a_byte_order_mark_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = b"\xef\xbb\xbf" + json.dumps(VALID, ensure_ascii=False).encode("utf-8")
    assert main(_intake(tmp_path, raw)) == 0
    assert capsys.readouterr().out.startswith("PA-")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (json.dumps(dict(VALID, reporter_name="An\ud800")), "reporter_name"),
        (json.dumps(dict(VALID, content="Cống \udfff tắc")), "content"),
        (json.dumps(dict(VALID, received_at="0001-01-01T00:00:00")), "received_at"),
        (json.dumps(dict(VALID, event_at="0001-01-01T00:00:00+07:00")), "event_at"),
        (json.dumps(dict(VALID, call_started_at="0001-01-01T00:00:00Z")), "call_started_at"),
        (json.dumps(dict(VALID, received_at="1999-12-31T23:00:00+07:00")), "received_at"),
        (json.dumps(dict(VALID, received_at="2099-01-01T00:00:00")), "received_at"),
        (json.dumps(VALID)[:-1] + ', "x": ' + "[" * 10_000 + "]" * 10_000 + "}", "json"),
        (json.dumps(VALID)[:-1] + ', "confidential": ' + "9" * 5000 + "}", "json"),
        (json.dumps(VALID)[:-1] + ', "confidential": NaN}', "json"),
    ],
    ids=[
        "surrogate-name",
        "surrogate-content",
        "year-1-received",
        "year-1-event",
        "year-1-call",
        "received-1999",
        "received-2099",
        "deep-nesting",
        "5000-digits",
        "nan",
    ],
)
def test_bad_intake_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, field: str
) -> None:
    line = _main_fails(capsys, *_intake(tmp_path, text))
    assert line.startswith(f"pakn-desktop: {field}: "), line
    assert not list((tmp_path / "d").glob("evidence/**/*.*"))


def test_received_time_within_the_clock_skew_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime, timedelta

    soon = (datetime.now(UTC) + timedelta(minutes=3)).isoformat()
    assert main(_intake(tmp_path, json.dumps(dict(VALID, received_at=soon)))) == 0
    assert capsys.readouterr().out.startswith("PA-")
    later = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    line = _main_fails(capsys, *_intake(tmp_path, json.dumps(dict(VALID, received_at=later))))
    assert "tương lai" in line


# --- output: a reader that goes away, a full disk -------------------------------------------


@pytest.mark.parametrize("command", [("stats", "--json"), ("search", "cống", "--json")])
def test_a_reader_that_goes_away_ends_the_program_quietly(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    read, write = os.pipe()
    os.close(read)  # like `| head` having read its line: every write gets EPIPE
    try:
        done = subprocess.run(
            [str(PROGRAM), "--data-dir", str(tmp_path / "d"), *command],
            stdout=write,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=120,
            check=False,
            env={k: v for k, v in os.environ.items() if not k.startswith("PAKN_DB")},
        )
    finally:
        os.close(write)
    assert done.stderr == "", done.stderr
    assert done.returncode == 0


def test_stdout_on_a_full_disk(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:  # noqa: PTH123 (a device, not a path to build)
        done = subprocess.run(
            [str(PROGRAM), "--data-dir", str(tmp_path / "d"), "stats", "--json"],
            stdout=full,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=120,
            check=False,
        )
    line = assert_one_clear_line(done)
    assert "đầy" in line, line


# --- notify --watch --json ----------------------------------------------------------------


def test_notify_watch_json_prints_json_lines(tmp_path: Path, migrated: MigratedEnv) -> None:
    data = tmp_path / "d"
    _forward_one_report(migrated(data))
    with smtp_server() as mailbox:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAKN_DB")}
        env.update(PAKN_SMTP_HOST="127.0.0.1", PAKN_SMTP_PORT=str(mailbox.port))
        watch = subprocess.Popen(
            [str(PROGRAM), "--data-dir", str(data), "notify", "--watch", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        try:
            assert watch.stdout is not None
            first = watch.stdout.readline()
        finally:
            watch.send_signal(signal.SIGTERM)
            _out, err = watch.communicate(timeout=60)
    assert json.loads(first) == {"failed": 0, "retried": 0, "sent": 1, "waiting": ""}, (first, err)
    assert len(mailbox.messages) == 1


def _forward_one_report(env: Environment) -> None:
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.evidence.store import EvidenceStore
    from pakn_desktop.services.workflow.service import WorkflowService
    from tests.workflow_data import add_unit, save_report

    database = open_database(env)
    try:
        ticket = save_report(database, EvidenceStore(env.evidence_dir))
        unit = add_unit(database, "U1", phone=None, email="ubnd@benthanh.vn")
        WorkflowService(database).act(ticket, "forward", "operator", None, {"lead_unit_id": unit})
    finally:
        database.close()
