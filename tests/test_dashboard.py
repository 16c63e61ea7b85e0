"""The dashboard: built lazily with demo data, aggregates equal independent counts, a bar click
filters the queue, live refresh is throttled, each chart exports to PNG."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from pakn_desktop.data.models import Assignment, Ticket
from pakn_desktop.domain.sla import DeadlineState, deadline_state
from pakn_desktop.services.changes import Changes, Topic
from pakn_desktop.services.dashboard import OPEN, DashboardService, preset_range
from pakn_desktop.services.database import Database
from pakn_desktop.services.demo import generate
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.sla import SlaService
from pakn_desktop.ui.main.window import DASHBOARD, QUEUE, MainWindow
from pakn_desktop.ui.queue.model import ObjectRole

from .db_template import MigratedEnv
from .qt_helpers import open_window

DEMO = 1500


@pytest.fixture
def demo_db(database: Database) -> Database:
    generate(database, DEMO)
    return database


@pytest.fixture
def window(
    qtbot: QtBot, demo_db: Database, env: Environment, tmp_path: Path
) -> Iterator[MainWindow]:
    yield open_window(qtbot, demo_db, env, tmp_path, size=(1400, 900))


def test_pyqtgraph_is_not_on_the_start_path(window: MainWindow) -> None:
    # A fresh interpreter would be cleaner; in-process, other tests may have imported it.
    # (test_start_path checks a fresh interpreter.)
    if not any(name.startswith("pakn_desktop.ui.dashboard.") for name in sys.modules):
        assert "pyqtgraph" not in sys.modules
    assert not window._dashboard_page.built  # type: ignore[union-attr]


def _open_dashboard(qtbot: QtBot, window: MainWindow) -> None:
    window.show_screen(DASHBOARD)
    qtbot.waitUntil(lambda: window.dashboard.snapshot is not None, timeout=15_000)


def test_dashboard_builds_and_matches_independent_counts(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    _open_dashboard(qtbot, window)
    snap = window.dashboard.snapshot
    assert snap is not None
    assert "pyqtgraph" in sys.modules
    with demo_db.engine.connect() as conn:
        rows = conn.execute(
            select(
                Ticket.received_at,
                Ticket.due_at,
                Ticket.channel_code,
                Ticket.category_code,
                Ticket.kind,
                Ticket.urgency,
                Ticket.paused_at,
            ).where(Ticket.status.in_(OPEN))
        ).all()
        received = conn.execute(
            select(func.count()).where(
                Ticket.received_at >= snap.range.start, Ticket.received_at < snap.range.end
            )
        ).scalar_one()
        first_assigned = conn.execute(
            select(Ticket.received_at, func.min(Assignment.assigned_at))
            .join(Assignment, Assignment.ticket_id == Ticket.id)
            .where(Ticket.received_at >= snap.range.start, Ticket.received_at < snap.range.end)
            .group_by(Ticket.id, Ticket.received_at)
        ).all()
    # Deadline states judged in Python by the domain rule: the share of working time for a
    # working-time policy, of real time otherwise (not from the stored at_risk_at).
    sla = SlaService(demo_db)
    # A report waiting for the citizen since before its due time is "paused" (the demo
    # pauses a few); one paused after it stays overdue.
    expected = {"on_track": 0, "at_risk": 0, "overdue": 0, "paused": 0, "no_due": 0}
    for got_received, due, channel, category, kind, urgency, paused_at in rows:
        if due is None:
            expected["no_due"] += 1
            continue
        if paused_at is not None and paused_at < due:
            expected["paused"] += 1
            continue
        policy = sla.match(channel, category, kind, urgency)
        assert policy is not None
        calendar = sla.calendar() if policy.resolve.unit.is_working else None
        state = deadline_state(snap.now, got_received, due, snap.at_risk_share, calendar=calendar)
        expected[state.value] += 1
    assert snap.by_state == expected
    assert sum(snap.backlog) == len(rows)
    assert sum(map(sum, snap.intake.counts)) == received
    over_5 = sum(1 for r, a in first_assigned if (a - r) >= timedelta(minutes=5))
    edges = snap.forward_edges_min
    assert sum(snap.forward[edges.index(5.0) + 1 :]) == over_5
    assert sum(snap.forward) == len(first_assigned)
    assert DeadlineState.OVERDUE.value in snap.by_state


def _click_bar(qtbot: QtBot, panel: object, item: object, index: int) -> None:
    """A real mouse click at the bar's centre, through pyqtgraph's scene."""
    x0, y0, x1, y1 = item.bar_rects()[index]  # type: ignore[attr-defined]
    view = panel.plot.getViewBox()  # type: ignore[attr-defined]
    scene_point = view.mapViewToScene(QPointF((x0 + x1) / 2, (y0 + y1) / 2))
    widget = panel.plot_widget  # type: ignore[attr-defined]
    point = widget.mapFromScene(scene_point)
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point))


def test_clicking_the_overdue_bar_opens_the_queue_filtered(
    qtbot: QtBot, window: MainWindow
) -> None:
    _open_dashboard(qtbot, window)
    screen = window.dashboard
    snap = screen.snapshot
    assert snap is not None and snap.by_state["overdue"] > 0
    overdue = [p.label for p in screen.states.picks if p is not None].index("Quá hạn")
    model = window.queue.model
    with qtbot.waitSignal(model.countKnown, timeout=10_000):
        _click_bar(qtbot, screen.states, screen.states.bars, overdue)
    assert window.current_screen() == QUEUE
    assert model.query.deadline == "overdue"
    assert model.rowCount() == snap.by_state["overdue"]
    assert window.queue.drill.isVisible()
    qtbot.waitUntil(lambda: model.row_object(0) is not None)
    for row in range(min(model.rowCount(), 100)):
        item = model.data(model.index(row, 0), ObjectRole)
        assert item.status in OPEN and item.due_at < snap.now


def test_clicking_an_intake_bar_filters_channel_and_hour(qtbot: QtBot, window: MainWindow) -> None:
    _open_dashboard(qtbot, window)
    screen = window.dashboard
    snap = screen.snapshot
    assert snap is not None
    c, b = max(
        ((c, b) for c in range(len(snap.intake.channels)) for b in range(len(snap.intake.starts))),
        key=lambda cb: snap.intake.counts[cb[0]][cb[1]],
    )
    model = window.queue.model
    with qtbot.waitSignal(model.countKnown, timeout=10_000):
        _click_bar(qtbot, screen.intake, screen.intake.items[c], b)
    assert model.query.channel == snap.intake.channels[c][0]
    assert model.query.received_from == snap.intake.starts[b]
    assert model.rowCount() == snap.intake.counts[c][b]


def test_unit_and_backlog_bars_filter_the_queue(qtbot: QtBot, window: MainWindow) -> None:
    _open_dashboard(qtbot, window)
    screen = window.dashboard
    snap = screen.snapshot
    assert snap is not None
    model = window.queue.model
    busiest = max(range(len(snap.backlog)), key=lambda i: snap.backlog[i])
    with qtbot.waitSignal(model.countKnown, timeout=10_000):
        screen.backlog.bars.sigBarClicked.emit(busiest)
    assert model.rowCount() == snap.backlog[busiest]
    units = list(reversed(snap.units))
    with qtbot.waitSignal(model.countKnown, timeout=10_000):
        window.show_screen(DASHBOARD)
        screen.units.bars.sigBarClicked.emit(0)
    assert model.query.unit == units[0].unit_id
    assert model.rowCount() >= units[0].closed  # closed ones and the still open ones


def test_live_refresh_is_throttled(qtbot: QtBot, window: MainWindow) -> None:
    _open_dashboard(qtbot, window)
    screen = window.dashboard
    count = [0]
    screen.refreshed.connect(lambda _s: count.__setitem__(0, count[0] + 1))
    for _ in range(20):  # twenty reports written within a few milliseconds
        window.changes.publish(Changes.reports_updated([uuid.uuid4()]))
    qtbot.waitUntil(lambda: count[0] >= 1, timeout=5000)
    qtbot.wait(1300)
    assert count[0] <= 2
    assert screen.last_apply_ms < 50


def test_only_changes_that_concern_it_refresh_it(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _open_dashboard(qtbot, window)
    screen = window.dashboard
    asked: list[None] = []
    monkeypatch.setattr(screen, "request_refresh", lambda: asked.append(None))

    def asks(changes: Changes) -> bool:
        before = len(asked)
        window.changes.publish(changes)  # heard at once, on this thread
        return len(asked) > before

    assert not asks(Changes.of(Topic.ROUTING_RULES, Topic.NOTIFY_SETTINGS))
    assert asks(Changes.reports_updated([uuid.uuid4()]))
    assert asks(Changes.of(Topic.DEADLINE_SETTINGS))  # deadline states are counted anew
    assert asks(Changes.of(Topic.UNITS))  # the bars name the units


def test_each_chart_exports_a_png(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    _open_dashboard(qtbot, window)
    for name, panel in window.dashboard.panels().items():
        target = tmp_path / f"{name}.png"
        assert panel.export_png(target)
        image = QImage(str(target))
        assert not image.isNull() and image.width() > 100 and target.stat().st_size > 1000


def test_range_presets(demo_db: Database) -> None:
    now = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 09:00 local
    today = preset_range("today", now)
    assert today.start == datetime(2026, 3, 9, 17, 0, tzinfo=UTC)  # local midnight
    assert today.unit == "hour"
    assert preset_range("30d", now).unit == "day"
    service = DashboardService(demo_db)
    week = service.snapshot(preset_range("7d", datetime.now(UTC)))
    assert len(week.intake.starts) == 7 * 24
    # Switching the range must not reuse the hourly SQL (SQLAlchemy's statement cache).
    month = service.snapshot(preset_range("30d", datetime.now(UTC)))
    assert len(month.intake.starts) == 30
    assert sum(map(sum, month.intake.counts)) >= sum(map(sum, week.intake.counts))


@pytest.mark.postgres
def test_postgresql_gives_the_same_figures_and_queue_filters(
    pg_migrated_url: str, tmp_path: Path, migrated: MigratedEnv
) -> None:
    """The engine-specific SQL (epoch, hour/day buckets) on a real PostgreSQL: the same
    snapshot as SQLite over the same demo reports, and each deadline filter's count agrees."""
    from pakn_desktop.data.stations import local_station
    from pakn_desktop.services.database import open_database
    from pakn_desktop.services.environment import resolve
    from pakn_desktop.services.queue import QueueQuery, QueueService

    now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    pg = open_database(resolve(db=pg_migrated_url, data_dir=str(tmp_path / "pg")))
    lite = open_database(migrated(tmp_path / "lite"))
    try:
        shots = []
        for db in (pg, lite):
            with db.sessions.begin() as s:
                local_station(s, "HN01")
            generate(db, 400, seed=4, now=now)
            service = DashboardService(db, clock=lambda: now)
            for name in ("today", "7d", "30d"):
                shots.append(replace(service.snapshot(preset_range(name, now)), seconds=0))
            queue = QueueService(db)
            for state, n in shots[-1].by_state.items():
                query = QueueQuery(statuses=OPEN, deadline=state, now=now)
                assert queue.shape(query, 100).count == n, (db.backend, state)
            month = shots[-1]
            edges = (None, *month.forward_edges_min, None)
            for i, n in enumerate(month.forward):
                query = QueueQuery(
                    forward_minutes=(edges[i], edges[i + 1]),
                    received_from=month.range.start,
                    received_to=month.range.end,
                )
                assert queue.shape(query, 100).count == n, (db.backend, "forward", i)
        assert shots[:3] == shots[3:]
    finally:
        pg.close()
        lite.close()


