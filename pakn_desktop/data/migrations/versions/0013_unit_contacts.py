"""unit_contact: a unit's contact people (name, role, phone, e-mail, what each receives)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# Every station migrates its own copy of the same units: the contact made from a unit's old
# columns gets an id derived from the unit's, so the copies agree when they sync.
_LEGACY = uuid.UUID("6f1d3a52-8a0e-4d39-9d5c-5b1f0e0c7a10")


def legacy_contact_id(unit_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(_LEGACY, str(unit_id))


def upgrade() -> None:
    op.create_table(
        "unit_contact",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("receives_sms", sa.Boolean(), nullable=False),
        sa.Column("receives_email", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_unit_contact_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_contact")),
    )
    op.create_index(op.f("ix_unit_contact_unit_id"), "unit_contact", ["unit_id"], unique=False)
    unit = sa.table(
        "unit",
        sa.column("id", sa.Uuid()),
        sa.column("contact_name", sa.String()),
        sa.column("contact_phone", sa.String()),
        sa.column("contact_email", sa.String()),
    )
    contact = sa.table(
        "unit_contact",
        *(sa.column(n, sa.Uuid()) for n in ("id", "unit_id")),
        *(sa.column(n, sa.String()) for n in ("name", "phone", "email")),
        *(sa.column(n, sa.Boolean()) for n in ("receives_sms", "receives_email")),
        sa.column("created_at", sa.DateTime()),
    )
    conn = op.get_bind()
    found = conn.execute(
        sa.select(unit).where(
            sa.or_(unit.c.contact_phone.isnot(None), unit.c.contact_email.isnot(None))
        )
    ).all()
    from pakn_desktop.data.types import utcnow

    now = utcnow()
    rows = [
        {
            "id": legacy_contact_id(r.id),
            "unit_id": r.id,
            "name": r.contact_name or "",
            # As given (the old column held a number as typed); the sender reads either form.
            "phone": r.contact_phone,
            "email": r.contact_email,
            "receives_sms": True,
            "receives_email": True,
            "created_at": now,
        }
        for r in found
    ]
    if rows:
        op.bulk_insert(contact, rows)
        # Moved, not copied: a contact removed later must not come back from the old columns.
        conn.execute(
            unit.update()
            .where(unit.c.id.in_([r.id for r in found]))
            .values(contact_name=None, contact_phone=None, contact_email=None)
        )


def downgrade() -> None:
    # The first contact of each unit goes back into the old columns.
    conn = op.get_bind()
    contact = sa.table(
        "unit_contact",
        *(sa.column(n, sa.Uuid()) for n in ("id", "unit_id")),
        *(sa.column(n, sa.String()) for n in ("name", "phone", "email")),
        sa.column("created_at", sa.DateTime()),
    )
    c = contact.c
    rows = conn.execute(
        sa.select(c.unit_id, c.name, c.phone, c.email).order_by(c.unit_id, c.created_at, c.id)
    ).all()
    first: dict[object, tuple[str, str | None, str | None]] = {}
    for unit_id, name, phone, email in rows:
        first.setdefault(unit_id, (name, phone, email))
    unit = sa.table(
        "unit",
        sa.column("id", sa.Uuid()),
        sa.column("contact_name", sa.String()),
        sa.column("contact_phone", sa.String()),
        sa.column("contact_email", sa.String()),
    )
    for unit_id, (name, phone, email) in first.items():
        conn.execute(
            unit.update()
            .where(unit.c.id == unit_id)
            .values(contact_name=name or None, contact_phone=phone, contact_email=email)
        )
    op.drop_index(op.f("ix_unit_contact_unit_id"), table_name="unit_contact")
    op.drop_table("unit_contact")
