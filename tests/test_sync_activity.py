"""What the sync leaves for people (decision 53): the sync log (a line per round that moved
something and per change of state, rotated), the changes the server refused with its reasons
and sent again once mended, and the conflicts with the values that lost (hidden for a
protected reporter), in "Hoạt động đồng bộ" (Ctrl+Alt+L, or a click on the status bar)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text

from pakn_desktop.data import sync_local
from pakn_desktop.data.models import Base, Ticket
from pakn_desktop.data.outbox import outbox_row
from pakn_desktop.data.timeline import append
from pakn_desktop.domain.labels import SYNC_CONFLICT
from pakn_desktop.services.changes import Changes, Topic
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.sync import journal as journal_module
from pakn_desktop.services.sync.activity import HIDDEN
from pakn_desktop.services.sync.journal import SyncJournal
from pakn_desktop.services.sync.service import SyncCounts
from pakn_desktop.ui.admin.sync_activity_dialog import CONFLICTS, PARKED, SyncActivityDialog
from pakn_desktop.ui.main.window import MainWindow
from tests.db_template import MigratedEnv
from tests.intake_data import form
from tests.qt_helpers import open_window
from tests.sync_data import station, take_reports

DENOUNCER = "Lê Văn Tố"


def _counts(**values: int) -> SyncCounts:
    base = {"pushed": 0, "pulled": 0, "pending": 0, "parked": 0, "conflicts": 0}
    return SyncCounts(**(base | values))  # type: ignore[arg-type]


def _clock() -> datetime:
    return datetime(2026, 12, 7, 21, 30, 5)


# --- the log ---------------------------------------------------------------------------------


def test_the_log_says_rounds_that_moved_something_and_each_change_of_state(
    tmp_path: Path,
) -> None:
    journal = SyncJournal(tmp_path / "logs", now=_clock)
    journal.round(_counts())  # nothing moved: no line
    journal.round(_counts(pushed=3, pending=1))
    journal.offline("Không đồng bộ được với máy chủ PostgreSQL h/pakn: mất mạng.")
    journal.offline("Không đồng bộ được với máy chủ PostgreSQL h/pakn: mất mạng.")  # said once
    journal.round(_counts())  # back: said, though nothing moved
    journal.round(_counts(pulled=2, conflicts=1), woken=True)
    journal.stopped("Máy chủ đồng bộ ở phiên bản cấu trúc 0020, máy trạm ở phiên bản 0022.")
    assert journal.tail(10) == [
        "07/12/2026 21:30:05  Dừng đồng bộ: Máy chủ đồng bộ ở phiên bản cấu trúc 0020, máy trạm"
        " ở phiên bản 0022.",
        "07/12/2026 21:30:05  Đồng bộ (máy trạm khác vừa gửi): gửi 0, nhận 2, còn chờ gửi 0,"
        " bị từ chối 0, xung đột 1",
        "07/12/2026 21:30:05  Kết nối lại được máy chủ.",
        "07/12/2026 21:30:05  Ngoại tuyến: Không đồng bộ được với máy chủ PostgreSQL h/pakn:"
        " mất mạng.",
        "07/12/2026 21:30:05  Đồng bộ: gửi 3, nhận 0, còn chờ gửi 1, bị từ chối 0, xung đột 0",
    ]
    assert journal.tail(2) == journal.tail(10)[:2]


def test_the_log_turns_over_past_its_limit_and_reads_on_into_the_older_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal_module, "LIMIT_BYTES", 400)
    journal = SyncJournal(tmp_path, now=_clock)
    for n in range(1, 21):
        journal.round(_counts(pushed=n))
    older = tmp_path / "sync.log.1"
    assert older.exists() and journal.path.stat().st_size < 400 + 100
    assert older.stat().st_size >= 400
    lines = journal.tail(20)
    pushed = [int(line.split("gửi ")[1].split(",")[0]) for line in lines]
    # The latest first, on across the turn; what two turns ago held is gone.
    assert pushed == list(range(20, 20 - len(pushed), -1)) and len(pushed) > 6


def test_an_unwritable_log_does_not_stop_the_sync(tmp_path: Path) -> None:
    (tmp_path / "logs").write_text("a file where the folder should be")
    journal = SyncJournal(tmp_path / "logs", now=_clock)
    journal.round(_counts(pushed=1))  # logged as a warning, not raised
    assert journal.tail(5) == []


# --- refused changes and conflicts on a real server ----------------------------------------


def _bad_column(database: Database) -> int:
    """A change the server refuses (a column its table lacks); its seq."""
    row = outbox_row("category", "xa_hoi", "update", {"extra_note": "ghi chú"})
    with database.writer.begin() as conn:
        conn.execute(Base.metadata.tables["outbox"].insert(), [row])
        return int(conn.execute(text("SELECT max(seq) FROM outbox")).scalar_one())


@pytest.mark.postgres
def test_refused_changes_are_listed_with_the_reason_and_sent_again_once_mended(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """Two stations created a unit with the same code offline: the server refuses the
    second. Listed with the reason; sent again, refused again; once an administrator has
    renamed the first on the server, sent again, it arrives."""
    from pakn_desktop.data.models import Unit

    with (
        station(migrated, tmp_path / "a", "HN01", environ={"PAKN_SYNC_URL": pg_migrated_url}) as a,
        station(migrated, tmp_path / "b", "HN02", environ={"PAKN_SYNC_URL": pg_migrated_url}) as b,
    ):
        for services, name in ((b, "Phòng TN-MT (máy B)"), (a, "Phòng TN-MT (máy A)")):
            with services.database.write_sessions.begin() as session:
                session.add(Unit(code="TNMT", name=name, kind="phong"))
        take_reports(a, 2)
        assert b.sync.once().parked == 0
        counts = a.sync.once()
        assert counts.parked == 1 and counts.pending == 0
        shown = a.sync_activity.load()
        assert shown.parked_total == 1
        (parked,) = shown.parked
        assert parked.what == "Đơn vị (thêm)" and parked.code == ""
        assert "Máy chủ từ chối (23505)" in parked.reason
        assert "Phòng TN-MT" not in parked.reason  # the server's words, not the values
        assert shown.log and "bị từ chối 1" in shown.log[0]
        # Sent again before the cause is mended: refused again, still kept.
        assert a.sync_activity.send_again().count == 1
        with a.database.engine.connect() as conn:
            assert sync_local.pending_count(conn) == 1
        assert a.sync.once().parked == 1
        # The administrator renames B's unit on the server; sent again, A's arrives.
        server = create_engine(pg_migrated_url)
        try:
            with server.begin() as conn:
                conn.execute(text("UPDATE unit SET code = 'TNMT-B' WHERE code = 'TNMT'"))
            sent = a.sync_activity.send_again()
            assert sent.changes == Changes.of(Topic.SYNC_OUTBOX)
            done = a.sync.once()
            assert (done.pushed, done.parked, done.pending) == (1, 0, 0)
            with server.connect() as conn:
                names = conn.execute(text("SELECT code, name FROM unit ORDER BY code")).all()
        finally:
            server.dispose()
        assert [tuple(r) for r in names if r[0].startswith("TNMT")] == [
            ("TNMT", "Phòng TN-MT (máy A)"),
            ("TNMT-B", "Phòng TN-MT (máy B)"),
        ]
        assert a.sync_activity.load().parked_total == 0


def _conflict_between(a_services: object, b_services: object, url: str, report: uuid.UUID) -> None:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.services.sync.pull import Puller
    from pakn_desktop.services.sync.push import Pusher

    a, b = a_services, b_services
    assert isinstance(a, AppServices) and isinstance(b, AppServices)
    for services, summary in ((a, f"Tóm tắt của A: {DENOUNCER}"), (b, "Tóm tắt của B")):
        with services.database.write_sessions.begin() as session:
            ticket = session.get(Ticket, report)
            assert ticket is not None
            ticket.summary = summary
    Pusher(a.database, url).push()
    pusher = Pusher(b.database, url)
    pusher.push()
    assert Puller(pusher).pull().conflicts == 1


@pytest.mark.postgres
@pytest.mark.parametrize("protected", [False, True])
def test_a_conflict_is_listed_with_the_value_that_lost_unless_the_reporter_is_protected(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str, protected: bool
) -> None:
    from pakn_desktop.services.sync.pull import Puller
    from pakn_desktop.services.sync.push import Pusher

    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        kind = {"kind": "to_cao"} if protected else {}
        report = a.intake.save(form(reporter_name=DENOUNCER, **kind)).id
        for services in (a, b):
            pusher = Pusher(services.database, pg_migrated_url)
            pusher.push()
            Puller(pusher).pull()
        _conflict_between(a, b, pg_migrated_url, report)
        shown = b.sync_activity.load()
        assert shown.conflicts_total == 1
        (conflict,) = shown.conflicts
        assert conflict.ticket_id == report and conflict.station_code == "HN02"
        assert conflict.what == "Phản ánh" and conflict.fields == "tóm tắt"
        if protected:
            assert conflict.lost == HIDDEN
            assert all(DENOUNCER not in str(value) for value in vars(conflict).values())
        else:
            assert conflict.lost == f"tóm tắt: Tóm tắt của A: {DENOUNCER}"
        assert a.sync_activity.load().conflicts_total == 0  # B found it; pushed, A will see it


# --- the dialog -------------------------------------------------------------------------------


def _parked_and_conflicted(database: Database) -> str:
    """One parked change and one conflict event in ``database`` (as the sync leaves them);
    the conflicted report's code."""
    with database.write_sessions.begin() as session:
        ticket = session.query(Ticket).order_by(Ticket.received_at.desc()).first()
        assert ticket is not None
        code, report, station_id = ticket.code, ticket.id, ticket.station_id
    seq = _bad_column(database)
    now = datetime.now(UTC)
    with database.writer.begin() as conn:
        sync_local.park(conn, [sync_local.Parked(seq, "Máy chủ từ chối (42703): no column")], now)
        data = {"table": "ticket", "change_id": str(uuid.uuid4()), "lost": {"summary": "Cũ"}}
        append(conn, report, [(SYNC_CONFLICT, data)], at=now, actor_id=None,
               station_id=station_id)  # fmt: skip
    return code


