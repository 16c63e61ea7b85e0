"""``pakn-desktop units …``: the unit catalogue from the command line (list, add, import).

Wired into ``cli.build_parser`` by :func:`add_parsers`; light to import (argparse only), as
the GUI's start path imports the command line first.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

Opener = Callable[[argparse.Namespace], Any]  # opens the database the global options name


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser], opener: Opener) -> None:
    units = sub.add_parser("units", help="danh mục đơn vị xử lý và người liên hệ")
    units_sub = units.add_subparsers(dest="units_command", required=True, parser_class=parser_class)

    listing = units_sub.add_parser("list", help="liệt kê đơn vị (cả đơn vị ngừng hoạt động)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=lambda args: _list(args, opener))

    add = units_sub.add_parser("add", help="thêm một đơn vị (và người liên hệ của nó)")
    add.add_argument("--name", required=True, metavar="NAME", help="tên đơn vị")
    add.add_argument("--parent", metavar="NAME", help="tên đơn vị cấp trên (đã có)")
    add.add_argument("--province", metavar="CODE", help="mã tỉnh/thành phố của địa bàn")
    add.add_argument("--commune", metavar="CODE", help="mã xã/phường của địa bàn")
    add.add_argument("--contact", metavar="NAME", help="tên người liên hệ")
    add.add_argument("--role", metavar="R", help="chức vụ người liên hệ")
    add.add_argument("--phone", metavar="P", help="số điện thoại nhận tin nhắn")
    add.add_argument("--email", metavar="E", help="thư điện tử nhận thư báo")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=lambda args: _add(args, opener))

    remove = units_sub.add_parser(
        "remove", help="xóa đơn vị chưa có lịch sử; đơn vị đã có lịch sử thì ngừng hoạt động"
    )
    remove.add_argument("--name", required=True, metavar="NAME")
    remove.add_argument("--parent", metavar="NAME")
    remove.set_defaults(handler=lambda args: _remove(args, opener))

    imp = units_sub.add_parser(
        "import", help="nhập danh sách đơn vị từ Excel (.xlsx) hoặc CSV; nhập lại không trùng"
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=lambda args: _import(args, opener))


def _print_json(value: Any) -> None:
    import json

    print(json.dumps(value, ensure_ascii=False, sort_keys=True))


def _fail(message: str) -> int:
    print(f"pakn-desktop: {message}", file=sys.stderr)
    return 1


def _list(args: argparse.Namespace, opener: Opener) -> int:
    from pakn_desktop.services.units import UnitsService

    database = opener(args)
    try:
        units = UnitsService(database).list_units()
    finally:
        database.close()
    if args.json:
        _print_json([u.as_json() for u in units])
        return 0
    for u in units:
        state = "" if u.active else "  [ngừng hoạt động]"
        parent = f"  ⊂ {u.parent_name}" if u.parent_name else ""
        print(f"{u.code}\t{u.name}{parent}{state}")
        for c in u.contacts:
            role = f" ({c.role})" if c.role else ""
            print(f"\t- {c.name}{role}  {c.phone or '—'}  {c.email or '—'}")
    return 0


def _add(args: argparse.Namespace, opener: Opener) -> int:
    from pakn_desktop.services.unit_checks import ContactInput
    from pakn_desktop.services.units import UnitsService

    contact = ContactInput(args.contact or "", args.role or "", args.phone or "", args.email or "")
    has_contact = any((args.contact, args.role, args.phone, args.email))
    database = opener(args)
    try:
        service = UnitsService(database)
        parent = service.resolve_parent(args.parent) if args.parent else None
        unit = service.add_unit(
            args.name,
            parent_id=parent,
            province_code=args.province,
            commune_code=args.commune,
            contacts=[contact] if has_contact else [],
        )
    finally:
        database.close()
    if args.json:
        _print_json(unit.as_json())
    else:
        print(f"Đã thêm đơn vị {unit.name} ({unit.code})")
    return 0


def _remove(args: argparse.Namespace, opener: Opener) -> int:
    from pakn_desktop.services.units import UnitsService

    database = opener(args)
    try:
        service = UnitsService(database)
        parent = service.resolve_parent(args.parent) if args.parent else None
        unit = service.find(args.name, parent)
        if unit is None:
            return _fail(f"Không có đơn vị “{args.name}” trong danh mục")
        outcome = service.remove_unit(unit.id)
    finally:
        database.close()
    if outcome == "deleted":
        print(f"Đã xóa đơn vị {unit.name}")
    else:
        print(f"Đơn vị {unit.name} đã có lịch sử xử lý: chuyển sang ngừng hoạt động, không xóa")
    return 0


def _import(args: argparse.Namespace, opener: Opener) -> int:
    from pathlib import Path

    from pakn_desktop.services.unit_import import read_unit_file
    from pakn_desktop.services.units import UnitsService

    rows = read_unit_file(Path(args.file))  # a broken file fails before the database opens
    database = opener(args)
    try:
        report = UnitsService(database).import_rows(rows, dry_run=args.dry_run)
    finally:
        database.close()
    if args.json:
        _print_json(report.as_json())
    else:
        for line, message in report.errors:
            print(f"pakn-desktop: dòng {line}: {message}", file=sys.stderr)
        note = " (chạy thử, chưa ghi gì)" if report.dry_run else ""
        print(
            f"Thêm {report.added}, cập nhật {report.updated}, không đổi {report.unchanged}, "
            f"lỗi {len(report.errors)}{note}"
        )
    return 1 if report.errors else 0
