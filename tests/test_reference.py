"""Reference data: the package's vocabularies, map and holidays, idempotent, admin rows kept."""

from __future__ import annotations

from datetime import date

import holidays
import pytest
from sqlalchemy import delete, event, func, select, update

from pakn_desktop.data import reference
from pakn_desktop.data.models import (
    CalendarException,
    Category,
    Channel,
    Commune,
    KindLabel,
    Outbox,
    Province,
    Role,
    SlaPolicy,
    SyncState,
    Unit,
)
from pakn_desktop.domain.enums import ChannelCode, Kind
from pakn_desktop.domain.text import fold, has_vietnamese_diacritics
from pakn_desktop.services.database import Database

# The categories named in domain/README.md, written out here independently of the seed.
README_CATEGORIES = {
    "trật tự đô thị",
    "trật tự công cộng",
    "trật tự an toàn giao thông",
    "trật tự xây dựng",
    "vệ sinh môi trường",
    "vệ sinh an toàn thực phẩm",
    "phòng, chống cháy, nổ",
    "phòng, chống dịch bệnh",
    "hạ tầng đô thị",
    "cấp thoát nước",
    "cây xanh",
    "chiếu sáng",
    "viễn thông",
    "thái độ, trách nhiệm của cán bộ",
    "khác",
}


def _count(database: Database, model: type) -> int:
    with database.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _counts(database: Database) -> dict[str, int]:
    models = (Role, Channel, KindLabel, Category, Province, Commune, SlaPolicy, CalendarException)
    return {m.__tablename__: _count(database, m) for m in models}


def test_map_has_todays_34_provinces_and_3321_communes(database: Database) -> None:
    assert _count(database, Province) == 34
    assert _count(database, Commune) == 3321
    with database.sessions() as s:
        hanoi = s.scalar(select(Province).where(Province.folded == "thanh pho ha noi"))
        assert hanoi is not None and hanoi.name == "Thành phố Hà Nội"
        orphans = s.scalar(
            select(func.count())
            .select_from(Commune)
            .where(Commune.province_code.not_in(select(Province.code)))
        )
        assert orphans == 0


def test_folded_names_find_the_accented_ones(database: Database) -> None:
    with database.sessions() as s:
        names = s.scalars(select(Commune.name).where(Commune.folded == "phuong ben thanh")).all()
        assert names == ["Phường Bến Thành"]
        # đ folds to d, which plain accent stripping misses.
        d_names = s.execute(select(Commune.name, Commune.folded).where(Commune.name.like("Xã Đ%")))
        assert all(folded.startswith("xa d") for _name, folded in d_names)
        mismatched = [
            (name, folded)
            for name, folded in s.execute(select(Commune.name, Commune.folded))
            if folded != fold(name) or has_vietnamese_diacritics(folded)
        ]
        assert mismatched == []


def test_vocabularies_cover_every_enum_value_with_vietnamese_names(database: Database) -> None:
    with database.sessions() as s:
        channels = {r[0]: r[1] for r in s.execute(select(Channel.code, Channel.name))}
        kinds = {k.code: k for k in s.scalars(select(KindLabel))}
        roles = {r[0]: r[1] for r in s.execute(select(Role.code, Role.name))}
    assert set(channels) == {c.value for c in ChannelCode}
    assert channels["hotline"] == "Đường dây nóng"
    assert set(kinds) == {k.value for k in Kind}
    assert {c for c, k in kinds.items() if k.own_procedure} == {"khieu_nai", "to_cao"}
    assert kinds["to_giac"].name == "Tố giác vi phạm"
    assert set(roles) == {"operator", "moderator", "unit_officer", "supervisor", "admin"}
    assert roles["operator"] == "Điện thoại viên"


def test_categories_of_the_sources_with_infrastructure_children(database: Database) -> None:
    with database.sessions() as s:
        rows = s.scalars(select(Category)).all()
    assert {r.name.lower() for r in rows} == README_CATEGORIES
    assert all(r.code.isascii() and " " not in r.code for r in rows)
    parent = next(r for r in rows if r.name == "Hạ tầng đô thị")
    children = {r.name for r in rows if r.parent_code == parent.code}
    assert children == {"Cấp thoát nước", "Cây xanh", "Chiếu sáng", "Viễn thông"}
    assert all(r.code.startswith(parent.code + ".") for r in rows if r.parent_code)


def test_holidays_include_fixed_days_and_tet(database: Database) -> None:
    with database.sessions() as s:
        rows = {r.day: r for r in s.scalars(select(CalendarException))}
    this_year = date.today().year
    assert min(rows).year == 2020
    assert max(d for d, r in rows.items() if r.kind == "holiday").year == this_year + 2
    for year in range(2020, this_year + 3):
        for month, day in ((1, 1), (4, 30), (5, 1), (9, 2)):
            assert rows[date(year, month, day)].kind == "holiday", (year, month, day)
    # Tết Nguyên Đán 2026: 17 February (mùng 1), from the calendar, not from the seed.
    assert rows[date(2026, 2, 17)].kind == "holiday"
    tet_2026 = [
        d
        for d, name in holidays.country_holidays("VN", years=2026).items()
        if "Lunar New Year" in name
    ]
    assert len(tet_2026) >= 4
    assert all(rows[d].kind == "holiday" and rows[d].source == "holidays" for d in tet_2026)
    assert all(r.source == "holidays" for r in rows.values())


