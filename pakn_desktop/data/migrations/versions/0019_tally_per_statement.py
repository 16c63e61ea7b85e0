"""tally per statement: on PostgreSQL the report, outbox and evidence counts are kept by
statement-level triggers over transition tables (one grouped upsert per statement, not per
row: a sync push of thousands of reports). SQLite: nothing (its per-row triggers are cheap).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

from pakn_desktop.data import tally

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        tally.create(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        tally.create(conn, per_statement=False)
