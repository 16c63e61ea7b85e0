"""Reference data from the package: roles, channels, kinds, categories, map, holidays, SLA rules."""

from __future__ import annotations

import importlib.metadata
import logging
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, delete, select, update
from sqlalchemy.exc import IntegrityError

from pakn_desktop.domain.enums import OWN_PROCEDURE_KINDS, ChannelCode, Kind
from pakn_desktop.domain.sla import PACKAGE_SOURCE

from . import admin_map
from .engine import writer
from .models import (
    Base,
    CalendarException,
    Category,
    Channel,
    Commune,
    KindLabel,
    Province,
    Role,
    SlaPolicy,
    SyncState,
)

log = logging.getLogger(__name__)

# Bump when anything below changes (2: punctuation folds away); the marker also carries the
# map's id, the holidays package's version and the holiday range, so a new map, a package
# upgrade or a new year re-runs the seeding once.
REFERENCE_VERSION = 3  # 3: the channel "Khác" (register import)
MARKER_KEY = "reference_version"
HOLIDAY_FIRST_YEAR = 2020
HOLIDAY_YEARS_AHEAD = 2

# Reference rows with a UUID key get a name-derived one, so every station and the server agree
# on the id of the same package row without talking to each other.
REFERENCE_NAMESPACE = uuid.UUID("5b0f6c1e-4d0a-4e8e-9a52-6f0e3c2d7a10")

ROLES: tuple[tuple[str, str], ...] = (
    ("operator", "Điện thoại viên"),
    ("moderator", "Quản trị fanpage"),
    ("unit_officer", "Cán bộ đơn vị xử lý"),
    ("supervisor", "Lãnh đạo, cán bộ tổng hợp"),
    ("admin", "Quản trị hệ thống"),
)

CHANNELS: Mapping[ChannelCode, str] = {
    ChannelCode.HOTLINE: "Đường dây nóng",
    ChannelCode.FANPAGE: "Fanpage/Messenger",
    ChannelCode.ZALO: "Zalo",
    ChannelCode.WEB: "Cổng thông tin điện tử",
    ChannelCode.MOBILE_APP: "Ứng dụng di động",
    ChannelCode.EMAIL: "Thư điện tử",
    ChannelCode.CHATBOT: "Chatbot",
    ChannelCode.WALK_IN: "Trực tiếp",
    ChannelCode.LETTER: "Thư/đơn",
    ChannelCode.OTHER: "Khác",
}

KINDS: Mapping[Kind, str] = {
    Kind.PHAN_ANH: "Phản ánh",
    Kind.KIEN_NGHI: "Kiến nghị",
    Kind.HOI_DAP: "Hỏi đáp",
    Kind.GOP_Y: "Góp ý, hiến kế",
    Kind.TO_GIAC: "Tố giác vi phạm",
    Kind.KHIEU_NAI: "Khiếu nại",
    Kind.TO_CAO: "Tố cáo",
}

URBAN_INFRASTRUCTURE = "ha_tang_do_thi"

# (code, name, parent code): the categories named in the sources (domain/README.md).
CATEGORIES: tuple[tuple[str, str, str | None], ...] = (
    ("trat_tu_do_thi", "Trật tự đô thị", None),
    ("trat_tu_cong_cong", "Trật tự công cộng", None),
    ("trat_tu_an_toan_giao_thong", "Trật tự an toàn giao thông", None),
    ("trat_tu_xay_dung", "Trật tự xây dựng", None),
    ("ve_sinh_moi_truong", "Vệ sinh môi trường", None),
    ("ve_sinh_an_toan_thuc_pham", "Vệ sinh an toàn thực phẩm", None),
    ("phong_chong_chay_no", "Phòng, chống cháy, nổ", None),
    ("phong_chong_dich_benh", "Phòng, chống dịch bệnh", None),
    (URBAN_INFRASTRUCTURE, "Hạ tầng đô thị", None),
    (f"{URBAN_INFRASTRUCTURE}.cap_thoat_nuoc", "Cấp thoát nước", URBAN_INFRASTRUCTURE),
    (f"{URBAN_INFRASTRUCTURE}.cay_xanh", "Cây xanh", URBAN_INFRASTRUCTURE),
    (f"{URBAN_INFRASTRUCTURE}.chieu_sang", "Chiếu sáng", URBAN_INFRASTRUCTURE),
    (f"{URBAN_INFRASTRUCTURE}.vien_thong", "Viễn thông", URBAN_INFRASTRUCTURE),
    ("thai_do_can_bo", "Thái độ, trách nhiệm của cán bộ", None),
    ("khac", "Khác", None),
)


