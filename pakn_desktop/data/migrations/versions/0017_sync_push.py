"""sync push: outbox.parked_at (a change the server refused, kept with its reason and not
counted as pending); on PostgreSQL, the server's change log (decision 44)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pakn_desktop.data.types import UtcDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# The server's record of every change it applied, one row per change_id (so a replay is
# applied once), read later by the pull in order of the writing transaction: ``tx`` is its
# id, and a reader that stops below pg_snapshot_xmin(pg_current_snapshot()) never passes a
# transaction still in flight. ``ticket_id``: the report a change belongs to, for the
# row-level security by unit to come. Times are naive UTC, as every table's (decision 3).
CHANGE_LOG = """
CREATE TABLE change_log (
    server_seq bigserial PRIMARY KEY,
    change_id uuid NOT NULL CONSTRAINT uq_change_log_change_id UNIQUE,
    station_id uuid NOT NULL CONSTRAINT fk_change_log_station_id_station REFERENCES station (id),
    table_name varchar(48) NOT NULL,
    row_id varchar(64) NOT NULL,
    op varchar(8) NOT NULL CONSTRAINT ck_change_log_op CHECK (op IN ('insert', 'update', 'delete')),
    payload jsonb NOT NULL,
    ticket_id uuid,
    tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
    committed_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
)
"""


def upgrade() -> None:
    from pakn_desktop.data import tally

    conn = op.get_bind()
    # A plain ADD COLUMN (not batch mode: no table rebuild, decision 12). NULL: not parked.
    op.add_column("outbox", sa.Column("parked_at", UtcDateTime(), nullable=True))
    tally.create(conn, per_statement=False)  # the outbox's pending rows: not pushed and not parked
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(CHANGE_LOG)
        conn.exec_driver_sql("CREATE INDEX ix_change_log_tx ON change_log (tx, server_seq)")
        conn.exec_driver_sql("CREATE INDEX ix_change_log_ticket_id ON change_log (ticket_id)")


def downgrade() -> None:
    from pakn_desktop.data import tally

    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TABLE change_log")
    # SQLite refuses to drop a column a trigger names: the triggers go first, then come back
    # as 0014 made them; the parked rows count as pending again.
    tally.drop_triggers(conn)
    op.execute("ALTER TABLE outbox DROP COLUMN parked_at")
    tally.create(conn, tally.SIMPLE_0014, per_statement=False)
    conn.exec_driver_sql("DELETE FROM tally WHERE dim = 'outbox'")
    conn.exec_driver_sql(
        "INSERT INTO tally (dim, status, a, b, n) SELECT 'outbox', '', '', '', count(*) "
        "FROM outbox WHERE pushed_at IS NULL HAVING count(*) > 0"
    )
