"""Re-hash every stored file and compare it with the blob rows: what is missing or altered,
named with the evidence's display names and report codes; unreferenced files as orphans;
anything at a hash name that is not a regular file (a link, a folder, a FIFO) as irregular,
referenced or not, without opening it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pakn_desktop.data.evidence_rows import blob_sizes, uses_of

from .errors import EvidenceError
from .records import StoreProblem, VerifyReport
from .store import EvidenceStore, Progress

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database


def verify_store(
    database: Database, store: EvidenceStore, progress: Progress | None = None
) -> VerifyReport:
    """``progress(done, total)`` in bytes; reads run outside any transaction, so a verify of a
    large store never holds the database."""
    with database.sessions() as session:
        blobs = blob_sizes(session)
    total = sum(size for _, size in blobs) or 1
    done = 0
    missing: list[str] = []
    altered: list[tuple[str, str]] = []
    irregular: list[tuple[str, str, str]] = []  # sha256, kind, detail
    ok = 0
    for sha, size in blobs:
        base = done

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(min(done, total), total)

        try:
            actual = store.hash_of_stored(sha, step)
        except FileNotFoundError:
            missing.append(sha)
        except EvidenceError as error:  # not_regular or unreadable: never opened, or failed to
            irregular.append((sha, error.code, error.detail))
        else:
            if actual == sha:
                ok += 1
            else:
                altered.append((sha, actual))
        done = base + size  # a shorter (altered) or missing file still counts as done
    known = {sha for sha, _ in blobs}
    orphans: list[str] = []
    for sha in store.stored_hashes():
        if sha in known:
            continue
        kind = store.irregular(sha)
        if kind is None:
            orphans.append(sha)
        else:
            irregular.append((sha, "not_regular", kind))
    bad = [*missing, *(sha for sha, _ in altered), *(sha for sha, *_ in irregular)]
    named = _names(database, bad)
    return VerifyReport(
        missing=tuple(StoreProblem(sha, "missing", *named.get(sha, ((), ()))) for sha in missing),
        altered=tuple(
            StoreProblem(sha, "altered", *named.get(sha, ((), ())), actual_sha256=actual)
            for sha, actual in altered
        ),
        ok_count=ok,
        orphans=tuple(StoreProblem(sha, "orphan") for sha in orphans),
        irregular=tuple(
            StoreProblem(sha, kind, *named.get(sha, ((), ())), detail=detail)
            for sha, kind, detail in irregular
        ),
    )


def _names(
    database: Database, hashes: list[str]
) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """sha256 → (display names, report codes) of the evidence rows that use it."""
    if not hashes:
        return {}
    out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    with database.sessions() as session:
        rows = uses_of(session, hashes)
    grouped: dict[str, tuple[list[str], list[str]]] = {}
    for sha, name, code in rows:
        names, codes = grouped.setdefault(sha, ([], []))
        if name not in names:
            names.append(name)
        if code not in codes:
            codes.append(code)
    for sha, (names, codes) in grouped.items():
        out[sha] = (tuple(names), tuple(codes))
    return out
