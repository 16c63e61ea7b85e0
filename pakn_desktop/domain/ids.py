"""Client-generated, time-ordered identifiers (UUIDv7)."""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> uuid.UUID:
    """A UUIDv7: unique without a server, and ordered by creation time so indexes stay compact."""
    return uuid.UUID(int=uuid6.uuid7().int)
