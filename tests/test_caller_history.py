"""Caller history: the same caller found from every way a number is typed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pakn_desktop.services.database import Database
from pakn_desktop.services.intake.caller_history import CallerHistory
from pakn_desktop.services.intake.service import IntakeService
from tests.intake_data import form

FORMATS = ["0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678", "(+84) 912-345-678"]


@pytest.fixture
def history(database: Database) -> CallerHistory:
    service = IntakeService(database)
    start = datetime.now(UTC) - timedelta(hours=3)
    for i, typed in enumerate(FORMATS[:3]):
        service.save(form(reporter_phone=typed, received_at=start + timedelta(minutes=i)))
    service.save(form(reporter_phone="0987 654 321", received_at=start))
    return CallerHistory(database)


@pytest.mark.parametrize("typed", FORMATS)
def test_same_caller_in_every_format(history: CallerHistory, typed: str) -> None:
    items = history.lookup(typed)
    assert len(items) == 3
    assert [i.received_at for i in items] == sorted((i.received_at for i in items), reverse=True)
    first = items[0]
    assert first.status == "new" and first.kind == "phan_anh"
    assert first.summary.startswith("Cống bị tắc") and first.due_at is not None
    assert first.code.startswith("PA-")


@pytest.mark.parametrize("typed", ["", "0912", "0912 345", "hello", "+1 555"])
def test_incomplete_or_invalid_number_finds_nothing(history: CallerHistory, typed: str) -> None:
    assert history.lookup(typed) == []


def test_limit(history: CallerHistory) -> None:
    assert len(history.lookup("0912345678", limit=2)) == 2
    assert history.lookup("0912345678", limit=0) == []


@pytest.mark.parametrize(
    "protected", [{"kind": "to_cao", "category": "thai_do_can_bo"}, {"confidential": True}]
)
def test_protected_reports_leave_no_trace_in_the_history(
    database: Database, protected: dict[str, object]
) -> None:
    """Not even a withheld line: "(nội dung tố cáo được bảo vệ)" told that the number had
    denounced someone."""
    service = IntakeService(database)
    service.save(form(reporter_phone="0903 111 222", content="Đèn đường hỏng ở ngõ 3."))
    service.save(form(reporter_phone="0903.111.222", **protected))
    for typed in ("0903111222", "+84 903 111 222", "84903111222"):
        (item,) = CallerHistory(database).lookup(typed)
        assert item.summary.startswith("Đèn đường hỏng") and not item.identity_protected
