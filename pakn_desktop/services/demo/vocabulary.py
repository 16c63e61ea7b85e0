"""The words of demo reports: names, streets, places and texts, read from ``resources/demo``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from pakn_desktop.domain.text import fold


@dataclass(frozen=True)
class Names:
    ho: dict[str, float]  # family name -> share of the population (%)
    dem_nam: tuple[str, ...]
    dem_nu: tuple[str, ...]
    ten_nam: tuple[str, ...]
    ten_nu: tuple[str, ...]


@dataclass(frozen=True)
class Texts:
    streets: tuple[str, ...]
    places: tuple[str, ...]
    # Per category code: summaries ({street}, {place}, {n} slots) and detail sentences.
    categories: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    # Per kind: summary patterns ({S}: the category summary, {s}: first letter lowered), leads.
    kinds: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    openings: dict[str, tuple[str, ...]]  # per channel
    when: tuple[str, ...]
    closings: tuple[str, ...]
    address_heads: tuple[str, ...]
    confidential: str


def _load(name: str) -> dict[str, Any]:
    text = resources.files("pakn_desktop").joinpath("resources", "demo", name).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def names() -> Names:
    data = _load("names.json")
    return Names(
        ho={name: float(weight) for name, weight in data["ho"]},
        dem_nam=tuple(data["dem_nam"]),
        dem_nu=tuple(data["dem_nu"]),
        ten_nam=tuple(data["ten_nam"]),
        ten_nu=tuple(data["ten_nu"]),
    )


@cache
def texts() -> Texts:
    data = _load("texts.json")
    return Texts(
        streets=tuple(data["streets"]),
        places=tuple(data["places"]),
        categories={
            code: (tuple(entry["summaries"]), tuple(entry["details"]))
            for code, entry in data["categories"].items()
        },
        kinds={
            code: (tuple(entry["summaries"]), tuple(entry["leads"]))
            for code, entry in data["kinds"].items()
        },
        openings={channel: tuple(lines) for channel, lines in data["openings"].items()},
        when=tuple(data["when"]),
        closings=tuple(data["closings"]),
        address_heads=tuple(data["address_heads"]),
        confidential=data["confidential"],
    )


@lru_cache(maxsize=65536)
def folded(text: str) -> str:
    """fold() of a vocabulary piece; pieces repeat, so each is folded once."""
    return fold(text)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
