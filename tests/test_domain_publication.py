"""Publication rules and masking: the reporter's identity never survives, whatever its form."""

from __future__ import annotations

import unicodedata

import pytest

from pakn_desktop.domain.publication import (
    Identity,
    PublicationRefusal,
    contains_personal,
    default_publication_text,
    mask_identity,
    mask_personal,
    names_identity,
    publication_refusal,
)

AN = Identity(
    name="Nguyễn Văn Bình",
    phone="+84912345678",
    phone_raw="0912 345 678",
    email="binh.nv@example.vn",
    address="12 Lê Lợi",
)

LEAKY = (
    "Tôi là Nguyễn Văn Bình, số 0912 345 678 (hoặc +84 912-345-678, 0912.345.678), "
    "email binh.nv@example.vn, nhà ở 12 Lê Lợi. NGUYEN VAN BINH đề nghị xử lý; anh Bình "
    "gọi lại sau. Cống trước nhà số 14 bị tắc."
)


@pytest.mark.parametrize(
    "piece",
    [
        "Nguyễn Văn Bình",
        "NGUYEN VAN BINH",
        "Bình",
        "0912 345 678",
        "+84 912-345-678",
        "0912.345.678",
        "binh.nv@example.vn",
        "12 Lê Lợi",
        "912345678",
    ],
)
def test_masked_text_holds_no_identity(piece: str) -> None:
    masked = mask_personal(LEAKY, AN)
    assert piece not in masked
    assert "".join(filter(str.isdigit, masked)).find("912345678") == -1
    assert "Cống trước nhà số 14 bị tắc." in masked  # the report itself stays readable
    assert not contains_personal(masked, AN)


def test_default_publication_text() -> None:
    text = default_publication_text(LEAKY, "Đã liên hệ ông Nguyễn Văn Bình (0912345678).", AN)
    for piece in ("Bình", "0912345678", "345 678", "example.vn", "Lê Lợi"):
        assert piece not in text
    assert text.startswith("Tôi là ***") and "Kết quả xử lý:" in text


def test_other_numbers_and_mails_are_masked_too() -> None:
    masked = mask_personal("Gọi 028 3822 1234 hoặc a@b.vn; mã số 14; năm 2026", Identity())
    assert "3822" not in masked and "a@b.vn" not in masked
    assert "14" in masked and "2026" in masked  # short numbers are not phone numbers


def test_refusals() -> None:
    ok = {"confidential": False, "no_publish": False, "state_secret": False}
    assert publication_refusal(**ok) is None
    assert publication_refusal(**{**ok, "confidential": True}) is PublicationRefusal.CONFIDENTIAL
    assert publication_refusal(**{**ok, "no_publish": True}) is PublicationRefusal.NO_PUBLISH
    secret = {"confidential": True, "no_publish": True, "state_secret": True}
    assert publication_refusal(**secret) is PublicationRefusal.STATE_SECRET


def test_given_name_masked_only_where_it_names_someone() -> None:
    who = Identity(name="Trần Thị An")
    masked = mask_personal("Chị An báo: an toàn giao thông kém. An gọi lại.", who)
    assert masked == "Chị *** báo: an toàn giao thông kém. *** gọi lại."
    binh = Identity(name="Lê Bình")
    assert mask_personal("Mọi việc bình thường", binh) == "Mọi việc bình thường"


QUYNH = Identity(name="Khổng Thị Quỳnh Nhụy", phone="+84975318642", phone_raw="0975.318.642")
_NFD = unicodedata.normalize("NFD", "Khổng Thị Quỳnh Nhụy")


@pytest.mark.parametrize(
    ("said", "honorific"),
    [
        ("Khổng Thị Quỳnh Nhụy", ""),  # NFC
        (_NFD, ""),  # NFD: a macOS paste, every accent its own character
        ("Khong Thi Quynh Nhuy", ""),  # typed without accents
        ("KHONG THI QUYNH NHUY", ""),
        (unicodedata.normalize("NFD", "chị Quỳnh Nhụy"), "chị "),
        ("Thị Quỳnh Nhụy", ""),
        ("chị Nhụy", "chị "),
        ("chi Nhuy", "chi "),
    ],
)
def test_the_name_in_any_unicode_form_is_wholly_masked(said: str, honorific: str) -> None:
    text = f"Người gọi: {said} báo cống tắc."
    masked = mask_personal(text, QUYNH)
    assert unicodedata.normalize("NFC", masked) == f"Người gọi: {honorific}*** báo cống tắc."
    assert contains_personal(text, QUYNH) and not contains_personal(masked, QUYNH)


def test_no_middle_name_is_left_behind() -> None:
    kin = Identity(name="Đỗ Thị Kín")
    assert mask_personal("Chị Thị Kín gọi lại.", kin) == "Chị *** gọi lại."
    assert mask_personal("Chị Kín gọi lại.", kin) == "Chị *** gọi lại."


@pytest.mark.parametrize(
    "number", ["0975.318.642", "0975 318 642", "+84975318642", "84975318642", "+84 975 318 642"]
)
def test_the_phone_any_way_written_is_masked_and_refused(number: str) -> None:
    text = f"Số gọi lại {number}, cảm ơn."
    assert mask_personal(text, QUYNH) == "Số gọi lại ***, cảm ơn."
    assert mask_identity(text, QUYNH) == "Số gọi lại ***, cảm ơn."
    assert names_identity(text, QUYNH) and contains_personal(text, QUYNH)


def test_mask_identity_keeps_other_numbers() -> None:
    text = "Khong Thi Quynh Nhuy tố cáo ông Lê Văn Cường, 0909 111 222."
    assert mask_identity(text, QUYNH) == "*** tố cáo ông Lê Văn Cường, 0909 111 222."


def test_a_word_with_other_accents_is_not_the_name() -> None:
    quan = Identity(name="Lê Minh Quân")
    text = "Đề nghị cơ quan chức năng xử lý; cô Quân gọi lại, co Quan nhắn tin."
    assert mask_personal(text, quan) == (
        "Đề nghị cơ quan chức năng xử lý; cô *** gọi lại, co *** nhắn tin."
    )
