"""Every way a caller gives a number maps to one E.164 form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pakn_desktop.domain.phone import display_phone, normalise_phone


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "+84 912 345 678",
        "+84912345678",
        "84912345678",
        "84 912 345 678",
        "(+84) 912.345.678",
        " 0912345678 ",
    ],
)
def test_mobile_formats_normalise_to_one_number(raw: str) -> None:
    assert normalise_phone(raw) == "+84912345678"


def test_landline_with_area_code() -> None:
    assert normalise_phone("(028) 3822 1234") == "+842838221234"
    assert normalise_phone("028.3822.1234") == "+842838221234"


@pytest.mark.parametrize("raw", ["", "   ", "12", "abc", "0912", "09123456789012"])
def test_invalid_numbers_are_none(raw: str) -> None:
    assert normalise_phone(raw) is None


def test_display_is_national_form() -> None:
    assert display_phone("+84912345678").replace(" ", "") == "0912345678"


def _slow(raw: str) -> str | None:
    from pakn_desktop.domain.phone import _DIGITS, _parsed

    text = raw.strip()
    return _parsed(text, "".join(_DIGITS.findall(text))) if text else None


@pytest.mark.parametrize("prefix", ["0", "+84", "84", "+84 ", "0 ", "00", "+1 ", "1"])
def test_plain_numbers_read_without_parsing_as_parsed(prefix: str) -> None:
    """The quick reading of plainly written Vietnamese numbers (a register's thousands) gives
    what phonenumbers.parse gives, valid or not: every leading pair, every length."""
    for lead in range(10, 100):
        for length in range(5, 12):
            national = f"{lead}{'3456789012'[: length - 2]}"
            for raw in (prefix + national, prefix + national[:3] + " " + national[3:]):
                assert normalise_phone(raw) == _slow(raw), raw


@given(
    st.sampled_from(["", "+", "0", "84", "+84", "00"]),
    st.lists(st.sampled_from("0123456789 .-"), min_size=1, max_size=14),
)
def test_any_plain_number_reads_as_parsed(start: str, rest: list[str]) -> None:
    raw = start + "".join(rest)
    assert normalise_phone.__wrapped__(raw) == _slow(raw)
