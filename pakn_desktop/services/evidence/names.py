"""Display names for evidence: what the operator sees and what the archive ZIP uses.

The stored file is named by its hash, so the display name only has to be safe to show and to
write into a ZIP or onto a Windows disk: no folders (no separator, no ``..``), no control
characters, no bidi overrides (``ảnh\u202egpj.exe`` shows as ``ảnhexe.jpg``) nor zero-width
characters (two names that look alike), no reserved device names, no trailing dots or spaces,
at most 255 bytes of UTF-8 (what ext4 and most file systems allow; Vietnamese letters take two
or three bytes each), cut on a character boundary with the extension kept, NFC.

One function for every way a name comes in: the evidence service (GUI detail, ``evidence
add``), the intake save (the form, ``intake --json``) and the archive writer.
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
# (lone surrogates too: a name decoded from undecodable bytes cannot be written as UTF-8)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f\ud800-\udfff]')
# Invisible characters that change how a name reads: bidi embeddings, overrides, isolates and
# marks; zero-width spaces and joiners; the BOM and word joiner. Removed, not replaced: they
# have no glyph, so a "_" in their place would be a change the operator cannot explain.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_MAX_EXTENSION = 16  # bytes of a kept extension: ".docx", ".jpeg"; a longer "suffix" is text
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
    ``….jpg.png``: the bytes decide, and the name must not lie). Never raises: whatever came
    in (a path, a name from JSON, a paste), something safe comes out."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", name))
    # Both separators, whatever the OS: a name from a Windows path or a browser drag.
    base = re.split(r"[/\\]", text)[-1]
    base = " ".join(base.split())  # tabs, newlines, runs of spaces: one space
    base = _FORBIDDEN.sub("_", base)
    base = base.strip(" .")  # "..", "." and trailing dots (Windows drops them) go here
    stem = base.split(".", 1)[0]
    if not base or stem.upper() in _RESERVED:
        base = f"{fallback}_{base}" if base else fallback
    wanted = extension_for(mime)
    if wanted and not _has_extension(base, mime):
        base += wanted
    return _fit(base)


def _fit(name: str) -> str:
    """``name`` cut to ``MAX_NAME`` bytes of UTF-8 on a character boundary, its extension
    kept (a cut ``.pdf`` would make the file open in nothing)."""
    if len(name.encode("utf-8")) <= MAX_NAME:
        return name
    stem, dot, ext = name.rpartition(".")
    suffix = f".{ext}" if dot and stem and len(ext.encode("utf-8")) < _MAX_EXTENSION else ""
    if suffix:
        name = stem
    room = MAX_NAME - len(suffix.encode("utf-8"))
    cut = name.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    # A mark left without its letter (a decomposed name NFC could not recompose) is dropped.
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return (cut.rstrip(" .") or "minh-chung") + suffix


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
