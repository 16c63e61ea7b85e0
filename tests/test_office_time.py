"""Times people read and type are on the office's clock (Asia/Ho_Chi_Minh), whatever zone the
machine runs in: a workstation left in UTC or New York shows and reads Vietnam time."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from pakn_desktop.domain.office_time import as_office, to_office
from pakn_desktop.ui.intake.fields import format_local_datetime, parse_local_datetime
from pakn_desktop.widgets.labels import local_datetime


@pytest.fixture(params=["UTC", "America/New_York", "Asia/Ho_Chi_Minh"])
def machine_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    saved = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()


def test_typed_times_are_office_times(machine_zone: str) -> None:
    assert parse_local_datetime("24/11/2025 07:45") == datetime(2025, 11, 24, 0, 45, tzinfo=UTC)
    today = date(2026, 2, 13)
    assert parse_local_datetime("16:45", today=today) == datetime(2026, 2, 13, 9, 45, tzinfo=UTC)
    assert parse_local_datetime("13/02 08:00", today=today) == datetime(
        2026, 2, 13, 1, 0, tzinfo=UTC
    )
    assert parse_local_datetime("2026-02-13T08:00") == datetime(2026, 2, 13, 1, 0, tzinfo=UTC)


def test_stored_times_show_on_the_office_clock(machine_zone: str) -> None:
    due = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # 17:00 in Hà Nội
    assert local_datetime(due) == "26/11/2026 17:00"
    assert local_datetime(due, short=True) == "26/11 17:00"
    assert format_local_datetime(due) == "26/11/2026 17:00"


def test_as_office_keeps_an_aware_time() -> None:
    aware = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert as_office(aware) is aware
    assert to_office(aware).hour == 19


def test_cli_json_times_without_an_offset_are_office_times(machine_zone: str) -> None:
    from pakn_desktop.services.intake.form import form_from_mapping

    form = form_from_mapping({"event_at": "2026-11-24T08:30", "content": "x"}, strict=True)
    assert form.event_at == datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
    aware = form_from_mapping({"event_at": "2026-11-24T08:30+00:00"}, strict=True)
    assert aware.event_at == datetime(2026, 11, 24, 8, 30, tzinfo=UTC)
