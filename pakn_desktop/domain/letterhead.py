"""What an exported document's heading names (Decree 30/2020/NĐ-CP): the issuing body, the
place on the date line and the number; a plain value so that the settings (``data``) and the
writers (``reports``), which may not import each other, share it."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_ISSUER = "TRUNG TÂM TIẾP NHẬN PHẢN ÁNH, KIẾN NGHỊ"
DEFAULT_PLACE = "Hà Nội"
DEFAULT_NUMBER = "      /BC-TTPAKN"  # left blank for the clerk, as on paper


@dataclass(frozen=True)
class Letterhead:
    issuer: str = DEFAULT_ISSUER
    place: str = DEFAULT_PLACE
    number: str = DEFAULT_NUMBER
