"""The publication text of a report's result: the default offered for editing, and whether
the report may be published at all (publishing itself is the workflow's ``publish`` action)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pakn_desktop.domain.publication import (
    default_publication_text,
    delay_publication_text,
    publication_refusal,
)

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database


@dataclass(frozen=True)
class PublicationDraft:
    ticket_id: uuid.UUID
    text: str  # the saved publication text, else the default with personal data masked
    refusal: str | None  # why it may not be published (confidential, no_publish, state_secret)
    published: bool
    # The lead unit's reason for the delay (typed, "explain_delay"): while there is no
    # result, the default text publishes it as the reason there is none yet.
    delay_reason: str | None = None


def publication_text(database: Database, ticket_id: uuid.UUID) -> PublicationDraft:
    """What the publication editor opens with; KeyError when the report does not exist."""
    from pakn_desktop.data import alerts_store, protected
    from pakn_desktop.data import workflow_store as store

    with database.engine.connect() as conn:
        row = store.publication_facts(conn, ticket_id)
        if row is None:
            raise KeyError(ticket_id)
        result = store.result_row(conn, ticket_id) or {}
        identity = protected.people(conn, [ticket_id]).get(ticket_id, ())
        delay = alerts_store.latest_delay_reason(conn, ticket_id)
    refusal = publication_refusal(
        confidential=bool(row.confidential),
        no_publish=bool(row.no_publish),
        state_secret=bool(row.state_secret),
    )
    result_text = result.get("result_text") or ""
    if result.get("publication_text"):
        text = result["publication_text"]
    elif not result_text and delay is not None:
        text = delay_publication_text(row.summary, delay, identity)
    else:
        text = default_publication_text(row.summary, result_text, identity)
    return PublicationDraft(
        ticket_id=ticket_id,
        text=text,
        refusal=None if refusal is None else refusal.value,
        published=result.get("published_at") is not None,
        delay_reason=delay,
    )
