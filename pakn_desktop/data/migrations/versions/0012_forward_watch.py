"""forward deadline watched: ticket.forward_at_risk_at (indexed), forwarded_at, forward_on_time;
backfilled for the reports already there

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs, not batch mode: on SQLite batch mode may recreate ``ticket``, which
    # renumbers the rowids the FTS index is keyed by (docs/decisions.md 12).
    op.add_column("ticket", sa.Column("forward_at_risk_at", sa.DateTime(), nullable=True))
    op.add_column("ticket", sa.Column("forwarded_at", sa.DateTime(), nullable=True))
    op.add_column("ticket", sa.Column("forward_on_time", sa.Boolean(), nullable=True))
    op.create_index(
        "ix_ticket_forward_at_risk", "ticket", ["forward_at_risk_at", "id"], unique=False
    )
    _backfill()


def _backfill() -> None:
    """Forwarded reports get their first assignment's time and whether it was on time (one
    UPDATE: the assignment index gives the first one per report); the open reports never
    forwarded get their forward at-risk moment under the stored share, so they are watched.
    Closed reports never forwarded stay unwatched (NULLs)."""
    from pakn_desktop.data import forward_watch

    forward_watch.backfill(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_ticket_forward_at_risk", table_name="ticket")
    # SQLite ≥ 3.35 drops a column in place (batch mode would recreate the table, see above).
    for column in ("forward_on_time", "forwarded_at", "forward_at_risk_at"):
        op.execute(f"ALTER TABLE ticket DROP COLUMN {column}")
