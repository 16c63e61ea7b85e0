"""ticket.answer, ticket.handling_note, ticket.intake_meta: what the intake form records

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # All nullable: reports written before (demo data, imports) have none of them. No index:
    # none of them is filtered or sorted on.
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("handling_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("intake_meta", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("intake_meta")
        batch_op.drop_column("handling_note")
        batch_op.drop_column("answer")
