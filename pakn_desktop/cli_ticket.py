"""``pakn-desktop ticket …``: one report's detail and its workflow steps, for schedulers, a
softphone and scripts: a second client of the services behind the detail pane's buttons
(``WorkflowService.act``, ``record_result``, the publication draft), with their rules and
refusals (state machine, roles, a report changed since, confidential publication…).

Exit codes: 0 done; 3 refused by a rule (nothing stored; one Vietnamese line on stderr and,
with ``--json``, ``{"refused": …}`` on stdout); 1 an environment error (database locked or
unreachable, unreadable file); 2 a usage error. Wired into ``cli.build_parser`` by
:func:`add_parsers`; light to import (argparse only), as the GUI's start path imports the
command line first.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Callable
from typing import Any

from pakn_desktop.cli_ticket_steps import STEPS, Step

EXIT_REFUSED = 3  # a rule said no: distinct from 1 (try again later) and 2 (fix the command)
ROLES = ("operator", "moderator", "unit_officer", "supervisor", "admin")  # domain Role values
Opener = Callable[[argparse.Namespace], Any]  # opens the database the global options name
Resolver = Callable[[argparse.Namespace], Any]  # the Environment the global options name


# Options that carry one workflow field as typed: option name → (field, metavar, help).
_PLAIN: dict[str, tuple[str, str, str]] = {
    "note": ("reason", "T", "ghi chú"),
    "reason": ("reason", "T", "lý do"),
    "reason_code": ("reason_code", "R", "lý do từ chối: spam, abuse hoặc no_content"),
    "body": ("target_body", "T", "cơ quan có thẩm quyền"),
    "of": ("duplicate_of", "CODE", "mã phản ánh gốc"),
    "into": ("merge_into", "CODE", "mã phản ánh giữ lại"),
    "due": ("due_at", "ISO", "hạn mới, ví dụ 2026-12-31T17:00 (giờ Việt Nam nếu không ghi múi)"),
}


def add_parsers(
    sub: Any, parser_class: type[argparse.ArgumentParser], opener: Opener, environment: Resolver
) -> None:
    ticket = sub.add_parser("ticket", help="xem và xử lý một phản ánh theo mã hồ sơ")
    ticket_sub = ticket.add_subparsers(
        dest="ticket_command", required=True, parser_class=parser_class
    )
    show = ticket_sub.add_parser("show", help="chi tiết phản ánh (danh tính được bảo vệ bị che)")
    _common(show)
    show.set_defaults(handler=lambda args: _show(args, opener))
    for name, step in STEPS.items():
        command = ticket_sub.add_parser(name, help=step.help)
        _common(command)
        command.add_argument(
            "--expect-version",
            type=int,
            metavar="N",
            help="chỉ thực hiện nếu phản ánh vẫn ở phiên bản N (như lúc xem)",
        )
        _options(command, step.options)
        command.set_defaults(handler=lambda args, s=step: _act(args, s, opener, environment))


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="mã hồ sơ, ví dụ PA-261124-HN01-0042")
    parser.add_argument(
        "--role", choices=ROLES, default="operator", help="vai trò thực hiện (mặc định operator)"
    )
    parser.add_argument("--json", action="store_true")


def _options(parser: argparse.ArgumentParser, options: tuple[str, ...]) -> None:
    # Required fields are checked by the workflow's rules, not here: a missing unit, text
    # or reason is the same refusal (exit 3) as in the window, not a usage error.
    if "unit" in options:
        parser.add_argument("--unit", metavar="CODE|NAME", help="đơn vị chủ trì")
        parser.add_argument(
            "--coordinating",
            action="append",
            default=[],
            metavar="CODE|NAME",
            help="đơn vị phối hợp (nhắc lại cho mỗi đơn vị)",
        )
    if "text" in options:
        parser.add_argument("--text", metavar="T", help="nội dung; - là đọc từ stdin")
    if "file" in options:
        parser.add_argument(
            "--file", action="append", default=[], metavar="F", help="tệp kèm kết quả"
        )
    for name in options:
        if name in _PLAIN:
            flag = "--" + name.replace("_", "-")
            _field, metavar, words = _PLAIN[name]
            parser.add_argument(flag, dest=name, metavar=metavar, help=words)


def _print_json(value: Any) -> None:
    import json

    print(json.dumps(value, ensure_ascii=False, sort_keys=True))


def _refused(args: argparse.Namespace, refusal: Any) -> int:
    code, detail, message = str(refusal.code), str(refusal.detail), str(refusal.message)
    if code == "stale":  # what a script passes to --expect-version after reading it again
        message = message.rstrip(".") + f" (phiên bản hiện tại: {detail})."
    print(f"pakn-desktop: {args.code.strip()}: {message}", file=sys.stderr)
    if args.json:
        _print_json({"refused": {"code": code, "detail": detail, "message": message}})
    return EXIT_REFUSED


def _show(args: argparse.Namespace, opener: Opener) -> int:
    from pakn_desktop.domain.workflow import WorkflowRefused
    from pakn_desktop.services.workflow.ticket_view import detail_json, find_ticket, shown_detail

    database = opener(args)
    try:
        detail = shown_detail(database, find_ticket(database, args.code))
    except WorkflowRefused as refusal:
        return _refused(args, refusal)
    finally:
        database.close()
    if args.json:
        _print_json(detail_json(detail, args.role))
    else:
        from pakn_desktop.cli_ticket_text import print_detail

        print_detail(detail, args.role)
    return 0


def _act(args: argparse.Namespace, step: Step, opener: Opener, environment: Resolver) -> int:
    from pakn_desktop.domain.workflow import WorkflowRefused
    from pakn_desktop.services.workflow.ticket_view import shown_detail, state_json

    text = _stdin_text() if getattr(args, "text", None) == "-" else getattr(args, "text", None)
    database = opener(args)
    try:
        state = _run(args, step, database, environment, text)
        detail = shown_detail(database, state.id)
    except WorkflowRefused as refusal:
        return _refused(args, refusal)
    finally:  # a result's file refused (EvidenceError): main says it, nothing was recorded
        database.close()
    if args.json:
        event = {"event": state.event_kind, "notifications": len(state.notifications)}
        _print_json(state_json(detail) | event)
    else:
        from pakn_desktop.cli_ticket_text import print_done

        print_done(detail, state.event_kind, len(state.notifications))
    return 0


def _run(
    args: argparse.Namespace, step: Step, database: Any, environment: Resolver, text: str | None
) -> Any:
    """The action through the service the window's button uses."""
    from pakn_desktop.domain.workflow import Refusal, WorkflowRefused
    from pakn_desktop.services.workflow.service import WorkflowService
    from pakn_desktop.services.workflow.ticket_view import find_ticket
    from pakn_desktop.services.workstation import local_user_id

    ticket = find_ticket(database, args.code)
    workflow = WorkflowService(database)  # a forward's unit messages queued; `notify` sends
    version = args.expect_version
    try:  # state, role, pause and version first, as the window hides the button before
        workflow.check(ticket, step.action, args.role, expected_version=version)
    except WorkflowRefused as refusal:  # asking for the fields: a unit typed wrong comes after
        if refusal.code != Refusal.MISSING_FIELD:
            raise
    fields = _fields(args, step, database, ticket, text)
    user = local_user_id(database)  # who acts: this OS login's user, as in the window
    if step.action == "record_result":
        from pathlib import Path

        from pakn_desktop.services.workflow.results import record_result

        files = [Path(f) for f in args.file]
        return record_result(
            workflow,
            _evidence(database, environment(args)) if files else None,
            ticket,
            args.role,
            user,
            fields,
            files=files,
            expected_version=version,
        )
    return workflow.act(ticket, step.action, args.role, user, fields, expected_version=version)


