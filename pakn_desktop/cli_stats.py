"""``pakn-desktop stats [--json] [--from D --to D]``: the database's counts and, for a range of
office days, the dashboard's own figures (``services.dashboard.DashboardService.snapshot``),
so a script and the dashboard never disagree about a period.

Wired into ``cli.build_parser`` by :func:`add_parser`; light to import (argparse only).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices

# The services over the database the global options name (``cli._services``).
Opener = Callable[[argparse.Namespace], AbstractContextManager["AppServices"]]


def office_day(text: str) -> date:
    """A YYYY-MM-DD argument (argparse turns the error into a usage message)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text!r} (YYYY-MM-DD)") from None


def add_parser(sub: Any, opener: Opener, print_json: Callable[[Any], None]) -> None:
    stats = sub.add_parser("stats", help="số liệu tổng hợp")
    stats.add_argument("--json", action="store_true")
    stats.add_argument(
        "--from", dest="day_from", type=office_day, metavar="D", help="từ ngày (YYYY-MM-DD)"
    )
    stats.add_argument(
        "--to", dest="day_to", type=office_day, metavar="D", help="đến hết ngày (YYYY-MM-DD)"
    )
    stats.set_defaults(handler=lambda args: _stats(args, opener, print_json))


def period_figures(database: Any, first: date, last: date) -> dict[str, Any]:
    """The dashboard's figures for the office days ``first``..``last`` (both included)."""
    from datetime import UTC, datetime, time, timedelta

    from pakn_desktop.domain.office_time import OFFICE_OFFSET
    from pakn_desktop.services.dashboard import DashboardService, TimeRange

    def midnight(day: date) -> datetime:
        return (datetime.combine(day, time()) - OFFICE_OFFSET).replace(tzinfo=UTC)

    range_ = TimeRange(midnight(first), midnight(last + timedelta(days=1)))
    shot = DashboardService(database, top_units=1_000_000).snapshot(range_)
    by_channel = {
        code: sum(row)
        for (code, _), row in zip(shot.intake.channels, shot.intake.counts, strict=True)
    }
    closed = sum(u.closed for u in shot.units)
    on_time = sum(u.on_time for u in shot.units)
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "received": sum(by_channel.values()),
        "received_by_channel": by_channel,
        "forwarded_on_time": sum(shot.forward_days.on_time),
        "forwarded_late": sum(shot.forward_days.late),
        "closed": closed,
        "closed_on_time": on_time,
        "on_time_rate": round(on_time / closed, 4) if closed else None,
        "open_by_state": dict(shot.by_state),
    }


def _stats(args: argparse.Namespace, opener: Opener, print_json: Callable[[Any], None]) -> int:
    from pakn_desktop.services.stats import collect

    if (args.day_from is None) != (args.day_to is None):
        return _usage("cần cả --from và --to")
    if args.day_from is not None and args.day_from > args.day_to:
        return _usage("--from phải trước hoặc bằng --to")
    with opener(args) as services:
        database = services.database
        figures = collect(database)
        if args.day_from is not None:
            figures["period"] = period_figures(database, args.day_from, args.day_to)
    if args.json:
        print_json(figures)
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0


def _usage(message: str) -> int:
    print(f"pakn-desktop: {message}", file=sys.stderr)
    return 2  # cli.EXIT_USAGE: checked before the database is opened
