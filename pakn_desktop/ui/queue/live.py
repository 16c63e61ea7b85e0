"""A report saved while the queue is open goes into the pages already read, in place."""

from __future__ import annotations

from collections import OrderedDict
from typing import TypeVar

T = TypeVar("T")


def shift_pages(
    pages: OrderedDict[int, list[T]], size: int, at: int, item: T
) -> OrderedDict[int, list[T]]:
    """The cached pages after ``item`` is inserted at row ``at``: the page holding ``at``
    takes it and passes its last row on to the next page, and so on down. A page whose
    first row would come from a page not cached is dropped (it is read again when seen);
    pages above ``at`` are untouched. The cache's recency order is kept."""
    out: dict[int, list[T]] = {}
    carry: list[T] = []  # the row pushed into page ``carried_to``
    carried_to = -1
    for number in sorted(pages):
        rows = list(pages[number])
        start = number * size
        if start + size <= at:  # wholly above the new row
            out[number] = rows
            continue
        pushed = rows[size - 1 :] if len(rows) == size else []  # leaves for the next page
        if start <= at:
            rows.insert(at - start, item)
            out[number] = rows[:size]
        elif carried_to == number and carry:
            out[number] = (carry + rows)[:size]
        # else: its first row is on a page not cached; read again when seen
        carry, carried_to = pushed, number + 1
    return OrderedDict((n, out[n]) for n in pages if n in out)
