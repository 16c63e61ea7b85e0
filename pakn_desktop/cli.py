"""``pakn-desktop``: the GUI with no subcommand, and the scriptable services with one.

Every failure the user can cause (bad option, bad URL, locked or corrupt database, unwritable
folder) prints one line on stderr and exits non-zero; ``--json`` output is stable for scripts.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pakn_desktop import __version__
from pakn_desktop.data.errors import classify

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse prints a usage block; we want one line
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"không phải số nguyên: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"phải ≥ 0, nhận được {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="pakn-desktop", description="Tiếp nhận và xử lý phản ánh, kiến nghị")
    parser.add_argument("--version", action="version", version=f"pakn-desktop {__version__}")
    parser.add_argument("--db", metavar="URL", help="cơ sở dữ liệu (mặc định: $PAKN_DB_URL)")
    parser.add_argument("--data-dir", metavar="DIR", help="thư mục dữ liệu ($PAKN_DATA_DIR)")
    parser.add_argument(
        "--station", metavar="CODE", help="mã máy trạm khi tạo cơ sở dữ liệu ($PAKN_STATION)"
    )
    parser.add_argument(
        "--debug", action="store_true", help="nhật ký chi tiết (DEBUG), lỗi kèm traceback"
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    db = sub.add_parser("db", help="cơ sở dữ liệu")
    db_sub = db.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    upgrade = db_sub.add_parser("upgrade", help="tạo hoặc nâng cấp cấu trúc")
    upgrade.add_argument(
        "--station",
        dest="upgrade_station",
        metavar="CODE",
        help="mã máy trạm của cơ sở dữ liệu mới",
    )
    upgrade.set_defaults(handler=_db_upgrade)

    demo = sub.add_parser("demo", help="tạo dữ liệu mẫu")
    demo.add_argument("--tickets", type=_non_negative, required=True, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.set_defaults(handler=_demo)

    from pakn_desktop.cli_stats import add_parser as add_stats_parser

    add_stats_parser(sub, _services, _print_json)

    sla = sub.add_parser("sla", help="hạn xử lý")
    sla_sub = sla.add_subparsers(dest="sla_command", required=True, parser_class=_Parser)
    deadline = sla_sub.add_parser("deadline", help="hạn xử lý theo một chính sách")
    deadline.add_argument("--start", required=True, metavar="ISO")
    deadline.add_argument("--policy", required=True, metavar="NAME")
    deadline.add_argument("--json", action="store_true")
    deadline.set_defaults(handler=_sla_deadline)

    intake = sub.add_parser("intake", help="ghi nhận một phản ánh từ JSON (tổng đài, CTI)")
    intake.add_argument("--json", required=True, metavar="FILE|-", help="tệp JSON, - là stdin")
    intake.add_argument(
        "--output-json", action="store_true", help='in {"code", "id", "status"} thay vì mã hồ sơ'
    )
    intake.set_defaults(handler=_intake)

    _add_evidence_parsers(sub)

    notify = sub.add_parser("notify", help="gửi tin nhắn, thư báo cho đơn vị xử lý")
    once_or_watch = notify.add_mutually_exclusive_group(required=True)
    once_or_watch.add_argument("--once", action="store_true", help="gửi các tin đến hạn rồi thoát")
    once_or_watch.add_argument("--watch", action="store_true", help="gửi liên tục tới khi dừng")
    notify.add_argument(
        "--interval", type=float, default=0.5, metavar="S", help="giây giữa hai lượt"
    )
    notify.add_argument("--json", action="store_true")
    notify.set_defaults(handler=_notify)

    search = sub.add_parser("search", help="tìm phản ánh (không phân biệt dấu, đ/d)")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=_non_negative, default=50, metavar="N")
    search.add_argument("--json", action="store_true")
    search.set_defaults(handler=_search)

    from pakn_desktop.cli_units import add_parsers as add_units_parsers

    add_units_parsers(sub, _Parser, _services)

    from pakn_desktop.cli_import import add_parser as add_import_parser

    add_import_parser(sub, _services)

    from pakn_desktop.cli_ticket import add_parsers as add_ticket_parsers

    add_ticket_parsers(sub, _Parser, _services)

    from pakn_desktop.cli_screenshot import add_parser as add_screenshot_parser

    add_screenshot_parser(sub, _environment)

    from pakn_desktop.cli_export import add_parsers as add_export_parsers

    add_export_parsers(sub, _Parser, _services)

    from pakn_desktop.cli_sync import add_parser as add_sync_parser

    add_sync_parser(sub, _services, _print_json)
    return parser


def _add_evidence_parsers(sub: Any) -> None:
    evidence = sub.add_parser("evidence", help="minh chứng (tệp đính kèm)")
    ev_sub = evidence.add_subparsers(dest="evidence_command", required=True, parser_class=_Parser)
    add = ev_sub.add_parser(
        "add",
        help="đính kèm tệp vào hồ sơ (tất cả hoặc không tệp nào: một tệp hỏng thì không lưu gì)",
    )
    add.add_argument("code", metavar="CODE", help="mã hồ sơ, ví dụ PA-261124-0042")
    add.add_argument("files", metavar="FILE", nargs="+")
    add.add_argument(
        "--source", choices=("file", "screenshot", "clipboard", "drop"), default="file"
    )
    add.add_argument("--max-mb", type=_non_negative, metavar="N", help="giới hạn cỡ tệp (MB)")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=_evidence_add)
    verify = ev_sub.add_parser("verify", help="băm lại toàn bộ kho, nêu tệp thiếu hoặc bị sửa")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=_evidence_verify)
    pack = ev_sub.add_parser("archive", help="gói biên bản lưu trữ (ZIP) của một hồ sơ")
    pack.add_argument("code", metavar="CODE")
    pack.add_argument("--out", required=True, metavar="F.zip")
    pack.add_argument("--redacted", action="store_true", help="kèm cả bản đã che thông tin")
    pack.set_defaults(handler=_evidence_archive)


def _print_json(value: Any) -> None:
    import json  # only scripts ask for JSON; the GUI start path does without

    print(json.dumps(value, ensure_ascii=False, sort_keys=True))


def _environment(args: argparse.Namespace) -> Any:
    from pakn_desktop.services.environment import resolve

    station = getattr(args, "upgrade_station", None) or args.station
    return resolve(db=args.db, data_dir=args.data_dir, station=station)


@contextlib.contextmanager
def _services(
    args: argparse.Namespace, *, as_login: bool = False, **options: Any
) -> Iterator[AppServices]:
    """The command's services, built as the GUI's are (``services.app_services``); the
    database opens on first use and closes after. Its records name no user unless
    ``as_login`` (the workflow's ``ticket`` commands act as this OS login, as the window)."""
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.services.opening import DatabaseOpener

    env = _environment(args)
    opener = DatabaseOpener(env)
    try:
        yield AppServices(opener, env, as_login=as_login, **options)
    finally:
        opener.close()


def _db_upgrade(args: argparse.Namespace) -> int:
    from pakn_desktop.data.migrate import current_revision

    with _services(args) as services:
        print(f"Cơ sở dữ liệu ở phiên bản {current_revision(services.database.engine)}")
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from pakn_desktop.services.demo import generate

    with _services(args) as services:
        count = generate(services.database, tickets=args.tickets, seed=args.seed)
    print(f"Đã tạo {count} phản ánh mẫu")
    return EXIT_OK


def _sla_deadline(args: argparse.Namespace) -> int:
    from pakn_desktop.services.sla import as_json, parse_start

    start = parse_start(args.start)  # bad input fails before the database is opened
    with _services(args) as services:
        due = services.sla.deadline_for(args.policy, start)
    if args.json:
        _print_json(as_json(args.policy, start, due))
    else:
        print(due.resolve_due.isoformat())
    return EXIT_OK


def _intake(args: argparse.Namespace) -> int:
    """One report from a JSON object with the intake form's fields; the JSON is checked before
    the database is opened, and nothing is stored unless the whole report is valid."""
    import json

    from pakn_desktop.cli_input import read_stdin, read_text
    from pakn_desktop.services.intake.form import IntakeInvalid, form_from_json

    try:
        text = read_stdin() if args.json == "-" else read_text(args.json)
        form = form_from_json(text)
        saved = _save_intake(args, form)
    except IntakeInvalid as invalid:
        for error in invalid.result.errors:
            print(f"pakn-desktop: {error.field}: {error.message}", file=sys.stderr)
        return EXIT_ERROR
    for warning in saved.warnings:
        print(f"pakn-desktop: cảnh báo: {warning.field}: {warning.message}", file=sys.stderr)
    if args.output_json:
        out = {"code": saved.code, "id": str(saved.id), "status": saved.status}
        print(json.dumps(out, ensure_ascii=False, sort_keys=True))
    else:
        print(saved.code)
    return EXIT_OK


def _save_intake(args: argparse.Namespace, form: Any) -> Any:
    with _services(args) as services:
        return services.intake.save(form)


def _evidence_add(args: argparse.Namespace) -> int:
    """All or nothing: every file is checked and staged first, so one bad file stores none
    of them (a script can fix the list and run the same command again)."""
    from pakn_desktop.services.evidence import flags

    limit = args.max_mb * 1024 * 1024 if args.max_mb else None
    with _services(args, evidence_max_bytes=limit) as services:
        store = services.evidence_store
        attached = services.evidence.attach_files(args.code, args.files, source=args.source)
    for a in attached:  # taken as they are, but said (decision 25)
        for code in a.warnings:
            text = flags.message(code, store.path_of(a.sha256))
            print(f"pakn-desktop: cảnh báo: {a.display_name}: {text}", file=sys.stderr)
    if args.json:
        _print_json(
            [
                {"sha256": a.sha256, "name": a.display_name, "mime": a.mime, "size": a.size}
                | {"id": str(a.id), "already_attached": a.already_attached}
                | {"warnings": list(a.warnings)}
                for a in attached
            ]
        )
    else:
        for a in attached:
            note = " (đã có trong hồ sơ)" if a.already_attached else ""
            print(f"{a.sha256}  {a.display_name}{note}")
    return EXIT_OK


def _evidence_verify(args: argparse.Namespace) -> int:
    with _services(args) as services:
        report = services.evidence.verify_all()
    problems = [*report.missing, *report.altered, *report.irregular]
    if args.json:
        _print_json(
            {
                "ok": report.ok_count,
                "problems": [
                    {"sha256": p.sha256, "kind": p.kind, "names": list(p.names)}
                    | {"codes": list(p.ticket_codes), "actual_sha256": p.actual_sha256}
                    | ({"detail": p.detail} if p.detail else {})
                    for p in problems
                ],
                "orphans": [p.sha256 for p in report.orphans],
            }
        )
    else:
        words = {
            "missing": "THIẾU",
            "altered": "BỊ THAY ĐỔI",
            "not_regular": "KHÔNG PHẢI TỆP THƯỜNG",
            "unreadable": "KHÔNG ĐỌC ĐƯỢC",
        }
        for p in problems:
            names = ", ".join(p.names) or "?"
            codes = ", ".join(p.ticket_codes) or "không thuộc hồ sơ nào"
            what = f" ({p.detail})" if p.detail else ""
            print(f"{words[p.kind]}{what}: {p.sha256}  {names}  [{codes}]")
        for p in report.orphans:
            print(f"tệp không thuộc hồ sơ nào (không phải lỗi): {p.sha256}")
        irregular = f", {len(report.irregular)} mục bất thường" if report.irregular else ""
        print(
            f"{report.ok_count} tệp đúng, {len(report.missing)} tệp thiếu, "
            f"{len(report.altered)} tệp bị thay đổi{irregular}"
        )
    return EXIT_OK if report.ok else EXIT_ERROR


def _notify(args: argparse.Namespace) -> int:
    """Send due notifications once, or keep sending until interrupted (Ctrl+C, SIGTERM)."""
    import signal
    import threading

    with _services(args) as services:
        # The shared settings and the keyring, with PAKN_SMS_URL, PAKN_SMTP_* over them.
        dispatcher = services.dispatcher
        if args.once:
            counts = dispatcher.deliver_due().figures()
            if args.json:
                _print_json(counts)
            else:
                print(", ".join(f"{k}: {v}" for k, v in counts.items()))
            return EXIT_OK
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())

        def report(counts: Any) -> None:
            if args.json:  # one JSON object per line, as --once prints it
                _print_json(counts.figures())
            else:
                print(", ".join(f"{k}: {v}" for k, v in counts.figures().items()))
            sys.stdout.flush()

        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C ends the watch quietly
            dispatcher.watch(stop, interval=max(args.interval, 0.01), on_counts=report)
    return EXIT_OK


