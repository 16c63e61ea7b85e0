"""The unit's SMS is one GSM-7 segment: accent-free, at most 160 septets, code and deadline
kept whole, the place shortened, the summary given what is left."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from pakn_desktop.domain import gsm7
from pakn_desktop.domain.office_time import OFFICE_ZONE
from pakn_desktop.domain.publication import Identity
from pakn_desktop.services.notify.messages import ForwardFacts, forward_message, short_place

DUE = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)  # 17:00 08/12/2026 in Vietnam

# A chat pasted from Messenger/Zalo: Vietnamese letters, emoji, typographic quotes.
CHAT = (
    "😡😡 Bà con ơi!!! Đường Nguyễn Trãi đoạn trước số 123 bị ngập sâu 50cm từ sáng, "
    "xe máy chết máy hàng loạt 🛵💦, “cống” thì bị rác bịt kín — ai xử lý giùm với 🙏🙏 "
    "#ngậpúng #HàNội"
)


def _facts(summary: str, **more: object) -> ForwardFacts:
    base: dict[str, object] = {
        "code": "PA-261207-HN01-0042",
        "summary": summary,
        "category": "Hạ tầng đô thị",
        "place": "Phường Thanh Xuân, Thành phố Hà Nội",
        "due_at": DUE,
        "protected": False,
        "reporter": None,
        "commune": "Phường Thanh Xuân",
        "province": "Thành phố Hà Nội",
    }
    base.update(more)
    return ForwardFacts(**base)  # type: ignore[arg-type]


def test_a_chat_line_with_emoji_makes_one_accent_free_segment() -> None:
    sms = forward_message(_facts(CHAT), "UBND phường Thanh Xuân", True).sms
    assert gsm7.is_gsm7(sms) and gsm7.septets(sms) <= 160
    assert sms.startswith("PAKN PA-261207-HN01-0042 (chu tri): Ba con oi!!! Duong Nguyen Trai")
    assert sms.count("...") == 1  # the summary was cut, at a word
    assert "Tai: P.Thanh Xuan, Ha Noi" in sms
    assert sms.endswith("Han: 17:00 08/12/2026")


def test_typographic_punctuation_becomes_ascii() -> None:
    assert gsm7.fold("“Cống” ‘rác’ — đầy… 🙏 ½ 中") == "\"Cong\" 'rac' - day... 1/2"


def test_extension_characters_count_two() -> None:
    assert gsm7.septets("a€[b]") == 8 and gsm7.is_gsm7("a€[b]") and not gsm7.is_gsm7("ă")


def test_the_place_is_shortened() -> None:
    assert short_place("Xã Tân Triều", "Thành phố Hồ Chí Minh") == "X.Tân Triều, TP.HCM"
    assert short_place("Thị trấn Cầu Giấy", "Tỉnh Nghệ An") == "TT.Cầu Giấy, Nghệ An"
    assert short_place("", "Cà Mau") == "Cà Mau"


def test_the_summary_is_masked_before_folding() -> None:
    """A protected report: the name said in the summary is masked, then the text folded (the
    folded name must not slip past the mask)."""
    reporter = Identity(name="Nguyễn Văn An", phone="+84912345678")
    summary = "Tôi là Nguyễn Văn An, số 0912 345 678, tố cáo cán bộ nhận tiền"
    sms = forward_message(_facts(summary, protected=True, reporter=reporter), "U", True).sms
    digits = "".join(filter(str.isdigit, sms))
    assert "Nguyen Van An" not in sms and "912345678" not in digits
    assert "to cao can bo" in sms


vietnamese = st.text(
    alphabet=st.one_of(
        st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyÀẢÃÁẠẰẲẴẮẶẦẨẪẤẬĐỀỂỄẾỆỒỔỖỐỘỜỞỠỚỢỪỬỮỨỰ"),
        st.sampled_from(" ,.!?\n\t“”‘’–—…€[]{}^~|\\`@£"),
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),  # emoji
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=300,
)


@settings(max_examples=150, deadline=None)
@given(
    summary=vietnamese,
    commune=vietnamese,
    province=vietnamese,
    code=st.from_regex(r"PA-[0-9]{6}-[A-Z0-9]{2,8}-[0-9]{4,6}", fullmatch=True),
    lead=st.booleans(),
    due=st.none() | st.datetimes(min_value=datetime(2000, 1, 1), timezones=st.just(UTC)),
)
def test_any_text_makes_one_gsm7_segment_keeping_code_and_deadline(
    summary: str, commune: str, province: str, code: str, lead: bool, due: datetime | None
) -> None:
    facts = _facts(summary, code=code, commune=commune, province=province, due_at=due)
    sms = forward_message(facts, "Đơn vị", lead).sms
    assert gsm7.is_gsm7(sms)
    assert gsm7.septets(sms) <= gsm7.SEGMENT
    assert sms.startswith(f"PAKN {code} ")
    if due is not None:
        assert sms.endswith(f"Han: {due.astimezone(OFFICE_ZONE).strftime('%H:%M %d/%m/%Y')}")
