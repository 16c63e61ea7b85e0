"""``pakn-desktop export queue``: a queue view to an Excel workbook (.xlsx) or CSV file.

The screen's "Xuất Excel…" without the screen: the same query (a saved view, a search text),
the same writer and the same masking (services/queue_export.py). ``--reveal-identities`` is
the command line's confirmation; it still needs a role that may reveal (``--role``), and a
denouncer's or a confidential reporter's identity never leaves, whatever the role.

Wired under ``export`` by ``cli_export.add_parsers`` (:func:`add_queue_parser`); light to
import (argparse only), as the GUI's start path imports the command line first.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices

# The services over the database the global options name (``cli._services``).
Opener = Callable[[argparse.Namespace], AbstractContextManager["AppServices"]]

EXIT_OK, EXIT_USAGE = 0, 2
SUFFIXES = (".xlsx", ".csv")


def add_queue_parser(export_sub: Any, opener: Opener) -> None:
    """``export queue`` under ``export`` (cli_export.py's subcommands)."""
    queue = export_sub.add_parser(
        "queue",
        help="xuất hàng đợi (một chế độ xem, một chuỗi tìm) ra .xlsx hoặc .csv; "
        "danh tính người phản ánh bị che",
    )
    queue.add_argument("--view", metavar="NAME", help="chế độ xem đã lưu (vd. overdue, “Quá hạn”)")
    queue.add_argument("--query", default="", metavar="TEXT", help="chuỗi tìm như ô tìm kiếm")
    queue.add_argument("--out", required=True, metavar="F.xlsx|F.csv")
    queue.add_argument(
        "--reveal-identities",
        action="store_true",
        help="hiện danh tính người phản ánh (chỉ lãnh đạo, quản trị; người tố cáo và người "
        "xin giữ bí mật luôn bị che)",
    )
    queue.add_argument("--role", default="operator", metavar="R", help="vai trò của người xuất")
    queue.set_defaults(handler=lambda args: _queue(args, opener))


def _usage(message: str) -> int:
    print(f"pakn-desktop: {message}", file=sys.stderr)
    return EXIT_USAGE


def _queue(args: argparse.Namespace, opener: Opener) -> int:
    from datetime import UTC, datetime

    from pakn_desktop.services.queue_export import ExportRequest, export_queue
    from pakn_desktop.services.queue_views import VIEWS, Picks, find_view, view_query

    out = Path(args.out)
    if out.suffix.lower() not in SUFFIXES:
        return _usage(f"--out phải là tệp .xlsx hoặc .csv: {args.out}")
    key = "all"
    if args.view is not None:
        found = find_view(args.view)
        if found is None:
            return _usage(f"không có chế độ xem “{args.view}”; có: {', '.join(VIEWS)}")
        key = found
    query = view_query(key, Picks(now=datetime.now(UTC)))
    if args.query:
        from dataclasses import replace

        query = replace(query, text=args.query)
    request = ExportRequest(query, reveal=args.reveal_identities, role=args.role)
    with opener(args) as services:
        result = export_queue(services.queue, request, out)
    print(f"Đã xuất {result.rows} phản ánh vào {result.path}")
    return EXIT_OK
