"""The program's log: a rotating file in the data folder, with no personal data.

What a log may carry: exception types and traceback frames (file, line, function), counts,
case codes, ids. Never an exception's message or a frame's local values: a driver's error quotes
the SQL parameters, a refusal quotes what was typed, so either could hold a citizen's name or
phone number. The file's formatter enforces it for every ``exc_info`` logged anywhere;
messages themselves are the code's own (``log.warning("...: %s", type(error).__name__)``).
``faulthandler`` (a hard crash: a segfault, an abort in Qt) writes its stacks beside it.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO

from pakn_desktop import __version__

LOG_FILE = "pakn.log"
FAULT_FILE = "faulthandler.log"
MAX_BYTES = 1_000_000
BACKUPS = 5  # pakn.log.1 … pakn.log.5: about 6 MB at most


@dataclass
class _Installed:
    """What this module set up, so that a second start in the same process (the tests' CLI
    calls) replaces it instead of adding more; faulthandler writes to the file's descriptor,
    so the file stays referenced here."""

    handlers: list[logging.Handler] = field(default_factory=list)
    fault_file: IO[str] | None = None


_installed = _Installed()


def frames(tb: TracebackType | None) -> list[str]:
    """``file:line in function`` for each frame, the file without the folders above the
    package or library it belongs to (a home folder names the user)."""
    out = []
    while tb is not None:
        code = tb.tb_frame.f_code
        out.append(f"  {short_path(code.co_filename)}:{tb.tb_lineno} in {code.co_name}")
        tb = tb.tb_next
    return out


def short_path(filename: str) -> str:
    """``filename`` relative to the ``sys.path`` entry it was imported from (the package,
    site-packages, the standard library); its bare name when it is under none of them."""
    path = Path(filename)
    roots = sorted((Path(p) for p in sys.path if p), key=lambda p: len(p.parts), reverse=True)
    for root in roots:
        if root.is_absolute() and path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return path.name


def bug_report(error: BaseException) -> str:
    """What a bug's report says: the program's version, each exception's type (the chain of
    causes too) and its frames; never a message or a value (see the module)."""
    lines = [f"pakn-desktop {__version__}, Python {sys.version.split()[0]}, {sys.platform}"]
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines.append(f"{kind.__module__}.{kind.__qualname__}")
        lines.extend(frames(current.__traceback__))
        current = current.__cause__ or current.__context__
        if current is not None:
            lines.append("gây ra bởi / caused by:")
    return "\n".join(lines)


class _NoPersonalData(logging.Formatter):
    """``exc_info`` as :func:`bug_report`: type and frames, no message (``format`` caches the
    result on the record, so no other handler redoes it with the message)."""

    def formatException(self, ei: object) -> str:  # noqa: N802 - logging's name
        error = ei[1] if isinstance(ei, tuple) else None
        return bug_report(error) if isinstance(error, BaseException) else ""


class _QuietFileHandler(logging.handlers.RotatingFileHandler):
    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        """A log that cannot be written (a full disk) must neither stop the program nor
        print logging's own traceback on every record."""


def start_logging(log_dir: Path, *, debug: bool = False) -> Path | None:
    """Log to ``log_dir``/pakn.log (rotating) and faulthandler to ``log_dir``/faulthandler.log;
    the level DEBUG with ``debug`` (then on stderr too), INFO otherwise. The log file, or None
    when the folder cannot be written (the program runs without one)."""
    logger = logging.getLogger("pakn_desktop")
    stop_logging()
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    handlers: list[logging.Handler] = []
    path: Path | None = log_dir / LOG_FILE
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(
            _QuietFileHandler(log_dir / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS)
        )
    except OSError:
        path = None
    if debug:
        handlers.append(logging.StreamHandler(sys.stderr))
    formatter = _NoPersonalData("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in handlers:
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    _installed.handlers = handlers
    if path is not None:
        _start_faulthandler(log_dir / FAULT_FILE)
    return path


def stop_logging() -> None:
    """Undo :func:`start_logging` (its handlers closed, faulthandler off if it was ours)."""
    logger = logging.getLogger("pakn_desktop")
    for handler in _installed.handlers:
        logger.removeHandler(handler)
        handler.close()
    _installed.handlers = []
    logger.setLevel(logging.NOTSET)
    if _installed.fault_file is not None:
        faulthandler.disable()
        _installed.fault_file.close()
        _installed.fault_file = None


def _start_faulthandler(path: Path) -> None:
    """Enabled unless someone else already did (``python -X faulthandler``, pytest)."""
    if faulthandler.is_enabled():  # stop_logging disabled ours: this is someone else's
        return
    try:
        stream = path.open("a", encoding="utf-8")
    except OSError:
        return
    faulthandler.enable(stream, all_threads=True)
    _installed.fault_file = stream
