"""ticket.state_secret; ticket_result, routing_rule, notification: the handling workflow

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NOT NULL with a server default: every existing report is not a state secret.
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state_secret", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "ticket_result",
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("result_text", sa.Text(), nullable=False),
        sa.Column("result_evidence", sa.JSON(), nullable=True),
        sa.Column("result_at", sa.DateTime(), nullable=False),
        sa.Column("result_by_id", sa.Uuid(), nullable=True),
        sa.Column("publication_text", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["result_by_id"], ["app_user.id"], name=op.f("fk_ticket_result_result_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_ticket_result_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_ticket_result")),
    )
    op.create_table(
        "routing_rule",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("category_code", sa.String(length=48), nullable=True),
        sa.Column("province_code", sa.String(length=8), nullable=True),
        sa.Column("commune_code", sa.String(length=8), nullable=True),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["category.code"],
            name=op.f("fk_routing_rule_category_code_category"),
        ),
        sa.ForeignKeyConstraint(
            ["commune_code"], ["commune.code"], name=op.f("fk_routing_rule_commune_code_commune")
        ),
        sa.ForeignKeyConstraint(
            ["province_code"],
            ["province.code"],
            name=op.f("fk_routing_rule_province_code_province"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_routing_rule_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rule")),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("station_id", sa.Uuid(), nullable=True),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("channel IN ('sms', 'email')", name=op.f("ck_notification_channel")),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'failed')", name=op.f("ck_notification_state")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_notification_station_id_station")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_notification_ticket_id_ticket")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_notification_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index("ix_notification_due", "notification", ["state", "next_attempt_at"])
    op.create_index(op.f("ix_notification_ticket_id"), "notification", ["ticket_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_notification_ticket_id"), table_name="notification")
    op.drop_index("ix_notification_due", table_name="notification")
    op.drop_table("notification")
    op.drop_table("routing_rule")
    op.drop_table("ticket_result")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("state_secret")