def _search(args: argparse.Namespace) -> int:
    """The queue's search, accent- and đ-insensitive, newest first; ``--json``: a stable list
    of {code, received_at, status, summary, …} objects."""
    from pakn_desktop.services.search import as_json

    with _services(args) as services:
        hits = services.search.search(args.query, limit=args.limit)
    if args.json:
        _print_json(as_json(hits))
    else:
        for hit in hits:
            print(f"{hit.code}\t{hit.received_at.isoformat()}\t{hit.status}\t{hit.summary}")
    return EXIT_OK


def _evidence_archive(args: argparse.Namespace) -> int:
    """A denouncer's identity stays out: revealing it needs an authorised role, which the
    command line cannot prove."""
    from pathlib import Path

    from pakn_desktop.services.archive import build_archive

    with _services(args) as services:
        result = build_archive(
            services.evidence, Path(args.out), ticket=args.code, include_redacted=args.redacted
        )
    print(f"{result.path}  ({result.files} tệp)")
    return EXIT_OK


def _run_gui(args: argparse.Namespace) -> int:
    from pakn_desktop.app import run

    return run(_environment(args), debug=args.debug)  # its log starts after the first paint


def _start_logging(args: argparse.Namespace) -> Any:
    from pakn_desktop.services.logging_setup import start_logging

    return start_logging(_environment(args).log_dir, debug=args.debug)


