"""The one place the GUI turns an error into words (qutebrowser's taxonomy).

An expected error (``domain.errors.ExpectedError``, or a driver or OS error that
``data.errors.classify`` maps to one) becomes its Vietnamese message. Anything else is a bug and
is not worded here: ``error_text`` raises it again, so it leaves the handler that asked and
reaches the one crash dialog (``ui.crash``): from a task through ``ui.tasks``, which hands a
handler's exception on, from a slot through ``sys.excepthook``.
"""

from __future__ import annotations

from pakn_desktop.data.errors import classify


def error_text(error: BaseException) -> str:
    """``error``'s message for the user; a bug is raised again (see the module)."""
    known = classify(error)
    if known is None:
        raise error
    return known.message
