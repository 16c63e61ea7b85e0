"""A file fetched on opening says how far it is and can be stopped (decision 50's fetch, made
visible): the service reports the bytes as the chunks come, a stop between two chunks keeps
what came and the next opening resumes after it; the window's viewer shows the progress and
its closing stops the fetch; a non-image is fetched on the read lane, not the saves' lane."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pakn_desktop.services.environment import Environment
from pakn_desktop.services.sync import files
from pakn_desktop.services.sync.errors import FetchCancelled
from pakn_desktop.services.sync.push import Pusher

from .db_template import MigratedEnv
from .qt_helpers import open_window
from .sync_data import station
from .test_sync_files import (
    SMALL,
    file_reaches_b_as_rows,
    leftovers,
    noisy_png,
    rows_only,
    save_with_file,
)

pytestmark = pytest.mark.postgres


def test_a_fetch_reports_its_bytes_stops_between_chunks_and_resumes(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "CHUNK_SIZE", SMALL)
    data = noisy_png()
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02", environ={"PAKN_SYNC_URL": pg_migrated_url}) as b,
    ):
        _, sha = file_reaches_b_as_rows(a, b, pg_migrated_url, data)
        assert not b.evidence.is_here(sha)
        heard: list[tuple[int, int]] = []

        def stop_after_two() -> bool:
            return len(heard) >= 3  # the start, then two chunks

        with pytest.raises(FetchCancelled) as stopped:
            b.evidence.local_path(sha, lambda done, total: heard.append((done, total)),
                                  stop_after_two)  # fmt: skip
        assert "lần mở sau tải tiếp" in stopped.value.message
        assert heard == [(0, len(data)), (SMALL, len(data)), (2 * SMALL, len(data))]
        assert not b.evidence.is_here(sha)  # nothing half-written in the store
        part = b.evidence_store.root / files.FETCHING / f"{sha}.part"
        assert part.stat().st_size == 2 * SMALL
        # Opened again: it resumes after the two chunks and says so from there.
        again: list[int] = []
        path = b.evidence.local_path(sha, lambda done, _total: again.append(done))
        assert again == [2 * SMALL, 3 * SMALL, 4 * SMALL, len(data)]
        assert path.read_bytes() == data and b.evidence_store.verify(sha)
        assert leftovers(b) == []


def test_the_viewer_shows_the_fetch_and_a_document_is_fetched_off_the_saves_lane(
    qtbot: QtBot,
    migrated: MigratedEnv,
    tmp_path: Path,
    pg_migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pakn_desktop.services.evidence.records import EvidenceBytes
    from pakn_desktop.ui.evidence.panel import EvidencePanel
    from pakn_desktop.ui.evidence.viewer import ImageViewer

    monkeypatch.setattr(files, "CHUNK_SIZE", SMALL)
    monkeypatch.setenv("PAKN_SYNC_URL", pg_migrated_url)
    data = noisy_png()
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        ticket_id, sha = save_with_file(a, data)
        a.evidence.attach_bytes(ticket_id, [EvidenceBytes("cong-van.pdf", pdf, "file")])
        assert Pusher(a.database, pg_migrated_url, files=a.evidence_store).push().files
        rows_only(b, pg_migrated_url)
        env = b._env
        assert isinstance(env, Environment)
        win = open_window(qtbot, b.database, env, tmp_path / "win", size=None)
        panel = win.queue.detail.evidence
        assert isinstance(panel, EvidencePanel)
        items = {i.mime: i for i in win._services.evidence.list_for_ticket(ticket_id)}
        shown: list[tuple[int, int]] = []
        real = ImageViewer.show_fetching

        def spy(viewer: ImageViewer, done: int, total: int) -> None:
            shown.append((done, total))
            real(viewer, done, total)

        monkeypatch.setattr(ImageViewer, "show_fetching", spy)
        panel.open_item(items["image/png"])
        viewer = panel.viewer
        assert isinstance(viewer, ImageViewer)
        qtbot.waitUntil(lambda: not viewer.view._item.pixmap().isNull(), timeout=30_000)
        assert shown and shown[-1] == (len(data), len(data))
        assert win._services.evidence.is_here(sha)
        viewer.close()
        # The PDF: fetched under the job bar on the read lane, then copied for the system's
        # viewer (no program here opens it: the message says so, the copy was made).
        opened: list[str] = []
        panel.open_url = lambda url: opened.append(url.toLocalFile()) or True
        panel.open_item(items["application/pdf"])
        assert panel.job.isVisible()  # the fetch runs under the job bar (progress, Huỷ)
        qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
        assert Path(opened[0]).read_bytes() == pdf
        win.close()


def test_closing_the_viewer_stops_the_fetch_and_keeps_what_came(
    qtbot: QtBot,
    migrated: MigratedEnv,
    tmp_path: Path,
    pg_migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from pakn_desktop.data import blob_chunks
    from pakn_desktop.services.sync import errors as sync_errors
    from pakn_desktop.ui.evidence.viewer import ImageViewer

    monkeypatch.setattr(files, "CHUNK_SIZE", SMALL)
    monkeypatch.setenv("PAKN_SYNC_URL", pg_migrated_url)
    data = noisy_png()
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        ticket_id, sha = file_reaches_b_as_rows(a, b, pg_migrated_url, data)
        # The second chunk waits until the viewer is closed: the fetch is caught mid-way.
        reached, closed = threading.Event(), threading.Event()
        real = blob_chunks.read_chunk

        def held(conn: object, digest: str, n: int) -> bytes | None:
            if n == 1:
                reached.set()
                assert closed.wait(30)
            return real(conn, digest, n)  # type: ignore[arg-type]

        monkeypatch.setattr(blob_chunks, "read_chunk", held)
        stopped = threading.Event()
        refusal = sync_errors.fetch_cancelled

        def stopping() -> FetchCancelled:
            stopped.set()
            return refusal()

        monkeypatch.setattr(sync_errors, "fetch_cancelled", stopping)
        env = b._env
        assert isinstance(env, Environment)
        win = open_window(qtbot, b.database, env, tmp_path / "win", size=None)
        panel = win.queue.detail.evidence
        assert panel is not None
        (item,) = win._services.evidence.list_for_ticket(ticket_id)
        panel.open_item(item)
        viewer = panel.viewer
        assert isinstance(viewer, ImageViewer)
        assert reached.wait(30)
        qtbot.waitUntil(lambda: "Đang tải ảnh từ máy chủ" in viewer.status.text())
        viewer.close()  # WA_DeleteOnClose: destroyed, which cancels the read
        qtbot.waitUntil(lambda: panel.viewer is None)
        closed.set()
        assert stopped.wait(30)  # the worker saw the viewer gone before the next chunk
        part = b.evidence_store.root / files.FETCHING / f"{sha}.part"
        assert not win._services.evidence.is_here(sha)  # stopped: not fetched to the end
        assert part.stat().st_size == 2 * SMALL  # the chunk in flight, then it stopped
        win.close()
