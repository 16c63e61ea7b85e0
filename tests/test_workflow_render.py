"""Renders for review (offscreen): the detail of a survivor with a merged report, the merged
report's detail, the merge dialog and the result form with attachments. Saved under
``PAKN_RENDER_DIR`` when set (to look at), else the test's temporary folder; the test checks
that each picture is drawn (not blank) and that nothing is clipped."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.workflow.service import WorkflowService
from pakn_desktop.ui.workflow.dialogs import ActionDialog
from pakn_desktop.ui.workflow.merge_dialog import MergeDialog
from tests.intake_data import png
from tests.qt_helpers import open_window
from tests.workflow_data import add_unit, save_report, select_ticket


def _out(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PAKN_RENDER_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _save(widget: QWidget, path: Path) -> QImage:
    assert widget.grab().save(str(path))
    image = QImage(str(path))
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 13)
    }
    assert len(colours) > 3, f"{path.name} looks blank"
    return image


def test_render_merged_detail_and_dialogs(
    qtbot: QtBot, database: Database, env: Environment, tmp_path: Path
) -> None:
    out = _out(tmp_path)
    store = EvidenceStore(env.evidence_dir)
    workflow = WorkflowService(database)
    survivor = save_report(database, store)
    absorbed = save_report(
        database,
        store,
        content="Cống trước số 14 Lê Lợi lại tắc, nước thải tràn ra vỉa hè, mùi rất hôi.",
        reporter_name="Trần Thị Bích",
        reporter_phone="0987 654 321",
    )
    picture = tmp_path / "cong-tac.png"
    picture.write_bytes(png(64, 48, seed=120))
    EvidenceService(database, store).attach_files(absorbed, [picture])
    workflow.act(survivor, "screen", "operator")
    workflow.act(absorbed, "mark_duplicate", "operator", None, {"duplicate_of": survivor})
    workflow.act(absorbed, "merge", "operator", None, {"merge_into": survivor})
    unit = add_unit(database, "BT", name="UBND phường Bến Thành")
    handling = save_report(database, store, content="Đèn đường trước chợ Bến Thành bị hỏng.")
    workflow.act(handling, "forward", "operator", None, {"lead_unit_id": unit})
    workflow.act(handling, "accept", "unit_officer")
    workflow.act(handling, "start", "unit_officer")
    another = save_report(database, store, content="Cống Lê Lợi tắc, nước tràn.")
    workflow.act(another, "mark_duplicate", "operator", None, {"duplicate_of": absorbed})

    win = open_window(qtbot, database, env, tmp_path)
    detail = win.queue.detail
    select_ticket(qtbot, win, survivor)
    qtbot.waitUntil(lambda: "Gồm cả diễn biến" in detail.body.toPlainText())
    assert detail.evidence is not None
    qtbot.waitUntil(lambda: detail.evidence.strip.count() == 1, timeout=10_000)
    _save(win, out / "detail-survivor.png")

    actions = select_ticket(qtbot, win, absorbed)
    qtbot.waitUntil(lambda: "Đã gộp vào" in detail.body.toPlainText())
    strip = detail.evidence.strip
    qtbot.waitUntil(lambda: strip.count() == 1 and not strip.item(0).icon().isNull())
    qtbot.wait(300)  # the thumbnail is decoded on a worker
    _save(win, out / "detail-merged.png")

    # The merge dialog on a linked duplicate (offered its linked original's root).
    actions = select_ticket(qtbot, win, another)
    actions.trigger(_action("merge"))
    qtbot.waitUntil(lambda: isinstance(actions.dialog, MergeDialog))
    merge = actions.dialog
    assert isinstance(merge, MergeDialog)
    qtbot.waitUntil(lambda: merge.results.count() == 1)
    _fits(merge)
    _save(merge, out / "merge-dialog.png")
    merge.reject()
    qtbot.waitUntil(lambda: actions.dialog is None)

    actions = select_ticket(qtbot, win, handling, role="unit_officer")
    actions.trigger(_action("record_result"))
    qtbot.waitUntil(lambda: isinstance(actions.dialog, ActionDialog))
    dialog = actions.dialog
    assert isinstance(dialog, ActionDialog) and dialog.files is not None
    dialog.text.setPlainText("Đã thay bóng đèn cao áp, kiểm tra lúc 19:00 ngày 20/11.")
    report = tmp_path / "bien-ban-nghiem-thu.pdf"
    report.write_bytes(b"%PDF-1.4\n%%EOF\n")
    image = QImage(1280, 720, QImage.Format.Format_RGB32)
    image.fill(QColor("#12b76a"))
    QGuiApplication.clipboard().setImage(image)
    dialog.files.paste()
    dialog.files.add_files([report])
    qtbot.wait(50)
    _fits(dialog)
    for child in (dialog.due_at, dialog.reason, dialog.duplicate_of):
        assert not child.isVisible()  # fields of other actions are not drawn over the form
    _save(dialog, out / "result-dialog.png")
    dialog.reject()
    qtbot.waitUntil(lambda: actions.dialog is None)


def _fits(dialog: QWidget) -> None:
    hint, size = dialog.sizeHint(), dialog.size()
    assert hint.width() <= size.width() and hint.height() <= size.height(), (hint, size)


def _action(name: str):  # type: ignore[no-untyped-def]
    from pakn_desktop.domain.workflow import Action

    return Action(name)