@dataclass(frozen=True)
class PolicySeed:
    name: str
    forward_minutes: int
    resolve_amount: int
    resolve_unit: str
    priority: int
    category_code: str | None = None
    kind: str | None = None
    first_response_minutes: int | None = None


# HCMC letter 2061/UBND-VX: forward within 5 minutes, result within 60. Khánh Hòa 2022:
# urban-infrastructure incidents within 1 working day. Complaints and denunciations follow
# their laws (Law on Complaints 2011 art. 28, Law on Denunciations 2018 art. 30: 30 days from
# acceptance); the kind rules outrank the category ones.
SLA_POLICIES: tuple[PolicySeed, ...] = (
    PolicySeed("mac_dinh", 5, 60, "minutes", 0),
    *(
        PolicySeed(code, 5, 1, "working_days", 10, category_code=code)
        for code, _name, parent in CATEGORIES
        if code == URBAN_INFRASTRUCTURE or parent == URBAN_INFRASTRUCTURE
    ),
    PolicySeed("khieu_nai", 5, 30, "days", 20, kind=Kind.KHIEU_NAI.value),
    PolicySeed("to_cao", 5, 30, "days", 20, kind=Kind.TO_CAO.value),
)


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def reference_id(kind: str, key: str) -> uuid.UUID:
    """The id every station gives the package row ``key`` of table ``kind``."""
    return uuid.uuid5(REFERENCE_NAMESPACE, f"{kind}:{key}")


def holiday_years(today: date | None = None) -> range:
    last = (today or date.today()).year + HOLIDAY_YEARS_AHEAD
    return range(HOLIDAY_FIRST_YEAR, last + 1)


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def marker(today: date | None = None) -> str:
    years = holiday_years(today)
    return (
        f"{REFERENCE_VERSION};map={admin_map.MAP_ID}"
        f";holidays={_package_version('holidays')};years={years.start}-{years.stop - 1}"
    )


def ensure(engine: Engine) -> None:
    """Bring the package's reference rows up to date; a no-op (one read) when already current.

    Rows an administrator added (other codes, calendar rows with source 'admin') are never
    changed or deleted. Reference seeding writes no outbox rows: every station and the server
    seed the same rows from the same package, so there is nothing to push; administrators'
    additions go through the ORM, whose flush hook writes their outbox rows.
    """
    wanted = marker()
    with engine.connect() as conn:
        current = conn.execute(
            select(SyncState.value).where(SyncState.key == MARKER_KEY)
        ).scalar_one_or_none()
    if current == wanted:
        return
    started = time.perf_counter()
    # Two stations (or two processes) starting at once on one database can both see the marker
    # missing; the loser's insert hits a unique key, and a second pass finds the rows in place.
    for attempt in range(3):
        try:
            with writer(engine).begin() as conn:
                _seed(conn)
                _write_marker(conn, wanted)
            break
        except IntegrityError:
            if attempt == 2:
                raise
            log.info("reference data written concurrently; retrying")
    log.info("reference data seeded (%s) in %.0f ms", wanted, (time.perf_counter() - started) * 1e3)


def _seed(conn: Connection) -> None:
    # Vocabularies and rules are seeded once and then belong to the administrators: a
    # renamed category or a tuned deadline is left alone. The map and the holidays belong to
    # the packages, so changed rows are updated.
    _merge(conn, _table(Role), ("code",), [{"code": c, "name": n} for c, n in ROLES])
    _merge(
        conn,
        _table(Channel),
        ("code",),
        [
            {"code": c.value, "name": CHANNELS[c], "sort_order": i}
            for i, c in enumerate(ChannelCode)
        ],
    )
    _merge(
        conn,
        _table(KindLabel),
        ("code",),
        [
            {
                "code": k.value,
                "name": KINDS[k],
                "own_procedure": k in OWN_PROCEDURE_KINDS,
                "sort_order": i,
            }
            for i, k in enumerate(Kind)
        ],
    )
    _merge(
        conn,
        _table(Category),
        ("code",),
        [
            {"code": c, "name": n, "parent_code": p, "sort_order": i, "active": True}
            for i, (c, n, p) in enumerate(CATEGORIES)
        ],
    )
    _merge(conn, _table(Province), ("code",), admin_map.province_rows(), update_changed=True)
    admin_map.reconcile(conn)  # a database seeded from another map moves to this one
    _merge(conn, _table(Commune), ("code",), admin_map.commune_rows(), update_changed=True)
    _merge(conn, _table(SlaPolicy), ("name",), [_policy_row(p) for p in SLA_POLICIES])
    _sync_calendar(conn, _calendar_rows(holiday_years()))


