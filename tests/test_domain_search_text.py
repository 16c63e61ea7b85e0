"""search_text: the folded fields of a report, findable by a phone typed any way."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pakn_desktop.domain.phone import normalise_phone
from pakn_desktop.domain.search_text import (
    CONTENT_HEAD,
    phone_search_digits,
    search_key,
    search_text,
)

SHAPES = [
    "0912345678",
    "0912 345 678",
    "0912.345.678",
    "0912-345-678",
    "091 234 5678",
    "+84 912 345 678",
    "+84912345678",
    "84912345678",
    "(+84) 912345678",
]


def _text(phone_raw: str | None = None, phone: str | None = None, **fields: str) -> str:
    values = {
        "code": "PA-261124-HN01-0042",
        "summary": "Đèn đường hỏng",
        "content": "Nội dung",
        "reporter_name": "Nguyễn Văn An",
        "address": "Số 1 đường Lê Lợi",
    }
    values.update(fields)
    return search_text(phone=phone, phone_raw=phone_raw, **values)


def test_fields_are_folded_in_order() -> None:
    assert _text() == "pa 261124 hn01 0042 den duong hong noi dung nguyen van an so 1 duong le loi"


def test_only_the_head_of_the_content_is_searchable() -> None:
    content = "a" * CONTENT_HEAD + " Đuôi"
    text = _text(content=content)
    assert "a" * CONTENT_HEAD in text
    assert "duoi" not in text


def test_missing_parts_leave_no_double_spaces() -> None:
    text = search_text(code="PA-1", summary="S", content="C")
    assert text == "pa 1 s c"


@pytest.mark.parametrize("raw", SHAPES)
def test_a_mobile_given_any_way_carries_both_digit_forms(raw: str) -> None:
    e164 = normalise_phone(raw)
    assert e164 == "+84912345678"
    assert phone_search_digits(raw, e164) == ["0912345678", "84912345678"]


@pytest.mark.parametrize("raw", SHAPES)
@pytest.mark.parametrize("query", SHAPES + ["0912", "345 678", "+84 912"])
def test_any_shape_finds_any_other_shape(raw: str, query: str) -> None:
    text = _text(phone_raw=raw, phone=normalise_phone(raw))
    assert search_key(query) in text


def test_raw_only_numbers_still_give_national_digits() -> None:
    # Before normalisation (or when it fails) the number as given is all there is.
    assert phone_search_digits("+84 912 345 678") == ["84912345678", "0912345678"]
    assert phone_search_digits("0912 345 678") == ["0912345678"]
    assert phone_search_digits(None) == []
    assert phone_search_digits("không có") == []


def test_an_unusual_raw_form_is_kept_beside_the_e164_digits() -> None:
    assert phone_search_digits("0084 912 345 678", "+84912345678") == [
        "0912345678",
        "84912345678",
        "0084912345678",
    ]


def test_landline_and_foreign_numbers() -> None:
    assert phone_search_digits("(028) 3822 1234", "+842838221234") == [
        "02838221234",
        "842838221234",
    ]
    assert phone_search_digits("+1 415 555 0100", "+14155550100") == ["14155550100"]


def test_search_key_reads_words_as_folded_text() -> None:
    assert search_key("  Đèn ĐƯỜNG  ") == "den duong"
    assert search_key("PA-261124") == "pa 261124"  # a dash folds to a space
    assert search_key("12") == "12"  # too few digits to be a phone: plain text


@given(
    prefix=st.sampled_from(["090", "091", "032", "086", "070", "0896"]),
    rest=st.integers(min_value=0, max_value=10**6 - 1),
    shape=st.integers(min_value=0, max_value=len(SHAPES) - 1),
)
def test_property_every_national_number_found_by_e164_and_national(
    prefix: str, rest: int, shape: int
) -> None:
    national = f"{prefix}{rest:0{10 - len(prefix)}d}"
    e164 = "+84" + national[1:]
    raw = [national, f"+84 {national[1:]}", f"84{national[1:]}"][shape % 3]
    text = _text(phone_raw=raw, phone=e164)
    assert search_key(national) in text
    assert search_key(e164) in text
    assert search_key(f"{national[:4]} {national[4:7]} {national[7:]}") in text
