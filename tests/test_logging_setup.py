"""The log in the data folder (issue 14): it exists, rotates, carries no personal data, and
``--debug`` raises its level; the CLI's bug is one Vietnamese line naming it; faulthandler
writes beside it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pakn_desktop import cli
from pakn_desktop.services import logging_setup
from pakn_desktop.services.logging_setup import bug_report, start_logging, stop_logging

from .identity_scan import leaks
from .protected_data import QUYNH

PERSONAL = f"{QUYNH.name}, {QUYNH.phone}"
log = logging.getLogger("pakn_desktop.test_logging")


class Planted(Exception):
    pass


def buggy(citizen: str = PERSONAL) -> None:
    said = citizen  # a local value holding personal data: never in the log
    raise Planted(f"không lưu được phản ánh của {said}")


@pytest.fixture(autouse=True)
def stopped() -> Iterator[None]:
    yield
    stop_logging()


def _logged_bug() -> None:
    try:
        try:
            buggy()
        except Planted as error:
            raise RuntimeError(f"lưu thất bại: {error}") from error
    except RuntimeError as error:
        log.error("unexpected error", exc_info=error)


def test_the_log_has_the_bug_but_no_personal_data(tmp_path: Path) -> None:
    path = start_logging(tmp_path / "logs")
    assert path == tmp_path / "logs" / "pakn.log"
    _logged_bug()
    text = path.read_text(encoding="utf-8")
    # Type, frames and the chain of causes: enough to find the bug …
    assert "builtins.RuntimeError" in text and "Planted" in text, text
    assert "in buggy" in text and "test_logging_setup.py:" in text, text
    # … and nothing from the form, nor the home folder the program runs from.
    assert leaks(text, QUYNH) == [], text
    assert str(Path.home()) not in text or str(Path.home()) == "/", text


def test_the_report_names_files_without_their_folders() -> None:
    try:
        buggy()
    except Planted as error:
        report = bug_report(error)
    assert leaks(report, QUYNH) == []
    assert "tests/test_logging_setup.py:" in report, report
    assert os.sep + "home" + os.sep not in report and "/root/" not in report, report


def test_the_log_rotates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 2_000)
    start_logging(tmp_path)
    for i in range(400):
        log.info("pass %d done", i)
    names = sorted(p.name for p in tmp_path.glob("pakn.log*"))
    assert names == ["pakn.log", *(f"pakn.log.{n}" for n in range(1, logging_setup.BACKUPS + 1))]
    assert all(p.stat().st_size <= 2_100 for p in tmp_path.glob("pakn.log*"))


def test_debug_raises_the_level(tmp_path: Path) -> None:
    quiet = start_logging(tmp_path / "a")
    log.debug("a detail")
    log.info("a step")
    assert "a detail" not in quiet.read_text() and "a step" in quiet.read_text()
    loud = start_logging(tmp_path / "b", debug=True)
    log.debug("a detail")
    assert "a detail" in loud.read_text()
    assert logging.getLogger("pakn_desktop").level == logging.DEBUG


def test_the_cli_says_a_bug_in_one_line_and_logs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pakn_desktop.cli_stats

    def broken_stats(*_args: object) -> int:
        _logged_bug_raise()
        return 0

    monkeypatch.setattr(pakn_desktop.cli_stats, "_stats", broken_stats)
    code = cli.main(["--data-dir", str(tmp_path), "stats"])
    out = capsys.readouterr()
    assert code == cli.EXIT_ERROR
    log_file = tmp_path / "logs" / "pakn.log"
    assert (
        out.err
        == f"pakn-desktop: lỗi không mong đợi (RuntimeError); chi tiết ghi trong {log_file}\n"
    )
    text = log_file.read_text(encoding="utf-8")
    assert "builtins.RuntimeError" in text and "in buggy" in text
    assert leaks(text + out.err + out.out, QUYNH) == []
    # --debug: the traceback on stderr too (the developer's own terminal), and DEBUG records.
    code = cli.main(["--debug", "--data-dir", str(tmp_path), "stats"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_ERROR
    assert "Traceback (most recent call last)" in err and "in buggy" in err
    assert logging.getLogger("pakn_desktop").level == logging.DEBUG


def _logged_bug_raise() -> None:
    try:
        buggy()
    except Planted as error:
        raise RuntimeError(f"lưu thất bại: {error}") from error


def test_faulthandler_writes_in_the_log_folder(tmp_path: Path) -> None:
    """A hard crash (here a segfault faulthandler provokes) leaves its stacks in the data
    folder's logs, in a real process."""
    code = (
        "import faulthandler, pathlib\n"
        "from pakn_desktop.services.logging_setup import start_logging\n"
        f"start_logging(pathlib.Path({str(tmp_path)!r}), faults=True)\n"
        "faulthandler._sigsegv()\n"
    )
    env = {**os.environ, "PYTHONFAULTHANDLER": ""}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=60)
    assert done.returncode != 0
    text = (tmp_path / "faulthandler.log").read_text(encoding="utf-8")
    assert "Fatal Python error" in text and "Segmentation fault" in text, text
    assert b"Fatal Python error" not in done.stderr