def test_default_sla_policies(database: Database) -> None:
    with database.sessions() as s:
        policies = {p.name: p for p in s.scalars(select(SlaPolicy))}
    general = policies["mac_dinh"]
    assert (general.forward_minutes, general.resolve_amount, general.resolve_unit) == (
        5,
        60,
        "minutes",
    )
    assert general.category_code is None and general.kind is None
    infra = [p for p in policies.values() if (p.category_code or "").startswith("ha_tang_do_thi")]
    assert {p.category_code for p in infra} >= {"ha_tang_do_thi", "ha_tang_do_thi.cay_xanh"}
    assert all((p.resolve_amount, p.resolve_unit) == (1, "working_days") for p in infra)
    by_kind = {p.kind: p for p in policies.values() if p.kind}
    assert set(by_kind) == {"khieu_nai", "to_cao"}
    assert all(p.resolve_unit == "days" and p.priority > general.priority for p in by_kind.values())


def test_seeding_writes_no_outbox_rows(database: Database) -> None:
    assert _count(database, Outbox) == 0


def _force_reseed(database: Database) -> None:
    with database.engine.begin() as conn:
        conn.execute(delete(SyncState).where(SyncState.key == reference.MARKER_KEY))


def test_ensure_is_idempotent_and_keeps_administrators_rows(database: Database) -> None:
    before = _counts(database)
    with database.sessions.begin() as s:
        s.add(Category(code="an_ninh_mang", name="An ninh mạng", sort_order=99, active=True))
        s.add(
            Unit(
                code="UBND-TEST",
                name="UBND Phường Bến Thành",
                kind="ubnd_xa",
                contact_name="Nguyễn Văn An",
                contact_phone="0283 822 1234",
                contact_email="ubnd@example.vn",
            )
        )
        # An administrator renames a package category and overrides a package holiday.
        s.execute(update(Category).where(Category.code == "khac").values(name="Lĩnh vực khác"))
        s.merge(
            CalendarException(day=date(2026, 4, 30), kind="workday", name="Trực lễ", source="admin")
        )
        s.add(CalendarException(day=date(2026, 3, 9), kind="day_off", name="Bão", source="admin"))
    outbox_before = _count(database, Outbox)
    assert outbox_before >= 2  # the ORM hook recorded the administrator's inserts

    for _ in range(2):
        _force_reseed(database)
        reference.ensure(database.engine)

    after = _counts(database)
    assert after["category"] == before["category"] + 1
    assert after["calendar_exception"] == before["calendar_exception"] + 1
    assert {k: v for k, v in after.items() if k not in ("category", "calendar_exception")} == {
        k: v for k, v in before.items() if k not in ("category", "calendar_exception")
    }
    with database.sessions() as s:
        assert s.get(Category, "an_ninh_mang") is not None
        assert s.scalar(select(Unit.name).where(Unit.code == "UBND-TEST")) is not None
        assert s.get(Category, "khac").name == "Lĩnh vực khác"  # type: ignore[union-attr]
        overridden = s.get(CalendarException, date(2026, 4, 30))
        assert overridden is not None and (overridden.kind, overridden.source) == (
            "workday",
            "admin",
        )
        assert s.get(CalendarException, date(2026, 3, 9)) is not None
    assert _count(database, Outbox) == outbox_before


def test_reseed_restores_package_rows_and_drops_stale_package_holidays(
    database: Database,
) -> None:
    with database.engine.begin() as conn:
        conn.execute(delete(Role).where(Role.code == "supervisor"))
        conn.execute(update(Commune).where(Commune.code == "00070").values(name="Tên cũ"))
        conn.execute(
            CalendarException.__table__.insert(),
            [
                {"day": date(2021, 6, 15), "kind": "holiday", "name": "cũ", "source": "holidays"},
                {"day": date(2021, 6, 16), "kind": "day_off", "name": "riêng", "source": "admin"},
            ],
        )
    # Marker current: nothing is looked at, so the damage stays.
    reference.ensure(database.engine)
    with database.sessions() as s:
        assert s.get(Role, "supervisor") is None
    # A new package version or a new year changes the marker: the package rows come back.
    with database.engine.begin() as conn:
        conn.execute(
            update(SyncState).where(SyncState.key == reference.MARKER_KEY).values(value="old")
        )
    reference.ensure(database.engine)
    with database.sessions() as s:
        assert s.get(Role, "supervisor") is not None
        assert s.get(Commune, "00070").name == "Phường Hoàn Kiếm"  # type: ignore[union-attr]
        assert s.get(CalendarException, date(2021, 6, 15)) is None
        assert s.get(CalendarException, date(2021, 6, 16)) is not None


def test_marker_follows_the_year(monkeypatch: pytest.MonkeyPatch) -> None:
    assert reference.marker(date(2026, 5, 1)) != reference.marker(date(2027, 1, 1))
    assert "years=2020-2028" in reference.marker(date(2026, 5, 1))


def test_second_ensure_takes_the_fast_path(database: Database) -> None:
    # Every start runs it: one read of the marker, nothing written (its time is measured in
    # bench/bench_reference.py, not here).
    reference.ensure(database.engine)  # warm
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        reference.ensure(database.engine)
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("SELECT")
