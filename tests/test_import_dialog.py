"""The register import dialog (issue 15 item 6): the mapping preview, a dry run that stores
nothing, the import on the write lane, and a bad file's message in place of a crash."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pakn_desktop.data.models import Ticket
from pakn_desktop.services.database import Database
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.ui.reports.import_dialog import ImportDialog, register_importer
from pakn_desktop.ui.tasks import Tasks
from tests.register_fixtures import merged_register


@pytest.fixture
def dialog(qtbot: QtBot, database: Database) -> Iterator[ImportDialog]:
    tasks = Tasks()
    widget = ImportDialog(register_importer(database, IntakeService(database)), tasks)
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    yield widget
    tasks.shutdown()


def _count(database: Database) -> int:
    with database.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Ticket)) or 0)


def test_preview_dry_run_then_import(
    qtbot: QtBot, dialog: ImportDialog, database: Database, tmp_path: Path
) -> None:
    dialog.open_file(merged_register(tmp_path / "so.xlsx"))
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    shown = {
        dialog.mapping.item(r, 0).text(): dialog.mapping.item(r, 1).text()
        for r in range(dialog.mapping.rowCount())
    }
    assert shown["Người phản ánh / Điện thoại"] == "Số điện thoại"
    assert shown["Thời gian tiếp nhận / Ngày"] == "Ngày tiếp nhận"
    assert "dòng 6–7" in dialog.sheet_label.text()

    dialog.dry_button.click()
    qtbot.waitUntil(lambda: "Sẽ nhập 4" in dialog.summary.text())
    assert _count(database) == 0
    assert dialog.problems.rowCount() == 5  # 2 errors, 3 warnings
    assert dialog.problems.item(0, 0).text() == "11"

    dialog.import_button.click()
    qtbot.waitUntil(lambda: "Đã nhập 4" in dialog.summary.text())
    assert _count(database) == 4
    assert "ket-qua-nhap.csv" in dialog.summary.text()


def test_bad_file_is_a_message(qtbot: QtBot, dialog: ImportDialog, tmp_path: Path) -> None:
    path = tmp_path / "so.xlsx"
    path.write_bytes(b"")
    dialog.open_file(path)
    qtbot.waitUntil(lambda: "tệp rỗng" in dialog.summary.text())
    assert not dialog.import_button.isEnabled() and not dialog.dry_button.isEnabled()


def test_stop_cancels_the_running_import(qtbot: QtBot, tmp_path: Path) -> None:
    from pakn_desktop.services.reports.register_import import MappedColumn, Preview
    from pakn_desktop.ui.reports.import_dialog import RegisterImporter

    stopped = threading.Event()

    def run(path: Path, dry_run: bool, progress: Any, cancelled: Any) -> Any:
        progress(10, 100)
        while not cancelled():  # a long register: the worker stops at its next check
            stopped.wait(0.005)
        stopped.set()
        raise AssertionError("a cancelled task's result is dropped")

    importer = RegisterImporter(
        lambda path: Preview("Sổ", (1,), (MappedColumn("Ngày", "received_at", "Ngày tiếp nhận"),)),
        run,
    )
    tasks = Tasks()
    dialog = ImportDialog(importer, tasks)
    qtbot.addWidget(dialog)
    dialog.open_file(tmp_path / "so.xlsx")
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.progress.value() == 10)
    assert dialog.stop_button.isEnabled()
    dialog.stop_button.click()
    qtbot.waitUntil(stopped.is_set)
    assert "Đã dừng" in dialog.summary.text() and dialog.import_button.isEnabled()
    tasks.shutdown()
