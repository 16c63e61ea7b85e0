"""Every Qt model of the program passes pytest-qt's ``qtmodeltester`` (Qt's model tester),
filled with real rows from a real database, and again after a refill that changes its size.

The queue's model, which pages lazily, has its own check in ``test_queue_model.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pytestqt.qtbot import QtBot

from pakn_desktop.services.database import Database
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.caller_history import CallerHistory
from pakn_desktop.services.intake.drafts import DraftService
from pakn_desktop.services.intake.duplicates import find_candidates
from pakn_desktop.services.intake.form import form_to_mapping
from pakn_desktop.services.reference_lists import load_reference_lists
from pakn_desktop.services.units import UnitsService
from pakn_desktop.ui.admin.units_model import UnitsModel
from pakn_desktop.ui.intake.side_panels import (
    RowsModel,
    candidate_cells,
    draft_cells,
    history_cells,
)
from pakn_desktop.widgets.location_picker import PlaceListModel
from pakn_desktop.widgets.place_search import PlaceSearch

from .intake_data import BEN_THANH, DRAINAGE, HCMC, form
from .workflow_data import add_unit, save_report


def test_units_model(qtmodeltester: Any, database: Database) -> None:
    add_unit(database, "TP", name="UBND Thành phố Hồ Chí Minh")
    add_unit(database, "BT", name="UBND phường Bến Thành")
    add_unit(database, "CK", name="Công ty Thoát nước", phone=None, email=None)
    units = UnitsService(database).list_units()
    assert len(units) >= 3
    model = UnitsModel()
    model.set_units(units, "", inactive=True)
    qtmodeltester.check(model)
    model.apply("ben thanh", inactive=False)  # a filter pass: fewer rows
    assert model.rowCount() == 1
    qtmodeltester.check(model)


def test_side_panel_models(qtmodeltester: Any, database: Database, store: EvidenceStore) -> None:
    for n in range(3):
        save_report(database, store, content=f"Cống bị tắc ở đường Lê Lợi số {n}, nước tràn.")
    history = RowsModel(["Mã", "Ngày", "Trạng thái", "Hạn", "Tóm tắt"], history_cells)
    items = CallerHistory(database).lookup("0912 345 678")
    assert len(items) == 3
    history.set_rows(items)
    qtmodeltester.check(history)
    history.set_rows(items[:1])
    qtmodeltester.check(history)

    candidates = find_candidates(
        database,
        BEN_THANH,
        DRAINAGE,
        "Cống bị tắc ở đường Lê Lợi, nước tràn lên vỉa hè",
        now=datetime.now(UTC) + timedelta(minutes=1),
        province_code=HCMC,
    )
    assert candidates
    alike = RowsModel(["Mã", "Giống", "Ngày", "Trạng thái", "Tóm tắt"], candidate_cells)
    alike.set_rows(candidates)
    qtmodeltester.check(alike)

    drafts = DraftService(database)
    drafts.save(None, "call", form_to_mapping(form(content="Đèn đường hỏng")))
    drafts.save(None, "message", form_to_mapping(form(mode="message", content="Rác thải")))
    held = RowsModel(["Bản nháp", "Cập nhật"], draft_cells)
    held.set_rows(drafts.list_open())
    assert held.rowCount() == 2
    qtmodeltester.check(held)


def test_place_list_model(qtmodeltester: Any, qtbot: QtBot, database: Database) -> None:
    lists = load_reference_lists(database)
    model = PlaceListModel()
    model.set_province_names({p.code: p.name for p in lists.provinces})
    search = PlaceSearch(lists.communes)
    model.set_rows(search.find("phuong"))
    assert model.rowCount() > 1
    qtmodeltester.check(model)
    model.with_province = False
    model.set_rows(search.find("ben thanh", HCMC))
    assert model.rowCount() >= 1
    qtmodeltester.check(model)
