"""``record.pdf``: the written record (``reports.record``) as an A4 PDF with fpdf2, no Qt.

Decree 30/2020/NĐ-CP look: Liberation Serif (Times New Roman's metric twin, every Vietnamese
glyph; embedded, so the page looks the same on a machine without it), 13 pt body, margins
20/15/20/30 mm, the heading in two columns, page numbers, the signature blocks kept whole on
the last page. Screenshots are drawn in, shrunk to at most ``IMAGE_MAX_PX`` on a side first:
the record is read, not used to measure pixels (the originals are in the archive).
"""

from __future__ import annotations

import functools
import io
import logging
import unicodedata
from collections.abc import Callable
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, cast

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # fpdf2 reads fonts with it
from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image

from pakn_desktop.reports.record import (
    MOTTO,
    NATION,
    Evidence,
    ReportRecord,
    WrittenRecord,
)

log = logging.getLogger(__name__)

FAMILY = "LiberationSerif"
MONO = "Courier"  # hashes are hex: the PDF's own font holds them
_FONT_FILES = {
    "": "LiberationSerif-Regular.ttf",
    "B": "LiberationSerif-Bold.ttf",
    "I": "LiberationSerif-Italic.ttf",
    "BI": "LiberationSerif-BoldItalic.ttf",
}
LEFT, TOP, RIGHT, BOTTOM = 30.0, 20.0, 15.0, 20.0  # mm, Decree 30's margins
BODY = 13.0
LINE = 6.0  # mm per body line
IMAGE_MAX_PX = 1600
IMAGE_MAX_H = 100.0  # mm: two phone screenshots with their captions and a heading fit a page
HASH_W = 50.0  # mm: half a SHA-256 in Courier 7 pt per line
ROW_LINE = 5.0  # mm per line in the timeline
PAD = 1.2  # mm inside a timeline cell
SIGNATURE_SPACE = 55.0  # mm the signature blocks need below the last line

ImageBytes = Callable[[Evidence], bytes | None]


NO_GLYPH = "\u25a1"  # □: a character the font cannot draw (an emoji, a CJK name) is shown


@functools.cache
def _drawable() -> frozenset[int]:
    """The code points Liberation Serif draws (its four faces cover the same ones)."""
    with resources.as_file(_font_dir().joinpath(_FONT_FILES[""])) as path:
        return frozenset(TTFont(path, lazy=True).getBestCmap())


def _font_dir() -> Traversable:
    return resources.files("pakn_desktop").joinpath("resources", "fonts")


def _nfc(text: str) -> str:
    """``text`` as the font can draw it: composed (a name typed in decomposed form would be
    drawn as loose combining marks), tabs as spaces, other control characters dropped, and
    a box for what the font lacks, never a silent gap (the HTML keeps the original)."""
    drawable = _drawable()
    out = []
    for char in unicodedata.normalize("NFC", text.replace("\t", "    ")):
        if char == "\n" or ord(char) in drawable:
            out.append(char)
        elif unicodedata.category(char) not in ("Cc", "Cf"):
            out.append(NO_GLYPH)
    return "".join(out)


class _Page(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 10)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")


def record_pdf(
    record: WrittenRecord,
    image_bytes: ImageBytes | None = None,
    between: Callable[[], None] | None = None,
) -> bytes:
    """The PDF's bytes; ``image_bytes`` gives a screenshot's bytes (None: not drawn);
    ``between`` is called before each report (a cancel point: it may raise). A report
    takes ~0.2 s (fpdf2's line breaking), a day's archive of hundreds a minute."""
    pdf = _Page(orientation="P", unit="mm", format="A4")
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    fonts = _font_dir()
    for style, name in _FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(fonts.joinpath(name)))
    pdf.set_title(_nfc(record.title))
    pdf.set_creator("PAKN Desktop")
    pdf.set_lang("vi")
    pdf.alias_nb_pages()
    pdf.add_page()
    _heading(pdf, record)
    for number, report in enumerate(record.reports, start=1):
        if between is not None:
            between()
        _report(pdf, number, report, image_bytes)
    _signatures(pdf, record)
    return bytes(pdf.output())


