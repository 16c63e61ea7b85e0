"""``pakn-desktop sync --server URL --once|--watch [--json]``: push this workstation's changes
to the shared PostgreSQL server, then pull the other stations' (decisions 44, 45).
``--watch`` goes on: a round at once when another station pushes (the server's NOTIFY), else
every ``--poll`` seconds (30), one line (JSON with ``--json``) per round that moved anything,
until Ctrl+C or SIGTERM (exit 0).

Prints ``pushed``, ``pulled``, ``pending``, ``parked``, ``conflicts``; with ``--json`` also
``clock_offset_s``, the server's time minus this station's in seconds as the round measured it
(decision 47), and without it a line in Vietnamese when the station's clock is off the
server's by more than a minute; ``files_uploaded``, ``files_bad`` and ``files_more`` for the
evidence files after the rows (decision 50), and lines in Vietnamese when files went up or a
file here no longer hashes to its name. Exit codes: 0 done
(parked changes are counted, not a failure); 3 refused (no server address, a second station
with this code, the server's schema, the demo database, the login refused: at a terminal the
password is asked once first, decision 51), nothing sent; 1 the server or this
database unreachable or locked, nothing lost; 2 usage. With ``--json`` a refusal is also
``{"refused": {"code", "message"}}`` on stdout. The server's address is never printed whole:
its host and database only.

Wired into ``cli.build_parser`` by :func:`add_parser`; light to import (argparse only).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices

Opener = Callable[[argparse.Namespace], AbstractContextManager["AppServices"]]
EXIT_REFUSED = 3


def add_parser(sub: Any, opener: Opener, print_json: Callable[[Any], None]) -> None:
    sync = sub.add_parser("sync", help="đồng bộ với máy chủ PostgreSQL dùng chung")
    sync.add_argument(
        "--server", metavar="URL", help="máy chủ ($PAKN_SYNC_URL, thiết lập sync.server_url)"
    )
    mode = sync.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="một lượt rồi thoát")
    mode.add_argument(
        "--watch", action="store_true", help="đồng bộ liên tục tới khi Ctrl+C hoặc SIGTERM"
    )
    sync.add_argument(
        "--poll", type=float, default=None, metavar="GIÂY", help="với --watch: hỏi lại sau (30)"
    )
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(handler=lambda args: _sync(args, opener, print_json))


def _sync(args: argparse.Namespace, opener: Opener, print_json: Callable[[Any], None]) -> int:
    from pakn_desktop.services.sync.errors import LOGIN_REFUSED, SyncRefused

    try:
        with opener(args) as services:
            asked = False
            while True:
                try:
                    if args.watch:
                        _watch(args, services, print_json)
                        return 0
                    counts = services.sync.once(args.server)
                    break
                except SyncRefused as refusal:
                    # At a terminal, the password is asked once (decision 51); a script is
                    # told where to put it.
                    if refusal.code != LOGIN_REFUSED or asked or not _ask_password(services):
                        raise
                    asked = True
    except SyncRefused as refusal:
        import logging

        logging.getLogger(__name__).warning("sync refused: %s", refusal.message)
        print(f"pakn-desktop: {refusal.message}", file=sys.stderr)
        if args.json:
            print_json({"refused": {"code": refusal.code, "message": refusal.message}})
        return 1 if refusal.code == "sync_unreachable" else EXIT_REFUSED
    if args.json:
        print_json(counts.as_json())
    else:
        print(counts.summary())
    return 0


def _ask_password(services: AppServices) -> bool:
    """The password from the terminal, for this run only (never stored by the command line);
    False without a terminal or when nothing was typed."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return False
    import getpass

    print(
        "pakn-desktop: máy chủ đồng bộ từ chối đăng nhập (thiếu hoặc sai mật khẩu). Mật khẩu "
        "nhập ở đây chỉ dùng cho lần chạy này, không được lưu; muốn khỏi hỏi: kho khóa (Quản "
        "trị → Máy chủ đồng bộ), ~/.pgpass hoặc biến PAKN_SYNC_PASSWORD.",
        file=sys.stderr,
    )
    try:
        password = getpass.getpass("Mật khẩu máy chủ đồng bộ: ")
    except (EOFError, KeyboardInterrupt):
        return False
    if not password:
        return False
    services.sync_connection.use_password(password, keep=False)
    return True


def _watch(
    args: argparse.Namespace, services: AppServices, print_json: Callable[[Any], None]
) -> None:
    """Rounds until Ctrl+C or SIGTERM, which set the stop event (the round in progress
    finishes: nothing is left half-applied)."""
    import signal
    import threading

    from pakn_desktop.services.sync.watch import Round

    stop = threading.Event()

    def on_signal(_signum: int, _frame: object) -> None:
        stop.set()

    def on_round(done: Round) -> None:
        values = done.counts.as_json()
        if not (values["pushed"] or values["pulled"] or values["parked"]):
            return
        if args.json:
            print_json(values)
        else:
            print(done.counts.summary())
        sys.stdout.flush()  # a line per round, as it happens

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        services.sync.watch(args.server, stop, on_round, args.poll)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
