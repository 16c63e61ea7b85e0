"""Who may take reporters' identities out of the program in an export, and whose never leaves.

Issue 15 item 4. Every export (xlsx, CSV, a copy of queue rows) masks the reporter's identity
by default. Centre leadership (``supervisor``) and the administrator may reveal it, and only
after confirming in a dialog (or ``--reveal-identities --role R`` on the command line).
A denouncer's identity (``identity_protected``, the Law on Denunciations) and a reporter who
asked for confidentiality are never revealed, whatever the role.
"""

from __future__ import annotations

from pakn_desktop.domain.workflow import LEADERS

# Leadership (the workflow's own set) answers for the data that leaves the centre; operators,
# moderators and units do not.
REVEAL_ROLES: frozenset[str] = frozenset(role.value for role in LEADERS)


def may_reveal(role: str) -> bool:
    """True when ``role`` may ask for identities in an export (it still has to confirm)."""
    return role in REVEAL_ROLES


def reveals(*, asked: bool, role: str, protected: bool, confidential: bool) -> bool:
    """Whether one report's reporter is shown: asked for and allowed, and never a
    denouncer or a confidential reporter."""
    return asked and may_reveal(role) and not protected and not confidential
