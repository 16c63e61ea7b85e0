"""``pakn-desktop export queue`` (issue 15): a saved view and a search text to CSV or xlsx
through the real entry point, masked the same as the screen's export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pakn_desktop.cli import main
from pakn_desktop.data import queue as q
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.queue import QueueQuery, QueueService
from pakn_desktop.services.queue_views import COMPLAINTS, Picks, view_query
from tests.export_data import LAN, fill_export, xlsx_text
from tests.identity_scan import leaks
from tests.protected_data import QUYNH


@pytest.fixture
def data(database: Database, env: Environment) -> Path:
    fill_export(database, env)
    return env.data_dir


def _run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), "export", "queue", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _codes(database: Database, query: QueueQuery) -> list[str]:
    service = QueueService(database)
    with service.connection() as conn:
        return [r.code for r in q.page_after(conn, query, q.load_names(conn), None, 10**6)]


def _csv_codes(path: Path) -> list[str]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert rows[0][0] == "Mã hồ sơ"
    return [r[0] for r in rows[1:]]


def test_a_view_by_its_vietnamese_name_to_csv(
    data: Path, database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "khieu-nai.csv"
    code, said, err = _run(capsys, data, "--view", "khieu nai, to cao", "--out", str(out))
    assert code == 0, err
    expected = _codes(database, view_query(COMPLAINTS, Picks(now=datetime.now(UTC))))
    assert 0 < len(expected) < 600
    assert _csv_codes(out) == expected
    assert f"Đã xuất {len(expected)} phản ánh" in said
    assert leaks(out.read_bytes(), QUYNH) == []  # the denunciation is in the view, masked


def test_a_search_text_and_leadership_revealing(
    data: Path, database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "den.xlsx"
    argv = ("--query", "đèn đường", "--out", str(out), "--reveal-identities")
    code, _said, err = _run(capsys, data, *argv, "--role", "supervisor")
    assert code == 0, err
    text = xlsx_text(out)
    assert leaks(text, LAN) != []
    assert leaks(text, QUYNH) == []
    out.unlink()
    code, _said, err = _run(capsys, data, *argv)  # an operator (the default role) may not
    assert code == 1
    assert "không được xuất danh tính" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("--view", "không có", "--out", "x.csv"), "không có chế độ xem"),
        (("--out", "x.pdf"), "phải là tệp .xlsx hoặc .csv"),
    ],
)
def test_usage_errors_say_so(
    data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    words: str,
) -> None:
    argv = tuple(str(tmp_path / a) if a.startswith("x.") else a for a in argv)
    code, _said, err = _run(capsys, data, *argv)
    assert code == 2
    assert words in err
    assert [p.name for p in tmp_path.iterdir()] == ["data"]