def test_building_the_main_window_does_not_import_pyqtgraph(tmp_path: Path) -> None:
    """In a fresh interpreter (other tests here import it): the start path stays light."""
    import subprocess

    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from pakn_desktop.services.app_services import AppServices\n"
        "from pakn_desktop.services.environment import resolve\n"
        "from pakn_desktop.ui.main.build import build_main_window\n"
        f"env = resolve(data_dir={str(tmp_path / 'data')!r})\n"
        "window = build_main_window(AppServices(lambda: None, env), env)\n"
        "window.show(); app.processEvents()\n"
        "print('pyqtgraph' in sys.modules, 'numpy' in sys.modules)\n"
        "window.close()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_clicking_a_forward_time_bar_opens_exactly_its_reports(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    """A real click on the slowest-but-one bin's bar: the queue holds the reports received in
    the range whose first assignment came that many minutes after receipt, no more, no less."""
    _open_dashboard(qtbot, window)
    screen = window.dashboard
    snap = screen.snapshot
    assert snap is not None
    edges = snap.forward_edges_min
    bin_ = edges.index(5.0) + 1  # 5–6 minutes: just over the target
    assert snap.forward[bin_] > 0
    model = window.queue.model
    with qtbot.waitSignal(model.countKnown, timeout=10_000):
        _click_bar(qtbot, screen.forward, screen.forward.bars, bin_)
    assert window.current_screen() == QUEUE
    assert model.query.forward_minutes == (5.0, 6.0)
    assert window.queue.drill.isVisible()
    assert model.rowCount() == snap.forward[bin_]
    # The same reports, found independently in Python.
    with demo_db.engine.connect() as conn:
        firsts = conn.execute(
            select(Ticket.code, Ticket.received_at, func.min(Assignment.assigned_at))
            .join(Assignment, Assignment.ticket_id == Ticket.id)
            .where(Ticket.received_at >= snap.range.start, Ticket.received_at < snap.range.end)
            .group_by(Ticket.id, Ticket.code, Ticket.received_at)
        ).all()
    expected = {
        code
        for code, got, first in firsts
        if timedelta(minutes=5) <= first - got < timedelta(minutes=6)
    }
    qtbot.waitUntil(lambda: model.row_object(0) is not None)
    shown = set()
    for row in range(model.rowCount()):
        qtbot.waitUntil(lambda r=row: model.row_object(r) is not None)
        shown.add(model.data(model.index(row, 0), ObjectRole).code)
    assert shown == expected
