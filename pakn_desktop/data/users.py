"""The person working at this station, until accounts with passwords arrive."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import User

DEFAULT_ROLE = "operator"


def local_user(session: Session, username: str) -> User:
    """The user row for the operating-system login ``username``; created on first use.

    Who captured a screenshot, attached a file or saved a report must be on the record (the
    evidence's chain of custody); the OS login is the identity the station has today. Created
    through the ORM, so its outbox row is written with it.
    """
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        user = User(username=username, full_name=username, role_code=DEFAULT_ROLE, active=True)
        session.add(user)
        session.flush()
    return user
