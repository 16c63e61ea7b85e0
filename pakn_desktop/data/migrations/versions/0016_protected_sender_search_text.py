"""a protected message's sender out of the search text: the account name a fanpage or Zalo
message came from is masked where the summary or content says it, as the reporter's is

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

from pakn_desktop.data import search_schema

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # As 0011: only the protected reports are read, and only those whose text changes written.
    search_schema.remask_protected(op.get_bind())


def downgrade() -> None:
    # Nothing: putting a protected identity back into the index is what this fixed.
    pass
