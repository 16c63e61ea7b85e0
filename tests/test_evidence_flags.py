"""Decision 23: a truncated image is kept as it is with a warning; a PDF that runs something
when opened is kept as it is, flagged, and never handed to a viewer by the program."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

from pakn_desktop.cli import main
from pakn_desktop.data.models import TicketEvent
from pakn_desktop.services.environment import Environment
from pakn_desktop.services.evidence import flags
from pakn_desktop.services.evidence.errors import EvidenceError
from pakn_desktop.services.evidence.service import EvidenceService
from pakn_desktop.services.evidence.store import EvidenceStore
from pakn_desktop.services.intake.form import SavedTicket
from pakn_desktop.services.redaction import RedactionService
from pakn_desktop.ui.evidence.backend import EvidenceBackend
from tests.evidence_samples import ALLOWED, image
from tests.test_cli_intake import VALID

_CATALOG = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog @ >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _pdf(catalog: bytes) -> bytes:
    return _CATALOG.replace(b"@", catalog)


def _pdf_with_stream(body: bytes) -> bytes:
    """An object stream (PDF 1.5+) whose dictionaries are Flate-compressed: invisible to a
    scan of the raw bytes."""
    packed = zlib.compress(body)
    return (
        b"%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n"
        + b"2 0 obj\n<< /Length 6 /Filter /DCTDecode >>\n"
        + b"stream\n\xff\xd8\xff\x00\x01\x02\nendstream\n"  # not Flate: skipped
        + b"trailer\n<< >>\n%%EOF\n"
    )


ACTIVE_PDFS = {
    "javascript": (
        _pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        ["JS", "JavaScript", "OpenAction"],
    ),
    "launch": (_pdf(b"/AA << /O << /S /Launch /F (calc.exe) >> >>"), ["AA", "Launch"]),
    "hex escaped": (_pdf(b"/Names << /J#61vaScript 3 0 R >>"), ["JavaScript"]),
    "compressed": (_pdf_with_stream(b"1 0 << /S /Launch /F (cmd.exe) >>"), ["Launch"]),
}
BENIGN_PDFS = {
    "sample": ALLOWED["application/pdf"],
    "json-like names": _pdf(b"/JSON 1 /Launcher 2 /AAA 3"),
    "plain stream": _pdf_with_stream(b"1 0 << /Type /Page >>"),
}


@pytest.mark.parametrize("name", sorted(ACTIVE_PDFS))
def test_pdf_with_code_or_launch_is_flagged(name: str) -> None:
    data, names = ACTIVE_PDFS[name]
    assert flags.flags_of(data, "application/pdf") == (flags.PDF_ACTIVE,)
    assert list(flags.pdf_actions(data)) == names


@pytest.mark.parametrize("name", sorted(BENIGN_PDFS))
def test_plain_pdf_is_not_flagged(name: str) -> None:
    assert flags.flags_of(BENIGN_PDFS[name], "application/pdf") == ()


def _noise(fmt: str) -> bytes:
    """A photo-like image (noise compresses badly): its header is a small part of it."""
    import io
    import random

    from PIL import Image

    rng = random.Random(7)
    picture = Image.frombytes(
        "RGB", (160, 120), bytes(rng.getrandbits(8) for _ in range(160 * 120 * 3))
    )
    out = io.BytesIO()
    picture.save(out, fmt)
    return out.getvalue()


def _truncated(fmt: str) -> bytes:
    whole = _noise(fmt)
    return whole[: len(whole) * 2 // 3]  # an upload cut short: the header is there, the end not


@pytest.mark.parametrize(
    ("fmt", "mime"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif")]
)
def test_truncated_image_is_kept_unaltered_with_a_warning(
    tmp_path: Path, fmt: str, mime: str
) -> None:
    store = EvidenceStore(tmp_path / "store")
    assert store.put_bytes(_noise(fmt)).warnings == ()
    cut = _truncated(fmt)
    source = tmp_path / "cut.bin"
    source.write_bytes(cut)
    for blob in (store.put_bytes(cut), store.put_file(source)):
        assert (blob.mime, blob.warnings) == (mime, (flags.TRUNCATED,))
        assert store.read_bytes(blob.sha256) == cut  # kept as it came


def test_an_image_whose_header_is_cut_is_still_refused(tmp_path: Path) -> None:
    """What cannot be recognised as the image it claims to be is not evidence of anything:
    a WebP cut short (Pillow reads it whole to know its size), a JPEG cut inside its tables."""
    store = EvidenceStore(tmp_path / "store")
    for data in (_truncated("WEBP"), image("JPEG", (8, 6))[:120]):
        with pytest.raises(EvidenceError) as caught:
            store.put_bytes(data)
        assert caught.value.code == "corrupt_image"


def test_attach_records_the_warning_in_the_custody_event(
    evidence: EvidenceService, ticket: SavedTicket, tmp_path: Path
) -> None:
    pdf = tmp_path / "don.pdf"
    pdf.write_bytes(ACTIVE_PDFS["launch"][0])
    (attached,) = evidence.attach_files(ticket.code, [pdf])
    assert attached.warnings == (flags.PDF_ACTIVE,)
    with evidence.database.sessions() as session:
        data = session.scalars(
            select(TicketEvent.data).where(
                TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "evidence_attached"
            )
        ).one()
    assert data["warnings"] == [flags.PDF_ACTIVE]


def test_a_flagged_pdf_is_never_handed_to_a_viewer(
    evidence: EvidenceService, ticket: SavedTicket, tmp_path: Path
) -> None:
    backend = EvidenceBackend(
        evidence, RedactionService(evidence), tmp_path / "thumbs", tmp_path / "copies"
    )
    pdf, plain = tmp_path / "to-cao.pdf", tmp_path / "quyet-dinh.pdf"
    pdf.write_bytes(ACTIVE_PDFS["javascript"][0])
    plain.write_bytes(ALLOWED["application/pdf"])
    active, harmless = evidence.attach_files(ticket.code, [pdf, plain])
    with pytest.raises(EvidenceError) as caught:
        backend.open_copy(active)
    assert caught.value.code == flags.PDF_ACTIVE
    assert "/JavaScript" in caught.value.message and "không mở" in caught.value.message
    assert not (tmp_path / "copies").exists() or not list((tmp_path / "copies").rglob("*.pdf"))
    assert backend.open_copy(harmless).read_bytes() == ALLOWED["application/pdf"]


@pytest.mark.usefixtures("migrated_env")  # env's database is already migrated
def test_cli_says_what_it_took_with_a_warning(
    env: Environment, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = base64.b64encode(_truncated("PNG")).decode()
    attachments = [{"display_name": "anh.png", "data_base64": cut}]
    source = tmp_path / "report.json"
    source.write_text(json.dumps(dict(VALID, attachments=attachments)), encoding="utf-8")
    assert main(["--data-dir", str(env.data_dir), "intake", "--json", str(source)]) == 0
    out = capsys.readouterr()
    assert out.err.startswith("pakn-desktop: cảnh báo: attachments: anh.png: Ảnh bị cắt cụt")
    code = out.out.strip()
    photo, pdf = tmp_path / "cut.jpg", tmp_path / "don.pdf"
    photo.write_bytes(_truncated("JPEG"))
    pdf.write_bytes(ACTIVE_PDFS["launch"][0])
    args = ["--data-dir", str(env.data_dir), "evidence", "add", "--json", code]
    assert main([*args, str(photo), str(pdf)]) == 0
    out = capsys.readouterr()
    photo_line, pdf_line = out.err.splitlines()
    assert photo_line.startswith("pakn-desktop: cảnh báo: cut.jpg: Ảnh bị cắt cụt")
    assert pdf_line.startswith("pakn-desktop: cảnh báo: don.pdf: PDF có mã hoặc lệnh tự chạy")
    assert "/AA, /Launch" in pdf_line
    listed = json.loads(out.out)
    assert [a["warnings"] for a in listed] == [[flags.TRUNCATED], [flags.PDF_ACTIVE]]
