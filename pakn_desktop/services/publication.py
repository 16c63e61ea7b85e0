"""The publication text of a report's result: the default offered for editing, and whether
the report may be published at all (publishing itself is the workflow's ``publish`` action)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pakn_desktop.domain.publication import (
    Identity,
    default_publication_text,
    publication_refusal,
)

if TYPE_CHECKING:
    from .database import Database


@dataclass(frozen=True)
class PublicationDraft:
    ticket_id: uuid.UUID
    text: str  # the saved publication text, else the default with personal data masked
    refusal: str | None  # why it may not be published (confidential, no_publish, state_secret)
    published: bool


def publication_text(database: Database, ticket_id: uuid.UUID) -> PublicationDraft:
    """What the publication editor opens with; KeyError when the report does not exist."""
    from sqlalchemy import select

    from pakn_desktop.data import workflow_store as store
    from pakn_desktop.data.models import Ticket

    with database.engine.connect() as conn:
        row = conn.execute(
            select(
                Ticket.summary,
                Ticket.reporter_id,
                Ticket.confidential,
                Ticket.no_publish,
                Ticket.state_secret,
            ).where(Ticket.id == ticket_id)
        ).one_or_none()
        if row is None:
            raise KeyError(ticket_id)
        result = store.result_row(conn, ticket_id) or {}
        identity = Identity(**store.reporter_identity(conn, row.reporter_id))
    refusal = publication_refusal(
        confidential=bool(row.confidential),
        no_publish=bool(row.no_publish),
        state_secret=bool(row.state_secret),
    )
    text = result.get("publication_text") or default_publication_text(
        row.summary, result.get("result_text") or "", identity
    )
    return PublicationDraft(
        ticket_id=ticket_id,
        text=text,
        refusal=None if refusal is None else refusal.value,
        published=result.get("published_at") is not None,
    )
