"""One error path (issue 14): every expected error reaches the user as its Vietnamese message
through ``ui.errors.error_text``; a bug is raised again on its way to the crash dialog."""

from __future__ import annotations

import errno
import re
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from pakn_desktop.data.errors import ErrorCode, KnownError, classify
from pakn_desktop.data.workflow_store import ServiceRefusal
from pakn_desktop.domain.errors import ExpectedError
from pakn_desktop.domain.workflow import Refusal, WorkflowRefused
from pakn_desktop.services.evidence.errors import EvidenceError
from pakn_desktop.services.intake.drafts import DraftNotFound
from pakn_desktop.services.intake.form import FieldError, IntakeInvalid, ValidationResult
from pakn_desktop.services.notify.settings import SecretUnavailable
from pakn_desktop.services.unit_import import UnitFileError
from pakn_desktop.services.units import UnitProblem
from pakn_desktop.ui.errors import error_text

PACKAGE = Path(__file__).resolve().parent.parent / "pakn_desktop"

# (the error, what the user reads): one of each kind the brief names.
KNOWN: list[tuple[BaseException, str]] = [
    (EvidenceError("empty"), "Tệp rỗng (0 byte)"),
    (
        IntakeInvalid(
            ValidationResult(errors=(FieldError("reporter_phone", "phone", "Số điện thoại sai"),))
        ),
        "Phiếu chưa lưu được: Số điện thoại sai",
    ),
    (
        WorkflowRefused(ServiceRefusal.STALE, "3"),
        "Phản ánh vừa được người khác thay đổi; hãy xem lại rồi thao tác.",
    ),
    (
        WorkflowRefused(Refusal.STATE, "close from new"),
        "Thao tác này không áp dụng cho phản ánh ở trạng thái hiện tại.",
    ),
    (
        WorkflowRefused(Refusal.MISSING_FIELD, "reason"),
        "Còn thiếu thông tin bắt buộc: lý do.",
    ),
    (SecretUnavailable("Không dùng được mật khẩu đã lưu"), "Không dùng được mật khẩu đã lưu"),
    (UnitProblem("name", "Thiếu tên đơn vị"), "Thiếu tên đơn vị"),
    (UnitFileError("a.xlsx: tệp rỗng"), "a.xlsx: tệp rỗng"),
    (DraftNotFound(uuid.UUID(int=7)), "Bản nháp không còn"),
    (KnownError(ErrorCode.LOCKED), "Cơ sở dữ liệu đang bị khoá bởi chương trình khác"),
    (OSError(errno.ENOSPC, "No space left on device", "/data/x"), "Ổ đĩa đã đầy: /data/x"),
    (
        OperationalError("INSERT …", {}, sqlite3.OperationalError("database is locked")),
        "Cơ sở dữ liệu đang bị khoá",
    ),
    (
        OperationalError("COMMIT", {}, sqlite3.OperationalError("disk I/O error")),
        "Lỗi đọc ghi ổ đĩa",
    ),
]


@pytest.mark.parametrize(("error", "words"), KNOWN, ids=lambda v: type(v).__name__)
def test_every_known_error_reaches_the_user_as_its_message(
    error: BaseException, words: str
) -> None:
    text = error_text(error)
    assert text.startswith(words), text
    known = classify(error)
    assert isinstance(known, ExpectedError)
    assert known.code and known.message == text
    if isinstance(error, ExpectedError):
        assert str(error) == error.message  # what a script's log or a CLI line shows


def test_a_bug_is_not_worded_but_raised_again() -> None:
    bug = KeyError("ticket")
    with pytest.raises(KeyError) as raised:
        error_text(bug)
    assert raised.value is bug
    assert classify(bug) is None


def test_the_ui_words_errors_in_one_function() -> None:
    """No screen words an error its own way: ``classify``, an exception's ``str()`` or type
    name appear in ``ui/`` and ``app.py`` only inside ``ui/errors.py`` (and the task runner,
    which asks whether an error no handler took is expected)."""
    allowed = {PACKAGE / "ui" / "errors.py", PACKAGE / "ui" / "tasks.py"}
    pattern = re.compile(r"classify\(|type\(error\)\.__name__\}|def error_text|str\(error\)")
    found = []
    for path in [*sorted((PACKAGE / "ui").rglob("*.py")), PACKAGE / "app.py"]:
        if path in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []
