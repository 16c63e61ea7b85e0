"""maintained counts: table tally, its triggers on ticket, outbox and evidence, backfilled

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from pakn_desktop.data import tally

    op.create_table(
        "tally",
        sa.Column("dim", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("a", sa.String(length=48), nullable=False),
        sa.Column("b", sa.String(length=48), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dim", "status", "a", "b", name=op.f("pk_tally")),
        sqlite_with_rowid=False,
    )
    conn = op.get_bind()
    # This revision's outbox condition: 0017 adds the parked changes to it.
    tally.create(conn, tally.SIMPLE_0014, per_statement=False)
    tally.rebuild(conn, tally.SIMPLE_0014)


def downgrade() -> None:
    from pakn_desktop.data import tally

    tally.drop_triggers(op.get_bind())
    op.drop_table("tally")