def _fields(
    args: argparse.Namespace, step: Step, database: Any, ticket: uuid.UUID, text: str | None
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "unit" in step.options:
        from pakn_desktop.services.workflow.ticket_view import find_unit
        from pakn_desktop.services.workflow.unit_choices import active_units

        units = active_units(database)
        if args.unit is not None:
            fields["lead_unit_id"] = find_unit(units, args.unit)
        fields["coordinating_unit_ids"] = [find_unit(units, u) for u in args.coordinating]
    for name in step.options:
        value = getattr(args, name, None) if name in _PLAIN else None
        if value is not None:
            fields[_PLAIN[name][0]] = _typed(name, value)
    if step.action == "record_result":
        fields["result_text"] = text or ""
    elif step.action == "publish":
        if text is None:  # the editor's default: summary and result, the reporter masked
            from pakn_desktop.services.workflow.publication import publication_text

            text = publication_text(database, ticket).text
        fields["publication_text"] = text
    return fields


def _typed(name: str, value: str) -> Any:
    """A plain option's value as the window's dialog gives it: a report's case code as the
    search takes it; a due time without a zone on the office's clock (a time the workflow
    cannot read is left for it to refuse, as invalid)."""
    if name in ("of", "into"):
        from pakn_desktop.domain.case_code import typed_case_code

        return typed_case_code(value) or value.strip()
    if name == "due":
        from datetime import UTC, datetime

        from pakn_desktop.domain.office_time import as_office

        try:  # in UTC, as the dialog gives it: the event's data reads alike from both
            return as_office(datetime.fromisoformat(value.strip())).astimezone(UTC).isoformat()
        except ValueError:
            return value
    return value


def _evidence(database: Any, env: Any) -> Any:
    from pakn_desktop.services.evidence.service import EvidenceService
    from pakn_desktop.services.evidence.store import EvidenceStore

    return EvidenceService(database, EvidenceStore(env.evidence_dir))


def _stdin_text() -> str:
    from pakn_desktop.cli_input import read_stdin  # one reader of stdin for every command

    return read_stdin()
