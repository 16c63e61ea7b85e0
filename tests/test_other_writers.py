"""Another program's writes on this station's SQLite file reach the open window (issue 14):
``data.other_writers`` names the reports they touched (PRAGMA data_version, then the
outbox), and the window's watch publishes them on the hub, less what it published itself."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import text

from pakn_desktop.data.other_writers import OtherWriters
from pakn_desktop.services.app_services import AppServices
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.workflow.service import WorkflowService
from pakn_desktop.ui.queue.cells import COL_CODE
from tests.intake_data import form
from tests.qt_helpers import open_window

from .test_cli_intake import VALID


def _file(database: Database) -> Path:
    return Path(str(database.engine.url.database))


def test_a_save_by_another_connection_is_named_once_and_a_prune_does_not_hide_the_next(
    database: Database, migrated_env: Environment
) -> None:
    watch = OtherWriters(_file(database))
    other = open_database(migrated_env)  # another program on the same file
    try:
        assert watch.poll() is None  # nothing yet
        saved = AppServices(lambda: other, migrated_env, as_login=False, environ={})
        first = saved.intake.save(form(content="Cống bị tắc ở đường Lê Lợi.")).id
        found = watch.poll()
        assert found is not None and found.created == {first} and found.reports == {first}
        assert "ticket" in found.tables
        assert watch.poll() is None  # told once
        WorkflowService(other).act(first, "screen", "operator")
        changed = watch.poll()
        assert changed is not None and changed.reports == {first} and not changed.created
        # A push prunes every row: the numbering starts again, and a save right after the
        # prune (before the next poll) still shows; a prune alone names nothing.
        with other.writer.begin() as conn:
            conn.execute(text("DELETE FROM outbox"))
        second = saved.intake.save(form(content="Đèn đường hỏng ở ngõ 5.")).id
        again = watch.poll()
        assert again is not None and again.created == {second}
        with other.writer.begin() as conn:
            conn.execute(text("DELETE FROM outbox"))
        assert watch.poll() is None
    finally:
        other.close()
        watch.close()


def test_a_report_saved_from_the_command_line_reaches_the_open_queue(
    qtbot: QtBot, database: Database, migrated_env: Environment, tmp_path: Path
) -> None:
    win = open_window(qtbot, database, migrated_env, tmp_path, size=None)
    report = tmp_path / "report.json"
    report.write_text(json.dumps(VALID), encoding="utf-8")
    run = "import sys; from pakn_desktop.cli import main; sys.exit(main(sys.argv[1:]))"
    argv = ["--data-dir", str(migrated_env.data_dir), "intake", "--json", str(report)]
    with qtbot.waitSignal(win.changes.changed, timeout=30_000) as told:
        done = subprocess.run(
            [sys.executable, "-c", run, *argv], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    changes, by = told.args
    assert len(changes.created) == 1 and by is not None  # by the watch, not by a screen
    (created,) = changes.created
    assert isinstance(created, uuid.UUID)
    code = _code(database, created)

    def shown() -> bool:  # the queue read again, the new report on top
        model = win.queue.model
        return model.rowCount() > 0 and model.data(model.index(0, COL_CODE)) == code

    qtbot.waitUntil(shown, timeout=30_000)


def _code(database: Database, ticket: uuid.UUID) -> str:
    with database.engine.connect() as conn:
        found = conn.execute(text("SELECT code FROM ticket WHERE id = :i"), {"i": ticket.hex})
        return str(found.scalar_one())
