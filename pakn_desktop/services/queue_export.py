"""Export a queue view (its query, sort and columns) to xlsx or CSV, and copy selected rows.

Rows are read in keyset pages (data.queue.page_after) on one connection and written as they
come (reports/queue_export.py), so memory stays flat at a million rows. Runs on a worker: it
reports progress and stops at the next page once cancelled; the file then never appears.

Identities (issue 15 item 4, domain/export_policy.py): the summary is masked of its
reporter's name, phone, e-mail and address (domain.publication.mask_identity, the archive's
way) unless the export was asked to reveal, by a role that may, and the report is neither a
denouncer's nor confidential. Reporter columns come only with a revealing export.
"""

from __future__ import annotations

import errno
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from pakn_desktop.data.errors import ErrorCode, KnownError
from pakn_desktop.domain.errors import ExpectedError
from pakn_desktop.domain.export_policy import may_reveal, reveals
from pakn_desktop.domain.labels import status_word
from pakn_desktop.domain.publication import (
    MASK,
    Identity,
    mask_identity,
    mask_personal,
    people_of,
)
from pakn_desktop.reports.queue_export import (
    COLUMNS,
    IDENTITY_COLUMNS,
    QUEUE_COLUMNS,
    Column,
    tsv,
    write,
)
from pakn_desktop.services.queue import QueueQuery, QueueRow, QueueService

PAGE = 1000
Progress = Callable[[int, int], None]  # rows written, rows in all


class ExportCancelled(ExpectedError):
    """The user cancelled; nothing was written."""

    def __init__(self) -> None:
        super().__init__("export_cancelled", "Đã huỷ xuất tệp; không có tệp nào được ghi")


class RevealRefused(ExpectedError):
    """Identities were asked for by a role that may not see them."""

    def __init__(self, role: str) -> None:
        super().__init__(
            "reveal_refused",
            f"Vai trò “{role}” không được xuất danh tính người phản ánh; "
            "chỉ lãnh đạo trung tâm và quản trị viên được xuất",
        )


@dataclass(frozen=True)
class ExportRequest:
    query: QueueQuery
    columns: tuple[str, ...] = tuple(c.key for c in QUEUE_COLUMNS)  # queue column keys
    reveal: bool = False  # asked for, and confirmed, identities
    role: str = "operator"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def columns_of(request: ExportRequest) -> list[Column]:
    chosen = [COLUMNS[key] for key in request.columns if key in COLUMNS]
    if request.reveal:
        chosen += IDENTITY_COLUMNS
    return chosen


def export_queue(
    service: QueueService,
    request: ExportRequest,
    out: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    page: int | None = None,
) -> ExportResult:
    """Every row of ``request.query`` in its order to ``out`` (.xlsx or .csv), ``page`` rows
    (default :data:`PAGE`) per read."""
    if request.reveal and not may_reveal(request.role):
        raise RevealRefused(request.role)
    columns = columns_of(request)
    with service.connection() as conn:
        try:
            batches = _batches(service, conn, request, page or PAGE, progress, cancelled)
            rows = write(out, columns, batches)
        except OSError as error:
            raise write_error(out, error) from error
    return ExportResult(out, rows)


