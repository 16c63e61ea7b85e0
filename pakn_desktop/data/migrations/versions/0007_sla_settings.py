"""setting table (deadline rules shared by every station); ticket.at_risk_at, backfilled;
a covering index for the dashboard's on-time rate per unit

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["app_user.id"], name=op.f("fk_setting_updated_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    # A plain ADD COLUMN, not batch mode: on SQLite batch mode may recreate ``ticket``, which
    # renumbers the rowids the FTS index is keyed by (docs/decisions.md 12).
    op.add_column("ticket", sa.Column("at_risk_at", sa.DateTime(), nullable=True))
    op.create_index("ix_ticket_at_risk", "ticket", ["at_risk_at", "id"], unique=False)
    # The dashboard's on-time rate per unit reads these four columns over a received range:
    # index-only with this (bench/README.md: 94 → 50 ms at 200k reports, 30 days).
    op.create_index(
        "ix_ticket_received_unit",
        "ticket",
        ["received_at", "lead_unit_id", "due_at", "closed_at"],
        unique=False,
    )
    _backfill()


def _backfill() -> None:
    """At-risk moments of the open reports under the default settings (the table is new).
    Closed reports keep NULL: no state is judged for them (the SQL reads a NULL as "at risk
    only at the due time")."""
    from pakn_desktop.data import sla_store
    from pakn_desktop.data.settings.rows import read_group
    from pakn_desktop.data.settings.sla import SLA

    conn = op.get_bind()
    settings = read_group(conn, SLA)
    rule = sla_store.at_risk_rule(
        sla_store.read_policies(conn), settings, sla_store.read_calendar(conn, settings)
    )
    sla_store.refresh_open(conn, rule, outbox=False)


def downgrade() -> None:
    op.drop_index("ix_ticket_received_unit", table_name="ticket")
    op.drop_index("ix_ticket_at_risk", table_name="ticket")
    # SQLite ≥ 3.35 drops a column in place (batch mode would recreate the table, see above).
    op.execute("ALTER TABLE ticket DROP COLUMN at_risk_at")
    op.drop_table("setting")
