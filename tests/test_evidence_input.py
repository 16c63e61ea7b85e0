"""Evidence input (issue 13): file names from every door cleaned by one function, so an archive
never holds an entry that climbs out of its folder."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from sqlalchemy import select, update

from pakn_desktop.cli import main
from pakn_desktop.data.models import Evidence
from pakn_desktop.services.archive import build_archive
from pakn_desktop.services.database import Database, open_database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.records import EvidenceBytes
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake_form import SavedTicket
from tests.evidence_samples import ALLOWED
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
    assert len(entries) == len(_BAD_NAMES) + 2
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
