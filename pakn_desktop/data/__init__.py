"""Storage: SQLAlchemy models, engine set-up, migrations, queries. No Qt here."""
