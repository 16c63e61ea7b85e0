"""Client-generated ids and human case codes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pakn_desktop.domain.case_code import CaseCode, InvalidStationCode, check_station_code
from pakn_desktop.domain.ids import new_id


def test_ids_are_version_7_and_time_ordered() -> None:
    ids = [new_id() for _ in range(2000)]
    assert all(i.version == 7 for i in ids)
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)


def test_case_code_format_and_parse() -> None:
    code = CaseCode(date(2026, 11, 24), "HN01", 42)
    assert str(code) == "PA-261124-HN01-0042"
    assert CaseCode.parse("pa-261124-hn01-0042") == code


def test_case_code_grows_past_four_digits() -> None:
    code = CaseCode(date(2026, 1, 2), "S1A2B", 12345)
    assert CaseCode.parse(str(code)).seq == 12345


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.from_regex(r"[A-Z0-9]{2,8}", fullmatch=True),
    st.integers(min_value=1, max_value=10**6),
)
def test_case_code_round_trip(day: date, station: str, seq: int) -> None:
    code = CaseCode(day, station, seq)
    assert CaseCode.parse(str(code)) == code


@pytest.mark.parametrize("bad", ["", "h", "hn01", "HN-01", "ABCDEFGHI", "HN 1"])
def test_station_codes_refused(bad: str) -> None:
    with pytest.raises(InvalidStationCode):
        check_station_code(bad)


@pytest.mark.parametrize("bad", ["PA-2611-HN01-1", "XX-261124-HN01-0001", "PA-261124-HN01-01"])
def test_parse_refuses_malformed(bad: str) -> None:
    with pytest.raises(ValueError, match="not a case code"):
        CaseCode.parse(bad)
