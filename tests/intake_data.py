"""Shared values for the intake tests: a valid form and tiny real images."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from typing import Any

from pakn_desktop.services.intake.form import IntakeForm

BEN_THANH = "26743"  # Phường Bến Thành
HCMC = "79"
HOAN_KIEM = "00070"  # Phường Hoàn Kiếm, Hà Nội
HANOI = "01"
DRAINAGE = "ha_tang_do_thi.cap_thoat_nuoc"
LIGHTING = "ha_tang_do_thi.chieu_sang"


def form(**changes: Any) -> IntakeForm:
    base = IntakeForm(
        mode="call",
        channel="hotline",
        kind="phan_anh",
        category=DRAINAGE,
        content="Cống bị tắc ở đường Lê Lợi, nước tràn lên vỉa hè gây mùi hôi.",
        province_code=HCMC,
        commune_code=BEN_THANH,
        address="12 Lê Lợi",
        reporter_name="Nguyễn Văn An",
        reporter_phone="0912 345 678",
    )
    return replace(base, **changes)


def png(width: int = 1, height: int = 1, seed: int = 0) -> bytes:
    """A valid PNG of ``width`` x ``height`` grey pixels (``seed`` varies the bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes([seed % 256]) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 " + b"\x00" * 14
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
