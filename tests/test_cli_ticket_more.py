"""The rest of the detail pane's buttons as ``pakn-desktop ticket`` commands, on SQLite and
PostgreSQL: triage (reject, not competent, duplicate, merge, reopen), the unit's side
(reroute, return, extension, delay reason) and reopening for the unit."""

from __future__ import annotations

import json

import pytest

from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from tests.cli_ticket_run import ok, saved, ticket
from tests.workflow_data import add_unit, events

LEADER = ("--role", "supervisor")
OFFICER = ("--role", "unit_officer")


def _refusal(capsys: pytest.CaptureFixture[str], env: Environment, *argv: str) -> str:
    status, out, err = ticket(capsys, env, *argv, "--json")
    assert status == 3, err
    code: str = json.loads(out)["refused"]["code"]
    return code


def test_triage_commands(
    any_db: tuple[Database, Environment], capsys: pytest.CaptureFixture[str]
) -> None:
    database, env = any_db
    report, code = saved(database, env)
    rejected = ok(capsys, env, "reject", code, "--reason-code", "spam", "--note", "Quảng cáo")
    assert rejected["status"] == "rejected" and rejected["closed_at"] is not None
    assert rejected["timeline"][-1]["data"] == {
        "from": "new",
        "to": "rejected",
        "reason_code": "spam",
        "reason": "Quảng cáo",
    }
    assert _refusal(capsys, env, "reopen", code, "--reason", "Nhầm") == "role_not_allowed"
    assert ok(capsys, env, "reopen", code, *LEADER, "--reason", "Nhầm")["status"] == "screening"
    assert _refusal(capsys, env, "reject", code, "--reason-code", "rac") == "invalid_field"
    body = ("--body", "Tòa án nhân dân quận 1", "--reason", "Tranh chấp dân sự")
    assert ok(capsys, env, "not-competent", code, *body)["status"] == "not_competent"
    assert [e["kind"] for e in events(database, report)][-1] == "not_competent"

    _original, original = saved(database, env)
    _copy, copy = saved(database, env)
    typed = original.lower().replace("-", " ")
    duplicate = ok(capsys, env, "duplicate", copy, "--of", typed)
    assert (duplicate["status"], duplicate["duplicate_of"]) == ("duplicate", original)
    assert _refusal(capsys, env, "duplicate", original, "--of", original) == "duplicate_self"

    _merged, merged = saved(database, env)
    into = ok(capsys, env, "merge", merged, "--into", typed)
    assert (into["status"], into["duplicate_of"], into["merged"]) == ("duplicate", original, True)
    assert ok(capsys, env, "show", original)["merged_from"] == [merged]
    assert _refusal(capsys, env, "merge", merged, "--into", copy) == "already_merged"


def test_unit_side_commands(
    any_db: tuple[Database, Environment], capsys: pytest.CaptureFixture[str]
) -> None:
    database, env = any_db
    _report, code = saved(database, env)
    add_unit(database, "BT", name="UBND phường Bến Thành")
    add_unit(database, "LL", name="UBND phường Lê Lợi")
    ok(capsys, env, "forward", code, "--unit", "BT")
    move = ("--unit", "le loi", "--reason", "Đúng địa bàn")
    assert _refusal(capsys, env, "reroute", code, *move) == "role_not_allowed"
    assert _refusal(capsys, env, "reroute", code, *LEADER, "--unit", "LL") == "missing_field"
    rerouted = ok(capsys, env, "reroute", code, *LEADER, *move)
    assert (rerouted["status"], rerouted["unit"]) == ("forwarded", "UBND phường Lê Lợi")
    returned = ok(capsys, env, "return", code, *OFFICER, "--reason", "Không thuộc địa bàn")
    assert (returned["status"], returned["unit"]) == ("returned", None)

    ok(capsys, env, "forward", code, "--unit", "BT")
    ok(capsys, env, "accept", code, *OFFICER)
    ok(capsys, env, "start", code, *OFFICER)
    wrong = ("--due", "ngày mai", "--reason", "Cần khảo sát")
    assert _refusal(capsys, env, "extend", code, *OFFICER, *wrong) == "invalid_field"
    asked = ok(
        capsys, env, "extend", code, *OFFICER, "--due", "2030-01-15 17:00", "--reason", "Khảo sát"
    )
    # A time without a zone is the office's (UTC+7), as the window's date editor reads it.
    assert asked["timeline"][-1]["data"]["due_at"] == "2030-01-15T10:00:00+00:00"
    approved = ok(
        capsys, env, "approve-extension", code, *LEADER, "--due", "2030-01-15T17:00+07:00"
    )
    assert approved["due_at"] == "2030-01-15T10:00:00+00:00"
    again = ("--due", "2030-02-01T17:00+07:00")
    assert _refusal(capsys, env, "approve-extension", code, *LEADER, *again) == (
        "no_pending_extension"
    )
    delay = ok(capsys, env, "explain-delay", code, *OFFICER, "--reason", "Chờ kinh phí sửa chữa")
    assert delay["timeline"][-1]["data"]["reason"] == "Chờ kinh phí sửa chữa"

    ok(capsys, env, "result", code, *OFFICER, "--text", "Đã sửa xong.")
    ok(capsys, env, "answer", code)
    ok(capsys, env, "close", code)
    reopened = ok(capsys, env, "reopen-to-unit", code, "--reason", "Công dân chưa hài lòng")
    assert (reopened["status"], reopened["closed_at"]) == ("in_progress", None)
    assert reopened["unit"] == "UBND phường Bến Thành"
