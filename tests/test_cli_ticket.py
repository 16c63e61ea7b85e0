"""``pakn-desktop ticket …`` through the program's main function, on SQLite and PostgreSQL:
a report taken from intake to closed by commands alone, with the window's rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pakn_desktop.cli import main
from pakn_desktop.domain.case_code import typed_case_code
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.notify.dispatcher import notifications_for
from pakn_desktop.services.workflow.publication import publication_text
from tests.cli_ticket_run import ok, saved, ticket
from tests.intake_data import png
from tests.workflow_data import add_unit

STATE_KEYS = {
    "id",
    "code",
    "status",
    "status_label",
    "version",
    "unit",
    "forward_due_at",
    "due_at",
    "closed_at",
    "paused_at",
    "duplicate_of",
    "merged",
    "timeline",
}


def test_a_report_from_intake_to_closed(
    any_db: tuple[Database, Environment], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database, env = any_db
    ticket_id, code = saved(database, env)
    unit = add_unit(database, "BT", name="UBND phường Bến Thành")
    add_unit(database, "LL", name="Công an phường Lê Lợi", phone=None)

    shown = ok(capsys, env, "show", code)
    assert shown["status"] == "new" and shown["version"] == 1
    assert shown["reporter"]["full_name"] == "Nguyễn Văn An"
    assert shown["identity_withheld"] is False
    assert {"screen", "forward", "reject"} <= set(shown["actions"])
    assert [e["kind"] for e in shown["timeline"]] == ["created"]

    # The case code as the search box takes it: lower case, spaces, no leading zeros.
    typed = code.lower().replace("-", " ").replace(" 0001", " 1")
    screened = ok(capsys, env, "screen", typed, "--expect-version", "1")
    assert set(screened) == STATE_KEYS | {"event", "notifications"}
    assert (screened["status"], screened["version"], screened["event"]) == (
        "screening",
        2,
        "screen",
    )
    assert screened["status_label"] == "Đang sàng lọc"
    assert screened["timeline"][-1]["kind"] == "screen"
    assert screened["due_at"] is not None and screened["forward_due_at"] is not None

    forwarded = ok(
        capsys,
        env,
        "forward",
        code,
        "--unit",
        "ben thanh",
        "--coordinating",
        "LL",
        "--note",
        "Đề nghị xử lý gấp",
    )
    assert (forwarded["status"], forwarded["unit"]) == ("forwarded", "UBND phường Bến Thành")
    # Queued for `pakn-desktop notify`, as the window's forward does: the lead's SMS and
    # e-mail, the coordinating unit's e-mail.
    assert forwarded["notifications"] == 3
    assert len(notifications_for(database, ticket_id)) == 3
    event = forwarded["timeline"][-1]
    assert event["data"]["lead_unit_id"] == str(unit)
    assert event["data"]["reason"] == "Đề nghị xử lý gấp"

    accepted = ok(capsys, env, "accept", code, "--role", "unit_officer")
    assert accepted["status"] == "accepted"
    ok(capsys, env, "start", code, "--role", "unit_officer")
    photo = tmp_path / "sau khi nạo vét.png"
    photo.write_bytes(png(3, 3, seed=7))
    result = ok(
        capsys,
        env,
        "result",
        code,
        "--role",
        "unit_officer",
        "--text",
        "Đã nạo vét cống, nước rút hết.",
        "--file",
        str(photo),
    )
    assert result["status"] == "result_recorded"
    assert len(result["timeline"][-1]["data"]["result_evidence"]) == 1

    default = publication_text(database, ticket_id).text
    published = ok(capsys, env, "publish", code, "--role", "supervisor")
    assert published["status"] == "published"
    closed = ok(capsys, env, "close", code)
    assert closed["status"] == "closed" and closed["closed_at"] is not None

    final = ok(capsys, env, "show", code, "--role", "supervisor")
    assert final["outcome"]["result"] == "Đã nạo vét cống, nước rút hết."
    assert final["outcome"]["publication"] == default
    assert [e["kind"] for e in final["timeline"]] == [
        "created",
        "screen",
        "forward",
        "accept",
        "start",
        "evidence_attached",  # the result's photo, with its custody event
        "record_result",
        "publish",
        "close",
    ]
    assert final["version"] == 8
    assert {d["state"] for d in final["deliveries"]} == {"pending"}
    assert "reopen" in final["actions"]


def test_text_output_for_people(
    database: Database, env: Environment, capsys: pytest.CaptureFixture[str]
) -> None:
    _id, code = saved(database, env)
    add_unit(database, "BT", name="UBND phường Bến Thành")
    status, out, err = ticket(capsys, env, "show", code)
    assert status == 0, err
    assert out.startswith(f"{code}  Mới tiếp nhận (phiên bản 1)")
    assert "Người phản ánh: Nguyễn Văn An · +84912345678" in out
    assert out.splitlines()[-1] == (
        "Thao tác được phép (operator): Sàng lọc (ticket screen), Chuyển xử lý (ticket forward), "
        "Không thuộc thẩm quyền (ticket not-competent), Đánh dấu trùng lặp (ticket duplicate), "
        "Gộp vào (ticket merge), Từ chối (ticket reject)"
    )
    status, out, err = ticket(capsys, env, "forward", code, "--unit", "BT")
    assert status == 0, err
    assert out.splitlines() == [
        f"{code}: Chuyển xử lý — xong. Đã chuyển xử lý (phiên bản 2), "
        f"đơn vị UBND phường Bến Thành, hạn xử lý {_due(out)}.",
        "2 tin nhắn, thư báo cho đơn vị đang chờ gửi (pakn-desktop notify)",
    ]
    status, out, err = ticket(capsys, env, "show", code)
    assert status == 0, err
    assert "Báo đơn vị: SMS → UBND phường Bến Thành (+84901000001): đang chờ gửi" in out
    assert out.splitlines()[-1] == (
        "Thao tác được phép (operator): Chờ công dân bổ sung (ticket pause), "
        "Giải trình lý do chậm (ticket explain-delay)"
    )


def _due(out: str) -> str:
    return out.split("hạn xử lý ")[1].split(".")[0]


def test_pause_and_resume(
    any_db: tuple[Database, Environment], capsys: pytest.CaptureFixture[str]
) -> None:
    database, env = any_db
    _id, code = saved(database, env)
    ok(capsys, env, "screen", code)
    paused = ok(capsys, env, "pause", code, "--reason", "Chờ công dân gửi ảnh")
    assert paused["status"] == "screening" and paused["paused_at"] is not None
    assert paused["timeline"][-1]["data"]["reason"] == "Chờ công dân gửi ảnh"
    assert ok(capsys, env, "show", code)["actions"] == ["resume"]
    resumed = ok(capsys, env, "resume", code)
    assert resumed["paused_at"] is None and resumed["event"] == "resume"


def test_publish_with_own_text_read_from_stdin(
    database: Database,
    env: Environment,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from tests.workflow_data import to_result

    ticket_id, code = saved(database, env)
    to_result(database, ticket_id, add_unit(database, "BT"), "Đã xử lý xong.")
    text = "Cống đường Lê Lợi đã được nạo vét.\nKết quả: đã xử lý xong."
    stdin = io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    ok(capsys, env, "publish", code, "--role", "admin", "--text", "-")
    assert ok(capsys, env, "show", code)["outcome"]["publication"] == text


def test_forward_then_notify_sends_the_unit_its_messages(
    database: Database,
    env: Environment,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.local_servers import sms_gateway

    _id, code = saved(database, env)
    add_unit(database, "BT", email=None)
    assert ok(capsys, env, "forward", code, "--unit", "bt")["notifications"] == 1
    with sms_gateway() as gateway:
        monkeypatch.setenv("PAKN_SMS_URL", gateway.url)
        status = main(["--data-dir", str(env.data_dir), "notify", "--once", "--json"])
        out, err = capsys.readouterr()
    assert status == 0, err
    assert json.loads(out)["sent"] == 1
    [request] = gateway.requests
    assert code in request["text"]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("PA-261124-HN01-0042", "PA-261124-HN01-0042"),
        ("pa-261124-hn01-0042", "PA-261124-HN01-0042"),
        (" pa 261124 hn01 42 ", "PA-261124-HN01-0042"),
        ("Pá–261124—HN01–00042", "PA-261124-HN01-0042"),
        ("PA-261124-HN01", None),
        ("PA-261324-HN01-0042", None),  # no 13th month
        ("PA-261124-HN01-0042 tắc cống", None),
        ("cống", None),
    ],
)
def test_a_case_code_as_typed(typed: str, code: str | None) -> None:
    assert typed_case_code(typed) == code


def test_every_workflow_action_has_a_command() -> None:
    from pakn_desktop.cli_ticket import ROLES, STEPS
    from pakn_desktop.domain.workflow import Action, Role

    assert sorted(step.action for step in STEPS.values()) == sorted(a.value for a in Action)
    assert set(ROLES) == set(Role)  # spelled out: the parser is built on the window's start
