"""Evidence files travel with the sync, chunked through the server database (decision 50),
against a real PostgreSQL: station A's file is uploaded after its push, station B (which
pulled the rows only) fetches it when it opens it; cut transfers resume by chunk, and bytes
that do not hash to their name never enter a store."""

from __future__ import annotations

import os
import random
import struct
import uuid
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pakn_desktop.services.app_services import AppServices
from pakn_desktop.services.intake.form import Attachment
from pakn_desktop.services.sync import files
from pakn_desktop.services.sync.errors import EvidenceUnavailable
from pakn_desktop.services.sync.fetch import fetch_missing
from pakn_desktop.services.sync.files import FilesUploaded, FileUploader
from pakn_desktop.services.sync.pull import Puller
from pakn_desktop.services.sync.push import Pusher

from .db_template import MigratedEnv
from .intake_data import form
from .sync_data import server_scalar, station

pytestmark = pytest.mark.postgres

SMALL = 4096  # a chunk in these tests: the file below is cut into 5


class Cut(Exception):
    """A transfer cut short (the connection lost, the process killed)."""


def noisy_png(side: int = 128, seed: int = 1) -> bytes:
    """A valid grey PNG of random pixels, stored uncompressed: ``side`` x ``side`` + ~100 bytes
    (16.6 KB for 128: five 4 KiB chunks)."""
    rng = random.Random(seed)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + rng.randbytes(side) for _ in range(side))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 0))
        + chunk(b"IEND", b"")
    )


def save_with_file(services: AppServices, data: bytes) -> tuple[uuid.UUID, str]:
    saved = services.intake.save(form(attachments=(Attachment("hien-truong.png", data, "file"),)))
    (item,) = services.evidence.list_for_ticket(saved.id)
    return saved.id, item.sha256


def rows_only(services: AppServices, url: str) -> None:
    """Push then pull the rows, no files (a station's own files follow only with ``files``)."""
    pusher = Pusher(services.database, url, keep_connection=True)
    try:
        pusher.push()
        Puller(pusher).pull()
    finally:
        pusher.close()


def file_reaches_b_as_rows(
    a: AppServices, b: AppServices, url: str, data: bytes
) -> tuple[uuid.UUID, str]:
    """A report with ``data`` attached, saved on A and pushed with its file; B pulls the rows
    only (the file is fetched when opened there): the report's id and the file's sha256."""
    ticket_id, sha = save_with_file(a, data)
    assert Pusher(a.database, url, files=a.evidence_store).push().files
    rows_only(b, url)
    return ticket_id, sha


def upload_after_rows(
    services: AppServices, url: str, after_chunk: Callable[[str, int], None]
) -> FilesUploaded:
    """The rows pushed, then the files uploaded in ``SMALL`` chunks, ``after_chunk(sha, n)``
    called after chunk ``n`` (to cut or alter the transfer there)."""
    pusher = Pusher(services.database, url, keep_connection=True)
    try:
        pusher.push()
        uploader = FileUploader(
            pusher, services.evidence_store, chunk_size=SMALL, after_chunk=after_chunk
        )
        with pusher.server_engine().connect() as server:
            return uploader.upload(server)
    finally:
        pusher.close()


def leftovers(services: AppServices) -> list[Path]:
    """Files in B's store other than stored ones: staging copies, fetch parts."""
    root = services.evidence_store.root
    found = [p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".lock")]
    return [p for p in found if p.parent.parent.parent != root or p.name.endswith(".part")]


