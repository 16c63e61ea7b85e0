"""Reports saved or changed while the queue is open: their rows put in, taken out or read
again in the pages already read, in place, so the selection and the scroll position stay."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

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


def drop_row(
    pages: OrderedDict[int, list[T]], size: int, at: int, total: int
) -> OrderedDict[int, list[T]]:
    """The cached pages after row ``at`` is taken out of a table of ``total`` rows (before):
    each page below it moves up by one, taking the first row of the next page. A page whose
    new last row is on a page not cached is kept one row short (the model reads it again
    when seen: its other rows stay on screen meanwhile)."""
    out: dict[int, list[T]] = {}
    for number in sorted(pages):
        rows = list(pages[number])
        start = number * size
        if start + size <= at:  # wholly above the row taken out
            out[number] = rows
            continue
        if start <= at:
            del rows[at - start]
        else:
            rows = rows[1:]  # its first row moved up to the page before
        following = pages.get(number + 1)
        if following:
            rows.append(following[0])
        if rows and start < total - 1:
            out[number] = rows[:size]
    return OrderedDict((n, out[n]) for n in pages if n in out)


@dataclass(frozen=True)
class Placing(Generic[T]):
    """What to do with the pages read for the reports a change names."""

    in_place: dict[int, T] = field(default_factory=dict)  # row → its line read again
    removals: tuple[int, ...] = ()  # rows taken out, from the bottom up
    inserts: tuple[tuple[int, T], ...] = ()  # (row, line) put in, from the top down
    reload: bool = False  # the pages read cannot be kept right by moves: read them again


def plan(
    loaded: Mapping[uuid.UUID, int],
    created: Collection[uuid.UUID],
    found: Mapping[uuid.UUID, tuple[int, T]],
    named: Collection[uuid.UUID],
    lengths: tuple[int, int],
    held: Collection[int],
    size: int,
) -> Placing[T]:
    """``named``: the reports the change names; ``loaded``: the rows of those among the
    pages read (``held``, of ``size`` rows); ``found``: where each stands in the query now
    (absent: not in it); ``lengths``: the table's length before and now.

    A report named but not read, and not new, stood where nobody looked: assumed still
    there if it is in the query now. The counts must agree, and it must not now be on a
    page read (it may have moved there), or the pages are read again."""
    rows, count = lengths
    unread = [t for t in named if t not in loaded and t not in created and t in found]
    if any(found[t][0] // size in held for t in unread):
        return Placing(reload=True)
    if (
        not any(t in found for t in created)
        and all(t in found and found[t][0] == row for t, row in loaded.items())
        and count == rows
    ):
        return Placing(in_place={row: found[t][1] for t, row in loaded.items()})
    removals = tuple(sorted(loaded.values(), reverse=True))
    inserts = tuple(
        sorted(
            (found[t] for t in named if t in found and (t in loaded or t in created)),
            key=lambda place: place[0],
        )
    )
    if rows - len(removals) + len(inserts) != count:
        return Placing(reload=True)
    return Placing(removals=removals, inserts=inserts)
