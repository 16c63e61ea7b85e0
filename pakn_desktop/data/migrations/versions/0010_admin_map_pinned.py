"""one pinned province and commune map; apostrophes fold away in the search text

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pakn_desktop.data import admin_map
from pakn_desktop.domain.text import fold

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# What fold() now drops inside a word ("M’gar", "M'gar" → "mgar"); a search text that holds
# one was folded by the older rule. Dashes need nothing: search reads words, and a dash was
# never part of one.
_APOSTROPHES = ("'", "\u2019", "\u2018", "\u02bc", "\u02bb", "`", "\u00b4", "\u2032", "\u201b")
_BATCH = 1000


def upgrade() -> None:
    conn = op.get_bind()
    # A database seeded from another map (stations on Python 3.11 got the 2025 one) moves its
    # tickets', units' and routing rules' communes to the pinned map's codes (decision 23).
    admin_map.reconcile(conn)
    ticket = sa.table("ticket", sa.column("id"), sa.column("search_text"))
    holds = sa.or_(*(ticket.c.search_text.contains(a, autoescape=True) for a in _APOSTROPHES))
    rows = conn.execute(sa.select(ticket.c.id, ticket.c.search_text).where(holds)).all()
    refold = ticket.update().where(ticket.c.id == sa.bindparam("i"))
    for start in range(0, len(rows), _BATCH):
        batch = rows[start : start + _BATCH]
        conn.execute(refold, [{"i": i, "search_text": fold(text)} for i, text in batch])


def downgrade() -> None:
    # The older map and fold are not restored: the codes moved are the official ones, and a
    # search text without apostrophes is found by the older rule too.
    pass
