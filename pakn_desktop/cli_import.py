"""``pakn-desktop import FILE [--dry-run] [--json]``: a register (.xlsx or CSV) into the
database, for schedulers and scripts (issue 15 item 7).

Prints the counts (imported, already there, skipped, errors, warnings) and the error rows;
the row-level report is written next to the file (``<FILE>.ket-qua-nhap.csv``). Exit status 1
when any row was refused, so a script knows to read the report; a file that is no register
fails before the database opens. Wired into ``cli.build_parser`` by :func:`add_parser`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices

# The services over the database the global options name (``cli._services``).
Opener = Callable[[argparse.Namespace], AbstractContextManager["AppServices"]]


def add_parser(sub: Any, opener: Opener) -> None:
    imp = sub.add_parser(
        "import",
        help="nhập sổ theo dõi phản ánh từ Excel (.xlsx) hoặc CSV; nhập lại không trùng",
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=lambda args: _import(args, opener))


def _import(args: argparse.Namespace, opener: Opener) -> int:
    import json
    from pathlib import Path

    from pakn_desktop.services.reports.register_import import import_register, preview

    path = Path(args.file)
    preview(path)  # a file that is no register fails before the database opens
    with opener(args) as services:
        result = import_register(services.database, services.intake, path, dry_run=args.dry_run)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, sort_keys=True))
        return 1 if result.errors else 0
    for problem in result.errors:
        print(
            f"pakn-desktop: dòng {problem.row}, cột “{problem.column}”: {problem.reason}",
            file=sys.stderr,
        )
    note = " (chạy thử, chưa ghi gì)" if result.dry_run else ""
    verb = "Sẽ nhập" if result.dry_run else "Đã nhập"
    print(
        f"{verb} {result.imported}, đã có từ trước {result.already}, bỏ qua {result.skipped}, "
        f"lỗi {len(result.errors)}, cảnh báo {len(result.warnings)}{note}"
    )
    if result.report is not None:
        print(f"Kết quả từng dòng: {result.report}")
    if result.report_error:
        print(f"pakn-desktop: {result.report_error}", file=sys.stderr)
    return 1 if result.errors else 0