def _policy_row(seed: PolicySeed) -> dict[str, Any]:
    return {
        "id": reference_id("sla_policy", seed.name),
        "name": seed.name,
        "channel_code": None,
        "category_code": seed.category_code,
        "kind": seed.kind,
        "urgency": None,
        "forward_minutes": seed.forward_minutes,
        "first_response_minutes": seed.first_response_minutes,
        "resolve_amount": seed.resolve_amount,
        "resolve_unit": seed.resolve_unit,
        "priority": seed.priority,
    }


def _calendar_rows(years: range) -> list[dict[str, Any]]:
    """Public holidays (Tết included) and swapped working days (ngày làm bù) for ``years``."""
    import holidays  # ~80 ms import: only when seeding

    calendar = holidays.country_holidays("VN", years=years, language="vi")
    rows = {
        day: {"day": day, "kind": "holiday", "name": str(name)[:200], "source": PACKAGE_SOURCE}
        for day, name in sorted(calendar.items())
    }
    for day in sorted(getattr(calendar, "weekend_workdays", ())):
        if day.year in years and day not in rows:
            rows[day] = {
                "day": day,
                "kind": "workday",
                "name": "Ngày làm bù",
                "source": PACKAGE_SOURCE,
            }
    return [rows[d] for d in sorted(rows)]


def _merge(
    conn: Connection,
    table: Table,
    key: Sequence[str],
    rows: Sequence[dict[str, Any]],
    *,
    update_changed: bool = False,
) -> None:
    """Insert the package rows whose key is missing; with ``update_changed``, also refresh the
    package rows whose values differ. Rows with other keys are never touched."""
    if not rows:
        return
    columns = list(rows[0])
    key_cols = [table.c[k] for k in key]
    existing: dict[tuple[Any, ...], tuple[Any, ...]] = {
        tuple(r[: len(key)]): tuple(r[len(key) :])
        for r in conn.execute(select(*key_cols, *(table.c[c] for c in columns if c not in key)))
    }
    missing: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row in rows:
        row_key = tuple(row[k] for k in key)
        values = tuple(row[c] for c in columns if c not in key)
        if row_key not in existing:
            missing.append(row)
        elif update_changed and existing[row_key] != values:
            changed.append(row)
    if missing:
        conn.execute(table.insert(), missing)
    if changed:
        _update_by_key(conn, table, key, changed)


def _update_by_key(
    conn: Connection, table: Table, key: Sequence[str], rows: Iterable[dict[str, Any]]
) -> None:
    for row in rows:
        where = and_(*(table.c[k] == row[k] for k in key))
        conn.execute(
            update(table).where(where).values({c: v for c, v in row.items() if c not in key})
        )


def _sync_calendar(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Holiday rows follow the package; a day an administrator set stays as they set it."""
    table = _table(CalendarException)
    existing = {
        r.day: r
        for r in conn.execute(select(table.c.day, table.c.kind, table.c.name, table.c.source))
    }
    wanted = {row["day"]: row for row in rows}
    stale = [day for day, r in existing.items() if r.source == PACKAGE_SOURCE and day not in wanted]
    if stale:
        conn.execute(delete(table).where(table.c.day.in_(stale)))
    missing = [row for day, row in wanted.items() if day not in existing]
    if missing:
        conn.execute(table.insert(), missing)
    changed = [
        row
        for day, row in wanted.items()
        if day in existing
        and existing[day].source == PACKAGE_SOURCE
        and (existing[day].kind, existing[day].name) != (row["kind"], row["name"])
    ]
    if changed:
        _update_by_key(conn, table, ("day",), changed)


def _write_marker(conn: Connection, value: str) -> None:
    table = _table(SyncState)
    done = conn.execute(update(table).where(table.c.key == MARKER_KEY).values(value=value))
    if done.rowcount == 0:
        conn.execute(table.insert(), [{"key": MARKER_KEY, "value": value}])
