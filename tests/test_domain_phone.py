"""Every way a caller gives a number maps to one E.164 form."""

from __future__ import annotations

import pytest

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
