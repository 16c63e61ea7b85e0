"""reporter.phone_raw: the number exactly as given, beside the E.164 ``phone``

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


_reporter = sa.table(
    "reporter",
    sa.column("phone", sa.String(length=20)),
    sa.column("phone_raw", sa.String(length=40)),
)


def upgrade() -> None:
    # Nullable and never searched by itself (caller history looks up the E.164 ``phone``),
    # so no index.
    with op.batch_alter_table("reporter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone_raw", sa.String(length=40), nullable=True))
    _split_existing_numbers()


def _split_existing_numbers() -> None:
    """Rows written before 0002 (demo data) hold the number as given in ``phone``: keep it in
    ``phone_raw`` and put the E.164 form (NULL when it does not parse) in ``phone``.

    Each distinct number is normalised once; an E.164 value stays as it is.
    """
    from pakn_desktop.domain.phone import normalise_phone

    conn = op.get_bind()
    r = _reporter.c
    conn.execute(_reporter.update().where(r.phone.is_not(None)).values(phone_raw=r.phone))
    numbers = conn.execute(sa.select(r.phone).where(r.phone.is_not(None)).distinct()).scalars()
    changes = [
        {"given": raw, "e164": e164} for raw in numbers if (e164 := normalise_phone(raw)) != raw
    ]
    if changes:
        conn.execute(
            _reporter.update()
            .where(r.phone == sa.bindparam("given"))
            .values(phone=sa.bindparam("e164")),
            changes,
        )


def downgrade() -> None:
    # ``phone`` keeps its E.164 number, which the old schema accepted as well.
    with op.batch_alter_table("reporter", schema=None) as batch_op:
        batch_op.drop_column("phone_raw")
