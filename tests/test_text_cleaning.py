"""Invisible and broken characters in intake fields (docs/decisions.md, "Invisible
characters"): one cleaning in ``domain.text.clean``, used by the validation the GUI and the
CLI share and by the save."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pakn_desktop.data.models import Reporter, Ticket
from pakn_desktop.domain.text import ControlCharacterError, TextKind, clean
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.form import IntakeInvalid
from pakn_desktop.services.intake.service import IntakeService
from tests.intake_data import form

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"]


@pytest.mark.parametrize("char", BIDI + ZERO_WIDTH)
def test_names_lose_invisible_characters(char: str) -> None:
    assert clean(f"Nguyễn{char} Văn{char}An", TextKind.NAME) == "Nguyễn VănAn"


@pytest.mark.parametrize("char", BIDI + ZERO_WIDTH)
def test_codes_refuse_invisible_characters(char: str) -> None:
    with pytest.raises(ControlCharacterError) as info:
        clean(f"26{char}743", TextKind.CODE)
    assert info.value.position == 2 and info.value.invisible


def test_free_text_keeps_the_joiners_emoji_need() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean(f"Gia đình {family}\u202e ngập\u200b nước", TextKind.FREE) == (
        f"Gia đình {family} ngập nước"
    )


@pytest.mark.parametrize("kind", list(TextKind))
@pytest.mark.parametrize("char", ["\x80", "\x85", "\x9b", "\x9f", "\ud800", "\udfff"])
def test_c1_controls_and_lone_surrogates_are_refused_everywhere(kind: TextKind, char: str) -> None:
    with pytest.raises(ControlCharacterError):
        clean(f"ab{char}c", kind)


def _service(database: Database, env: Environment) -> IntakeService:
    return IntakeService(database, EvidenceStore(env.evidence_dir))


def test_save_stores_names_without_bidi_or_zero_width(database: Database, env: Environment) -> None:
    saved = _service(database, env).save(
        form(
            reporter_name="\u202eNguyễn\u200b Văn An\u2069",
            address="12\u200d Lê\u2066 Lợi",
            summary="Cống\ufeff bị tắc",
        )
    )
    with database.sessions() as session:
        ticket = session.get(Ticket, saved.id)
        assert ticket is not None
        reporter = session.scalar(select(Reporter).where(Reporter.id == ticket.reporter_id))
        assert reporter is not None and reporter.full_name == "Nguyễn Văn An"
        assert ticket.address == "12 Lê Lợi" and ticket.summary == "Cống bị tắc"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("commune_code", "26743\u200b", "invisible_char"),
        ("reporter_phone", "0912\u202e345678", "invisible_char"),
        ("duplicate_of", "PA-261124-HN01-0042\u2060", "invisible_char"),
        ("reporter_name", "Nguyễn\x85An", "control_char"),
        ("content", "Cống bị tắc \x9b nặng", "control_char"),
    ],
)
def test_save_refuses_invisible_characters_in_codes_and_c1_controls(
    database: Database, env: Environment, field: str, value: str, code: str
) -> None:
    with pytest.raises(IntakeInvalid) as info:
        _service(database, env).save(form(**{field: value}))
    (error,) = [e for e in info.value.result.errors if e.field == field and e.code == code]
    assert "U+" in error.message
