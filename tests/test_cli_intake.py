"""``pakn-desktop intake --json FILE|-``: one report from JSON, the form's validation."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from pakn_desktop.cli import main
from pakn_desktop.data.models import Outbox, Ticket
from pakn_desktop.domain.case_code import CaseCode
from pakn_desktop.services.database import open_database
from pakn_desktop.services.environment import Environment
from tests.intake_data import BEN_THANH, DRAINAGE, EXE, HCMC, png

VALID: dict[str, Any] = {
    "mode": "call",
    "channel": "hotline",
    "kind": "phan_anh",
    "category": DRAINAGE,
    "province_code": HCMC,
    "commune_code": BEN_THANH,
    "content": "Cống bị tắc ở đường Lê Lợi",
    "reporter_name": "Nguyễn Văn An",
    "reporter_phone": "0912.345.678",
    "event_at": "2026-01-05T07:30:00+07:00",
    "call_started_at": "2026-01-05T08:00:00",
}

# Every test runs the command on a data dir whose database is already migrated and seeded.
pytestmark = pytest.mark.usefixtures("migrated_env")


def _run(env: Environment, *args: str) -> int:
    return main(["--data-dir", str(env.data_dir), "intake", *args])


def _counts(env: Environment) -> tuple[int, int]:
    database = open_database(env)
    try:
        with database.engine.connect() as conn:
            tickets = conn.scalar(select(func.count()).select_from(Ticket)) or 0
            outbox = conn.scalar(select(func.count()).select_from(Outbox)) or 0
    finally:
        database.close()
    return tickets, outbox


def _write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "report.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_records_and_prints_the_code(
    env: Environment, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(env, "--json", _write(tmp_path, VALID)) == 0
    code = capsys.readouterr().out.strip()
    CaseCode.parse(code)
    assert _counts(env)[0] == 1


def test_output_json(env: Environment, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = dict(VALID, attachments=[{"display_name": "a.png", "data_base64": _b64(png())}])
    assert _run(env, "--json", _write(tmp_path, data), "--output-json") == 0
    out = json.loads(capsys.readouterr().out)
    assert sorted(out) == ["code", "id", "status"] and out["status"] == "new"


def test_warning_for_text_without_diacritics(
    env: Environment, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = dict(VALID, content="cong bi tac o duong le loi")
    assert _run(env, "--json", _write(tmp_path, data)) == 0
    captured = capsys.readouterr()
    assert "cảnh báo" in captured.err and captured.out.strip().startswith("PA-")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


BAD: list[tuple[str, Any, str]] = [
    ("invalid JSON", '{"mode": "call",', "json: JSON không hợp lệ"),
    ("not an object", "[1, 2]", "json: JSON phải là một đối tượng"),
    ("unknown key", dict(VALID, caller_id="x"), "caller_id: Trường lạ"),
    ("NUL", dict(VALID, content="Cống\u0000"), "content: Nội dung có ký tự điều khiển"),
    ("control char", dict(VALID, reporter_name="An\u0007"), "reporter_name:"),
    ("unknown code", dict(VALID, category="khong_co"), "category: Lĩnh vực không có"),
    ("commune elsewhere", dict(VALID, province_code="01"), "commune_code: Xã/phường không thuộc"),
    ("bad phone", dict(VALID, reporter_phone="12345"), "reporter_phone: Số điện thoại"),
    ("bad email", dict(VALID, reporter_email="an@"), "reporter_email:"),
    ("too large", dict(VALID, content="a" * (1024 * 1024 + 1)), "content: Nội dung quá dài"),
    ("future", dict(VALID, event_at="2999-01-01T00:00:00+07:00"), "event_at:"),
    ("bad time", dict(VALID, event_at="hôm qua"), "event_at: Thời điểm không hợp lệ"),
    ("bad bool", dict(VALID, confidential="yes"), "confidential: Phải là true"),
    ("not text", dict(VALID, content=42), "content: Phải là chuỗi"),
    ("missing", {k: v for k, v in VALID.items() if k != "content"}, "content: Chưa nhập"),
    (
        "not an image",
        dict(VALID, attachments=[{"display_name": "x.png", "data_base64": _b64(EXE)}]),
        "attachments: x.png",
    ),
    ("bad base64", dict(VALID, attachments=[{"data_base64": "***"}]), "attachments:"),
]


@pytest.mark.parametrize(("name", "data", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_one_line_per_error_nothing_stored(
    env: Environment,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    data: Any,
    expected: str,
) -> None:
    assert _run(env, "--json", _write(tmp_path, data)) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert all(line.startswith("pakn-desktop: ") for line in lines)
    assert any(expected in line for line in lines), captured.err
    assert "Traceback" not in captured.err
    assert _counts(env) == (0, 0)


def test_several_errors_each_on_its_line(
    env: Environment, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = dict(VALID, caller="x", reporter_email="@", kind="spam")
    assert _run(env, "--json", _write(tmp_path, data)) != 0
    assert len(capsys.readouterr().err.strip().splitlines()) == 1  # unknown key stops first
    data = dict(VALID, reporter_email="@", kind="spam")
    assert _run(env, "--json", _write(tmp_path, data)) != 0
    assert len(capsys.readouterr().err.strip().splitlines()) == 2


def test_missing_file(env: Environment, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(env, "--json", str(tmp_path / "none.json")) == 1
    err = capsys.readouterr().err
    assert err.startswith("pakn-desktop: ") and "none.json" in err


def test_stdin_in_a_real_process(env: Environment) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pakn_desktop.cli", "--data-dir", str(env.data_dir)]
        + ["intake", "--json", "-", "--output-json"],
        input=json.dumps(VALID),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["code"].startswith("PA-")
    bad = subprocess.run(
        [sys.executable, "-m", "pakn_desktop.cli", "--data-dir", str(env.data_dir)]
        + ["intake", "--json", "-"],
        input="{not json",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 1 and bad.stderr.startswith("pakn-desktop: json:")
    assert _counts(env)[0] == 1
