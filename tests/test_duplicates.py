"""Duplicate candidates: same place and category, ranked on accent-folded text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pakn_desktop.services.database import Database
from pakn_desktop.services.intake.duplicates import find_candidates
from pakn_desktop.services.intake.service import IntakeService
from tests.intake_data import BEN_THANH, DRAINAGE, HCMC, HOAN_KIEM, LIGHTING, form

NOW = datetime.now(UTC)


@pytest.fixture
def saved(database: Database) -> dict[str, str]:
    service = IntakeService(database)
    texts = {
        "blocked": ("Cống bị tắc ở đường Lê Lợi, nước tràn lên vỉa hè gây mùi hôi", DRAINAGE),
        "flood": ("Đường Đồng Khởi ngập sâu sau mưa, xe chết máy hàng loạt", DRAINAGE),
        "lamp": ("Đèn đường hỏng ở đường Lê Lợi, buổi tối rất tối", LIGHTING),
    }
    codes = {}
    for key, (content, category) in texts.items():
        codes[key] = service.save(
            form(content=content, category=category, received_at=NOW - timedelta(hours=1))
        ).code
    codes["old"] = service.save(
        form(content=texts["blocked"][0], received_at=NOW - timedelta(days=45))
    ).code
    codes["elsewhere"] = service.save(
        form(content=texts["blocked"][0], province_code="01", commune_code=HOAN_KIEM)
    ).code
    return codes


def test_text_without_diacritics_finds_the_report(
    database: Database, saved: dict[str, str]
) -> None:
    found = find_candidates(database, BEN_THANH, DRAINAGE, "cong bi tac o duong le loi")
    assert found, "no candidate"
    assert found[0].code == saved["blocked"]
    assert found[0].score >= 90
    codes = [c.code for c in found]
    assert saved["flood"] not in codes  # same place and category, another incident
    assert saved["lamp"] not in codes  # another category
    assert saved["old"] not in codes  # older than 30 days
    assert saved["elsewhere"] not in codes  # another commune


def test_d_with_stroke_folds(database: Database, saved: dict[str, str]) -> None:
    found = find_candidates(database, BEN_THANH, DRAINAGE, "duong dong khoi ngap sau sau mua")
    assert [c.code for c in found][:1] == [saved["flood"]]


def test_short_text_gives_nothing(database: Database, saved: dict[str, str]) -> None:
    assert find_candidates(database, BEN_THANH, DRAINAGE, "cống") == []
    assert find_candidates(database, BEN_THANH, "", "cong bi tac o duong le loi") == []


def test_without_commune_falls_back_to_province(database: Database, saved: dict[str, str]) -> None:
    found = find_candidates(
        database, "", DRAINAGE, "Cống bị tắc ở đường Lê Lợi", province_code=HCMC
    )
    assert saved["blocked"] in [c.code for c in found]
    assert saved["elsewhere"] not in [c.code for c in found]


def test_duplicates_are_not_offered(database: Database, saved: dict[str, str]) -> None:
    IntakeService(database).save(form(duplicate_of=saved["blocked"]))
    found = find_candidates(database, BEN_THANH, DRAINAGE, "cong bi tac o duong le loi")
    assert len(found) == 1 and found[0].code == saved["blocked"]
