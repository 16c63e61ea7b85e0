"""``pakn-desktop sla deadline``: due times from the seeded policies and calendar."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from pakn_desktop.cli import main
from pakn_desktop.data.models import CalendarException
from pakn_desktop.services.database import Database
from pakn_desktop.services.sla import JSON_KEYS, SlaService, load_calendar
from tests.db_template import MigratedEnv
from tests.sla_calendars import at

SEEDED = (
    "ha_tang_do_thi",
    "ha_tang_do_thi.cap_thoat_nuoc",
    "ha_tang_do_thi.cay_xanh",
    "ha_tang_do_thi.chieu_sang",
    "ha_tang_do_thi.vien_thong",
    "khieu_nai",
    "mac_dinh",
    "to_cao",
)


@pytest.fixture
def data(tmp_path: Path, migrated: MigratedEnv) -> Path:
    return migrated(tmp_path / "data").data_dir  # the database is not what these tests test


def _run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), "sla", "deadline", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_the_resolve_due_time(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    # Tết 2027 (hand-computed in test_sla_calendar): Wed 3 Feb 16:45 + 1 working day.
    code, out, err = _run(capsys, data, "--start", "2027-02-03T16:45", "--policy", "ha_tang_do_thi")
    assert (code, out, err) == (0, "2027-02-11T16:45:00+07:00\n", "")
    # The package's swapped Saturday: Fri 21 Aug 2026 16:45 → Sat 22 Aug 16:45.
    code, out, _ = _run(capsys, data, "--start", "2026-08-21 16:45", "--policy", "ha_tang_do_thi")
    assert out == "2026-08-22T16:45:00+07:00\n"
    # 60 calendar minutes across midnight, into a holiday.
    code, out, _ = _run(capsys, data, "--start", "2026-12-31T23:30", "--policy", "mac_dinh")
    assert out == "2027-01-01T00:30:00+07:00\n"


def test_json_gives_every_deadline_under_stable_keys(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    # 09:45 UTC is 16:45 in Hà Nội: an offset in --start is honoured; output is in +07:00.
    code, out, err = _run(
        capsys, data, "--start", "2027-02-03T09:45:00Z", "--policy", "ha_tang_do_thi", "--json"
    )
    assert code == 0, err
    document = json.loads(out)
    assert list(document) == sorted(JSON_KEYS)
    assert document == {
        "policy": "ha_tang_do_thi",
        "start": "2027-02-03T16:45:00+07:00",
        "forward_due": "2027-02-03T16:50:00+07:00",
        "first_response_due": None,
        "resolve_due": "2027-02-11T16:45:00+07:00",
    }


@pytest.mark.parametrize(
    ("argv", "expected_code", "needle"),
    [
        (("--start", "03/02/2027 16:45", "--policy", "mac_dinh"), 1, "ISO 8601"),
        (("--start", "2027-02-30T10:00", "--policy", "mac_dinh"), 1, "ISO 8601"),
        (("--start", "2027-02-03T16:45", "--policy", "khong_co"), 1, ", ".join(SEEDED)),
        (("--start", "2027-02-03T16:45"), 2, "--policy"),
        (("--policy", "mac_dinh"), 2, "--start"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    argv: tuple[str, ...],
    expected_code: int,
    needle: str,
) -> None:
    code, out, err = _run(capsys, data, *argv)
    assert code == expected_code
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("pakn-desktop: ")
    assert needle in err


def test_sla_without_a_subcommand_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    assert main(["--data-dir", str(data), "sla"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_the_installed_program_fails_without_a_traceback(data: Path) -> None:
    program = Path(sys.executable).with_name("pakn-desktop")
    env = {k: v for k, v in os.environ.items() if k not in ("PAKN_DB_URL", "PAKN_DATA_DIR")}
    done = subprocess.run(
        [str(program), "--data-dir", str(data), "sla", "deadline", "--start", "x", "--policy", "y"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_the_service_reads_policies_and_calendar_exceptions(database: Database) -> None:
    service = SlaService(database)
    assert tuple(sorted(service.policies())) == SEEDED
    calendar = service.calendar()
    assert calendar.is_working_day(date(2026, 8, 22))  # Saturday, ngày làm bù (seeded)
    assert not calendar.is_working_day(date(2027, 2, 8))  # Tết
    # An administrator's extra day off moves the deadline once the service reloads.
    with database.sessions.begin() as session:
        session.add(CalendarException(day=date(2026, 3, 10), kind="day_off", name="x"))
    start = at(2026, 3, 9, 16, 45)  # Monday
    assert not load_calendar(database).is_working_day(date(2026, 3, 10))
    assert service.deadline_for("ha_tang_do_thi", start).resolve_due == at(2026, 3, 10, 16, 45)
    service.reload()
    assert service.deadline_for("ha_tang_do_thi", start).resolve_due == at(2026, 3, 11, 16, 45)
