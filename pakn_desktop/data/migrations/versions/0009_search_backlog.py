"""search backlog: SQLite indexes new reports shortly after their save, not inside it

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

from pakn_desktop.data import search_schema

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite: a one-row table (the index's mark, at the newest report: the 0006 triggers kept
    # the index complete) and the insert trigger dropped; nothing is re-indexed, so a database
    # of a million reports upgrades at once (docs/decisions.md 20). PostgreSQL: the server
    # keeps its trigram index in step itself; nothing to do.
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        search_schema.create_backlog(conn)


def downgrade() -> None:
    # The backlog is indexed first: the 0006 triggers index every change as it comes.
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        search_schema.drop_backlog(conn)
