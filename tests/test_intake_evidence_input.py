"""Files offered to the intake screen (issue 13): a FIFO chosen in the file dialog is refused in
Vietnamese instead of hanging the worker; a big file is refused from its size without being
read; a file taken is streamed into the store, not held in memory."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tracemalloc
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from pakn_desktop.data.models import Evidence
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.ui.intake.screen import IntakeScreen
from pakn_desktop.ui.main.window import MainWindow

from .intake_data import png
from .test_intake_screen import (  # noqa: F401 (window: fixture)
    count,
    fill_valid,
    save_by_key,
    start_call,
    window,
)


def _unblock(fifo: Path) -> None:
    """A worker stuck opening ``fifo`` (the code before the fix) gets its end of file, so the
    failing test ends instead of hanging the run."""
    with contextlib.suppress(OSError):  # ENXIO: nobody is reading it
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def _choose_in_dialog(path: Path) -> None:
    """Type ``path`` into the file dialog ``choose_files`` opens, and accept it."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, answer)  # not shown yet
            return
        dialog.setDirectory(str(path.parent))
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None
        name.setText(path.name)
        dialog.accept()

    QTimer.singleShot(0, answer)


def _refused_after(qtbot: QtBot, screen: IntakeScreen, offer: object) -> str:
    with qtbot.waitSignal(screen.attachments.refused, timeout=10_000) as refused:
        assert callable(offer)
        offer()
    text = refused.args[0]
    assert isinstance(text, str)
    return text


def test_a_fifo_chosen_as_attachment_is_refused_without_hanging(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
    tmp_path: Path,
    env: Environment,
) -> None:
    screen = start_call(qtbot, window)
    fifo = tmp_path / "ong-dan.png"
    os.mkfifo(fifo)
    try:
        _choose_in_dialog(fifo)
        text = _refused_after(qtbot, screen, screen.attachments.choose_files)
    finally:
        _unblock(fifo)
    assert text == (
        f"{fifo}: Không phải tệp thường nên không được nhận làm minh chứng (ống dẫn FIFO)"
    )
    box = screen.form.boxes["attachments"]
    assert box.message.text() == text and box.has_error()
    assert screen.attachments.values() == () and screen.form.message.strip.count() == 0
    assert list(EvidenceStore(env.evidence_dir).stored_hashes()) == []


def test_a_big_file_is_refused_from_its_size_without_being_read(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    screen = start_call(qtbot, window)
    big = tmp_path / "video.png"
    with big.open("wb") as out:
        out.truncate(300 * 1024 * 1024)  # sparse: costs no disk
    tracemalloc.start()
    try:
        text = _refused_after(qtbot, screen, lambda: screen.attachments.offer([], [str(big)]))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert text == f"{big}: Tệp quá lớn (300 MB; tối đa 50 MB)"
    assert peak < 20 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB held while refusing it"
    assert screen.attachments.values() == ()


def test_a_dropped_file_is_streamed_into_the_store_and_saved(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811 (the fixture)
    tmp_path: Path,
    env: Environment,
    database: Database,
) -> None:
    screen = start_call(qtbot, window)
    fill_valid(screen)
    path = tmp_path / "hiện trường.png"
    data = png(300, 200, seed=3)
    path.write_bytes(data)
    with qtbot.waitSignal(screen.attachments.changed, timeout=10_000):
        screen.attachments.offer([], [str(path)])
    (attachment,) = screen.attachments.values()
    # only the hash travels: the bytes are in the store, not in the form
    assert attachment.data == b"" and attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert EvidenceStore(env.evidence_dir).read_bytes(attachment.sha256) == data
    assert not screen.form.message.strip.item(0).icon().isNull()  # a thumbnail all the same
    save_by_key(qtbot, screen)
    assert count(database, Evidence) == 1
