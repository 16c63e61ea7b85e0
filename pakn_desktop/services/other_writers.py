"""Another program's writes on this station's database as a ``Changes`` (the window's hub
takes away what it published itself): see ``data.other_writers``."""

from __future__ import annotations

from pakn_desktop.data.other_writers import Written
from pakn_desktop.services.changes import Changes, topics_of


def changes_of(written: Written) -> Changes:
    topics = topics_of(written.tables)
    if written.every_report:
        return Changes.of(*topics, every_report=True)
    created = Changes.reports_created(written.created)
    return created | Changes.reports_updated(written.reports - written.created, *topics)
