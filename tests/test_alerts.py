"""Deadline alerts and escalation with a controllable clock: each moment computed by hand.

Calendar: office hours 07:30–11:30 and 13:00–17:00, Monday–Friday, Asia/Ho_Chi_Minh; the week
of 2 March 2026 has no holiday. All times below are local (+07:00).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from pakn_desktop.data.models import Outbox, TicketEvent
from pakn_desktop.domain.audit_chain import GENESIS_HASH
from pakn_desktop.domain.sla import DeadlineState, at_risk_at
from pakn_desktop.services.alerts import AlertScanner
from pakn_desktop.services.database import Database

from .alerts_data import station, ticket, unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
US = timedelta(microseconds=1)


def t(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=VN)


def test_at_risk_moment_is_80_percent_of_the_time() -> None:
    # 08:00 → 09:00 is 60 minutes; 80 % of it is 48 minutes: 08:48.
    assert at_risk_at(t(2, 8), t(2, 9)) == t(2, 8, 48)
    # 30-minute practice: 24 minutes → 08:24.
    assert at_risk_at(t(2, 8), t(2, 8, 30)) == t(2, 8, 24)
    assert at_risk_at(t(2, 8), t(2, 9), 0.5) == t(2, 8, 30)


def test_alerts_fire_at_the_right_moments(database: Database) -> None:
    sid = station(database)
    ward = unit(database, "W1", "UBND phường Bến Nghé")
    dept = unit(database, "D1", "Sở Xây dựng")
    # A multi-sector case: received Monday 08:00, due 09:00 (60 minutes).
    multi = ticket(database, sid, "PA-1", t(2, 8), t(2, 9), units=(ward, dept))
    # A one-unit case due Friday 16:30.
    single = ticket(database, sid, "PA-2", t(6, 8), t(6, 16, 30), units=(ward,))
    # Closed reports never alert.
    ticket(database, sid, "PA-3", t(2, 8), t(2, 9), status="closed", closed=t(2, 8, 30))
    now = [t(2, 8, 47)]
    scanner = AlertScanner(database, lambda: now[0], since=t(2, 8, 47))

    def scan_at(moment: datetime) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        now[0] = moment
        result = scanner.scan()
        scanner.record(result.escalations, station_id=sid)
        return (
            [(a.code, a.state.value) for a in result.alerts],
            [(e.code, e.level) for e in result.escalations],
        )

    # At risk at 80 %: 08:48:00 exactly, not a microsecond before.
    assert scan_at(t(2, 8, 48) - US) == ([], [])
    assert scan_at(t(2, 8, 48)) == ([("PA-1", "at_risk")], [])
    assert scan_at(t(2, 8, 50)) == ([], [])  # reported once
    # Overdue after the due time: 09:00 itself is still in time.
    assert scan_at(t(2, 9)) == ([], [])
    # +0 after due: the supervisor level comes with the overdue state.
    assert scan_at(t(2, 9) + US) == ([("PA-1", "overdue")], [("PA-1", "supervisor")])
    # Leadership after 1 working day (480 working minutes) past the due time: Monday 09:00
    # + 2 h 30 (to 11:30) + 4 h (13:00–17:00) + 1 h 30 (Tuesday 07:30–09:00) = Tuesday 09:00.
    assert scan_at(t(3, 9)) == ([], [])
    assert scan_at(t(3, 9) + US) == ([], [("PA-1", "leadership")])
    # PA-2: at risk at 8 h 30 × 0.8 = 6 h 48 after 08:00 → 14:48 Friday; overdue after 16:30.
    assert scan_at(t(6, 14, 48)) == ([("PA-2", "at_risk")], [])
    assert scan_at(t(6, 16, 31)) == ([("PA-2", "overdue")], [("PA-2", "supervisor")])
    # Leadership: Friday 16:30–17:00 (30) + Monday 07:30–11:30 (240) + 13:00–16:30 (210) =
    # 480 working minutes → Monday 9 March 16:30, across the weekend.
    assert scan_at(t(9, 16, 30)) == ([], [])
    assert scan_at(t(9, 16, 30) + US) == ([], [("PA-2", "leadership")])

    with database.engine.connect() as conn:
        events = conn.execute(
            select(TicketEvent.ticket_id, TicketEvent.data, TicketEvent.prev_hash, TicketEvent.seq)
            .where(TicketEvent.kind == "escalated")
            .order_by(TicketEvent.ticket_id, TicketEvent.seq)
        ).all()
        outbox = conn.execute(
            select(Outbox.row_id).where(Outbox.table_name == "ticket_event")
        ).scalars()
        outbox_rows = set(outbox)
    by_ticket = {(e.ticket_id, e.data["level"]): e for e in events}
    assert set(by_ticket) == {
        (multi, "supervisor"),
        (multi, "leadership"),
        (single, "supervisor"),
        (single, "leadership"),
    }
    first = by_ticket[(multi, "supervisor")]
    assert first.seq == 1 and first.prev_hash == GENESIS_HASH  # a chain of its own
    assert by_ticket[(multi, "leadership")].prev_hash != GENESIS_HASH
    assert first.data["multi_sector"] is True
    # What happened is noted; the reason is the lead unit's to type (explain_delay): no
    # generated text is published as a reason.
    note = first.data["note"]
    assert "PA-1" in note and "UBND phường Bến Nghé" in note and "Sở Xây dựng" in note
    assert "09:00 ngày 02/03/2026" in note
    assert "reason" not in first.data and "publish_reason" not in first.data
    assert first.data["reason_awaited"] is True
    assert "note" not in by_ticket[(single, "supervisor")].data  # one unit: nothing to note
    assert len(outbox_rows) == 4  # every event went to the outbox


def test_a_second_record_of_the_same_escalation_is_a_no_op(database: Database) -> None:
    sid = station(database)
    ward = unit(database, "W1", "UBND phường 1")
    ticket(database, sid, "PA-9", t(2, 8), t(2, 9), units=(ward,))
    one = AlertScanner(database, lambda: t(2, 9, 30), since=t(2, 8, 50))
    two = AlertScanner(database, lambda: t(2, 9, 30), since=t(2, 8, 50))  # another station
    found = one.scan().escalations
    assert [e.level for e in found] == ["supervisor"]
    assert len(one.record(found, station_id=sid)) == 1
    assert two.record(two.scan().escalations, station_id=sid) == []
    assert two.scan(t(2, 9, 40)).escalations == ()  # and found no more


def test_first_scan_catches_up_on_escalations_but_not_alerts(database: Database) -> None:
    sid = station(database)
    ticket(database, sid, "PA-5", t(2, 8), t(2, 9))
    scanner = AlertScanner(database, lambda: t(2, 10))
    result = scanner.scan()
    assert result.alerts == ()
    assert [(e.code, e.level) for e in result.escalations] == [("PA-5", "supervisor")]
    assert result.until == t(2, 10)


def test_scan_reads_a_range_of_the_due_index(database: Database) -> None:
    from pakn_desktop.data import alerts_store

    with database.engine.connect() as conn:
        stmt_lines: list[str] = []
        from sqlalchemy import event

        def capture(*args: object) -> None:
            stmt_lines.append(str(args[2]))

        event.listen(conn, "before_cursor_execute", capture)
        alerts_store.open_due_between(conn, ("new",), t(2, 8), t(2, 9), include_low=False)
        event.remove(conn, "before_cursor_execute", capture)
        sql = stmt_lines[-1]
        plan = " ".join(
            str(r[-1])
            for r in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {sql}", ("2026-03-02", "2026-03-03", "new")
            )
        )
    assert "ix_ticket_due" in plan and "SCAN ticket" not in plan.replace("USING INDEX", "")
    assert DeadlineState.AT_RISK.value == "at_risk"


def test_alert_watch_without_a_tray_reports_in_the_status_text(
    qtbot: object, database: Database
) -> None:
    """Offscreen there is no system tray: the watch still scans, records and says so."""
    from PySide6.QtCore import QObject

    from pakn_desktop.ui.alerts import AlertWatch
    from pakn_desktop.ui.tasks import Tasks

    sid = station(database)
    ticket(database, sid, "PA-7", t(2, 8), t(2, 9))
    scanner = AlertScanner(database, lambda: t(2, 8, 50), since=t(2, 8, 40))
    owner = QObject()
    tasks = Tasks(owner)
    watch = AlertWatch(lambda: scanner, tasks, owner)
    assert watch.tray is None
    messages: list[str] = []
    watch.message.connect(messages.append)
    with qtbot.waitSignal(watch.fired, timeout=5000):  # type: ignore[attr-defined]
        watch.scan()
    assert messages == ["1 phản ánh sắp quá hạn (PA-7)"]
    tasks.shutdown()


def test_a_long_alert_keeps_to_one_status_line(qtbot: object, database: Database) -> None:
    """Many reports at once: the status bar gets the counts, not a list that runs off."""
    from PySide6.QtCore import QObject

    from pakn_desktop.ui.alerts import STATUS_LINE_CHARS, AlertWatch
    from pakn_desktop.ui.tasks import Tasks

    sid = station(database)
    for i in range(6):
        ticket(database, sid, f"PA-261125-ABCDE-00{i:02d}", t(2, 8), t(2, 9))
    scanner = AlertScanner(database, lambda: t(2, 8, 50), since=t(2, 8, 40))
    owner = QObject()
    tasks = Tasks(owner)
    watch = AlertWatch(lambda: scanner, tasks, owner)
    messages: list[str] = []
    watch.message.connect(messages.append)
    with qtbot.waitSignal(watch.fired, timeout=5000):  # type: ignore[attr-defined]
        watch.scan()
    (text,) = messages
    assert len(text) <= STATUS_LINE_CHARS and "PA-" not in text
    assert text == "6 phản ánh sắp quá hạn"
    tasks.shutdown()
