"""The GUI's role words and its administrator role are the workflow's (kept apart from the
transition table so the status bar can be built before the first paint)."""

from __future__ import annotations

from pakn_desktop.domain.workflow import Role
from pakn_desktop.ui.workflow.roles import ADMIN, ROLES


def test_every_workflow_role_has_its_words_and_admin_is_the_same_code() -> None:
    assert set(ROLES) == {role.value for role in Role}
    assert Role.ADMIN.value == ADMIN
