"""Evidence input (issue 13): file names from every door cleaned by one function, so an archive
never holds an entry that climbs out of its folder; FIFOs, sockets and devices refused from
``stat`` without being opened (they hung the CLI and the intake worker); ``evidence verify``
passing only regular files."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import pytest
from sqlalchemy import select, update

from pakn_desktop.cli import main
from pakn_desktop.data.models import Evidence
from pakn_desktop.services.archive import build_archive
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.errors import EvidenceError
from pakn_desktop.services.evidence.records import EvidenceBytes, VerifyReport
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.form import SavedTicket
from tests.evidence_fixtures import stored_files
from tests.evidence_samples import ALLOWED, image
from tests.test_cli_intake import VALID

_BAD_NAMES = [
    "../../../../tmp/evil.png",
    "..\\..\\Windows\\System32\\evil.png",
    "/etc/cron.d/evil.png",
    "ảnh\u202egnp.exe",
    "a\x00b\x1b[31m.png",
    "zero\u200bwidth\ufeff.png",
    "..",
    "ễ" * 200 + ".png",
]


def _safe_entry(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and all(len(part.encode("utf-8")) <= 255 for part in path.parts)
        and not any(c in name for c in "\x00\x1b\u202e\u200b\ufeff")
    )


@pytest.mark.usefixtures("migrated_env")  # env's database is already migrated
def test_intake_json_names_are_cleaned_and_the_archive_stays_inside(
    env: Environment, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = base64.b64encode(ALLOWED["image/png"]).decode()
    data = dict(
        VALID,
        attachments=[{"display_name": n, "data_base64": png} for n in _BAD_NAMES],
    )
    source = tmp_path / "report.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    assert main(["--data-dir", str(env.data_dir), "intake", "--json", str(source)]) == 0, (
        capsys.readouterr().err
    )
    code = capsys.readouterr().out.strip()
    database = open_database(env)
    try:
        with database.sessions() as session:
            names = list(session.scalars(select(Evidence.display_name)))
        # the same bytes eight times are one evidence row per attachment, each cleaned
        assert len(names) == len(_BAD_NAMES)
        assert all(_safe_entry(name) and "/" not in name for name in names), names
        assert "evil.png" in names and "ảnhgnp.exe.png" in names
        service = EvidenceService(database, EvidenceStore(env.evidence_dir))
        out = tmp_path / "archive.zip"
        build_archive(service, out, ticket=code)
    finally:
        database.close()
    with zipfile.ZipFile(out) as archive:
        entries = archive.namelist()
    assert len(entries) == len(_BAD_NAMES) + 3  # manifest.json, record.html, record.pdf
    assert all(_safe_entry(entry) for entry in entries), entries


def test_archive_cleans_names_already_in_the_database(
    tmp_path: Path, database: Database, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    """A row written before names were cleaned (or by another program on the shared
    database) still cannot put a traversal entry into the ZIP."""
    (attached,) = evidence.attach_bytes(
        ticket.code, [EvidenceBytes("a.pdf", ALLOWED["application/pdf"], "file")]
    )
    with database.writer.begin() as conn:
        conn.execute(
            update(Evidence)
            .where(Evidence.id == attached.id)
            .values(display_name="../../../home/an/.bashrc")
        )
    out = tmp_path / "archive.zip"
    build_archive(evidence, out, ticket=ticket.code)
    with zipfile.ZipFile(out) as archive:
        entries = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    assert f"files/{ticket.code}/bashrc.pdf" in entries
    assert all(_safe_entry(entry) for entry in entries), entries
    (item,) = manifest["reports"][0]["evidence"]
    assert item["path"] == f"files/{ticket.code}/bashrc.pdf"


# --- FIFOs, sockets, devices: refused from stat, never opened ---------------------------------


def _unblock(fifo: Path) -> None:
    """Give a reader stuck on ``fifo`` (the code before the fix) its end of file, so a failing
    test fails instead of hanging the run."""
    with contextlib.suppress(OSError):  # ENXIO: nobody is reading, nothing to unblock
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def _within(seconds: float, work: Callable[[], object], fifo: Path | None = None) -> object:
    """``work()``'s result or raised error, failing the test if it does not return in time."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # handed to the test
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if fifo is not None:
            _unblock(fifo)
        thread.join(5)
        pytest.fail(f"still blocked after {seconds} s")
    return outcome[0]


@pytest.fixture
def specials(tmp_path: Path) -> Iterator[dict[str, Path]]:
    fifo = tmp_path / "ong-dan.png"
    os.mkfifo(fifo)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock = tmp_path / "cong.png"
    listener.bind(str(sock))
    folder = tmp_path / "thu-muc.png"
    folder.mkdir()
    # /dev/zero reads for ever: a store that opened it would copy until the size limit
    yield {"fifo": fifo, "socket": sock, "device": Path("/dev/zero"), "folder": folder}
    listener.close()


