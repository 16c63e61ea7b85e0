"""Running ``pakn-desktop ticket …`` in the test's process, for the ticket command tests."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from pakn_desktop.cli import main
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.service import IntakeService
from tests.intake_data import form

Run = tuple[int, str, str]


def ticket(capsys: pytest.CaptureFixture[str], env: Environment, *argv: str) -> Run:
    """``pakn-desktop --db … --data-dir … ticket ARGV``: (exit code, stdout, stderr)."""
    code = main(["--db", env.db_url, "--data-dir", str(env.data_dir), "ticket", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], env: Environment, *argv: str) -> dict[str, Any]:
    """The JSON answer of a command that must succeed."""
    code, out, err = ticket(capsys, env, *argv, "--json")
    assert code == 0, err
    assert err == ""
    answer: dict[str, Any] = json.loads(out)
    return answer


def saved(database: Database, env: Environment, **changes: Any) -> tuple[uuid.UUID, str]:
    report = IntakeService(database, EvidenceStore(env.evidence_dir)).save(form(**changes))
    return report.id, report.code
