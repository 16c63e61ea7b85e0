"""What the commands read from files and stdin: one reader of each, with one Vietnamese error."""

from __future__ import annotations

import sys

from pakn_desktop.data.errors import KnownError


def read_text(path: str) -> str:
    from pathlib import Path

    from pakn_desktop.data.errors import ErrorCode

    try:
        # utf-8-sig: a file saved by Windows Notepad starts with a byte-order mark.
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise KnownError(ErrorCode.INVALID, f"không đọc được {path}: {reason}") from None


def read_stdin() -> str:
    from pakn_desktop.data.errors import ErrorCode

    try:
        return sys.stdin.buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise KnownError(ErrorCode.INVALID, f"đầu vào không phải UTF-8: {error.reason}") from None
