"""Validation of the intake form: pure, against the reference codes of the database.

Standard library and ``domain`` only, so the GUI can validate a field as the operator leaves
it, on the GUI thread (a 1 MB paste takes ~2 ms), without a database round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .intake_form import IntakeForm, ValidationResult


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    folded: str  # domain.text.fold(name), for accent-free type-ahead
    province_code: str = ""  # communes only


@dataclass(frozen=True)
class IntakeReference:
    """The codes a form may use, with their Vietnamese names (for pickers too).

    ``kinds`` maps a kind code to its name; ``own_procedure`` holds the kinds that follow their
    own law (khiếu nại, tố cáo).
    """

    channels: Mapping[str, str]
    kinds: Mapping[str, str]
    categories: Mapping[str, str]  # active categories only
    provinces: Mapping[str, Place]
    communes: Mapping[str, Place]
    own_procedure: frozenset[str] = field(default_factory=frozenset)

    def find_places(self, query: str, province_code: str = "", limit: int = 20) -> list[Place]:
        """Communes (within ``province_code`` when given) whose folded name contains every
        folded word of ``query``: "phuong ben thanh" finds "Phường Bến Thành"."""
        raise NotImplementedError


def validate(
    form: IntakeForm, reference: IntakeReference, *, now: datetime | None = None
) -> ValidationResult:
    """Every error and warning of ``form``; pure (``now`` defaults to the clock).

    Errors: missing required fields (by kind and mode), unknown codes, a commune outside the
    province, a phone that cannot be normalised, a malformed email, NUL or control characters,
    content over ``MAX_CONTENT_BYTES``, an event/message/receipt time in the future, naive
    datetimes, a malformed duplicate case code, an attachment that is not a supported image.
    Warning: content without any Vietnamese diacritic (the regulation asks for them).
    """
    raise NotImplementedError
