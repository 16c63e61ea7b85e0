"""evidence.derived_from, evidence.purpose: a redacted copy points at its original

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only new nullable columns: every existing row is an original (both NULL). The index
    # serves "which copies were made of this evidence" on the report detail and in exports.
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("derived_from", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("purpose", sa.String(length=16), nullable=True))
        batch_op.create_foreign_key(
            "fk_evidence_derived_from_evidence", "evidence", ["derived_from"], ["id"]
        )
        batch_op.create_index("ix_evidence_derived_from", ["derived_from"])


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_derived_from")
        batch_op.drop_constraint("fk_evidence_derived_from_evidence", type_="foreignkey")
        batch_op.drop_column("purpose")
        batch_op.drop_column("derived_from")
