"""``pakn-desktop screenshot SCREEN --out F.png`` and ``screenshot all --out DIR
[--contact-sheet]``: screens and dialogs rendered offscreen on the demo database.

Wired into ``cli.build_parser`` by :func:`add_parser`; light to import (argparse only)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

Resolver = Callable[[argparse.Namespace], Any]  # the Environment the global options name


def add_parser(sub: Any, environment: Resolver) -> None:
    shot = sub.add_parser(
        "screenshot", help="chụp một màn hình hoặc hộp thoại (all: tất cả) với dữ liệu mẫu"
    )
    shot.add_argument("screen", metavar="SCREEN", help="tên màn hình, hoặc all")
    shot.add_argument("--out", required=True, metavar="F.png|DIR", help="all: một thư mục")
    shot.add_argument("--width", type=int, default=1366)
    shot.add_argument("--height", type=int, default=768)
    shot.add_argument(
        "--contact-sheet",
        action="store_true",
        help="all: ghép thêm contact-sheet.png và nén các ảnh",
    )
    shot.set_defaults(handler=lambda args: _screenshot(args, environment))


def _screenshot(args: argparse.Namespace, environment: Resolver) -> int:
    size = (args.width, args.height)
    if args.screen != "all":
        from pakn_desktop.ui.screenshot.render import render_screen

        render_screen(environment(args), args.screen, args.out, size=size)
        print(args.out)
        return 0
    from pakn_desktop.ui.screenshot.sheet import shoot_all

    for path in shoot_all(environment(args), args.out, size, sheet=args.contact_sheet):
        print(path)
    return 0
