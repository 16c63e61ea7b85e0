"""``pakn-desktop export daily --date D --out F.xlsx [--cutoff HH:MM] [--days N]``: the daily
steering-committee report for schedulers (cron, Task Scheduler) and scripts. The heading's
issuing body and place and the cut-off hour come from the settings unless given here.

Wired into ``cli.build_parser`` by :func:`add_parsers`; light to import (argparse only).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pakn_desktop.cli_stats import office_day

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices

# The services over the database the global options name (``cli._services``).
Opener = Callable[[argparse.Namespace], AbstractContextManager["AppServices"]]


def _cutoff(text: str) -> time:
    try:
        moment = time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"giờ chốt không hợp lệ: {text!r} (HH:MM)") from None
    return moment.replace(second=0, microsecond=0)


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 31:
        raise argparse.ArgumentTypeError(f"số ngày không hợp lệ: {text!r} (1–31)")
    return int(text)


def _xlsx(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() != ".xlsx":
        raise argparse.ArgumentTypeError(f"tệp xuất phải là .xlsx: {text!r}")
    return path


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser], opener: Opener) -> None:
    from pakn_desktop.domain.daily_figures import DEFAULT_CUTOFF

    export = sub.add_parser("export", help="xuất báo cáo, hàng đợi ra Excel hoặc CSV")
    export_sub = export.add_subparsers(
        dest="export_command", required=True, parser_class=parser_class
    )
    daily = export_sub.add_parser(
        "daily",
        help="báo cáo tổng hợp hằng ngày: kỳ kết thúc lúc giờ chốt của ngày --date",
    )
    daily.add_argument("--date", required=True, type=office_day, metavar="YYYY-MM-DD")
    daily.add_argument("--out", required=True, type=_xlsx, metavar="F.xlsx")
    daily.add_argument(
        "--cutoff",
        type=_cutoff,
        metavar="HH:MM",
        help="giờ chốt số liệu, giờ của trung tâm (mặc định: theo cài đặt, "
        f"ban đầu {DEFAULT_CUTOFF:%H:%M})",
    )
    daily.add_argument("--days", type=_days, default=1, metavar="N", help="số ngày của kỳ")
    daily.add_argument("--issuer", metavar="TEXT", help="cơ quan ban hành (dòng đầu bên trái)")
    daily.add_argument("--place", metavar="TEXT", help="địa danh ở dòng ngày tháng")
    daily.add_argument("--number", metavar="TEXT", help="số văn bản, ví dụ 12/BC-TTPAKN")
    daily.set_defaults(handler=lambda args: _daily(args, opener))

    from pakn_desktop.cli_export_queue import add_queue_parser

    add_queue_parser(export_sub, opener)


def _daily(args: argparse.Namespace, opener: Opener) -> int:
    from dataclasses import replace

    from pakn_desktop.reports.daily_workbook import write_daily
    from pakn_desktop.services.reports.daily import (
        daily_figures,
        daily_period,
        stored_cutoff,
        stored_letterhead,
    )
    from pakn_desktop.services.settings import Settings

    given = {"issuer": args.issuer, "place": args.place, "number": args.number}
    with opener(args) as services:
        database = services.database
        settings = Settings(database)
        letterhead = replace(stored_letterhead(settings), **{k: v for k, v in given.items() if v})
        period = daily_period(
            args.date, stored_cutoff(settings) if args.cutoff is None else args.cutoff, args.days
        )
        figures = daily_figures(database, period)
    out = write_daily(figures, args.out, letterhead)
    h = figures.headline
    print(f"Đã xuất {out}: {h.received} phản ánh tiếp nhận, {len(figures.overdue)} quá hạn")
    return 0
