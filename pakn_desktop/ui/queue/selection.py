"""The queue's selection as row ranges, never as a million row objects.

Qt's selection model already holds a Ctrl+A or a shift-click as one range; asking it for its
rows (``selectedRows``, ``QItemSelection.indexes``) makes an object per row: 82 s for Ctrl+A
at a million rows. Here a selection is the query, its row spans (with the sort keys of their
ends when those rows were read) and the anchors; the ids are read on a worker, in keyset
order from each span's first key (or its nearest anchor), one batch at a time.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pakn_desktop.services.queue import Anchor, QueueQuery, QueueService, SortKey, sort_key

if TYPE_CHECKING:
    from PySide6.QtCore import QItemSelectionModel

    from pakn_desktop.ui.queue.model import QueueModel

BATCH = 500


@dataclass(frozen=True)
class Span:
    """Rows ``first``..``last`` (inclusive) of the query; the keys of the two end rows when
    they were read (a span from a click starts and ends on rows seen)."""

    first: int
    last: int
    first_key: SortKey | None = None
    last_key: SortKey | None = None

    @property
    def rows(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True)
class RowSelection:
    query: QueueQuery
    spans: tuple[Span, ...] = ()
    anchors: tuple[Anchor, ...] = ()

    @property
    def count(self) -> int:
        return sum(span.rows for span in self.spans)


def row_spans(selection: QItemSelectionModel) -> list[tuple[int, int]]:
    """The selected rows as merged (first, last) spans: one step per range, not per row."""
    ranges = selection.selection()
    spans = sorted((ranges.at(i).top(), ranges.at(i).bottom()) for i in range(ranges.count()))
    merged: list[tuple[int, int]] = []
    for top, bottom in spans:
        if merged and top <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


def selection_of(model: QueueModel, selection: QItemSelectionModel) -> RowSelection:
    query = model.query

    def key(row: int) -> SortKey | None:
        item = model.row_object(row)
        return None if item is None else sort_key(item, query.sort)

    spans = tuple(Span(a, b, key(a), key(b)) for a, b in row_spans(selection))
    shape = model.shape
    return RowSelection(query, spans, shape.anchors if shape is not None else ())


def resolve(
    service: QueueService, selection: RowSelection, batch: int = BATCH
) -> Iterator[list[tuple[uuid.UUID, str]]]:
    """(id, case code) of every selected report, ``batch`` at a time (runs on a worker)."""
    for span in selection.spans:
        yield from _span_ids(service, selection, span, batch)


def _span_ids(
    service: QueueService, selection: RowSelection, span: Span, batch: int
) -> Iterator[list[tuple[uuid.UUID, str]]]:
    after, inclusive, skip = span.first_key, True, 0
    if after is None:  # the first row was never read: walk from the nearest anchor above it
        below = [a for a in selection.anchors if a.index <= span.first]
        if below:
            after, skip = below[-1].key, span.first - below[-1].index
        else:
            inclusive, skip = False, span.first
    wanted = span.rows
    while wanted > 0:
        found = service.keys_after(
            selection.query, after, min(batch, wanted) + skip, inclusive=inclusive
        )
        if not found:
            return
        after, inclusive = found[-1][0], False
        dropped = min(skip, len(found))
        skip -= dropped
        out: list[tuple[uuid.UUID, str]] = []
        for key, code in found[dropped:]:
            out.append((key[-1], code))
            wanted -= 1
            # The last key ends the span even if rows came or went since it was selected.
            if wanted == 0 or key == span.last_key:
                wanted = 0
                break
        if out:
            yield out
