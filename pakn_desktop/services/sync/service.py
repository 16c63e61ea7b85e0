"""``sync --once``: where the server is, and the counts a script reads (decision 44)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from . import errors

if TYPE_CHECKING:
    from pakn_desktop.services.clock import DeadlineClock
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.evidence.store import EvidenceStore

    from .journal import SyncJournal
    from .pull import PullResult
    from .push import PushResult


@dataclass(frozen=True)
class SyncCounts:
    """What one sync did and what is left: stable keys for ``sync --once --json``."""

    pushed: int  # changes the server applied now
    pulled: int  # other stations' changes applied here from the server
    pending: int  # changes still waiting here (neither sent nor parked)
    parked: int  # changes the server refused, kept here with the reason
    conflicts: int  # pulled changes of columns this station changed again later (its kept)
    # Server time − station time in seconds, as this round measured it (decision 47); None
    # when the round did not reach the server. Positive: the station's clock is slow.
    clock_offset_s: float | None = None
    # The evidence files after the rows (decision 50): made whole on the server this round;
    # files here that no longer hash to their name, never sent (``evidence verify`` names
    # them); more left for the next round (a round sends at most 16 MiB).
    files_uploaded: int = 0
    files_bad: int = 0
    files_more: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        """The counts on one line for people: ``pushed: 1, pulled: 0, …``; a second line,
        in Vietnamese, when the station's clock is off the server's by more than a minute."""
        from datetime import timedelta

        from pakn_desktop.services.clock import is_skewed

        counts = (self.pushed, self.pulled, self.pending, self.parked, self.conflicts)
        names = ("pushed", "pulled", "pending", "parked", "conflicts")
        lines = [", ".join(f"{k}: {v}" for k, v in zip(names, counts, strict=True))]
        if self.files_uploaded or self.files_more:
            more = " (còn tệp, gửi tiếp ở lượt sau)" if self.files_more else ""
            lines.append(f"Tệp minh chứng đã gửi lên máy chủ: {self.files_uploaded}{more}")
        if self.files_bad:
            lines.append(files_warning(self.files_bad))
        offset = self.clock_offset_s
        if offset is not None and is_skewed(timedelta(seconds=offset)):
            lines.append(clock_warning(offset))
        return "\n".join(lines)


def files_warning(bad: int) -> str:
    return (
        f"Cảnh báo: {bad} tệp minh chứng trên máy này không còn khớp mã SHA-256 của nó: không "
        "gửi lên máy chủ. Chạy 'pakn-desktop evidence verify' để biết tệp nào."
    )


def clock_warning(offset_s: float) -> str:
    """The station's clock off the server's, in Vietnamese (``offset_s``: server − station)."""
    ahead = "nhanh" if offset_s < 0 else "chậm"
    # Minutes for a drift, hours for a clock set a day (or a time zone) wrong.
    hours = abs(offset_s) >= 3600
    amount = f"{abs(offset_s) / (3600 if hours else 60):.1f}".replace(".", ",")
    return (
        f"Cảnh báo: đồng hồ máy trạm {ahead} {amount} {'giờ' if hours else 'phút'} so với máy chủ; "
        "thời hạn vẫn tính theo giờ máy chủ. Hãy chỉnh lại đồng hồ của máy này."
    )


def counts(
    database: Database, pushed: PushResult | None, pulled: PullResult | None = None
) -> SyncCounts:
    from pakn_desktop.data import sync_local

    with database.engine.connect() as conn:
        pending = sync_local.pending_count(conn)
        parked = sync_local.parked_count(conn)
    clock = pushed.clock if pushed else None
    files = pushed.files if pushed else None
    return SyncCounts(
        pushed=pushed.pushed if pushed else 0,
        pulled=pulled.pulled if pulled else 0,
        pending=pending,
        parked=parked,
        conflicts=pulled.conflicts if pulled else 0,
        clock_offset_s=None if clock is None else round(clock.offset.total_seconds(), 3),
        files_uploaded=files.uploaded if files else 0,
        files_bad=files.bad if files else 0,
        files_more=files.more if files else False,
    )


def check_target(url: str, *, demo: bool = False, local_url: str | None = None) -> None:
    """Refuse the demo database and a server that is this station's own database."""
    from pakn_desktop.data.engine import parse_url

    if demo:
        raise errors.demo_database()
    server = parse_url(url)  # refused in Vietnamese, the address not echoed
    if local_url is not None:
        here = parse_url(local_url)
        if (server.get_backend_name(), server.host, server.port, server.database) == (
            here.get_backend_name(),
            here.host,
            here.port,
            here.database,
        ):
            raise errors.same_database()


def sync_once(
    database: Database,
    url: str,
    *,
    demo: bool = False,
    local_url: str | None = None,
    clock: DeadlineClock | None = None,
    files: EvidenceStore | None = None,
    passwords: Callable[[str], str | None] | None = None,
    journal: SyncJournal | None = None,
) -> tuple[SyncCounts, PushResult, PullResult]:
    """One push, then one pull, and the counts after them; ``clock`` takes the server's
    time (the station's deadline clock); ``files``: the evidence store whose files are
    uploaded after the push (decision 50)."""
    from .pull import Puller
    from .push import Pusher

    check_target(url, demo=demo, local_url=local_url)
    pusher = Pusher(
        database, url, keep_connection=True, clock=clock, files=files, passwords=passwords
    )
    try:
        pushed = pusher.push()
        pulled = Puller(pusher).pull()
    except errors.SyncRefused as refusal:
        if journal is not None:
            unreachable = refusal.code == "sync_unreachable"
            (journal.offline if unreachable else journal.stopped)(refusal.message)
        raise
    finally:
        pusher.close()
    done = counts(database, pushed, pulled)
    if journal is not None:
        journal.round(done)
    return done, pushed, pulled
