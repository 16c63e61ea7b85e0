"""What the merge dialog offers: the linked original (followed to its root) as the default
survivor, and reports found by case code or search words (the merge itself is the workflow
action ``merge``, ``services.workflow.steps``)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pakn_desktop.domain.enums import Status

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from pakn_desktop.services.database import Database
    from pakn_desktop.services.search import SearchService

_CODE = re.compile(r"^\s*PA-\S+\s*$", re.IGNORECASE)
# A report merged into, or a duplicate of, another is not a survivor (the service refuses);
# a rejected one (spam) neither.
NOT_SURVIVORS = frozenset({Status.DUPLICATE.value, Status.REJECTED.value})


@dataclass(frozen=True)
class MergeCandidate:
    id: uuid.UUID
    code: str
    summary: str
    status: str


@dataclass(frozen=True)
class MergeChoices:
    ticket_id: uuid.UUID
    code: str
    suggested: MergeCandidate | None  # the root of the report's duplicate_of link


def merge_choices(database: Database, ticket_id: uuid.UUID) -> MergeChoices:
    """KeyError when the report does not exist."""
    from pakn_desktop.data import workflow_store as store

    with database.engine.connect() as conn:
        row = store.code_and_link(conn, ticket_id)
        if row is None:
            raise KeyError(ticket_id)
        suggested = None
        if row.duplicate_of_id is not None:
            root = store.duplicate_chain(conn, row.duplicate_of_id)[-1]
            if root != ticket_id:
                suggested = _candidates(conn, [root])[0]
    return MergeChoices(ticket_id, row.code, suggested)


def merge_candidates(
    database: Database, search: SearchService, query: str, exclude: uuid.UUID, limit: int = 20
) -> tuple[MergeCandidate, ...]:
    """Reports that may survive a merge of ``exclude``: the one with the typed case code, or
    the search's matches (same meaning as the queue's search), without ``exclude`` itself and
    without reports that cannot survive."""
    from pakn_desktop.data import workflow_store as store

    text = query.strip()
    if not text:
        return ()
    with database.engine.connect() as conn:
        if _CODE.match(text):
            found = store.find_ticket(conn, text)
            ids = [] if found is None else [found]
        else:
            ids = [row.id for row in search.search(text, limit * 2)]
        rows = _candidates(conn, [i for i in ids if i != exclude])
    return tuple(r for r in rows if r.status not in NOT_SURVIVORS)[:limit]


def _candidates(conn: Connection, ids: list[uuid.UUID]) -> list[MergeCandidate]:
    from pakn_desktop.data import workflow_store as store

    rows = store.ticket_lines(conn, ids)
    by_id = {r.id: MergeCandidate(r.id, r.code, r.summary, r.status) for r in rows}
    return [by_id[i] for i in ids if i in by_id]
