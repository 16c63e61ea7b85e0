"""protected reporters out of the search text: a denouncer's or a confidential reporter's
name and number, and where the summary or content says them, are no longer searchable

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

from pakn_desktop.data import search_schema

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only the protected reports are read and rewritten (a few per thousand); on SQLite the
    # update trigger re-indexes each changed row, PostgreSQL's trigram index follows itself.
    search_schema.remask_protected(op.get_bind())


def downgrade() -> None:
    # Nothing: putting a protected identity back into the index is what this fixed.
    pass
