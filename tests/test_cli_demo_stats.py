"""``pakn-desktop demo`` and ``stats --json`` through the real CLI entry point."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pakn_desktop.cli import main
from pakn_desktop.domain.enums import OPEN_STATUSES, ChannelCode, Status
from tests.db_template import MigratedEnv


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _stats(capsys: pytest.CaptureFixture[str], data: Path) -> dict[str, Any]:
    code, out, err = _run(capsys, "--data-dir", str(data), "stats", "--json")
    assert code == 0, err
    figures: dict[str, Any] = json.loads(out)
    return figures


def _sql(data: Path, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(data / "pakn.sqlite3") as conn:
        return conn.execute(query, params).fetchall()


def _overdue_at(data: Path, moment: datetime) -> int:
    naive = moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    marks = ", ".join("?" for _ in OPEN_STATUSES)
    query = f"SELECT count(*) FROM ticket WHERE status IN ({marks}) AND due_at < ?"
    return int(_sql(data, query, *sorted(OPEN_STATUSES), naive)[0][0])


def test_demo_then_stats_agree_with_the_database(
    tmp_path: Path, migrated: MigratedEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    data = migrated(tmp_path / "data").data_dir
    code, out, err = _run(
        capsys, "--data-dir", str(data), "demo", "--tickets", "400", "--seed", "2"
    )
    assert code == 0, err
    assert out.strip() == "Đã tạo 400 phản ánh mẫu"

    before = datetime.now(UTC)
    figures = _stats(capsys, data)
    after = datetime.now(UTC)
    assert list(figures) == sorted(
        ["tickets", "by_status", "by_channel", "evidence", "outbox_pending", "overdue"]
    )
    assert figures["tickets"] == _sql(data, "SELECT count(*) FROM ticket")[0][0] == 400
    by_status = dict(_sql(data, "SELECT status, count(*) FROM ticket GROUP BY status"))
    assert figures["by_status"] == {s.value: by_status.get(s.value, 0) for s in Status}
    by_channel = dict(_sql(data, "SELECT channel_code, count(*) FROM ticket GROUP BY 1"))
    assert figures["by_channel"] == {c.value: by_channel.get(c.value, 0) for c in ChannelCode}
    assert figures["evidence"] == _sql(data, "SELECT count(*) FROM evidence")[0][0] == 0
    pending = _sql(data, "SELECT count(*) FROM outbox WHERE pushed_at IS NULL")[0][0]
    assert figures["outbox_pending"] == pending > 400
    # Deadlines move with the clock: the figure lies between the counts at either end.
    assert _overdue_at(data, before) <= figures["overdue"] <= _overdue_at(data, after)
    assert figures["overdue"] > 0

    # Pushed changes stop counting as pending.
    with sqlite3.connect(data / "pakn.sqlite3") as conn:
        conn.execute(
            "UPDATE outbox SET pushed_at = '2026-01-01 00:00:00.000000' "
            "WHERE seq IN (SELECT seq FROM outbox ORDER BY seq LIMIT 25)"
        )
    assert _stats(capsys, data)["outbox_pending"] == pending - 25


def test_demo_twice_adds_up(
    tmp_path: Path, migrated: MigratedEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    data = migrated(tmp_path / "data").data_dir
    for _ in range(2):
        code, _out, err = _run(capsys, "--data-dir", str(data), "demo", "--tickets", "150")
        assert code == 0, err
    assert _stats(capsys, data)["tickets"] == 300


def test_zero_tickets_is_fine_and_stats_name_every_status(
    tmp_path: Path, migrated: MigratedEnv, capsys: pytest.CaptureFixture[str]
) -> None:
    data = migrated(tmp_path / "data").data_dir
    code, out, err = _run(capsys, "--data-dir", str(data), "demo", "--tickets", "0")
    assert (code, out.strip(), err) == (0, "Đã tạo 0 phản ánh mẫu", "")
    figures = _stats(capsys, data)
    assert figures["tickets"] == 0
    assert figures["by_status"] == {s.value: 0 for s in Status}
    assert set(figures["by_channel"]) >= {c.value for c in ChannelCode}
    assert figures["outbox_pending"] == figures["overdue"] == 0


@pytest.mark.parametrize("bad", ["-1", "abc", "1.5"])
def test_bad_ticket_count_is_one_line_exit_2_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    data = tmp_path / "data"
    code, out, err = _run(capsys, "--data-dir", str(data), "demo", f"--tickets={bad}")
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("pakn-desktop: ") and "--tickets" in err
    assert not (data / "pakn.sqlite3").exists()
