"""the sync's conflicts listed: a partial index on ``ticket_event (at)`` of the
``sync_conflict`` events only, newest first, for the "Hoạt động đồng bộ" list and its count
(decision 53); an index of every event's kind would cost tens of megabytes at 1M reports.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

WHERE = sa.text("kind = 'sync_conflict'")


def upgrade() -> None:
    op.create_index(
        "ix_ticket_event_sync_conflict",
        "ticket_event",
        ["at"],
        sqlite_where=WHERE,
        postgresql_where=WHERE,
    )


def downgrade() -> None:
    op.drop_index("ix_ticket_event_sync_conflict", table_name="ticket_event")
