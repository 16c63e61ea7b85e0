"""Refilling a filter combo whose first item means "all", without losing the user's choice."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

from PySide6.QtWidgets import QComboBox

K = TypeVar("K", bound=Hashable)  # a unit's UUID, a commune's code…


def refill_choices(combo: QComboBox, pairs: Mapping[K, str]) -> None:
    """Replace every item after the first with ``pairs`` (code → name, sorted by name).

    The current choice stays selected if it is still offered (else "all"), and no
    ``currentIndexChanged`` fires: a refill is not the user changing the filter.
    """
    chosen = combo.currentData()
    combo.blockSignals(True)
    try:
        while combo.count() > 1:
            combo.removeItem(1)
        for code, name in sorted(pairs.items(), key=lambda kv: kv[1]):
            combo.addItem(name, code)
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
    finally:
        combo.blockSignals(False)
