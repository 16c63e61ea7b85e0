"""``screenshot all --contact-sheet``: every shot, recompressed, and one contact sheet of them
(thumbnails with their Vietnamese captions) for docs/screens/. Pillow, not Qt: the sheet is a
file, drawn after the window is gone."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pakn_desktop.ui.screenshot.render import SIZE, render_all

if TYPE_CHECKING:
    from PIL import ImageFont

    from pakn_desktop.services.environment import Environment
    from pakn_desktop.ui.screenshot.render import Rendered

SHEET = "contact-sheet.png"
COLUMNS, THUMB_WIDTH, GAP = 4, 420, 16
BUDGET = 8 * 1024 * 1024  # docs/ keeps the shots; past this they are stored downscaled
FONT = "DejaVuSans.ttf"  # the font the program itself needs for Vietnamese (scripts/setup.sh)


def shoot_all(
    env: Environment, folder: str | Path, size: tuple[int, int] = SIZE, *, sheet: bool = False
) -> list[Path]:
    """Every shot into ``folder``; with ``sheet``, recompressed and composed into SHEET."""
    rendered = render_all(env, folder, size)
    paths = [item.path for item in rendered]
    if not sheet:
        return paths
    compress(paths)
    return [*paths, contact_sheet(rendered, Path(folder) / SHEET)]


def compress(paths: list[Path]) -> None:
    """Optimised PNGs; halved in size when together they pass the budget."""
    from PIL import Image

    for path in paths:
        with Image.open(path) as image:
            image.load()
        image.convert("RGB").save(path, "PNG", optimize=True)
    if sum(path.stat().st_size for path in paths) > BUDGET:
        for path in paths:
            with Image.open(path) as image:
                image.load()
            half = image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
            half.save(path, "PNG", optimize=True)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    try:
        return ImageFont.truetype(FONT, size)
    except OSError:  # not installed: Pillow's own font (no Vietnamese marks, but a sheet)
        return ImageFont.load_default(size)


def contact_sheet(rendered: list[Rendered], out: Path) -> Path:
    """Thumbnails in rows of COLUMNS, each captioned with its shot's words and name."""
    from PIL import Image, ImageDraw

    if not rendered:
        raise ValueError("no shots for a contact sheet")
    with Image.open(rendered[0].path) as first:
        ratio = first.height / first.width
    thumb_h = round(THUMB_WIDTH * ratio)
    caption_h = 44
    rows = -(-len(rendered) // COLUMNS)
    width = COLUMNS * THUMB_WIDTH + (COLUMNS + 1) * GAP
    height = rows * (thumb_h + caption_h) + (rows + 1) * GAP
    sheet = Image.new("RGB", (width, height), "#f2f4f7")
    draw = ImageDraw.Draw(sheet)
    title, small = _font(17), _font(13)
    for number, item in enumerate(rendered):
        row, column = divmod(number, COLUMNS)
        x = GAP + column * (THUMB_WIDTH + GAP)
        y = GAP + row * (thumb_h + caption_h + GAP)
        with Image.open(item.path) as shot:
            thumb = shot.convert("RGB").resize((THUMB_WIDTH, thumb_h), Image.Resampling.LANCZOS)
        sheet.paste(thumb, (x, y))
        draw.rectangle((x - 1, y - 1, x + THUMB_WIDTH, y + thumb_h), outline="#98a2b3")
        draw.text((x, y + thumb_h + 5), item.shot.caption, fill="#101828", font=title)
        draw.text((x, y + thumb_h + 26), item.shot.name, fill="#667085", font=small)
    sheet.save(out, "PNG", optimize=True)
    return out