def _unexpected(error: Exception, log_file: Any, *, debug: bool) -> int:
    """A bug: one line in Vietnamese and where its report is; the traceback only with
    ``--debug`` (its message may quote what was typed, so the log file never has it)."""
    import logging
    import traceback

    logging.getLogger(__name__).error("unexpected error", exc_info=error)
    where = f"; chi tiết ghi trong {log_file}" if log_file is not None else ""
    print(f"pakn-desktop: lỗi không mong đợi ({type(error).__name__}){where}", file=sys.stderr)
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    return EXIT_ERROR


def _reader_went_away() -> int:
    """``pakn-desktop search … | head``: the reader has what it wanted. Quiet, and stdout
    pointed at /dev/null so that the interpreter's last flush does not fail again (also after
    stdout failed otherwise)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a descriptor (a test's capture)
        pass
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as error:
        print(f"pakn-desktop: {error}", file=sys.stderr)
        return EXIT_USAGE
    handler: Handler = getattr(args, "handler", _run_gui)
    log_file = None
    try:
        if handler is not _run_gui:
            log_file = _start_logging(args)
        code = handler(args)
        sys.stdout.flush()  # here, not at exit: stdout on a full disk is an error to report
        return code
    except BrokenPipeError:
        return _reader_went_away()
    except Exception as error:
        known = classify(error)
        if known is None:
            return _unexpected(error, log_file, debug=args.debug)
        if isinstance(error, OSError) and error.filename is None:
            _reader_went_away()  # stdout itself failed (a full disk): no second try at exit
            print(f"pakn-desktop: không in được kết quả: {known.message}", file=sys.stderr)
            return EXIT_ERROR
        print(f"pakn-desktop: {known.message}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
