"""LibreOffice and poppler for the tests: open what we export the way a manager's office would.

``to_pdf`` converts a workbook (or any document LibreOffice opens) to PDF with Debian's
``libreoffice-calc-nogui``, headless, in a profile of its own (a shared profile makes two
conversions at once fail); a conversion that writes no PDF, or says "Error", fails the test.
``pdf_pages_to_png`` renders pages with poppler's ``pdftoppm`` for a look at them.
Both tools are installed by ``bash scripts/setup.sh --test``; missing, the test is skipped on
a developer's machine and fails on CI (the same rule as the Xvfb tools).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.xvfb_helpers import need

CONVERT_TIMEOUT_S = 180  # LibreOffice's first start in a fresh profile takes ~10 s, more if busy


def to_pdf(document: Path, out_dir: Path) -> Path:
    """The PDF LibreOffice makes of ``document`` in ``out_dir``; fails the test otherwise."""
    soffice = need("soffice")
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / ".lo-profile"
    done = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(document),
        ],
        capture_output=True,
        text=True,
        timeout=CONVERT_TIMEOUT_S,
        check=False,
    )
    pdf = out_dir / (document.stem + ".pdf")
    said = done.stdout + done.stderr
    assert done.returncode == 0, f"LibreOffice failed ({done.returncode}): {said}"
    assert "Error" not in said, f"LibreOffice reported an error: {said}"
    assert pdf.exists() and pdf.stat().st_size > 0, f"LibreOffice wrote no PDF: {said}"
    assert pdf.read_bytes()[:5] == b"%PDF-", f"not a PDF: {pdf}"
    return pdf


def pdf_pages_to_png(pdf: Path, out_prefix: Path, *, first: int = 1, last: int = 1) -> list[Path]:
    """PNG files of pages ``first``..``last`` of ``pdf`` (96 dpi), in page order."""
    pdftoppm = need("pdftoppm")
    out_prefix.parent.mkdir(parents=True, exist_ok=True)
    pages = ["-f", str(first), "-l", str(last)]
    subprocess.run(
        [pdftoppm, "-png", "-r", "96", *pages, str(pdf), str(out_prefix)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(out_prefix.parent.glob(out_prefix.name + "*.png"))


def pdf_page_count(pdf: Path) -> int:
    """How many pages poppler finds in ``pdf``."""
    pdfinfo = need("pdfinfo")
    out = subprocess.run(
        [pdfinfo, str(pdf)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError(f"pdfinfo gave no page count: {out}")


def pdf_text(pdf: Path) -> str:
    """The text poppler's ``pdftotext`` reads from ``pdf`` (UTF-8, in reading order): what a
    reader, or a search over the file, finds in it."""
    pdftotext = need("pdftotext")
    return subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


def pdf_image_count(pdf: Path) -> int:
    """How many pictures poppler's ``pdfimages`` lists in ``pdf``."""
    pdfimages = need("pdfimages")
    out = subprocess.run(
        [pdfimages, "-list", str(pdf)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return sum(1 for line in out.splitlines()[2:] if line.split()[2:3] == ["image"])
