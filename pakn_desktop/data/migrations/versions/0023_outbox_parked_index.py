"""the parked outbox rows indexed: a partial index on ``outbox (seq)`` of the rows the server
refused. Every sync round counts them (``sync_local.parked_count``) and "Hoạt động đồng bộ"
lists them, latest first; both scanned the whole outbox, millions of pending rows on a
station's first push (decision 53).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

WHERE = sa.text("parked_at IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_outbox_parked", "outbox", ["seq"], sqlite_where=WHERE, postgresql_where=WHERE
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_parked", table_name="outbox")
