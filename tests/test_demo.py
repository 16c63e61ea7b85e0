"""Demo data: deterministic, realistic, consistent with the ORM and the outbox, fast to write."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import make_transient

from pakn_desktop.data.models import (
    Assignment,
    Base,
    Commune,
    Outbox,
    Reporter,
    Station,
    Ticket,
    TicketEvent,
    Unit,
    UnitContact,
)
from pakn_desktop.data.outbox import payload_of
from pakn_desktop.data.stations import local_station
from pakn_desktop.domain.audit_chain import event_hash, verify_chain
from pakn_desktop.domain.case_code import InvalidStationCode, check_station_code
from pakn_desktop.domain.enums import OPEN_STATUSES, ChannelCode, Kind, Status
from pakn_desktop.domain.phone import normalise_phone
from pakn_desktop.domain.search_text import search_key, search_text
from pakn_desktop.domain.sla import at_risk_at
from pakn_desktop.domain.text import fold, has_vietnamese_diacritics
from pakn_desktop.services import demo
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import resolve
from pakn_desktop.services.sla import load_calendar

from .db_template import MigratedEnv

NOW = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
N = 3000
SYNCED = (Station, Unit, UnitContact, Reporter, Ticket, TicketEvent, Assignment)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory, migrated: MigratedEnv) -> Iterator[Database]:
    db = open_database(migrated(tmp_path_factory.mktemp("demo")))
    assert demo.generate(db, N, seed=3, now=NOW) == N
    yield db
    db.close()


def _raw(db: Database) -> sqlite3.Connection:
    return sqlite3.connect(db.engine.url.database or "")


def _rows(db: Database, table: str, order: str = "rowid") -> list[tuple[Any, ...]]:
    with _raw(db) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()


def _count(db: Database, model: type[Base]) -> int:
    with db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


# --- input -------------------------------------------------------------------------------


def test_zero_is_a_valid_count_and_negative_is_refused(database: Database) -> None:
    assert demo.generate(database, 0, now=NOW) == 0
    assert _count(database, Ticket) == 0
    with pytest.raises(ValueError):
        demo.generate(database, -1, now=NOW)
    with pytest.raises(ValueError):
        demo.generate(database, 5, now=NOW.replace(tzinfo=None))


# --- determinism and uniqueness ------------------------------------------------------------


def _local_station(db: Database, code: str) -> int:
    """Create the local station ``code``; return the outbox position after it."""
    with db.sessions.begin() as s:
        local_station(s, code)
    with _raw(db) as conn:
        return int(conn.execute("SELECT max(seq) FROM outbox").fetchone()[0])


def test_same_seed_and_now_give_identical_rows_ids_included(
    tmp_path: Path, migrated: MigratedEnv
) -> None:
    dbs = [open_database(migrated(tmp_path / name)) for name in ("a", "b", "c")]
    try:
        marks = [_local_station(db, "HN01") for db in dbs]
        demo.generate(dbs[0], 300, seed=11, now=NOW)
        demo.generate(dbs[1], 300, seed=11, now=NOW)
        demo.generate(dbs[2], 300, seed=12, now=NOW)
        for model in SYNCED:
            table = model.__tablename__
            where = "code != 'HN01'" if table == "station" else "1"
            query = f"SELECT * FROM {table} WHERE {where} ORDER BY rowid"
            with _raw(dbs[0]) as a, _raw(dbs[1]) as b:
                assert a.execute(query).fetchall() == b.execute(query).fetchall(), table
        assert _rows(dbs[0], "ticket") != _rows(dbs[2], "ticket")
        # The outbox carries the same changes (its change ids are per database, by design).
        outbox = "SELECT table_name, row_id, op, payload FROM outbox WHERE seq > ? ORDER BY seq"
        with _raw(dbs[0]) as a, _raw(dbs[1]) as b:
            assert (
                a.execute(outbox, (marks[0],)).fetchall()
                == b.execute(outbox, (marks[1],)).fetchall()
            )
    finally:
        for db in dbs:
            db.close()


def test_two_runs_on_one_database_never_collide(database: Database) -> None:
    assert demo.generate(database, 250, seed=5, now=NOW) == 250
    assert demo.generate(database, 250, seed=5, now=NOW) == 250
    with database.sessions() as s:
        codes = s.scalars(select(Ticket.code)).all()
        ids = s.scalars(select(Ticket.id)).all()
        stations = s.scalars(select(Station.code)).all()
    assert len(codes) == len(set(codes)) == 500
    assert len(set(ids)) == 500
    # The local station (made on first use) and its demo station.
    assert len(stations) == 2
    (local,) = (code for code in stations if not code.startswith("D"))
    code = demo.demo_station_code(local)
    assert stations.count(code) == 1
    # Numbering continues: per day, the numbers are exactly 1..n.
    per_day: dict[str, list[int]] = {}
    for case in codes:
        _pa, day, station, seq = case.split("-")
        assert station == code
        per_day.setdefault(day, []).append(int(seq))
    assert all(sorted(seqs) == list(range(1, len(seqs) + 1)) for seqs in per_day.values())


def test_demo_station_code_comes_from_the_local_station() -> None:
    assert demo.demo_station_code("HN01") == "DHN01"
    assert demo.demo_station_code("S7K2Q") == "DS7K2Q"
    assert demo.demo_station_code("ABCDEFG") == "DABCDEFG"
    long_a, long_b = demo.demo_station_code("ABCDEFGH"), demo.demo_station_code("ABCDEFGX")
    assert long_a != long_b
    for code in (long_a, long_b):
        assert check_station_code(code) == code and code.startswith("D")
    with pytest.raises(InvalidStationCode):
        demo.demo_station_code("hn 01")


def test_two_stations_demo_data_never_clash(tmp_path: Path, migrated: MigratedEnv) -> None:
    """Same seed, same clock, two stations: nothing that syncs to the shared server may
    collide (ids, case codes, unit codes), as if both pushed to one database."""
    dbs = [open_database(migrated(tmp_path / name)) for name in ("hn01", "hn02")]
    try:
        for db, code in zip(dbs, ("HN01", "HN02"), strict=True):
            _local_station(db, code)
            assert demo.generate(db, 300, seed=1, now=NOW) == 300
        seen: list[dict[str, set[Any]]] = []
        for db in dbs:
            with _raw(db) as conn:
                keys = {
                    f"{model.__tablename__}.id": {
                        row[0] for row in conn.execute(f"SELECT id FROM {model.__tablename__}")
                    }
                    for model in SYNCED
                }
                for table in ("ticket", "unit", "station"):
                    keys[f"{table}.code"] = {
                        row[0] for row in conn.execute(f"SELECT code FROM {table}")
                    }
            seen.append(keys)
        for key in seen[0]:
            assert seen[0][key], key
            assert not seen[0][key] & seen[1][key], key
        assert {c.split("-")[2] for c in seen[0]["ticket.code"]} == {"DHN01"}
        assert {c.split("-")[2] for c in seen[1]["ticket.code"]} == {"DHN02"}
    finally:
        for db in dbs:
            db.close()


def test_cancel_leaves_whole_chunks_and_progress_is_reported(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo.run, "CHUNK_TICKETS", 100)
    seen: list[tuple[int, int]] = []
    created = demo.generate(
        database,
        1000,
        now=NOW,
        progress=lambda done, total: seen.append((done, total)),
        should_cancel=lambda: len(seen) >= 2,
    )
    assert created == 200
    assert seen == [(100, 1000), (200, 1000)]
    assert _count(database, Ticket) == 200
    with database.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Outbox)) == sum(
            s.scalar(select(func.count()).select_from(m)) or 0 for m in SYNCED
        )


# --- realism ---------------------------------------------------------------------------------


def test_every_status_channel_and_kind_is_present(filled: Database) -> None:
    with filled.sessions() as s:
        statuses = set(s.scalars(select(Ticket.status).distinct()))
        channels = set(s.scalars(select(Ticket.channel_code).distinct()))
        kinds = set(s.scalars(select(Ticket.kind).distinct()))
    assert statuses == {x.value for x in Status}
    # "Khác" is where a register import files a channel it cannot match; never demo data.
    assert channels == {x.value for x in ChannelCode if x is not ChannelCode.OTHER}
    assert kinds == {x.value for x in Kind}


def test_ninety_days_of_history_before_now_and_some_overdue(filled: Database) -> None:
    with filled.sessions() as s:
        tickets = s.scalars(select(Ticket)).all()
    received = [t.received_at for t in tickets]
    assert min(received) >= NOW - timedelta(days=90)
    assert max(received) < NOW
    local_days = {(r + timedelta(hours=7)).date() for r in received}
    assert len(local_days) == 90
    overdue = [
        t for t in tickets if t.status in OPEN_STATUSES and t.due_at is not None and t.due_at < NOW
    ]
    assert 0 < len(overdue) < len(tickets) / 5
    # Old reports are mostly settled, recent ones mostly still open.
    old = [t for t in tickets if t.received_at < NOW - timedelta(days=30)]
    assert sum(t.status in OPEN_STATUSES for t in old) < len(old) * 0.1
    assert all(t.created_at <= NOW and t.updated_at <= NOW for t in tickets)


def test_workflow_fields_agree_with_the_status(filled: Database) -> None:
    forwarded_or_later = {
        "forwarded", "accepted", "in_progress", "result_recorded", "answered", "published",
        "closed", "returned", "not_competent",
    }  # fmt: skip
    with filled.sessions() as s:
        tickets = s.scalars(select(Ticket)).all()
        units = {u.id: u for u in s.scalars(select(Unit))}
        contacts = {c.unit_id: c for c in s.scalars(select(UnitContact))}
        leads = {a.ticket_id: a for a in s.scalars(select(Assignment))}
    calendar = load_calendar(filled)
    for t in tickets:
        assert (t.closed_at is None) == (t.status in OPEN_STATUSES), t.code
        assert (t.lead_unit_id is not None) == (t.status in forwarded_or_later), t.code
        assert t.received_at <= t.created_at <= t.updated_at
        assert t.forward_due_at is not None and t.due_at is not None
        assert t.forward_due_at - t.received_at == timedelta(minutes=5)
        if t.kind in ("khieu_nai", "to_cao"):
            assert t.due_at - t.received_at == timedelta(days=30)
            assert t.at_risk_at - t.received_at == timedelta(days=24)  # 80 % of real time
        elif t.category_code.startswith("ha_tang_do_thi"):
            # The domain's exact working-day deadline and working-time at-risk moment.
            assert t.due_at == calendar.add_working_days(t.received_at, 1), t.code
            assert t.at_risk_at == at_risk_at(t.received_at, t.due_at, 0.8, calendar), t.code
            assert calendar.is_working_instant(t.due_at)
        else:
            assert t.due_at - t.received_at == timedelta(minutes=60)
            assert t.at_risk_at - t.received_at == timedelta(minutes=48)
        if t.lead_unit_id is not None:
            unit = units[t.lead_unit_id]
            assert t.lead_unit_id in contacts, "every demo unit has its contact person"
            assert leads[t.id].unit_id == t.lead_unit_id
            if unit.kind == "ubnd_xa":
                assert unit.commune_code == t.commune_code
                assert unit.name.startswith("UBND ")
        if t.kind == "to_cao":
            assert t.identity_protected and t.confidential


def test_a_working_day_deadline_is_hand_computed_across_a_weekend(database: Database) -> None:
    """Through the demo's own rule object: Friday 27 Nov 2026 16:45 local + 1 working day =
    Monday 30 Nov 16:45 (not Saturday, as the old approximation had it); 80 % of 480 working
    minutes = 384: Friday 16:45–17:00 (15) + Monday 07:30–11:30 (240) + 13:00–15:09 (129)."""
    from pakn_desktop.services.demo.clock import us_of
    from pakn_desktop.services.demo.sla import DemoDeadlines

    with database.engine.connect() as conn:
        rules = DemoDeadlines(conn)
    rule = rules.rule("hotline", "ha_tang_do_thi.cap_thoat_nuoc", "phan_anh", "normal")
    assert rule is not None and rule.working
    local = timedelta(hours=7)
    received = datetime(2026, 11, 27, 16, 45, tzinfo=UTC) - local
    due, risk = rules.resolve(us_of(received), rule)
    assert due == us_of(datetime(2026, 11, 30, 16, 45, tzinfo=UTC) - local)
    assert risk == us_of(datetime(2026, 11, 30, 15, 9, tzinfo=UTC) - local)


def test_real_communes_concentrated_in_a_few_provinces(filled: Database) -> None:
    with filled.sessions() as s:
        pairs = s.execute(select(Ticket.province_code, Commune.province_code).join(Commune)).all()
    assert all(a == b for a, b in pairs)
    provinces = Counter(a for a, _b in pairs)
    top3 = sum(n for _p, n in provinces.most_common(3))
    assert top3 >= 0.6 * len(pairs)
    assert len(provinces) >= 15


def test_names_phones_and_repeat_callers(filled: Database) -> None:
    with filled.sessions() as s:
        reporters = s.scalars(select(Reporter)).all()
        per_reporter = Counter(s.scalars(select(Ticket.reporter_id)).all())
    names = [r.full_name or "" for r in reporters]
    assert all(len(n.split()) >= 3 for n in names)
    accented = sum(has_vietnamese_diacritics(n) for n in names)
    assert 0.8 * len(names) <= accented < len(names)  # a few typed without diacritics
    phones = [r.phone_raw for r in reporters if r.phone_raw]
    shapes = Counter(_shape(p) for p in phones)
    assert {"plain", "spaced", "dotted", "+84 spaced", "84 bare", "(area) landline"} <= set(
        shapes
    ), shapes
    # Repeat callers: one person with several reports, and one number under several shapes.
    assert max(n for rid, n in per_reporter.items() if rid is not None) >= 3
    by_number: dict[str, set[str]] = {}
    for reporter in reporters:
        if reporter.phone and reporter.phone_raw:
            by_number.setdefault(reporter.phone, set()).add(reporter.phone_raw)
    assert any(len(raws) >= 2 for raws in by_number.values())


def test_phone_is_the_e164_form_of_the_number_as_given(filled: Database) -> None:
    with filled.sessions() as s:
        pairs = s.execute(select(Reporter.phone_raw, Reporter.phone)).all()
    given = [(raw, e164) for raw, e164 in pairs if raw is not None]
    assert len(given) > 0.5 * len(pairs)
    # Every number, as the intake's own normaliser reads it (realistic, allocated ranges).
    assert all(normalise_phone(raw) == e164 for raw, e164 in given), [
        (raw, e164, normalise_phone(raw)) for raw, e164 in given if normalise_phone(raw) != e164
    ][:5]
    assert all((raw is None) == (e164 is None) for raw, e164 in pairs)
    assert any(e164.startswith("+842") for _raw, e164 in given)  # landlines too


def test_a_number_typed_any_way_finds_its_reports(filled: Database) -> None:
    with filled.sessions() as s:
        rows = s.execute(
            select(Reporter.phone, Ticket.search_text)
            .join(Ticket, Ticket.reporter_id == Reporter.id)
            .where(Ticket.confidential.is_(False))  # a protected reporter is not searchable
        ).all()
    mobiles = [(phone, text) for phone, text in rows if phone and phone.startswith("+849")]
    assert len(mobiles) > 50
    for phone, text in mobiles[:200]:
        national = "0" + phone[3:]
        for typed in (
            phone,
            national,
            f"{national[:4]} {national[4:7]} {national[7:]}",
            f"+84 {phone[3:6]} {phone[6:9]} {phone[9:]}",
            f"{national[:4]}.{national[4:7]}.{national[7:]}",
        ):
            assert search_key(typed) in text, (typed, text)


def _shape(phone: str) -> str:
    if phone.startswith("("):
        return "(+84)" if phone.startswith("(+84)") else "(area) landline"
    if phone.startswith("+84"):
        return "+84 spaced" if " " in phone else "+84 bare"
    if phone.startswith("84"):
        return "84 bare"
    if "." in phone:
        return "dotted"
    if "-" in phone:
        return "dashed"
    return "spaced" if " " in phone else "plain"


def test_texts_are_vietnamese_with_variety(filled: Database) -> None:
    with filled.sessions() as s:
        rows = s.execute(select(Ticket.summary, Ticket.content, Ticket.category_code)).all()
    summaries = {r.summary for r in rows}
    assert len(summaries) > len(rows) / 3
    plain = [r for r in rows if not has_vietnamese_diacritics(r.content)]
    assert 0 < len(plain) < 0.1 * len(rows)
    assert all(len(r.content) > 80 for r in rows)
    per_category = Counter(r.category_code for r in rows)
    assert len(per_category) == 15


def test_search_text_is_the_folded_fields(filled: Database) -> None:
    with filled.sessions() as s:
        rows = s.execute(
            select(Ticket, Reporter).join(Reporter, Ticket.reporter_id == Reporter.id, isouter=True)
        ).all()
    for ticket, reporter in rows:
        phone = reporter.phone if reporter else None
        phone_raw = reporter.phone_raw if reporter else None
        head = ticket.content[:200]
        # A summary the content's head already holds is not repeated (domain.search_text).
        repeated = ticket.summary.rstrip("…").rstrip() in " ".join(head.split())
        parts = [ticket.code, "" if repeated else ticket.summary, head]
        protected = ticket.identity_protected or ticket.confidential
        if not protected:  # a protected reporter is not searchable
            parts.append(reporter.full_name if reporter and reporter.full_name else "")
        if (
            phone and not protected
        ):  # national and international digits, then the given ones when different
            digits = re.sub(r"\D", "", phone)
            parts += ["0" + digits[2:], digits]
            if re.sub(r"\D", "", phone_raw or "") not in parts:
                parts.append(re.sub(r"\D", "", phone_raw or ""))
        parts.append(ticket.address or "")
        assert ticket.search_text == fold(" ".join(p for p in parts if p)), ticket.code
        assert ticket.search_text == search_text(
            code=ticket.code,
            summary=ticket.summary,
            content=ticket.content,
            reporter_name=reporter.full_name if reporter else None,
            phone=phone,
            phone_raw=phone_raw,
            address=ticket.address,
            protected=protected,
        )
        assert not has_vietnamese_diacritics(ticket.search_text)


def test_timeline_events_are_hash_chained(filled: Database) -> None:
    with filled.sessions() as s:
        events = s.scalars(select(TicketEvent).order_by(TicketEvent.ticket_id, TicketEvent.seq))
        chains: dict[Any, list[TicketEvent]] = {}
        for event in events:
            chains.setdefault(event.ticket_id, []).append(event)
        assert len(chains) == N
    for chain in chains.values():
        assert chain[0].kind == "created" and chain[0].prev_hash == "0" * 64
        prev = "0" * 64
        for event in chain:
            body = {
                "id": str(event.id),
                "ticket_id": str(event.ticket_id),
                "seq": event.seq,
                "at": event.at.isoformat(),
                "kind": event.kind,
                "actor_id": None,
                "station_id": str(event.station_id),
                "data": event.data,
            }
            canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            assert event.prev_hash == prev
            assert event.hash == hashlib.sha256((prev + canonical).encode()).hexdigest()
            assert event_hash(prev, body) == event.hash
            prev = event.hash
        assert verify_chain([payload_of(event) for event in chain]) is None


# --- storage: outbox and the ORM ---------------------------------------------------------------


def test_one_outbox_row_per_synced_row(filled: Database) -> None:
    with filled.sessions() as s:
        by_table = dict(
            s.execute(select(Outbox.table_name, func.count()).group_by(Outbox.table_name)).all()
        )
        expected = {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in SYNCED}
        assert by_table == expected
        ops = set(s.scalars(select(Outbox.op).distinct()))
    assert ops == {"insert"}


def test_rows_read_back_through_the_orm_store_exactly_as_the_orm_writes_them(
    tmp_path: Path,
    migrated: MigratedEnv,
) -> None:
    """Copy every demo row through the ORM into a fresh database: the stored text must match
    byte for byte, and the ORM's outbox payloads must equal the generator's."""
    source = open_database(migrated(tmp_path / "src"))
    copy = open_database(migrated(tmp_path / "copy"))
    try:
        demo.generate(source, 200, seed=9, now=NOW)
        with source.sessions() as s:
            loaded = {m: s.scalars(select(m).order_by(text_rowid(m))).all() for m in SYNCED}
            for objects in loaded.values():
                for obj in objects:
                    s.expunge(obj)
                    make_transient(obj)
        with copy.sessions.begin() as s:
            for model in SYNCED:
                for obj in loaded[model]:
                    s.add(obj)
                    s.flush()  # keep the source's order: parents before children
        for model in SYNCED:
            table = model.__tablename__
            assert _rows(source, table, "id") == _rows(copy, table, "id"), table
        payloads = "SELECT table_name, row_id, payload FROM outbox"
        with _raw(source) as a, _raw(copy) as b:
            ours = {(t, r): json.loads(p) for t, r, p in a.execute(payloads)}
            orms = {(t, r): json.loads(p) for t, r, p in b.execute(payloads)}
        assert ours == orms
        # And the ORM reads them as it wrote them: aware UTC datetimes, UUIDs, booleans.
        with source.sessions() as s:
            ticket = s.scalars(select(Ticket).limit(1)).one()
            assert ticket.received_at.tzinfo is UTC
            assert payload_of(ticket)["id"] == str(ticket.id)
            assert isinstance(ticket.confidential, bool)
    finally:
        source.close()
        copy.close()


def text_rowid(model: type[Base]) -> Any:
    from sqlalchemy import literal_column

    return literal_column(f"{inspect(model).local_table.name}.rowid")


# --- PostgreSQL ------------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_stores_the_same_reports_as_sqlite(
    pg_migrated_url: str, tmp_path: Path, migrated: MigratedEnv
) -> None:
    """The engine-neutral writer on a real PostgreSQL: same rows as SQLite's fast path, read
    back through the ORM, with their outbox rows and whole hash chains."""
    pg = open_database(resolve(db=pg_migrated_url, data_dir=str(tmp_path / "pg")))
    lite = open_database(migrated(tmp_path / "lite"))
    try:
        for db in (pg, lite):
            with db.sessions.begin() as s:
                local_station(s, "HN01")
            assert demo.generate(db, 300, seed=4, now=NOW) == 300

        def snapshot(db: Database) -> dict[str, list[dict[str, Any]]]:
            with db.sessions() as s:
                return {
                    m.__tablename__: sorted(
                        (payload_of(o) for o in s.scalars(select(m))), key=lambda p: str(p["id"])
                    )
                    for m in SYNCED
                }

        ours, theirs = snapshot(pg), snapshot(lite)
        for table in ours:
            if table == "station":  # the local stations' own ids differ by design
                ours[table] = [p for p in ours[table] if p["code"] != "HN01"]
                theirs[table] = [p for p in theirs[table] if p["code"] != "HN01"]
            assert ours[table] == theirs[table], table
        with pg.sessions() as s:
            counts = {
                m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in SYNCED
            }
            by_table = dict(
                s.execute(select(Outbox.table_name, func.count()).group_by(Outbox.table_name)).all()
            )
            assert by_table == counts
            events = s.scalars(select(TicketEvent).order_by(TicketEvent.ticket_id, TicketEvent.seq))
            chains: dict[Any, list[dict[str, Any]]] = {}
            for event in events:
                chains.setdefault(event.ticket_id, []).append(payload_of(event))
            ticket = s.scalars(select(Ticket).limit(1)).one()
            assert ticket.received_at.tzinfo is not None
        assert len(chains) == 300
        assert all(verify_chain(chain) is None for chain in chains.values())
    finally:
        pg.close()
        lite.close()


def test_some_reports_with_the_unit_wait_for_the_citizen(filled: Database) -> None:
    """A few open reports not yet due are paused (so the view and the grey badge show in a
    demo), each with its "pause" event chained last, as the workflow writes it."""
    from pakn_desktop.data import queue
    from pakn_desktop.domain.enums import OPEN_STATUSES

    with filled.sessions() as s:
        paused = s.scalars(select(Ticket).where(Ticket.paused_at.is_not(None))).all()
        assert paused
        for ticket in paused:
            assert ticket.status in ("forwarded", "accepted", "in_progress")
            assert ticket.due_at is not None and ticket.paused_at < ticket.due_at
            chain = s.scalars(
                select(TicketEvent)
                .where(TicketEvent.ticket_id == ticket.id)
                .order_by(TicketEvent.seq)
            ).all()
            assert [e.kind for e in chain] == ["created", "status_changed", "pause"]
            assert chain[-1].data["reason"] and chain[-1].at == ticket.paused_at
            assert verify_chain([payload_of(event) for event in chain]) is None
    open_ = tuple(status.value for status in OPEN_STATUSES)
    query = queue.QueueQuery(statuses=open_, deadline="paused", now=NOW)
    with filled.engine.connect() as conn:
        assert queue.count(conn, query) == len(paused)  # the queue's "paused" state agrees


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_the_last_hours_calls_stay_at_risk_not_paused(
    tmp_path: Path, migrated: MigratedEnv, seed: int
) -> None:
    """At night only the 60-minute hotline rule runs on real time; the calls of the last hour
    that times() places there are what shows "sắp quá hạn", so none of them is paused."""
    from pakn_desktop.data import queue
    from pakn_desktop.domain.enums import OPEN_STATUSES

    night = datetime(2026, 11, 25, 21, 33, tzinfo=UTC)  # 04:33 in Hà Nội
    db = open_database(migrated(tmp_path))
    try:
        demo.generate(db, 400, seed=seed, now=night)
        with db.sessions() as s:
            fresh_paused = s.scalars(
                select(Ticket.code).where(
                    Ticket.paused_at.is_not(None), Ticket.received_at > night - timedelta(hours=1)
                )
            ).all()
        assert fresh_paused == []
        open_ = tuple(status.value for status in OPEN_STATUSES)
        with db.engine.connect() as conn:
            at_risk = queue.count(
                conn, queue.QueueQuery(statuses=open_, deadline="at_risk", now=night)
            )
        assert at_risk >= 1
    finally:
        db.close()
