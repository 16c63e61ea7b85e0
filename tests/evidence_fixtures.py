"""Fixtures for the evidence tests: a store, a saved report, the service over both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.services.intake.service import IntakeService
from tests.intake_data import form


@pytest.fixture
def store(env: Environment) -> EvidenceStore:
    return EvidenceStore(env.evidence_dir)


@pytest.fixture
def evidence(database: Database, store: EvidenceStore) -> Iterator[EvidenceService]:
    yield EvidenceService(database, store)


@pytest.fixture
def ticket(database: Database, store: EvidenceStore) -> SavedTicket:
    return IntakeService(database, store).save(form())


def stored_files(root: Path) -> list[Path]:
    """Every file under the store, staging included: a refusal must leave none."""
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
