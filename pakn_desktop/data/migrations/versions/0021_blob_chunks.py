"""evidence files through the database: on PostgreSQL, the server's chunks of evidence bytes
and the record of each upload (decision 50); on every engine, an index on the blob rows'
order of storing, which the upload's cursor walks.

SQLite has no chunk tables: a station's own database never holds another's bytes (they live
in its evidence store), and the sync server is always PostgreSQL (``sync`` refuses any other).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

# One row per file being (or done being) uploaded: its size, the chunk size it is cut in
# (fixed when the upload starts, so a resumed upload or a fetch numbers the chunks alike) and
# ``complete_at``, set only once every chunk is in and their bytes hash to ``sha256``. A fetch
# reads a file only when complete. Times are naive UTC, as every table's (decision 3).
UPLOAD = """
CREATE TABLE blob_upload (
    sha256 varchar(64) PRIMARY KEY,
    size bigint NOT NULL CONSTRAINT ck_blob_upload_size CHECK (size > 0),
    chunk_size integer NOT NULL CONSTRAINT ck_blob_upload_chunk_size CHECK (chunk_size > 0),
    chunks integer NOT NULL,
    started_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    complete_at timestamp
)
"""
# The bytes, one row per chunk: a chunk is written in its own short transaction, so a cut
# connection loses at most the one in flight and a resumed upload skips those already there.
CHUNK = """
CREATE TABLE blob_chunk (
    sha256 varchar(64) NOT NULL
        CONSTRAINT fk_blob_chunk_sha256_blob_upload REFERENCES blob_upload (sha256)
        ON DELETE CASCADE,
    n integer NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (sha256, n)
)
"""


def upgrade() -> None:
    conn = op.get_bind()
    op.create_index("ix_blob_stored_at", "blob", ["stored_at", "sha256"])
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql(UPLOAD)
    conn.exec_driver_sql(CHUNK)
    # The bytes are already compressed (images, video, PDF): TOAST's compression would spend
    # the server's time for nothing.
    conn.exec_driver_sql("ALTER TABLE blob_chunk ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TABLE blob_chunk")
        conn.exec_driver_sql("DROP TABLE blob_upload")
    op.drop_index("ix_blob_stored_at", table_name="blob")
