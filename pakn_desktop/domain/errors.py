"""The one base of every expected failure: a stable code and a Vietnamese message.

qutebrowser's taxonomy. An ``ExpectedError`` (the environment, the input, a rule that refuses)
reaches the user as its ``message``; any other exception is a bug and reaches the crash
dialog. Each layer keeps its own kinds on this base: ``data.errors.KnownError`` (the
environment: locked, read-only, disk full…), ``services.evidence.errors.EvidenceError``,
``services.intake.form.IntakeInvalid``, ``domain.workflow.WorkflowRefused``,
``services.notify.settings.SecretUnavailable``, ``services.units.UnitProblem``,
``services.unit_import.UnitFileError``, ``services.intake.drafts.DraftNotFound``.
``data.errors.classify`` maps driver and OS errors to ``KnownError`` and says which exceptions
are expected.
"""

from __future__ import annotations


class ExpectedError(Exception):
    """``code`` is stable for scripts and tests; ``message`` is what a person reads (and what
    ``str()`` gives). A message may quote the user's input, so logs never carry it."""

    code: str
    message: str

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:  # also for a kind that is a KeyError too (it quotes its args)
        return self.message
