"""sync pull: on PostgreSQL, the function that decides what a station receives from the
change log, and the NOTIFY that wakes watching stations (decision 46). SQLite: nothing.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# What station ``p_station`` receives after its cursor (p_tx, p_seq): other stations'
# changes, in (tx, server_seq) order, only from transactions that can no longer commit late
# (below the oldest transaction still running, pg_snapshot_xmin). The server decides: row-level
# security by unit (change_log.ticket_id) goes here later, the station's request unchanged.
# ``superseded``: the columns of a change that the receiving station itself set again later
# (in change-log order) on the same row: the server holds the station's value, so the pulled
# one lost there and must not overwrite it here (a conflict, counted).
PULL = """
CREATE FUNCTION sync_pull(p_station uuid, p_tx xid8, p_seq bigint, p_limit integer)
RETURNS TABLE (server_seq bigint, tx text, change_id uuid, table_name varchar,
               row_id varchar, op varchar, payload text, superseded text[])
LANGUAGE sql STABLE AS $$
    SELECT c.server_seq, c.tx::text, c.change_id, c.table_name, c.row_id, c.op,
           c.payload::text,
           ARRAY(SELECT k FROM jsonb_object_keys(c.payload) AS k WHERE EXISTS (
               SELECT 1 FROM change_log AS o
               WHERE o.table_name = c.table_name AND o.row_id = c.row_id
                 AND o.station_id = p_station AND (o.tx, o.server_seq) > (c.tx, c.server_seq)
                 AND o.payload ? k))
    FROM change_log AS c
    WHERE (c.tx, c.server_seq) > (p_tx, p_seq)
      AND c.tx < pg_snapshot_xmin(pg_current_snapshot())
      AND c.station_id <> p_station
    ORDER BY c.tx, c.server_seq
    LIMIT p_limit
$$
"""
# The horizon a pull may read up to: every transaction below it has ended.
HORIZON = """
CREATE FUNCTION sync_horizon() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT pg_snapshot_xmin(pg_current_snapshot())::text $$
"""
# One NOTIFY per pushing transaction and station, delivered at its COMMIT: the payload is the
# station's id, nothing else.
NOTIFY = """
CREATE FUNCTION change_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pakn_sync', s.station_id::text)
    FROM (SELECT DISTINCT station_id FROM new_rows) AS s;
    RETURN NULL;
END
$$
"""
TRIGGER = """
CREATE TRIGGER change_log_notify AFTER INSERT ON change_log
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION change_log_notify()
"""


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    for sql in (PULL, HORIZON, NOTIFY, TRIGGER):
        conn.exec_driver_sql(sql)
    conn.exec_driver_sql("CREATE INDEX ix_change_log_row ON change_log (table_name, row_id)")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql("DROP INDEX ix_change_log_row")
    conn.exec_driver_sql("DROP TRIGGER change_log_notify ON change_log")
    conn.exec_driver_sql("DROP FUNCTION change_log_notify()")
    conn.exec_driver_sql("DROP FUNCTION sync_horizon()")
    conn.exec_driver_sql("DROP FUNCTION sync_pull(uuid, xid8, bigint, integer)")
