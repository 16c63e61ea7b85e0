"""Deadline settings: validation, storage in the shared table with outbox rows, and their
effect on computed deadlines, at-risk moments, queue filters and alerts (hand-computed).

Calendar: the week of 2 March 2026 has no holiday; times are local (+07:00).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from pakn_desktop.data.errors import KnownError
from pakn_desktop.data.models import Outbox, Setting, Ticket
from pakn_desktop.data.settings.rows import decoded
from pakn_desktop.data.settings.sla import SLA
from pakn_desktop.domain.sla import Amount, Rung, SettingProblem, SlaSettings, Unit
from pakn_desktop.services.alerts import AlertScanner
from pakn_desktop.services.database import Database
from pakn_desktop.services.queue import QueueQuery, QueueService
from pakn_desktop.services.sla import SlaService, at_risk_for_ticket, save_settings

from .alerts_data import station, ticket

VN = ZoneInfo("Asia/Ho_Chi_Minh")
OPEN = ("forwarded",)


def t(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=VN)


def test_validation_codes() -> None:
    assert SlaSettings().problems() == []
    bad = SlaSettings(
        at_risk_share=0.995,
        office_hours=((time(13), time(17)), (time(7, 30), time(11, 30))),
        weekdays=frozenset(),
        ladder=(
            Rung("supervisor", Amount(1, Unit.WORKING_DAYS)),
            Rung("leadership", Amount(0, Unit.MINUTES)),
        ),
        result_minutes=0,
    )
    assert [p for _f, p in bad.problems()] == [
        SettingProblem.SHARE_RANGE,
        SettingProblem.HOURS_OVERLAP,
        SettingProblem.NO_WEEKDAYS,
        SettingProblem.LADDER_ORDER,
        SettingProblem.RESULT_RANGE,
    ]
    backwards = SlaSettings(at_risk_share=0.0, office_hours=((time(11), time(8)),))
    assert [p for _f, p in backwards.problems()] == [
        SettingProblem.SHARE_RANGE,
        SettingProblem.HOURS_ORDER,
    ]
    overlapping = SlaSettings(office_hours=((time(7), time(12)), (time(11), time(17))))
    assert overlapping.problems() == [("office_hours", SettingProblem.HOURS_OVERLAP)]


def test_stored_rows_round_trip() -> None:
    custom = SlaSettings(
        at_risk_share=0.5,
        office_hours=((time(8), time(12)), (time(13, 30), time(17, 30))),
        weekdays=frozenset({0, 1, 2, 3, 4, 5}),
        ladder=(Rung("supervisor", Amount(30, Unit.MINUTES)),),
        result_minutes=30,
    )
    stored = {s.key: s.kind.encode(v) for s, v in SLA.values(custom).items()}
    assert SLA.build(decoded(SLA.settings(), stored)) == custom
    assert SLA.build({}) == SlaSettings()


def test_defaults_until_saved_then_rows_with_outbox(database: Database) -> None:
    assert SlaService(database).settings() == SlaSettings()
    save_settings(database, SlaSettings(at_risk_share=0.5, result_minutes=30))
    with database.engine.connect() as conn:
        keys = set(conn.execute(select(Setting.key)).scalars())
        outbox = set(
            conn.execute(
                select(Outbox.row_id).where(Outbox.table_name.in_(("setting", "sla_policy")))
            ).scalars()
        )
    assert "sla.at_risk_share" in keys and "sla.office_hours" in keys
    assert keys <= outbox  # every settings row went to the outbox, and the policy's edit
    assert len(outbox - keys) == 1
    sla = SlaService(database)
    assert sla.settings().at_risk_share == 0.5
    # The unit's result deadline is the default policy's budget: 30 minutes now.
    assert sla.deadline_for("mac_dinh", t(2, 8)).resolve_due == t(2, 8, 30)
    with pytest.raises(KnownError):
        save_settings(database, SlaSettings(at_risk_share=1.0))


def test_office_hours_change_working_deadlines(database: Database) -> None:
    urban = "ha_tang_do_thi"
    # Default hours: Mon 16:45 + 1 working day (480 min) = Tue 16:45.
    assert SlaService(database).deadline_for(urban, t(2, 16, 45)).resolve_due == t(3, 16, 45)
    hours = ((time(8), time(12)), (time(13, 30), time(17, 30)))
    save_settings(database, SlaSettings(office_hours=hours))
    # 08:00–12:00 and 13:30–17:30: Mon 16:45–17:30 (45), Tue 240 + 195 → 13:30 + 195 = 16:45.
    assert SlaService(database).deadline_for(urban, t(2, 16, 45)).resolve_due == t(3, 16, 45)
    # A start at 07:45 (before the new opening) counts from 08:00: the whole of Monday, due at
    # its new closing time, 17:30 (a deadline on a closing time is that closing time).
    assert SlaService(database).deadline_for(urban, t(2, 7, 45)).resolve_due == t(2, 17, 30)
    # Saturday worked too: Fri 16:45 + 1 working day = Sat 16:45, not Monday.
    save_settings(database, SlaSettings(weekdays=frozenset(range(6))))
    assert SlaService(database).deadline_for(urban, t(6, 16, 45)).resolve_due == t(7, 16, 45)


def _states(database: Database, now: datetime) -> dict[str, int]:
    queue = QueueService(database)
    return {
        state: queue.shape(QueueQuery(statuses=OPEN, deadline=state, now=now), 50).count
        for state in ("on_track", "at_risk", "overdue")
    }


def test_changing_the_share_moves_at_risk_in_queue_and_alerts(database: Database) -> None:
    sid = station(database)
    # 60-minute rule (real time): 08:00 → 09:00; at 80 % → 08:48.
    tid = ticket(database, sid, "PA-1", t(2, 8), t(2, 9))
    assert _states(database, t(2, 8, 40)) == {"on_track": 1, "at_risk": 0, "overdue": 0}
    saved = save_settings(database, SlaSettings(at_risk_share=0.5))
    assert saved.reports == 1
    with database.engine.connect() as conn:
        stored = conn.execute(select(Ticket.at_risk_at).where(Ticket.id == tid)).scalar_one()
        pushed = conn.execute(
            select(Outbox.payload).where(Outbox.table_name == "ticket", Outbox.op == "update")
        ).scalars()
        payloads = list(pushed)
    assert stored == t(2, 8, 30).astimezone(UTC)  # 50 % → 08:30
    assert payloads == [{"at_risk_at": t(2, 8, 30).astimezone(UTC).isoformat()}]
    assert _states(database, t(2, 8, 40)) == {"on_track": 0, "at_risk": 1, "overdue": 0}
    scanner = AlertScanner(database, lambda: t(2, 8, 31), since=t(2, 8, 29))
    assert [(a.code, a.state.value, a.at) for a in scanner.scan().alerts] == [
        ("PA-1", "at_risk", t(2, 8, 30))
    ]


def test_office_hours_move_a_working_day_reports_at_risk_moment(database: Database) -> None:
    sid = station(database)
    # An urban-infrastructure report: 1 working day, Mon 08:00 → Tue 08:00; at 80 % of 480
    # working minutes (384): Mon 08:00–11:30 (210) + 13:00–15:54 (174) → Mon 15:54.
    tid = ticket(database, sid, "PA-2", t(2, 8), t(3, 8), category="ha_tang_do_thi.cay_xanh")
    with database.engine.connect() as conn:
        before = conn.execute(select(Ticket.at_risk_at).where(Ticket.id == tid)).scalar_one()
    assert before == t(2, 15, 54).astimezone(UTC)
    # Afternoons 13:00–16:00 only: a working day is 4 + 3 = 7 h, and Mon 08:00 → Tue 08:00
    # is 3.5 + 3 + 0.5 = 7 h of it; 80 % = 336 min: 210 in the morning, 126 from 13:00 → 15:06.
    save_settings(
        database, SlaSettings(office_hours=((time(7, 30), time(11, 30)), (time(13), time(16))))
    )
    with database.engine.connect() as conn:
        after = conn.execute(select(Ticket.at_risk_at).where(Ticket.id == tid)).scalar_one()
        assert at_risk_for_ticket(conn, tid, t(3, 8)) == after
    assert after == t(2, 15, 6).astimezone(UTC)
    assert _states(database, t(2, 15, 30)) == {"on_track": 0, "at_risk": 1, "overdue": 0}


def test_the_ladder_comes_from_the_settings(database: Database) -> None:
    sid = station(database)
    ticket(database, sid, "PA-3", t(2, 8), t(2, 9))
    ladder = (
        Rung("supervisor", Amount(30, Unit.MINUTES)),
        Rung("leadership", Amount(2, Unit.WORKING_HOURS)),
    )
    save_settings(database, SlaSettings(ladder=ladder))
    scanner = AlertScanner(database, lambda: t(2, 9, 20), since=t(2, 9, 10))
    assert scanner.scan().escalations == ()  # supervisor only 30 minutes after 09:00
    found = scanner.scan(t(2, 9, 31)).escalations
    assert [(e.level, e.at) for e in found] == [("supervisor", t(2, 9, 30))]
    found = scanner.scan(t(2, 11, 1)).escalations  # 09:00 + 2 working hours = 11:00
    assert [(e.level, e.at) for e in found] == [("leadership", t(2, 11, 0))]


def test_a_running_service_follows_saved_settings_and_calendar_days(database: Database) -> None:
    """Another station (or the settings dialog) saves: a running SlaService sees it once its
    settings are REFRESH_S old, calendar exceptions included (through sla.calendar_version)."""
    from datetime import date

    from pakn_desktop.domain.sla import DayException
    from pakn_desktop.services.sla import load_exceptions

    clock = [0.0]
    sla = SlaService(database, monotonic=lambda: clock[0])
    urban = "ha_tang_do_thi"
    assert sla.deadline_for(urban, t(6, 16, 45)).resolve_due == t(9, 16, 45)  # Fri → Mon
    admin = [e for e in load_exceptions(database) if e.source == "admin"]
    worked = DayException(date(2026, 3, 7), "workday", "Làm bù", "admin")  # a Saturday
    save_settings(database, SlaSettings(), exceptions=[*admin, worked])
    assert sla.deadline_for(urban, t(6, 16, 45)).resolve_due == t(9, 16, 45)  # cached
    clock[0] += SlaService.REFRESH_S
    assert sla.deadline_for(urban, t(6, 16, 45)).resolve_due == t(7, 16, 45)  # Sat worked
    # Removing the administrator's day again gives Monday back.
    save_settings(database, SlaSettings(), exceptions=admin)
    clock[0] += SlaService.REFRESH_S
    assert sla.deadline_for(urban, t(6, 16, 45)).resolve_due == t(9, 16, 45)
    with database.engine.connect() as conn:
        pushed = set(
            conn.execute(
                select(Outbox.row_id).where(Outbox.table_name == "calendar_exception")
            ).scalars()
        )
    assert pushed == {"2026-03-07"}