@pytest.mark.parametrize("kind", ["fifo", "socket", "device", "folder"])
def test_store_refuses_what_is_not_a_regular_file_without_opening_it(
    tmp_path: Path, specials: dict[str, Path], kind: str
) -> None:
    store = EvidenceStore(tmp_path / "store")
    path = specials[kind]
    error = _within(10, lambda: store.put_file(path), specials["fifo"])
    assert isinstance(error, EvidenceError), error
    assert error.code == "not_regular"
    assert error.message.startswith("Không phải tệp thường")
    assert stored_files(tmp_path / "store") == []


def test_a_link_to_a_regular_file_is_taken(tmp_path: Path) -> None:
    real = tmp_path / "that.pdf"
    real.write_bytes(ALLOWED["application/pdf"])
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    blob = EvidenceStore(tmp_path / "store").put_file(link)
    assert blob.size == len(ALLOWED["application/pdf"])


def test_evidence_add_refuses_a_fifo_at_once(
    env: Environment, tmp_path: Path, ticket: SavedTicket, specials: dict[str, Path]
) -> None:
    photo = tmp_path / "anh.png"
    photo.write_bytes(ALLOWED["image/png"])
    try:
        done = _cli(env, "evidence", "add", ticket.code, str(photo), str(specials["fifo"]))
    finally:
        _unblock(specials["fifo"])
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "pakn-desktop: ong-dan.png: Không phải tệp thường nên không được nhận làm minh chứng "
        "(ống dẫn FIFO)"
    )
    assert list(EvidenceStore(env.evidence_dir).stored_hashes()) == []


def _cli(env: Environment, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pakn_desktop.cli", "--data-dir", str(env.data_dir), *args]
    clean = {k: v for k, v in os.environ.items() if k not in ("PAKN_DB_URL", "PAKN_DATA_DIR")}
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=clean)


# --- verify: only regular files pass -----------------------------------------------------------


def test_verify_flags_links_folders_and_fifos_in_place_of_files(
    tmp_path: Path, evidence: EvidenceService, ticket: SavedTicket
) -> None:
    items = [EvidenceBytes(f"a{i}.png", image("PNG", (5, 5), (i, 0, 0))) for i in range(5)]
    linked, folder, fifo, sound, sharded = evidence.attach_bytes(ticket.code, items)
    store = evidence.store
    # a whole folder of the store moved elsewhere and linked back: the same bytes, outside
    shard = store.path_of(sharded.sha256).parent
    others = (linked, folder, fifo, sound)
    assert all(o.sha256[:4] != sharded.sha256[:4] for o in others)  # it holds only that one
    shutil.copytree(shard, tmp_path / "moved")
    shutil.rmtree(shard)
    shard.symlink_to(tmp_path / "moved")
    # a link to the right bytes, kept elsewhere: they can change without the store knowing
    elsewhere = tmp_path / "elsewhere"
    shutil.copyfile(store.path_of(linked.sha256), elsewhere)
    store.path_of(linked.sha256).unlink()
    store.path_of(linked.sha256).symlink_to(elsewhere)
    store.path_of(folder.sha256).unlink()
    store.path_of(folder.sha256).mkdir()
    store.path_of(fifo.sha256).unlink()
    os.mkfifo(store.path_of(fifo.sha256))
    orphan = store.put_bytes(image("GIF"))
    store.path_of(orphan.sha256).unlink()
    os.mkfifo(store.path_of(orphan.sha256))  # a FIFO no row names is flagged as well
    try:
        report = _within(20, evidence.verify_all, store.path_of(fifo.sha256))
    finally:
        _unblock(store.path_of(orphan.sha256))
    assert isinstance(report, VerifyReport), report
    assert not report.ok and report.ok_count == 1
    assert report.missing == () and report.altered == () and report.orphans == ()
    flagged = {(p.sha256, p.kind, p.detail, p.names) for p in report.irregular}
    assert flagged == {
        (linked.sha256, "not_regular", "liên kết tượng trưng", ("a0.png",)),
        (folder.sha256, "not_regular", "thư mục", ("a1.png",)),
        (fifo.sha256, "not_regular", "ống dẫn FIFO", ("a2.png",)),
        (orphan.sha256, "not_regular", "ống dẫn FIFO", ()),
        (sharded.sha256, "not_regular", "thư mục trong kho là liên kết tượng trưng", ("a4.png",)),
    }
    assert sound.sha256 not in {p.sha256 for p in report.irregular}


def test_a_refused_file_is_named_without_its_escape_sequences(
    evidence: EvidenceService, ticket: SavedTicket, tmp_path: Path
) -> None:
    """The refusal is printed on a terminal by ``evidence add``: a name carrying ANSI escapes
    or a bidi override must not reach it as it is."""
    bad = tmp_path / "x\x1b[2J\u202egnp.exe"
    bad.write_bytes(b"MZ" + b"\x00" * 64)
    with pytest.raises(EvidenceError) as caught:
        evidence.attach_files(ticket.code, [bad])
    assert caught.value.message.startswith("x_[2Jgnp.exe: Tệp chương trình")
