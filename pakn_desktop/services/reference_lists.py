"""The intake screen's pick lists (channels, kinds, categories, provinces, communes), read once.

Frozen dataclasses of plain values, so the lists cross from a worker thread to the GUI and no
ORM object ever reaches a widget. SQLAlchemy is imported on first use, on that worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database


@dataclass(frozen=True)
class Choice:
    """One entry of a combo: ``code`` is stored, ``name`` is shown (``parent``: its group)."""

    code: str
    name: str
    parent: str = ""


@dataclass(frozen=True)
class PlaceChoice:
    """A province (``province_code`` empty) or a commune; ``folded`` is its accent-free name."""

    code: str
    name: str
    folded: str
    province_code: str = ""


@dataclass(frozen=True)
class ReferenceLists:
    channels: tuple[Choice, ...]
    kinds: tuple[Choice, ...]
    categories: tuple[Choice, ...]  # active only, parents before their children
    provinces: tuple[PlaceChoice, ...]  # by folded name
    communes: tuple[PlaceChoice, ...]  # by province, then folded name
    own_procedure: frozenset[str] = frozenset()  # kinds with their own law (khiếu nại, tố cáo)

    def channel_name(self, code: str) -> str:
        return next((c.name for c in self.channels if c.code == code), code)

    def category_name(self, code: str) -> str:
        return next((c.name for c in self.categories if c.code == code), code)


def load_reference_lists(database: Database) -> ReferenceLists:
    """Every list in one connection (~20 ms); run it on a worker."""
    from pakn_desktop.data.reference_read import pick_rows

    with database.engine.connect() as conn:
        rows = pick_rows(conn)
    channels, kinds, categories = rows.channels, rows.kinds, rows.categories
    provinces, communes = rows.provinces, rows.communes
    kind_order = {code: i for i, code in enumerate(_KIND_ORDER)}
    return ReferenceLists(
        channels=tuple(Choice(c.code, c.name) for c in channels),
        kinds=tuple(
            Choice(k.code, k.name)
            for k in sorted(kinds, key=lambda k: (kind_order.get(k.code, 99), k.code))
        ),
        categories=_grouped([Choice(c.code, c.name, c.parent_code or "") for c in categories]),
        provinces=tuple(
            sorted(
                (PlaceChoice(p.code, p.name, p.folded) for p in provinces),
                key=lambda p: (p.folded, p.code),
            )
        ),
        communes=tuple(
            sorted(
                (PlaceChoice(c.code, c.name, c.folded, c.province_code) for c in communes),
                key=lambda c: (c.province_code, c.folded, c.code),
            )
        ),
        own_procedure=frozenset(k.code for k in kinds if k.own_procedure),
    )


# The order an operator thinks in: the common kinds first, the separate procedures last.
_KIND_ORDER = ("phan_anh", "kien_nghi", "hoi_dap", "gop_y", "to_giac", "khieu_nai", "to_cao")


def _grouped(categories: list[Choice]) -> tuple[Choice, ...]:
    """Parents in their order, each followed by its children (an orphan keeps its place)."""
    known = {c.code for c in categories}
    children: dict[str, list[Choice]] = {}
    for c in categories:
        if c.parent and c.parent in known:
            children.setdefault(c.parent, []).append(c)
    out: list[Choice] = []
    for c in categories:
        if c.parent and c.parent in known:
            continue
        out.append(c)
        out.extend(children.get(c.code, ()))
    return tuple(out)