def write_error(out: Path, error: OSError) -> KnownError:
    """``error`` met writing ``out``, said for people (data.errors' codes, the file's words:
    its READ_ONLY is the database's)."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return KnownError(ErrorCode.DISK_FULL, f"không ghi được “{out.name}”")
    return KnownError(
        ErrorCode.FILE,
        f"không ghi được “{out.name}” vào thư mục {out.parent} "
        "(thư mục chỉ đọc, không có quyền ghi hoặc không tồn tại)",
    )


def _batches(
    service: QueueService,
    conn: Any,
    request: ExportRequest,
    page: int,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> Iterator[list[list[Any]]]:
    from pakn_desktop.data import queue as q
    from pakn_desktop.data.queue_export import export_page

    query = request.query
    names = service.names(conn)
    total = q.count(conn, query) if progress is not None else 0
    values = _row_values(request)
    done = 0
    after = None
    while True:
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        rows = export_page(conn, query, names, after, page)  # each with its reporter
        if not rows:
            return
        yield [values(row, who) for row, who in rows]
        done += len(rows)
        if progress is not None:
            progress(done, max(total, done))
        if len(rows) < page:
            return
        after = q.sort_key(rows[-1][0], query.sort)


Cell = Callable[[QueueRow, str], Any]  # a row and its summary as exported → a cell's value


def _row_values(request: ExportRequest) -> Callable[[QueueRow, Any], list[Any]]:
    """The function from a row and its reporter to the row's values, each column's getter
    chosen once per export, not per cell; the summary is masked once per row."""
    getters = [_getter(key) for key in request.columns if key in COLUMNS]
    masks = "summary" in request.columns

    def values(row: QueueRow, who: Any) -> list[Any]:
        from pakn_desktop.data.queue_export import Reporting

        reporting: Reporting = who if who is not None else Reporting(False, False)
        shown = reveals(
            asked=request.reveal,
            role=request.role,
            protected=reporting.protected,
            confidential=reporting.confidential,
        )
        summary = row.summary if shown or not masks else _mask(row.summary, reporting)
        out = [get(row, summary) for get in getters]
        if request.reveal:
            if shown:
                out += [reporting.name, reporting.phone_raw or reporting.phone, reporting.address]
            else:
                out += [
                    _masked(reporting.name),
                    _masked(reporting.phone),
                    _masked(reporting.address),
                ]
        return out

    return values


def _masked(value: str) -> str:
    return MASK if value else ""


def _getter(key: str) -> Cell:
    if key == "summary":
        return lambda _row, summary: summary
    if key == "status":
        return lambda row, _summary: status_word(row.status)
    if key == "forward":
        return lambda row, _summary: _forward(row)
    get = attrgetter(key)
    return lambda row, _summary: get(row)


def _mask(text: str, reporting: Any) -> str:
    """A protected report's text as a unit's notification has it (any phone number or
    e-mail too, ``mask_personal``); any other report's as the archive has it (this
    reporter's name, phone, e-mail and address, ``mask_identity``)."""
    mask = mask_personal if reporting.protected or reporting.confidential else mask_identity
    reporter = Identity(
        name=reporting.name,
        phone=reporting.phone,
        phone_raw=reporting.phone_raw,
        email=reporting.email,
        address=reporting.address,
    )
    return mask(text, people_of(reporter, reporting.sender_name))


def _forward(row: QueueRow) -> str | datetime:
    """The "Hạn chuyển" cell in the queue's words (ui/queue/cells.py): the forward due time
    while the report waits to be forwarded, then whether the first forward was on time."""
    if row.forwarded_at is not None:
        if row.forward_on_time is None:
            return "Đã chuyển"
        return "Đúng hạn" if row.forward_on_time else "Quá hạn"
    if row.forward_at_risk_at is not None and row.forward_due_at is not None:
        return row.forward_due_at
    return ""


def copy_text(
    service: QueueService,
    query: QueueQuery,
    ids: Sequence[uuid.UUID],
    columns: Sequence[str],
) -> str:
    """Selected rows (``ids`` in the queue's order) as tab-separated text with a header row,
    identities masked as in every export (a copy never reveals): runs on a worker."""
    from pakn_desktop.data.queue_export import reportings, rows_by_id

    request = ExportRequest(query, tuple(columns))
    chosen = columns_of(request)
    values = _row_values(request)
    lines: list[list[Any]] = []
    with service.connection() as conn:
        names = service.names(conn)
        for start in range(0, len(ids), PAGE):
            part = ids[start : start + PAGE]
            rows = rows_by_id(conn, names, part)
            who = reportings(conn, part)
            lines += [values(row, who.get(row.id)) for row in rows]
    return tsv(chosen, lines)