def _write(pdf: FPDF, text: str, *, style: str = "", size: float = BODY, **kw: Any) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, LINE, _nfc(text), new_x="LMARGIN", new_y="NEXT", **kw)


def _heading(pdf: FPDF, record: WrittenRecord) -> None:
    head = record.heading
    width = pdf.epw
    left_w, right_w = width * 0.42, width * 0.58
    top = pdf.get_y()
    # Left: the issuing body (bold, a short rule under it), then the number.
    pdf.set_font(FAMILY, "B", 12)
    issuer = _balanced(pdf, _nfc(head.issuer), left_w - 2)
    pdf.multi_cell(left_w, 5.5, issuer, align="C", new_x="LEFT", new_y="NEXT")
    _rule(pdf, LEFT + left_w / 2, pdf.get_y() + 0.5, 25)
    pdf.set_y(pdf.get_y() + 2)
    pdf.set_font(FAMILY, "", BODY)
    pdf.cell(left_w, LINE, _nfc(head.number), align="C")
    left_end = pdf.get_y() + LINE
    # Right: the national heading, the motto underlined by a rule its width, the date line.
    pdf.set_xy(LEFT + left_w, top)
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(right_w, 5.5, NATION, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, "B", BODY)
    pdf.cell(right_w, LINE, MOTTO, align="C", new_x="LEFT", new_y="NEXT")
    _rule(pdf, LEFT + left_w + right_w / 2, pdf.get_y() + 0.3, pdf.get_string_width(MOTTO))
    pdf.set_y(pdf.get_y() + 3)
    pdf.set_x(LEFT + left_w)
    pdf.set_font(FAMILY, "I", BODY)
    pdf.cell(right_w, LINE, _nfc(head.date_line), align="C")
    pdf.set_y(max(left_end, pdf.get_y() + LINE) + 8)
    _write(pdf, record.title, style="B", size=14, align="C")
    _write(pdf, record.subtitle, style="I", align="C")
    pdf.ln(3)
    _write(pdf, record.opening, align="J")


def _balanced(pdf: FPDF, text: str, width: float) -> str:
    """``text`` in two lines of near equal width when it does not fit on one (a heading
    broken after its last fitting word reads "… PHẢN / ÁNH, KIẾN NGHỊ")."""
    words = text.split()
    if pdf.get_string_width(text) <= width or len(words) < 2:
        return text
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    first, rest = min(
        splits, key=lambda s: max(pdf.get_string_width(s[0]), pdf.get_string_width(s[1]))
    )
    return f"{first}\n{rest}"


def _rule(pdf: FPDF, center: float, y: float, length: float) -> None:
    pdf.set_line_width(0.3)
    pdf.line(center - length / 2, y, center + length / 2, y)


def _subheading(pdf: FPDF, text: str, keep: float = LINE * 3) -> None:
    """``keep``: the height of what must follow on the same page (a heading is never the
    last line of a page)."""
    if pdf.will_page_break(LINE + keep):
        pdf.add_page()
    pdf.ln(1.5)
    _write(pdf, text, style="BI")


