"""The composition root's services: built once, on first use, and shared."""

from __future__ import annotations

import threading
from collections.abc import Callable

from pakn_desktop.domain.sla import SlaSettings
from pakn_desktop.services.app_services import AppServices
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment


def _counting(database: Database) -> tuple[Callable[[], Database], list[int]]:
    calls: list[int] = []

    def opener() -> Database:
        calls.append(1)
        return database

    return opener, calls


def test_nothing_opens_the_database_until_a_service_is_asked_for(
    database: Database, env: Environment
) -> None:
    opener, calls = _counting(database)
    services = AppServices(opener, env)
    assert services.thumbs_dir == env.data_dir / "thumbs"
    assert calls == []  # the window paints with these in hand, before the database opens
    assert services.queue is services.queue
    assert calls


def test_one_deadline_service_and_one_evidence_store_for_everything(
    database: Database, env: Environment
) -> None:
    services = AppServices(lambda: database, env)
    sla, store = services.sla, services.evidence_store
    assert services.intake._sla is sla and services.alerts._sla is sla
    assert services.intake._evidence is store and services.evidence.store is store


def test_workers_asking_at_once_get_the_same_service(database: Database, env: Environment) -> None:
    services = AppServices(lambda: database, env)
    got: list[object] = []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        got.append(services.sla)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 8 and all(one is got[0] for one in got)


def test_a_settings_save_reaches_intake_and_alerts_at_once(
    database: Database, env: Environment
) -> None:
    """Not within ``SlaService.REFRESH_S``: the next report and the next scan follow it."""
    services = AppServices(lambda: database, env)
    assert services.sla.settings().at_risk_share != 0.5  # read, and cached for 30 s
    services.sla_settings.save(SlaSettings(at_risk_share=0.5))
    assert services.sla.settings().at_risk_share == 0.5


def test_the_command_lines_records_name_no_user(database: Database, env: Environment) -> None:
    assert AppServices(lambda: database, env, as_login=False).user_id is None
    assert AppServices(lambda: database, env).user_id is not None  # the OS login's row
