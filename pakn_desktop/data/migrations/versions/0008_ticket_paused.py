"""ticket.paused_at: a report waiting for the citizen (the deadline clock stopped)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, not batch mode: on SQLite batch mode may recreate ``ticket``, which
    # renumbers the rowids the FTS index is keyed by (docs/decisions.md 12). NULL for every
    # existing report: none was paused (there was no pause action).
    op.add_column("ticket", sa.Column("paused_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # SQLite ≥ 3.35 drops a column in place (batch mode would recreate the table, see above).
    op.execute("ALTER TABLE ticket DROP COLUMN paused_at")