def test_a_file_pushed_by_one_station_is_fetched_by_another_when_opened(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    data = noisy_png()
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02", environ={"PAKN_SYNC_URL": pg_migrated_url}) as b,
    ):
        ticket_id, sha = save_with_file(a, data)
        pushed = Pusher(a.database, pg_migrated_url, files=a.evidence_store).push()
        assert pushed.files is not None and (pushed.files.uploaded, pushed.files.chunks) == (1, 1)
        complete = (
            f"SELECT count(*) FROM blob_upload WHERE sha256 = '{sha}' AND complete_at IS NOT NULL"
        )
        assert server_scalar(pg_migrated_url, complete) == 1
        again = Pusher(a.database, pg_migrated_url, files=a.evidence_store).push()
        assert again.files is not None and again.files.chunks == 0  # the cursor is past it

        rows_only(b, pg_migrated_url)
        (item,) = b.evidence.list_for_ticket(ticket_id)
        assert item.sha256 == sha
        assert not b.evidence_store.path_of(sha).exists()  # the rows came, not the bytes
        # Opening it (what the panel's worker does) fetches it from the server first.
        copy = b.open_copies.open_copy(item)
        assert copy.read_bytes() == data
        assert b.evidence_store.read_bytes(sha) == data and b.evidence_store.verify(sha)
        assert leftovers(b) == []


def test_a_fetch_cut_after_some_chunks_resumes_after_them(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "CHUNK_SIZE", SMALL)
    data = noisy_png()
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        _, sha = save_with_file(a, data)
        pushed = Pusher(a.database, pg_migrated_url, files=a.evidence_store).push()
        assert pushed.files is not None and pushed.files.chunks == 5
        rows_only(b, pg_migrated_url)

        def cut_after_two(_sha: str, n: int) -> None:
            if n == 1:
                raise Cut()

        with pytest.raises(Cut):
            fetch_missing(
                b.database, pg_migrated_url, sha, b.evidence_store, after_chunk=cut_after_two
            )
        assert not b.evidence_store.path_of(sha).exists()  # nothing half-written in the store
        part = b.evidence_store.root / files.FETCHING / f"{sha}.part"
        assert part.stat().st_size == 2 * SMALL
        # A chunk cut mid-write: its partial bytes are dropped and it is fetched again.
        with part.open("ab") as out:
            out.write(b"\x00" * 100)

        moved: list[int] = []
        path = fetch_missing(
            b.database,
            pg_migrated_url,
            sha,
            b.evidence_store,
            after_chunk=lambda _s, n: moved.append(n),
        )
        assert moved == [2, 3, 4]  # the chunks already written were not fetched again
        assert path.read_bytes() == data and b.evidence_store.verify(sha)
        assert leftovers(b) == []


def test_a_chunk_altered_on_the_server_is_refused_on_arrival(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "CHUNK_SIZE", SMALL)
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        _, sha = file_reaches_b_as_rows(a, b, pg_migrated_url, noisy_png())
        engine = create_engine(pg_migrated_url)
        try:
            with engine.begin() as conn:  # one byte of the third chunk, after the check
                conn.execute(
                    text(
                        "UPDATE blob_chunk SET data = "
                        "set_byte(data, 100, (get_byte(data, 100) + 1) % 256) "
                        "WHERE sha256 = :s AND n = 2"
                    ),
                    {"s": sha},
                )
        finally:
            engine.dispose()
        with pytest.raises(EvidenceUnavailable) as refused:
            fetch_missing(b.database, pg_migrated_url, sha, b.evidence_store)
        assert refused.value.code == "sync_file_corrupt"
        assert "SHA-256" in refused.value.message
        assert not b.evidence_store.path_of(sha).exists()
        assert leftovers(b) == []  # no part, no staged copy


