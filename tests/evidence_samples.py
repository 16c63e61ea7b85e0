"""Small real files of every allowed type and of every kind the store must refuse."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image


def image(fmt: str, size: tuple[int, int] = (8, 6), colour: tuple[int, int, int] = (200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


def heic(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 30, 30)):
    """A real HEIC photo, as an iPhone sends (pillow-heif's encoder)."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    return image("HEIF", size, colour)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` (a bomb): only the header is valid, which is
    all a lazy open reads."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def iso(brand: bytes) -> bytes:
    ftyp = b"ftyp" + brand + b"\x00\x00\x02\x00" + brand + b"isom"
    box = struct.pack(">I", len(ftyp) + 4) + ftyp
    return box + struct.pack(">I", 16) + b"mdat" + b"\x00" * 8


def office(main: str, folder: str, extra: str = "") -> bytes:
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Override PartName="/x" ContentType="application/'
        f'vnd.openxmlformats-officedocument.{main}"/>{extra}</Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(f"{folder}document.xml", "<x/>")
    return buffer.getvalue()


def plain_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x8298] = "Nguyen Van An 0912345678"  # Copyright (ASCII): personal data
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 10)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


DOCX = office("wordprocessingml.document.main+xml", "word/")
XLSX = office("spreadsheetml.sheet.main+xml", "xl/")
DOCM = office(
    "wordprocessingml.document.main+xml",
    "word/",
    '<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.'
    'vbaProject"/><Default Extension="bin" ContentType="application/vnd.ms-word.'
    'document.macroEnabled.main+xml"/>',
)

ALLOWED: dict[str, bytes] = {
    "image/png": image("PNG"),
    "image/jpeg": image("JPEG"),
    "image/webp": image("WEBP"),
    "image/gif": image("GIF"),
    "application/pdf": b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
    "video/mp4": iso(b"isom"),
    "video/quicktime": iso(b"qt  "),
    "audio/mpeg": b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64,
    "audio/mp4": iso(b"M4A "),
    "audio/x-wav": b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + b"\x01\x00" * 12,
    "audio/ogg": b"OggS\x00\x02" + b"\x00" * 60,
    "audio/amr": b"#!AMR\n" + b"\x3c" * 64,
    "audio/aac": b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\x00" * 64,  # ADTS voice note
    "image/heic": heic(),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": XLSX,
}

# name → (bytes, expected refusal code)
REFUSED: dict[str, tuple[bytes, str]] = {
    "elf.jpg": (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "executable"),
    "setup.png": (b"MZ\x90\x00\x03" + b"\x00" * 64, "executable"),
    "macho.pdf": (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 64, "executable"),
    "script.mp3": (b"#!/bin/sh\nrm -rf ~\n", "executable"),
    "logo.eps": (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "postscript"),
    "dos.eps": (b"\xc5\xd0\xd3\xc6" + b"\x00" * 64, "postscript"),
    "bomb.png": (png_header_only(20_000, 20_000), "image_too_big"),
    "bomb-warn.png": (png_header_only(11_000, 11_500), "image_too_big"),
    "empty.jpg": (b"", "empty"),
    "renamed.docx": (plain_zip({"a.txt": b"hello"}), "bad_office"),
    "app.xlsx": (plain_zip({"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\n"}), "bad_office"),
    "macro.docx": (DOCM, "macro_office"),
    "notes.txt": (b"hello, this is text", "unsupported_type"),
    "fake.jpg": (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "corrupt_image"),
}