def _open(qtbot: QtBot, win: MainWindow) -> SyncActivityDialog:
    win.admin.activity_dialog = None
    win.activateWindow()
    qtbot.keyClick(
        win, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    qtbot.waitUntil(lambda: win.admin.activity_dialog is not None)
    dialog = win.admin.activity_dialog
    assert isinstance(dialog, SyncActivityDialog)
    qtbot.waitUntil(lambda: dialog.activity is not None, timeout=10_000)
    return dialog


def test_the_dialog_lists_them_sends_again_and_opens_a_conflicts_report(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> None:
    win = open_window(qtbot, database, env, tmp_path)
    take_reports(win._services, 1)
    code = _parked_and_conflicted(database)
    win.role_box.setCurrentIndex(win.role_box.findData("admin"))
    dialog = _open(qtbot, win)
    assert dialog.tabs.tabText(PARKED) == "Bị máy chủ từ chối (1)"
    assert dialog.tabs.tabText(CONFLICTS) == "Xung đột (1)"
    assert dialog.parked.item(0, 3).text() == "Máy chủ từ chối (42703): no column"
    assert dialog.conflicts.item(0, 1).text() == code
    assert dialog.conflicts.item(0, 4).text() == "tóm tắt: Cũ"
    assert "Chưa có lượt đồng bộ" in dialog.log.toPlainText()
    assert dialog.send_again_button.isEnabled()
    heard: list[Changes] = []
    win.changes.changed.connect(lambda changes, _by: heard.append(changes))
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.send_again_button.click()
    assert heard and heard[-1].has(Topic.SYNC_OUTBOX)
    assert dialog.tabs.tabText(PARKED) == "Bị máy chủ từ chối (0)"
    assert "Đã đưa 1 thay đổi vào hàng chờ gửi" in dialog.note.text()
    assert not dialog.send_again_button.isEnabled()
    with database.engine.connect() as conn:
        assert sync_local.parked_count(conn) == 0
    # Enter on the conflict opens its report in the queue.
    dialog.tabs.setCurrentIndex(CONFLICTS)
    dialog.conflicts.setCurrentCell(0, 0)
    dialog.conflicts.setFocus()
    qtbot.keyClick(dialog.conflicts, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: win.queue.search.text() == code or _shown(win, code), timeout=10_000)


def _shown(win: MainWindow, code: str) -> bool:
    model = win.queue.model
    return model.rowCount() == 1 and code in str(model.data(model.index(0, 0)))


def test_other_roles_see_but_do_not_send_again_and_the_status_bar_opens_it(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> None:
    win = open_window(qtbot, database, env, tmp_path)
    take_reports(win._services, 1)
    _parked_and_conflicted(database)
    win.admin.activity_dialog = win.admin.sync_dialog = None
    assert win.status.sync_label.text() == "Chưa cấu hình đồng bộ"
    qtbot.mouseClick(win.status.sync_label, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.admin.sync_dialog is not None)  # no server: its settings
    win.admin.sync_dialog.close()
    assert win.admin.activity_dialog is None
    win.status.show_sync_offline("Không đồng bộ được với máy chủ PostgreSQL h/pakn.")
    assert "Ctrl+Alt+L" in win.status.sync_label.toolTip()
    qtbot.mouseClick(win.status.sync_label, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.admin.activity_dialog is not None)
    dialog = win.admin.activity_dialog
    assert isinstance(dialog, SyncActivityDialog)
    qtbot.waitUntil(lambda: dialog.activity is not None, timeout=10_000)
    assert dialog.tabs.tabText(PARKED) == "Bị máy chủ từ chối (1)"
    assert not dialog.send_again_button.isEnabled()  # the intake role reads only
    dialog.send_again()
    with database.engine.connect() as conn:
        assert sync_local.parked_count(conn) == 1


@pytest.mark.parametrize("protected", [False, True])
def test_the_reports_timeline_says_the_value_that_lost_unless_the_reporter_is_protected(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path, protected: bool
) -> None:
    win = open_window(qtbot, database, env, tmp_path)
    kind = {"kind": "to_cao"} if protected else {}
    report = win._services.intake.save(form(reporter_name=DENOUNCER, **kind)).id
    now = datetime.now(UTC)
    lost = {"summary": f"Bản cũ nêu tên {DENOUNCER}"}
    with database.writer.begin() as conn:
        data = {"table": "ticket", "change_id": str(uuid.uuid4()), "lost": lost}
        append(conn, report, [(SYNC_CONFLICT, data)], at=now, actor_id=None, station_id=None)
    detail = win.queue.detail
    detail.show_ticket(report)
    qtbot.waitUntil(lambda: "Xung đột đồng bộ" in detail.body.toPlainText(), timeout=10_000)
    line = next(x for x in detail.body.toPlainText().splitlines() if "Xung đột đồng bộ" in x)
    if protected:
        assert line.endswith("giá trị bị thay: " + HIDDEN)
        assert DENOUNCER not in detail.body.toPlainText()
    else:
        assert line.endswith(f"giá trị bị thay: tóm tắt: Bản cũ nêu tên {DENOUNCER}")


def test_the_parked_are_counted_and_listed_from_their_own_index(database: Database) -> None:
    """Every sync round counts the parked changes: a scan of the outbox read millions of
    pending rows on a station's first push (22.7 s cold at 1M demo reports)."""
    with database.engine.connect() as conn:
        for sql in (
            "SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL",
            "SELECT seq FROM outbox WHERE parked_at IS NOT NULL ORDER BY seq DESC LIMIT 500",
        ):
            plan = " ".join(str(r[3]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
            assert "USING INDEX ix_outbox_parked" in plan, plan
