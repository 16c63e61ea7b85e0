"""Alembic environment: always given an engine by pakn_desktop.data.migrate."""

from __future__ import annotations

from alembic import context

from pakn_desktop.data.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
