"""``pakn-desktop ticket`` never names a denouncer or a reporter who asked for
confidentiality: the planted identity (tests.protected_data, typed in the summary, content
and result in every form) is in no output, text or JSON, of ``show`` or of an action, in
the test's process and in a real one; the summary reads as the search shows it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.search import SearchService
from tests.cli_ticket_run import ticket
from tests.identity_scan import leaks
from tests.protected_data import PROTECTED, QUYNH, leaky_text, save_protected
from tests.workflow_data import add_unit, to_result


def _protected(database: Database, env: Environment, which: str) -> str:
    """A protected report by the planted person, its result naming them: its case code."""
    report = save_protected(IntakeService(database, EvidenceStore(env.evidence_dir)), which)
    unit = add_unit(database, f"U{len(which)}")
    to_result(database, report.id, unit, leaky_text(QUYNH, "Kết quả: đã làm việc với"))
    return report.code


def _process(env: Environment, *argv: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "pakn_desktop.cli", "--db", env.db_url, "--data-dir"]
        + [str(env.data_dir), "ticket", *argv],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )


@pytest.mark.parametrize("which", sorted(PROTECTED))
def test_no_output_names_the_reporter(
    which: str, database: Database, env: Environment, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _protected(database, env, which)
    outputs: dict[str, str] = {}
    for argv in (
        ("show", code),
        ("show", code, "--json", "--role", "admin"),
        ("answer", code, "--json"),  # its timeline tail holds the result
        ("publish", code, "--role", "supervisor"),  # refused for a confidential one
        ("close", code),
    ):
        _status, out, err = ticket(capsys, env, *argv)
        outputs[" ".join(argv)] = out + err
    found = {what: hits for what, text in outputs.items() if (hits := leaks(text, QUYNH))}
    assert found == {}
    shown: dict[str, Any] = json.loads(outputs[f"show {code} --json --role admin"])
    assert shown["reporter"] is None and shown["identity_withheld"] is True
    assert "Danh tính người phản ánh được bảo vệ" in outputs[f"show {code}"]
    [hit] = SearchService(database).search(code)
    assert shown["summary"] == hit.summary  # masked exactly as the search masks it
    assert "***" in shown["content"] and "***" in shown["outcome"]["result"]


def test_a_real_process_shows_refuses_and_acts(database: Database, env: Environment) -> None:
    code = _protected(database, env, "confidential")
    shown = _process(env, "show", code.lower(), "--json")
    assert shown.returncode == 0, shown.stderr.decode()
    assert leaks(shown.stdout + shown.stderr, QUYNH) == []
    assert json.loads(shown.stdout)["status"] == "result_recorded"

    refused = _process(env, "publish", code, "--role", "supervisor")
    assert refused.returncode == 3 and refused.stdout == b""
    assert refused.stderr.decode() == (
        f"pakn-desktop: {code}: Người phản ánh đề nghị giữ bí mật: không được công khai.\n"
    )
    answered = _process(env, "answer", code, "--expect-version", "5")
    assert answered.returncode == 0, answered.stderr.decode()
    assert answered.stdout.decode().startswith(f"{code}: Trả lời người phản ánh — xong.")
    assert leaks(answered.stdout + answered.stderr, QUYNH) == []


@pytest.mark.parametrize("which", sorted(PROTECTED))
def test_a_protected_report_merged_into_another_is_not_named_in_its_timeline(
    which: str, database: Database, env: Environment, capsys: pytest.CaptureFixture[str]
) -> None:
    """The survivor keeps the merged report's timeline (issue 7): a unit's reason naming the
    merged report's protected reporter is masked there too, while the survivor's own
    reporter, who asked for nothing, stays shown."""
    from pakn_desktop.services.workflow.service import WorkflowService
    from tests.intake_data import form

    store = EvidenceStore(env.evidence_dir)
    survivor = IntakeService(database, store).save(form(reporter_name="Lê Văn Tám"))
    merged = save_protected(IntakeService(database, store), which)
    unit = add_unit(database, "UM")
    service = WorkflowService(database)
    service.act(merged.id, "forward", "operator", None, {"lead_unit_id": unit})
    said = leaky_text(QUYNH, "Không đúng đơn vị; đã gọi lại")
    service.act(merged.id, "return", "unit_officer", None, {"reason": said})
    service.act(merged.id, "mark_duplicate", "operator", None, {"duplicate_of": survivor.code})
    service.act(merged.id, "merge", "supervisor", None, {"merge_into": survivor.id})

    _status, out, err = ticket(capsys, env, "show", survivor.code, "--json")
    shown: dict[str, Any] = json.loads(out)
    assert [e["case"] for e in shown["timeline"] if e["kind"] == "return"] == [merged.code]
    assert leaks(out + err, QUYNH) == []
    assert shown["reporter"]["full_name"] == "Lê Văn Tám"
    _status, text, err = ticket(capsys, env, "show", survivor.code)
    assert leaks(text + err, QUYNH) == []
