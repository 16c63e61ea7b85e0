"""What a file is, from its bytes: the allow-list, and the refusals the allow-list implies.

The name never decides (a renamed ``setup.exe`` called ``anh.jpg`` is an executable). Two
steps: :func:`sniff` looks at the first bytes only, so an executable or an unknown type is
refused before a 200 MB file is copied; :func:`inspect` then checks what needs the whole file
(an image's pixel count, an Office file's parts), on the store's private copy, so what was
checked is exactly what is stored.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import BinaryIO

from .errors import EvidenceError
from .images import check_image

HEAD_BYTES = 64 * 1024  # filetype reads 8 KiB; an ISO-BMFF ftyp box or a zip header fits too

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The allow-list: MIME type → short name for messages and archive listings.
ALLOWED: dict[str, str] = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WebP",
    "image/gif": "GIF",
    "image/heic": "HEIC",
    "application/pdf": "PDF",
    "video/mp4": "MP4",
    "video/quicktime": "MOV",
    "audio/mpeg": "MP3",
    "audio/mp4": "M4A",
    "audio/x-wav": "WAV",
    "audio/ogg": "OGG",
    "audio/amr": "AMR",
    "audio/aac": "AAC",  # a bare ADTS stream, as some phones save a voice note
    DOCX: "DOCX",
    XLSX: "XLSX",
}
IMAGES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif", "image/heic"})
ZIP = "application/zip"

# Executables of every desktop system, and a script that names its interpreter.
_EXECUTABLE = (
    b"\x7fELF",  # Linux, BSD
    b"MZ",  # Windows PE (.exe, .dll, .scr)
    b"\xfe\xed\xfa\xce",  # Mach-O 32/64, both byte orders, and universal binaries
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",  # a shell/Python/… script
    b"\xef\xbb\xbf#!",
)
# PostScript runs code when rendered (Ghostscript CVEs); DOS EPS has a binary header.
_POSTSCRIPT = (b"%!PS", b"\xc5\xd0\xd3\xc6", b"%!")
_AMR = (b"#!AMR\n", b"#!AMR-WB\n")  # AMR voice recordings start like a script
_QUICKTIME_BRANDS = ("qt  ",)
_M4A_BRANDS = ("M4A ", "M4B ", "M4P ")
_HEIC_BRANDS = ("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1")


def sniff(head: bytes) -> str:
    """The MIME type of a file from its first bytes (``HEAD_BYTES`` or all of a small file).

    ``application/zip`` means "an Office file, maybe": :func:`inspect` decides. Refusals:
    ``empty``, ``executable``, ``postscript``, ``unsupported_type``.
    """
    if not head:
        raise EvidenceError("empty")
    if head.startswith(_EXECUTABLE) and not head.startswith(_AMR):
        raise EvidenceError("executable")
    if head.startswith(_POSTSCRIPT):
        raise EvidenceError("postscript")
    brand = _iso_brand(head)
    if brand is not None:
        if brand in _QUICKTIME_BRANDS:
            return "video/quicktime"
        if brand in _M4A_BRANDS:
            return "audio/mp4"
        if brand in _HEIC_BRANDS:
            return "image/heic"
    import filetype  # ~5 ms of imports, only when a file is actually attached

    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    if mime == ZIP or head.startswith(b"PK\x03\x04"):
        return ZIP
    if mime is None or mime not in ALLOWED:
        raise EvidenceError("unsupported_type")
    return str(mime)


def inspect(source: Path | bytes, mime: str, *, max_pixels: int) -> str:
    """The final MIME type after the whole-file checks; EvidenceError when refused.

    Images: the header is parsed (lazily, no pixels decoded) and the pixel count checked;
    a zip must be a real DOCX or XLSX.
    """
    if mime in IMAGES:
        with _open(source) as stream:
            try:
                check_image(stream, mime, max_pixels=max_pixels)
            except EvidenceError as error:
                # pillow-heif reads HEIC (images._heif_opener); should a build lack its
                # decoder, an iPhone photo is still kept as it came, shown by its name.
                if error.code != "heic_unsupported":
                    raise
        return mime
    if mime == ZIP:
        with _open(source) as stream:
            return _office_type(stream)
    return mime


def _open(source: Path | bytes) -> BinaryIO:
    return io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")


def _iso_brand(head: bytes) -> str | None:
    if len(head) < 12 or head[4:8] != b"ftyp":
        return None
    return head[8:12].decode("latin-1")


# [Content_Types].xml names the main part's type; a zip without it (a plain zip, a .jar, an
# .apk) is not an Office file, and a macro-enabled one is refused.
_MAIN_TYPES = {
    "wordprocessingml.document.main+xml": ("word/", DOCX),
    "spreadsheetml.sheet.main+xml": ("xl/", XLSX),
}
_CT = "[Content_Types].xml"
_CONTENT_TYPES_LIMIT = 1024 * 1024  # the real file is a few KB; a zip bomb entry is not read


def _office_type(stream: BinaryIO) -> str:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            info = archive.getinfo(_CT) if _CT in names else None
            if info is None or info.file_size > _CONTENT_TYPES_LIMIT:
                raise EvidenceError("bad_office")
            types = archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, KeyError) as error:
        raise EvidenceError("bad_office") from error
    if "macroEnabled" in types or "vbaProject" in types:
        raise EvidenceError("macro_office")
    for marker, (folder, mime) in _MAIN_TYPES.items():
        if marker in types and any(name.startswith(folder) for name in names):
            return mime
    raise EvidenceError("bad_office")