def _grid(pdf: FPDF, rows: tuple[tuple[str, str], ...]) -> None:
    if not rows:
        return
    pdf.set_font(FAMILY, "", 12)
    with pdf.table(
        width=pdf.epw,
        align="LEFT",
        col_widths=(55, pdf.epw - 55),
        first_row_as_headings=False,
        text_align="LEFT",
        v_align="TOP",
        line_height=5.5,
        padding=(1, 1.5),
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(_nfc(label), style=FontFace(emphasis="BOLD"))
            row.cell(_nfc(value))
    pdf.ln(1)


def _report(pdf: FPDF, number: int, report: ReportRecord, image_bytes: ImageBytes | None) -> None:
    pdf.ln(3)
    if pdf.will_page_break(LINE * 6):
        pdf.add_page()
    _write(pdf, f"{number}. Hồ sơ {report.code}: {report.summary}", style="B")
    _subheading(pdf, "a) Thông tin tiếp nhận")
    _grid(pdf, report.fields)
    _subheading(pdf, "b) Người phản ánh")
    if report.withheld:
        _write(pdf, report.withheld, style="I")
    elif report.reporter:
        _grid(pdf, report.reporter)
    else:
        _write(pdf, "(không ghi)")
    _subheading(pdf, "c) Nội dung phản ánh / tin nhắn")
    # Left, not justified: a message's short lines and long links would be spread apart.
    _write(pdf, report.content or "(không có)", size=12, align="L")
    _subheading(pdf, "d) Cách xử lý và kết quả")
    _grid(pdf, report.handling)
    drawn = [_drawn(pdf, item, image_bytes) for item in report.evidence]
    _subheading(pdf, "đ) Minh chứng", drawn[0][2] if drawn else LINE)
    if not report.evidence:
        _write(pdf, "(không có)")
    for index, (item, picture) in enumerate(zip(report.evidence, drawn, strict=True), start=1):
        _evidence(pdf, index, item, picture)
    _subheading(pdf, "e) Diễn biến xử lý (chuỗi băm)")
    _timeline(pdf, report)


Drawn = tuple[Image.Image | None, tuple[float, float], float, bool]


def _drawn(pdf: FPDF, item: Evidence, image_bytes: ImageBytes | None) -> Drawn:
    """An item's picture (PNG, or None), its size on the page, the height its caption and
    picture need together, and whether a picture was there but could not be drawn."""
    data = image_bytes(item) if item.is_image and image_bytes is not None else None
    shrunk = _shrunk(data) if data else None
    size = _fitted(pdf, *shrunk[1]) if shrunk else (0.0, 0.0)
    failed = data is not None and shrunk is None
    return (shrunk[0] if shrunk else None), size, LINE * (3 if failed else 2) + 5 + size[1], failed


def _evidence(pdf: FPDF, index: int, item: Evidence, drawn: Drawn) -> None:
    png, size, height, failed = drawn
    if pdf.will_page_break(height):  # the caption stays with its picture
        pdf.add_page()
    _write(pdf, f"{index}. {item.name} ({item.detail})", size=12)
    pdf.set_font(MONO, "", 8.5)
    pdf.cell(0, 4.5, f"SHA-256: {item.sha256}", new_x="LMARGIN", new_y="NEXT")
    if png is not None:
        _image(pdf, item, png, size)
    elif failed:
        _write(pdf, "(không hiển thị được ảnh; xem tệp gốc trong gói lưu trữ)", style="I", size=11)
    pdf.ln(1.5)


def _fitted(pdf: FPDF, px_w: int, px_h: int) -> tuple[float, float]:
    """A screenshot's size on the page in mm: its screen size if it fits, else shrunk."""
    width = min(pdf.epw, px_w * 25.4 / 96)
    height = width * px_h / px_w
    if height > IMAGE_MAX_H:
        width, height = width * IMAGE_MAX_H / height, IMAGE_MAX_H
    return width, height


def _image(pdf: FPDF, item: Evidence, png: Image.Image, size: tuple[float, float]) -> None:
    width, height = size
    x = LEFT + (pdf.epw - width) / 2
    pdf.image(png, x=x, y=pdf.get_y() + 1, w=width, h=height, alt_text=_nfc(item.name))
    pdf.set_draw_color(136)
    pdf.rect(x, pdf.get_y() + 1, width, height)
    pdf.set_draw_color(0)
    pdf.set_y(pdf.get_y() + height + 2)


def _shrunk(data: bytes) -> tuple[Image.Image, tuple[int, int]] | None:
    """The picture decoded and no larger than ``IMAGE_MAX_PX`` (handed to fpdf2 as it is:
    no PNG round trip), or None when Pillow cannot read it (a format the record cannot draw:
    the file is still in the archive)."""
    try:
        with Image.open(io.BytesIO(data)) as source:
            source.thumbnail((IMAGE_MAX_PX, IMAGE_MAX_PX))
            picture = source.convert("RGBA" if source.mode in ("RGBA", "LA", "P") else "RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        log.info("record image not drawn: %s", type(error).__name__)
        return None
    return picture, picture.size


def _timeline(pdf: FPDF, report: ReportRecord) -> None:
    """Drawn row by row, not with fpdf2's table: a day's archive holds hundreds of reports
    of a dozen events each, and the table's layout pass made this the slowest part (~6x)."""
    if not report.events:
        _write(pdf, "(không có)")
        return
    widths = (9.0, 29.0, pdf.epw - 38.0 - HASH_W, HASH_W)
    _timeline_row(pdf, widths, [["#"], ["Thời điểm"], ["Sự kiện"], ["Mã băm"]], bold=True)
    for event in report.events:
        text = event.text
        if event.masked:  # its hash is of the text before the identity was masked
            text += " (đã che danh tính; mã băm tính trên bản gốc)"
        pdf.set_font(FAMILY, "", 11)
        lines = cast(
            list[str],
            pdf.multi_cell(widths[2] - 2 * PAD, ROW_LINE, _nfc(text), dry_run=True, output="LINES"),
        )
        # Two halves of 32: Courier 7 pt fits a half in the column, whole hex runs stay.
        halves = [event.hash[:32], event.hash[32:]]
        cells = [[str(event.seq)], event.at.split(" ", 1), lines, halves]
        if pdf.will_page_break(_row_height(cells)):
            pdf.add_page()
            _timeline_row(pdf, widths, [["#"], ["Thời điểm"], ["Sự kiện"], ["Mã băm"]], bold=True)
        _timeline_row(pdf, widths, cells)


def _row_height(cells: list[list[str]]) -> float:
    return max(len(lines) for lines in cells) * ROW_LINE + 2 * PAD


def _timeline_row(
    pdf: FPDF, widths: tuple[float, ...], cells: list[list[str]], *, bold: bool = False
) -> None:
    top, x, height = pdf.get_y(), LEFT, _row_height(cells)
    for column, (width, lines) in enumerate(zip(widths, cells, strict=True)):
        pdf.rect(x, top, width, height)
        if column == len(widths) - 1 and not bold:
            pdf.set_font(MONO, "", 7)
        else:
            pdf.set_font(FAMILY, "B" if bold else "", 11)
        for index, line in enumerate(lines):
            pdf.set_xy(x + PAD, top + PAD + index * ROW_LINE)
            pdf.cell(width - 2 * PAD, ROW_LINE, line, align="C" if column == 0 else "L")
        x += width
    pdf.set_xy(LEFT, top + height)


def _signatures(pdf: FPDF, record: WrittenRecord) -> None:
    if pdf.will_page_break(SIGNATURE_SPACE):
        pdf.add_page()
    pdf.ln(8)
    top = pdf.get_y()
    half = pdf.epw / 2
    for column, (role, hint) in enumerate(record.signers):
        pdf.set_xy(LEFT + column * half, top)
        pdf.set_font(FAMILY, "B", BODY)
        pdf.cell(half, LINE, _nfc(role), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(FAMILY, "I", 12)
        pdf.cell(half, LINE, _nfc(hint), align="C")
    pdf.set_y(top + 36)
    pdf.set_font(FAMILY, "BI", 12)
    pdf.cell(0, 5.5, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 11)
    for line in record.recipients:
        pdf.cell(0, 5, f"- {_nfc(line)}", new_x="LMARGIN", new_y="NEXT")