def test_a_file_the_server_does_not_hold_whole_is_refused_and_nothing_is_written(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        _, sha = save_with_file(a, noisy_png())
        rows_only(a, pg_migrated_url)  # the rows, not the file
        rows_only(b, pg_migrated_url)
        with pytest.raises(EvidenceUnavailable) as refused:
            fetch_missing(b.database, pg_migrated_url, sha, b.evidence_store)
        assert refused.value.code == "sync_file_not_on_server"
        assert not b.evidence_store.path_of(sha).exists()
        assert leftovers(b) == []


def test_an_upload_cut_midway_resumes_with_the_chunks_the_server_lacks(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    data = noisy_png()
    with (
        station(migrated, tmp_path / "a", "HN01") as a,
        station(migrated, tmp_path / "b", "HN02") as b,
    ):
        _, sha = save_with_file(a, data)

        def cut_after_two(_sha: str, n: int) -> None:
            if n == 1:
                raise Cut()

        with pytest.raises(Cut):
            upload_after_rows(a, pg_migrated_url, cut_after_two)
        chunks = f"SELECT count(*) FROM blob_chunk WHERE sha256 = '{sha}'"
        complete = (
            f"SELECT count(*) FROM blob_upload WHERE sha256 = '{sha}' AND complete_at IS NOT NULL"
        )
        assert server_scalar(pg_migrated_url, chunks) == 2
        assert server_scalar(pg_migrated_url, complete) == 0
        # The next push goes on in the chunk size the upload began with, from chunk 2.
        pushed = Pusher(a.database, pg_migrated_url, files=a.evidence_store).push()
        assert pushed.files is not None and (pushed.files.uploaded, pushed.files.chunks) == (1, 3)
        assert server_scalar(pg_migrated_url, complete) == 1
        rows_only(b, pg_migrated_url)
        assert (
            fetch_missing(b.database, pg_migrated_url, sha, b.evidence_store).read_bytes() == data
        )


def test_a_file_that_no_longer_hashes_to_its_name_is_not_uploaded(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    with station(migrated, tmp_path / "a", "HN01") as a:
        _, sha = save_with_file(a, noisy_png())
        stored = a.evidence_store.path_of(sha)
        os.chmod(stored, 0o644)
        with stored.open("r+b") as out:  # the store altered behind the program's back
            out.seek(200)
            out.write(b"\xff")
        pushed = Pusher(a.database, pg_migrated_url, files=a.evidence_store).push()
        assert pushed.files is not None and (pushed.files.bad, pushed.files.uploaded) == (1, 0)
        assert server_scalar(pg_migrated_url, "SELECT count(*) FROM blob_upload") == 0
        # ``sync --once`` says so, with where to look.
        from pakn_desktop.services.sync.service import counts

        said = counts(a.database, pushed)
        assert (said.files_bad, said.files_uploaded) == (1, 0)
        assert "1 tệp minh chứng trên máy này không còn khớp" in said.summary()
        assert "evidence verify" in said.summary()


def test_chunks_altered_on_the_way_up_are_not_marked_complete_and_go_again(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """The server hashes each chunk itself before it marks a file complete; the one altered
    is removed and goes again, the others stay."""
    data = noisy_png()
    with station(migrated, tmp_path / "a", "HN01") as a:
        _, sha = save_with_file(a, data)
        engine = create_engine(pg_migrated_url)

        def alter_on_the_way(_sha: str, n: int) -> None:
            if n == 3:
                with engine.begin() as conn:
                    conn.execute(
                        text("UPDATE blob_chunk SET data = 'x'::bytea WHERE sha256 = :s AND n = 0"),
                        {"s": _sha},
                    )

        try:
            first = upload_after_rows(a, pg_migrated_url, alter_on_the_way)
        finally:
            engine.dispose()
        assert (first.uploaded, first.bad, first.more) == (0, 1, True)
        complete = (
            f"SELECT count(*) FROM blob_upload WHERE sha256 = '{sha}' AND complete_at IS NOT NULL"
        )
        assert server_scalar(pg_migrated_url, complete) == 0
        left = f"SELECT count(*) FROM blob_chunk WHERE sha256 = '{sha}' AND n > 0"
        assert server_scalar(pg_migrated_url, left) == 4  # the good ones stay
        assert server_scalar(pg_migrated_url, "SELECT count(*) FROM blob_chunk") == 4
        again = Pusher(a.database, pg_migrated_url, files=a.evidence_store).push()
        assert again.files is not None and (again.files.uploaded, again.files.chunks) == (1, 1)
        assert server_scalar(pg_migrated_url, complete) == 1


def test_a_round_uploads_a_bounded_number_of_bytes_even_of_one_file(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A video does not hold one round (and the pull after it): the rest goes next round."""
    monkeypatch.setattr(files, "CHUNK_SIZE", SMALL)
    monkeypatch.setattr(files, "ROUND_BYTES", 2 * SMALL)
    with station(migrated, tmp_path / "a", "HN01") as a:
        _, sha = save_with_file(a, noisy_png())
        rounds = []
        for _ in range(4):
            done = Pusher(a.database, pg_migrated_url, files=a.evidence_store).push().files
            assert done is not None
            rounds.append((done.chunks, done.uploaded, done.more))
        assert rounds == [(2, 0, True), (2, 0, True), (1, 1, False), (0, 0, False)]
        complete = (
            f"SELECT count(*) FROM blob_upload WHERE sha256 = '{sha}' AND complete_at IS NOT NULL"
        )
        assert server_scalar(pg_migrated_url, complete) == 1


def test_a_file_the_cursor_passed_over_goes_at_the_daily_pass_from_the_first_file(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """A file stored while the station's clock was set back sorts before the upload's cursor:
    the rounds after it pass it over; the next daily pass from the first file sends it."""
    from datetime import timedelta

    from pakn_desktop.data import blob_chunks

    with station(migrated, tmp_path / "a", "HN01") as a:
        _, first = save_with_file(a, noisy_png(seed=1))
        pushed = Pusher(a.database, pg_migrated_url, files=a.evidence_store).push()
        assert pushed.files is not None and pushed.files.uploaded == 1
        _, late = save_with_file(a, noisy_png(seed=2))
        with a.database.writer.begin() as conn:  # stored "a day ago" by a clock set back
            conn.execute(
                text("UPDATE blob SET stored_at = :at WHERE sha256 = :sha"),
                {"at": datetime.now(UTC).replace(tzinfo=None) - timedelta(days=1), "sha": late},
            )
        passed = Pusher(a.database, pg_migrated_url, files=a.evidence_store).push()
        assert passed.files is not None and passed.files.uploaded == 0  # behind the cursor
        complete = "SELECT count(*) FROM blob_upload WHERE complete_at IS NOT NULL"
        assert server_scalar(pg_migrated_url, complete) == 1
        with a.database.writer.begin() as conn:  # a day on: the last pass began long ago
            day_ago = datetime.now(UTC) - timedelta(days=1, minutes=1)
            blob_chunks.start_rescan(conn, day_ago)
            blob_chunks.store_upload_cursor(conn, (datetime.now(UTC), "f" * 64))
        again = Pusher(a.database, pg_migrated_url, files=a.evidence_store).push()
        assert again.files is not None
        assert (again.files.uploaded, again.files.already) == (1, 1)  # the first one checked
        assert server_scalar(pg_migrated_url, complete) == 2
        assert first != late


def test_a_file_altered_here_during_its_upload_is_not_marked_complete(
    migrated: MigratedEnv, tmp_path: Path, pg_migrated_url: str
) -> None:
    """The station hashes its file again as it finishes (each chunk and the whole): a byte
    changed in its store mid-upload is never marked complete on the server."""
    with station(migrated, tmp_path / "a", "HN01") as a:
        _, sha = save_with_file(a, noisy_png())
        stored = a.evidence_store.path_of(sha)

        def alter_here(_sha: str, n: int) -> None:
            if n == 0:  # a chunk not sent yet: the server's chunks will match the file here
                os.chmod(stored, 0o644)
                with stored.open("r+b") as out:
                    out.seek(4 * SMALL + 10)
                    out.write(b"\xee")

        first = upload_after_rows(a, pg_migrated_url, alter_here)
        assert (first.uploaded, first.bad) == (0, 1)
        complete = "SELECT count(*) FROM blob_upload WHERE complete_at IS NOT NULL"
        assert server_scalar(pg_migrated_url, complete) == 0
        again = Pusher(a.database, pg_migrated_url, files=a.evidence_store).push()
        assert again.files is not None and (again.files.uploaded, again.files.bad) == (0, 1)
        assert server_scalar(pg_migrated_url, complete) == 0
