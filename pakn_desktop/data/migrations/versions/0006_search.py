"""search index: SQLite FTS5 (external content, triggers, backfill) or PostgreSQL pg_trgm

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

from pakn_desktop.data import search_schema

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    # Existing reports are indexed here (FTS 'rebuild', or the GIN index build): on a large
    # database this takes a while, once.
    if conn.dialect.name == "sqlite":
        search_schema.create_sqlite(conn)
    elif conn.dialect.name == "postgresql":
        search_schema.create_postgresql(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        search_schema.drop_sqlite(conn)
    elif conn.dialect.name == "postgresql":
        search_schema.drop_postgresql(conn)
