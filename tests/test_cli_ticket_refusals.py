"""``pakn-desktop ticket …`` refuses what the window refuses, with the window's words: exit
3, one Vietnamese line on stderr, ``{"refused": …}`` with ``--json``, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from tests.cli_ticket_run import ok, saved, ticket
from tests.intake_data import EXE
from tests.workflow_data import add_unit, events, to_handling, to_result

REFUSED = 3


def refused(
    capsys: pytest.CaptureFixture[str], env: Environment, code: str, *argv: str
) -> dict[str, Any]:
    """The refusal of ``ticket ARGV`` (``code`` is the report's typed code, argv[1])."""
    status, out, err = ticket(capsys, env, *argv, "--json")
    assert status == REFUSED, (out, err)
    assert err.count("\n") == 1 and err.startswith(f"pakn-desktop: {code}: "), err
    answer: dict[str, Any] = json.loads(out)["refused"]
    assert err.strip().endswith(answer["message"])
    return answer


def test_refusals_of_the_state_machine_roles_and_fields(
    any_db: tuple[Database, Environment], capsys: pytest.CaptureFixture[str]
) -> None:
    database, env = any_db
    report, code = saved(database, env)
    add_unit(database, "BT", name="UBND phường Bến Thành")
    add_unit(database, "LL", name="UBND phường Lê Lợi")
    cases: list[tuple[tuple[str, ...], str, str]] = [
        (("accept", code), "not_allowed_in_state", "không áp dụng cho phản ánh ở trạng thái"),
        (("pause", code, "--reason", "x"), "not_allowed_in_state", "trạng thái hiện tại"),
        (("forward", code, "--role", "unit_officer", "--unit", "BT"), "role_not_allowed", "Vai"),
        (("forward", code), "missing_field", "Còn thiếu thông tin bắt buộc: đơn vị chủ trì."),
        (("forward", code, "--unit", "Sở Tư pháp"), "unit_unknown", "Đơn vị không tồn tại"),
        (("forward", code, "--unit", "phuong"), "unit_ambiguous", "Có nhiều đơn vị khớp"),
        (
            ("forward", code, "--unit", "BT", "--coordinating", "bt"),
            "invalid_field",
            "Thông tin không hợp lệ: đơn vị phối hợp.",
        ),
        (("screen", code, "--expect-version", "7"), "stale", "(phiên bản hiện tại: 1)."),
    ]
    for argv, refusal, words in cases:
        answer = refused(capsys, env, code, *argv)
        assert answer["code"] == refusal, argv
        assert words in answer["message"], argv
    missing = refused(capsys, env, "PA-000101-XX-0001", "show", "PA-000101-XX-0001")
    assert (missing["code"], missing["message"]) == ("not_found", "Không tìm thấy phản ánh.")
    assert refused(capsys, env, "pa 000101", "screen", "pa 000101")["code"] == "not_found"
    # Nothing was stored by any of them.
    assert [e["kind"] for e in events(database, report)] == ["created"]
    assert ok(capsys, env, "show", code)["version"] == 1


def test_pause_refusals(
    any_db: tuple[Database, Environment], capsys: pytest.CaptureFixture[str]
) -> None:
    database, env = any_db
    _report, code = saved(database, env)
    add_unit(database, "BT")
    ok(capsys, env, "screen", code)
    assert refused(capsys, env, code, "pause", code)["message"] == (
        "Còn thiếu thông tin bắt buộc: lý do."
    )
    assert refused(capsys, env, code, "pause", code, "--reason", "  ")["code"] == "missing_field"
    assert refused(capsys, env, code, "resume", code)["code"] == "not_paused"
    ok(capsys, env, "pause", code, "--reason", "Chờ ảnh hiện trường")
    assert refused(capsys, env, code, "pause", code, "--reason", "x")["code"] == "already_paused"
    assert refused(capsys, env, code, "forward", code, "--unit", "BT")["code"] == "paused"


def test_result_and_publication_refusals(
    any_db: tuple[Database, Environment], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database, env = any_db
    unit = add_unit(database, "BT")
    report, code = saved(database, env)
    to_handling(database, report, unit)
    officer = ("--role", "unit_officer")
    for text in ((), ("--text", "   ")):
        answer = refused(capsys, env, code, "result", code, *officer, *text)
        assert answer["message"] == "Còn thiếu thông tin bắt buộc: kết quả xử lý."
    assert refused(capsys, env, code, "publish", code, "--role", "admin")["code"] == (
        "not_allowed_in_state"
    )
    assert refused(capsys, env, code, "close", code)["code"] == "not_allowed_in_state"
    # The state is refused before the unit is looked up, as the window hides the button.
    unknown = refused(capsys, env, code, "forward", code, "--unit", "Sở Tư pháp")
    assert unknown["code"] == "not_allowed_in_state"
    # A file the evidence store refuses: an environment-style error (1), nothing recorded.
    bad = tmp_path / "kết quả.exe"
    bad.write_bytes(EXE)
    status, _out, err = ticket(
        capsys, env, "result", code, *officer, "--text", "Xong", "--file", str(bad)
    )
    assert status == 1 and err.startswith("pakn-desktop: kết quả.exe: "), err
    assert ok(capsys, env, "show", code)["status"] == "in_progress"

    ok(capsys, env, "result", code, *officer, "--text", "Đã xử lý xong.")
    assert refused(capsys, env, code, "publish", code)["code"] == "role_not_allowed"
    named = refused(
        capsys, env, code, "publish", code, "--role", "supervisor", "--text", "Ông An, 0912 345 678"
    )
    assert named["code"] == "personal_data"

    secret, secret_code = saved(database, env, confidential=True)
    to_result(database, secret, unit, "Đã xử lý xong.")
    answer = refused(capsys, env, secret_code, "publish", secret_code, "--role", "supervisor")
    assert answer == {
        "code": "confidential",
        "detail": "",
        "message": "Người phản ánh đề nghị giữ bí mật: không được công khai.",
    }
    assert ok(capsys, env, "show", secret_code)["status"] == "result_recorded"


@pytest.mark.parametrize(
    "argv",
    [
        ("forward",),  # no case code
        ("forward", "PA-261124-HN01-0042", "--role", "chairman"),
        ("screen", "PA-261124-HN01-0042", "--expect-version", "two"),
        ("result", "PA-261124-HN01-0042", "--unit", "BT"),  # not an option of result
    ],
)
def test_usage_errors(
    argv: tuple[str, ...], env: Environment, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = ticket(capsys, env, *argv)
    assert status == 2 and out == ""
    assert err.startswith("pakn-desktop: ") and err.count("\n") == 1
