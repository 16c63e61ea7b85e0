"""register import: ticket.import_key (unique), the stable key of a report taken in from a
register, so importing the same rows again adds nothing

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, not batch mode: batch mode may recreate ``ticket`` on SQLite and
    # renumber the rowids the FTS index is keyed by (docs/decisions.md 12). NULL for every
    # report not imported; a unique index allows any number of NULLs on both databases.
    op.add_column("ticket", sa.Column("import_key", sa.String(64), nullable=True))
    op.create_index("ix_ticket_import_key", "ticket", ["import_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_ticket_import_key", table_name="ticket")
    op.execute("ALTER TABLE ticket DROP COLUMN import_key")
