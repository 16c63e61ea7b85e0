"""The daily report as jobs for a worker (the Reports screen, a scheduler): the defaults the
centre set, a preview's figures, and the export (figures, then the workbook) with progress and
a cancel point before the file appears. A cancelled or failed export leaves no file.

Plain calls, values in and values out: the screen runs them through ``ui.tasks``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from pakn_desktop.domain.daily_figures import DailyFigures, Period, office_naive
from pakn_desktop.domain.letterhead import Letterhead

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database

__all__ = ["DailyReports", "ReportDefaults", "default_file_name"]

Progress = Callable[[int, str], None]  # percent, what is being done (Vietnamese)


@dataclass(frozen=True)
class ReportDefaults:
    today: date  # the office's date now: the report of this morning
    cutoff: time
    letterhead: Letterhead


def default_file_name(period: Period) -> str:
    """ "bao-cao-tong-hop-2026-12-07.xlsx" (a span: "…-2026-12-01-den-2026-12-07.xlsx")."""
    last = period.day.isoformat()
    if period.days == 1:
        return f"bao-cao-tong-hop-{last}.xlsx"
    first = office_naive(period.start).date().isoformat()
    return f"bao-cao-tong-hop-{first}-den-{last}.xlsx"


def _no_progress(_percent: int, _text: str) -> None:
    return None


def _never() -> bool:
    return False


class DailyReports:
    """Its calls run on workers (the Reports screen) or in a command."""

    def __init__(self, database: Database, clock: Callable[[], datetime] | None = None) -> None:
        self._database = database
        self._clock = clock or (lambda: datetime.now(UTC))

    def _db(self) -> Database:
        return self._database

    def defaults(self) -> ReportDefaults:
        """The cut-off and letterhead as stored (shared settings) and today's office date."""
        from pakn_desktop.services.reports.daily import stored_cutoff, stored_letterhead
        from pakn_desktop.services.settings import Settings

        settings = Settings(self._db())
        today = office_naive(self._clock()).date()
        return ReportDefaults(today, stored_cutoff(settings), stored_letterhead(settings))

    def figures(self, period: Period) -> DailyFigures:
        from pakn_desktop.services.reports.daily import daily_figures

        return daily_figures(self._db(), period, now=self._clock())

    def export(
        self,
        period: Period,
        out: Path,
        letterhead: Letterhead,
        *,
        progress: Progress = _no_progress,
        cancelled: Callable[[], bool] = _never,
    ) -> Path:
        """Count, then write ``out`` atomically; :class:`Cancelled` when ``cancelled()``
        turns true before the file is renamed into place (``reports.xlsx_style.Cancelled``;
        nothing is left then)."""
        # Imported here: openpyxl takes a second to import, and the screen that holds this
        # object is built on the GUI thread.
        from pakn_desktop.reports.daily_workbook import write_daily
        from pakn_desktop.reports.xlsx_style import Cancelled

        progress(5, "Đang tính số liệu…")
        figures = self.figures(period)
        if cancelled():
            raise Cancelled
        rows = len(figures.details) + len(figures.overdue)
        progress(50, f"Đang ghi tệp Excel ({rows:,} dòng)…".replace(",", "."))
        written = write_daily(figures, out, letterhead, cancelled)
        progress(100, "Đã xuất xong.")
        return written
