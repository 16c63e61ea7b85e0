"""A denouncer's and a confidential reporter's name and number reach no output.

One planted identity (tests.protected_data: reporter fields, and typed inside summary,
content and result in NFC, NFD and without accents, the number written four ways, and in an
evidence file's name) is looked for in everything the program gives out: the CLI's and the
service's search, caller history, the archive ZIP (every file in it, its file names, the
written record's PDF text), the publication text, the SMS and e-mails the local gateway and
mail server received after a forward and ``pakn-desktop notify --once``, ``stats --json``, and
every file in the data folder but the database and the evidence store.
``tests.identity_scan`` finds it in any Unicode form and encoding; add a new output here
with ``leaks``.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import unicodedata
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from pakn_desktop.data.types import utcnow
from pakn_desktop.domain.publication import PublicationRefusal
from pakn_desktop.domain.workflow import WorkflowRefused
from pakn_desktop.services.archive import build_archive
from pakn_desktop.services.database import Database
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.intake.caller_history import CallerHistory
from pakn_desktop.services.intake.service import IntakeService
from pakn_desktop.services.search import SearchService, as_json
from pakn_desktop.services.workflow.publication import publication_text
from pakn_desktop.services.workflow.service import WorkflowService
from tests.identity_scan import files_leaks, leaks, message_leaks
from tests.intake_data import png
from tests.local_servers import sms_gateway, smtp_server
from tests.office import pdf_text
from tests.protected_data import PROTECTED, QUYNH, leaky_text, save_protected
from tests.test_protected_search import identity_queries
from tests.workflow_data import add_unit, to_result


def _cli(env: Environment, *args: str, **environ: str) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(
        [sys.executable, "-m", "pakn_desktop.cli", "--data-dir", str(env.data_dir), *args],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, **environ},
    )
    assert done.returncode == 0, done.stderr.decode()
    return done


def _planted_reports(
    database: Database, evidence: EvidenceService, tmp_path: Path
) -> dict[str, str]:
    """Both protected kinds, each with an evidence file named after the person, forwarded,
    accepted, started and given a result that names them: their codes by kind."""
    intake = IntakeService(database, evidence.store)
    unit = add_unit(database, "U1", phone="+84901000001", email="ubnd@benthanh.vn")
    codes: dict[str, str] = {}
    for i, which in enumerate(sorted(PROTECTED)):
        saved = save_protected(intake, which)
        named = []
        for j, name in enumerate(QUYNH.forms_typed()[:2]):  # NFC and NFD file names
            path = tmp_path / f"{name} {QUYNH.phones_typed()[j]}.png"
            path.write_bytes(png(2, 2, seed=10 * i + j))
            named.append(path)
        evidence.attach_files(saved.code, named)
        to_result(database, saved.id, unit, leaky_text(QUYNH, "Kết quả: đã làm việc với"))
        codes[which] = saved.code
    return codes


Found = dict[str, list[str]]


def _scan(found: Found, what: str, data: bytes | str) -> None:
    if hits := leaks(data, QUYNH):
        found[what] = hits


def _search_leaks(env: Environment, database: Database, codes: dict[str, str]) -> Found:
    """The service and the CLI: for the person nothing, for the report a masked summary."""
    found: Found = {}
    service = SearchService(database)
    for query in identity_queries():
        hits = service.search(query, limit=100)
        if hits:
            found[f"search {query!r} matched"] = [r.code for r in hits]
        _scan(found, f"cli search {query!r}", _cli(env, "search", query, "--json").stdout)
    for query in ("Người dân phản ánh", *codes.values()):
        rows = service.search(query, limit=100)
        assert rows, query
        _scan(found, f"search {query!r}", json.dumps(as_json(rows), ensure_ascii=False))
        _scan(found, f"cli search {query!r}", _cli(env, "search", query, "--json").stdout)
    return found


def _history_leaks(database: Database) -> Found:
    """By the number, any way typed: nothing, not even a withheld line."""
    found: Found = {}
    for typed in QUYNH.phones_typed():
        if items := CallerHistory(database).lookup(typed):
            found[f"caller history {typed!r}"] = [f"{i.code} {i.kind}: {i.summary}" for i in items]
    return found


def _notify_leaks(env: Environment) -> Found:
    """What the local gateway and mail server received from ``notify --once``."""
    found: Found = {}
    with sms_gateway() as gateway, smtp_server() as mailbox:
        sent = _cli(
            env,
            "notify",
            "--once",
            "--json",
            PAKN_SMS_URL=gateway.url,
            PAKN_SMTP_HOST="127.0.0.1",
            PAKN_SMTP_PORT=str(mailbox.port),
        )
    assert json.loads(sent.stdout)["sent"] == 4, sent.stdout
    assert len(gateway.requests) == 2 and len(mailbox.messages) == 2
    _scan(found, "notify output", sent.stdout + sent.stderr)
    for request in gateway.requests:
        _scan(found, f"sms {request['text']!r}", json.dumps(request, ensure_ascii=False))
    for message in mailbox.messages:
        if hits := message_leaks(message, QUYNH):
            found[f"e-mail {message['Subject']}"] = hits
    return found


def _archive_leaks(evidence: EvidenceService, codes: dict[str, str], out: Path) -> Found:
    """One package per report and one for the day: every file in them, and their names."""
    found: Found = {}
    now = utcnow()
    packages = [build_archive(evidence, out / f"{c}.zip", ticket=c) for c in codes.values()]
    day = timedelta(days=1)
    packages.append(build_archive(evidence, out / "day.zip", since=now - day, until=now + day))
    assert packages[-1].files == 4
    for package in packages:
        with zipfile.ZipFile(package.path) as archive:
            _scan(found, f"{package.path.name} names", "\n".join(archive.namelist()))
            for name in archive.namelist():
                _scan(found, f"{package.path.name}/{name}", archive.read(name))
            # A PDF's text is compressed: scanned as a reader's search would read it.
            pdf = out / f"{package.path.stem}-record.pdf"
            pdf.write_bytes(archive.read("record.pdf"))
            _scan(found, f"{package.path.name}/record.pdf text", pdf_text(pdf))
    return found


def _publication_leaks(database: Database, codes: dict[str, str]) -> Found:
    """The text offered for publication; a text still naming the person is refused."""
    found: Found = {}
    service = SearchService(database)
    for which, code in codes.items():
        (row,) = service.search(code)
        _scan(found, f"publication {which}", publication_text(database, row.id).text)
    (to_cao,) = service.search(codes["to_cao"])
    for said in (*QUYNH.forms_typed(), *QUYNH.phones_typed()):
        text = f"Ông {said} báo."
        try:
            WorkflowService(database).act(
                to_cao.id, "publish", "supervisor", None, {"publication_text": text}
            )
        except WorkflowRefused as refused:
            assert refused.code == PublicationRefusal.PERSONAL_DATA, said
        else:
            found[f"published {text!r}"] = [said]
            break  # published: the report cannot be published again
    return found


def _data_folder_leaks(env: Environment) -> Found:
    """Every file in the data folder but the database and the evidence store (logs…)."""
    kept = ("pakn.sqlite3", "pakn.sqlite3-wal", "pakn.sqlite3-shm", "pakn.sqlite3-journal")
    left = [
        p
        for p in env.data_dir.rglob("*")
        if p.is_file() and p.name not in kept and env.evidence_dir not in p.parents
    ]
    return files_leaks(left, QUYNH)


def test_the_protected_identity_reaches_no_output(
    tmp_path: Path, env: Environment, database: Database, evidence: EvidenceService
) -> None:
    codes = _planted_reports(database, evidence, tmp_path)
    found = _search_leaks(env, database, codes)
    found |= _history_leaks(database)
    found |= _notify_leaks(env)
    found |= _archive_leaks(evidence, codes, tmp_path)
    found |= _publication_leaks(database, codes)
    _scan(found, "stats", _cli(env, "stats", "--json").stdout)
    database.close()
    found |= _data_folder_leaks(env)
    assert found == {}, "\n".join(sorted(found))


def test_the_scan_finds_every_planted_form() -> None:
    """The scan itself: each form the test plants is found, so a clean result means clean."""
    for said in (*QUYNH.forms_typed(), *QUYNH.phones_typed()):
        assert leaks(f"… {said} …", QUYNH), said
        assert leaks(json.dumps({"x": said}), QUYNH), said  # \\u escapes
        assert leaks(f"<td>{said.replace(' ', '&#32;')}</td>", QUYNH), said
    nfd_tail = unicodedata.normalize("NFD", "chị Quỳnh Nhụy")
    assert leaks(nfd_tail, QUYNH) == ["quynh nhuy", "nhuy"]
    assert leaks("Chị *** đề nghị giữ bí mật; mã 0975 3186 4 và 2026-12-07", QUYNH) == []


def test_a_failed_statement_logs_no_value(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """A statement's error, logged with its traceback as the GUI's tasks do, names none of
    the values it was given (a save that fails holds the reporter's name and number)."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError) as failed, database.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO reporter (id, full_name, phone) VALUES (NULL, :name, :phone)"),
            {"name": QUYNH.name, "phone": "+84" + QUYNH.phone[1:]},
        )
    logging.getLogger("pakn_desktop.test").error("save failed", exc_info=failed.value)
    (record,) = caplog.records
    assert leaks(logging.Formatter().format(record), QUYNH) == []
