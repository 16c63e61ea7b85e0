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
import io
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
    """Opened at the first record (``delay``), its folder made then: a command that logs
    nothing leaves the data folder as it found it."""

    def _open(self) -> io.TextIOWrapper:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        """A log that cannot be written (a full disk) must neither stop the program nor
        print logging's own traceback on every record."""


def start_logging(log_dir: Path, *, debug: bool = False, faults: bool = False) -> Path:
    """Log to ``log_dir``/pakn.log (rotating), the level DEBUG with ``debug`` (then on stderr
    too), INFO otherwise; returns the log file. ``faults`` (the GUI, where Qt's native code
    runs): faulthandler writes to ``log_dir``/faulthandler.log, made now."""
    logger = logging.getLogger("pakn_desktop")
    stop_logging()
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    path = log_dir / LOG_FILE
    handlers: list[logging.Handler] = [
        _QuietFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, delay=True)
    ]
    if debug:
        handlers.append(logging.StreamHandler(sys.stderr))
    formatter = _NoPersonalData("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in handlers:
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    _installed.handlers = handlers
    if faults:
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
        path.parent.mkdir(parents=True, exist_ok=True)
        stream = path.open("a", encoding="utf-8")
    except OSError:  # a folder that cannot be written: the program runs without it
        return
    faulthandler.enable(stream, all_threads=True)
    _installed.fault_file = stream
