"""Display names for evidence: what the operator sees and what the archive ZIP uses.

The stored file is named by its hash, so the display name only has to be safe to show and to
write into a ZIP or onto a Windows disk: no folders, no control characters, no reserved
device names, no trailing dots or spaces, at most 255 characters, NFC.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 255
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(10)}
    | {f"LPT{i}" for i in range(10)}
)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f]')
_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "image/heic": ".heic",
    "application/pdf": ".pdf",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "audio/x-wav": ".wav",
    "audio/ogg": ".ogg",
    "audio/amr": ".amr",
    "audio/aac": ".aac",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


def extension_for(mime: str) -> str:
    return _EXTENSIONS.get(mime, "")


def sanitise_name(name: str, mime: str, *, fallback: str = "minh-chung") -> str:
    """A safe display name: the last path part of ``name`` cleaned, with the extension of the
    detected type when the given one does not match it (a ``.jpg`` that is a PNG becomes
    ``….jpg.png``: the bytes decide, and the name must not lie)."""
    # Both separators, whatever the OS: a name from a Windows path or a browser drag.
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name))[-1]
    base = " ".join(base.split())  # tabs, newlines, runs of spaces: one space
    base = _FORBIDDEN.sub("_", base)
    base = base.strip(" .")
    stem = base.split(".", 1)[0]
    if not base or stem.upper() in _RESERVED:
        base = f"{fallback}_{base}" if base else fallback
    wanted = extension_for(mime)
    if wanted and not _has_extension(base, mime):
        base += wanted
    if len(base) > MAX_NAME:
        suffix = wanted if base.endswith(wanted) else ""
        base = base[: MAX_NAME - len(suffix)].rstrip(" .") + suffix
    return base


def _has_extension(name: str, mime: str) -> bool:
    lower = name.lower()
    wanted = extension_for(mime)
    if mime == "image/jpeg":
        return lower.endswith((".jpg", ".jpeg", ".jfif"))
    if mime == "video/quicktime":
        return lower.endswith((".mov", ".qt"))
    if mime == "audio/mp4":
        return lower.endswith((".m4a", ".m4b"))
    return lower.endswith(wanted)


def unique_names(names: list[str]) -> list[str]:
    """``names`` with repeats made distinct (``a.png``, ``a (2).png``), case-insensitively, as
    a ZIP unpacked on Windows or macOS needs."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        candidate, number = name, 1
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        while candidate.lower() in seen:
            number += 1
            candidate = f"{stem} ({number}).{ext}" if ext else f"{stem} ({number})"
        seen.add(candidate.lower())
        out.append(candidate)
    return out
