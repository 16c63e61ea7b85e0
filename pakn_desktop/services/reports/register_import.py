"""Importing a register (issue 15 item 6): the mapping preview, the dry run, and the import.

The good rows go in through the intake's own save (``IntakeService.save_imported`` →
``services.intake.store``: reporter reuse, case code, timeline, outbox, search text), a
batch of reports a transaction, so a cancel or a crash leaves whole reports only and importing again
finishes the job: every imported report carries its import key (migration 0015), and a row
whose key is already there is counted "already", never added twice, from this file or
another. After every import (not a dry run) the row-level report is written next to the file
(``reports.register_report``).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pakn_desktop.reports import register_headers as h
from pakn_desktop.reports import register_report as report
from pakn_desktop.reports.register_read import Register, RegisterFileError, open_register
from pakn_desktop.reports.register_values import is_blank
from pakn_desktop.services.reports.register_rows import Planned, Problem, RowReader

if TYPE_CHECKING:
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.intake.form import IntakeForm
    from pakn_desktop.services.intake.service import IntakeService

log = logging.getLogger(__name__)

FIELD_LABELS: dict[str, str] = {
    h.RECEIVED: "Ngày tiếp nhận",
    h.TIME: "Giờ tiếp nhận",
    h.CONTENT: "Nội dung",
    h.SUMMARY: "Tóm tắt",
    h.NAME: "Họ tên người phản ánh",
    h.PHONE: "Số điện thoại",
    h.EMAIL: "Thư điện tử",
    h.REPORTER_ADDRESS: "Địa chỉ người phản ánh",
    h.PLACE: "Địa điểm xảy ra",
    h.CHANNEL: "Kênh tiếp nhận",
    h.CATEGORY: "Lĩnh vực",
    h.KIND: "Loại",
    h.UNIT: "Đơn vị xử lý (ghi vào cách xử lý)",
    h.RESULT: "Kết quả xử lý (trạng thái)",
    h.NOTE: "Ghi chú (ghi vào cách xử lý)",
    h.CODE: "Số trong sổ (ghi vào cách xử lý)",
    h.ROW_NUMBER: "Số thứ tự (không nhập)",
}
UNUSED = "(không dùng)"
# Rows read, checked and saved together: one key look-up, one read of the callers' reporters
# and one commit each (an fsync: at 100 a batch the commits were a fifth of the import).
# 500 reports hold SQLite's write lock for about half a second (their rows built and
# inserted; the checks and deadlines are done before it is taken), which another station's
# save waits out (the busy timeout is 5 s); progress and a cancel are seen as often.
_BATCH = 500


@dataclass(frozen=True)
class MappedColumn:
    """A column of the register and what it fills ("detected header → field")."""

    header: str
    field: str | None
    label: str


@dataclass(frozen=True)
class Preview:
    sheet: str
    header_rows: tuple[int, ...]
    columns: tuple[MappedColumn, ...]


@dataclass(frozen=True)
class ImportResult:
    """The counts and the rows to read. ``imported`` counts the reports taken in (or, in a
    dry run, that would be); ``already`` those whose key was there before."""

    file: Path
    preview: Preview
    dry_run: bool
    imported: int
    already: int
    skipped: int
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    cancelled: bool = False
    report: Path | None = None
    report_error: str = ""

    def as_json(self) -> dict[str, Any]:
        def rows(problems: tuple[Problem, ...]) -> list[dict[str, Any]]:
            return [{"row": p.row, "column": p.column, "reason": p.reason} for p in problems]

        return {
            "file": str(self.file),
            "sheet": self.preview.sheet,
            "header_rows": list(self.preview.header_rows),
            "mapping": [
                {"header": c.header, "field": c.field, "label": c.label}
                for c in self.preview.columns
            ],
            "dry_run": self.dry_run,
            "imported": self.imported,
            "already": self.already,
            "skipped": self.skipped,
            "errors": rows(self.errors),
            "warnings": rows(self.warnings),
            "cancelled": self.cancelled,
            "report": str(self.report) if self.report else None,
            "report_error": self.report_error or None,
        }


def preview(path: Path) -> Preview:
    """The header found and the mapping, without reading the rows; RegisterFileError."""
    with open_register(path) as register:
        return _preview(register)


def _preview(register: Register) -> Preview:
    from pakn_desktop.domain.labels import status_word
    from pakn_desktop.reports.register_match import tick_columns

    used = register.header.fields
    ticks = tick_columns(register.header)

    def label(column: h.Column) -> tuple[str | None, str]:
        if column.index in ticks:
            return h.RESULT, f"Kết quả xử lý: đánh dấu là “{status_word(ticks[column.index])}”"
        if column.field is not None and used.get(column.field) == column.index:
            return column.field, FIELD_LABELS[column.field]
        return None, UNUSED

    columns = tuple(MappedColumn(c.header, *label(c)) for c in register.header.columns)
    return Preview(register.sheet, register.header.rows, columns)


def import_register(
    database: Database,
    intake: IntakeService,
    path: Path,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """Import (or with ``dry_run`` only check) the register in ``path``. Raises
    RegisterFileError for a file that is no register; a bad row is never an exception."""
    moment = now or datetime.now(UTC)
    with _old_objects_frozen(), open_register(path) as register:
        shown = _preview(register)
        fields = register.header.fields
        if h.RECEIVED not in fields or h.CONTENT not in fields:
            missing = "“Ngày tiếp nhận”" if h.RECEIVED not in fields else "“Nội dung”"
            raise RegisterFileError(f"{path.name}: sổ không có cột {missing}")
        reader = RowReader(
            register.header, intake.reference(), now=moment, epoch=register.epoch,
            file_name=path.name,
        )  # fmt: skip
        run = _Run(database, intake, dry_run)
        for seen, batch in _batches(register, reader, path):
            if cancelled is not None and cancelled():
                run.cancelled = True
                break
            run.take(batch)
            if progress is not None:
                progress(seen, register.rows_hint)
    result = run.result(path, shown)
    if not dry_run:
        run.lines.sort(key=lambda line: line[0])  # rows in file order, as Excel shows them
        result = _with_report(result, run.lines)
    log.info(
        "register import%s: %d taken, %d already, %d skipped, %d errors",
        " (dry run)" if dry_run else "", result.imported, result.already, result.skipped,
        len(result.errors),
    )  # fmt: skip
    return result


_frozen_lock = threading.Lock()
_frozen_imports = 0


@contextlib.contextmanager
def _old_objects_frozen() -> Iterator[None]:
    """The objects alive before the import (the application's modules, SQLAlchemy's
    metadata, the screens: ~150,000) left out of the garbage collector's full passes while
    it runs (``gc.freeze``). An import keeps each batch's reports alive long enough to
    outlive the young generations, which set off a full pass every batch or two: 13 passes
    of ~140 ms in a 10,000-row register, a seventh of its time. New garbage is collected as
    before; what was frozen is looked at again after the last running import."""
    global _frozen_imports
    with _frozen_lock:
        if _frozen_imports == 0:
            gc.freeze()
        _frozen_imports += 1
    try:
        yield
    finally:
        with _frozen_lock:
            _frozen_imports -= 1
            if _frozen_imports == 0:
                gc.unfreeze()


Outcome = Planned | Problem | tuple[int, str]  # (row, text) of a skipped non-blank row


def _batches(
    register: Register, reader: RowReader, path: Path
) -> Iterator[tuple[int, list[Outcome]]]:
    batch: list[Outcome] = []
    seen = 0
    rows = register.rows()
    while True:
        try:
            line = next(rows, None)
        except Exception as error:  # openpyxl's or csv's words for a broken file
            raise RegisterFileError(f"{path.name}: tệp bị hỏng sau dòng {seen} ({error})") from None
        if line is None:
            break
        number, values = line
        seen = number
        outcome = reader.read(number, values)
        if outcome is not None:
            batch.append(outcome)
        elif any(not is_blank(v) for v in values):  # a blank line is not even counted
            batch.append((number, "không có ngày và nội dung"))
        if len(batch) >= _BATCH:
            yield seen, batch
            batch = []
    yield seen, batch


class _Run:
    """The counts and report lines of one import, taking rows a batch at a time."""

    def __init__(self, database: Database, intake: IntakeService, dry_run: bool) -> None:
        self._database = database
        self._intake = intake
        self._dry_run = dry_run
        self._seen_keys: set[str] = set()
        self.imported = self.already = self.skipped = 0
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.lines: list[report.Line] = []
        self.cancelled = False

    def take(self, batch: list[Outcome]) -> None:
        from pakn_desktop.data import intake_rows

        planned = [o for o in batch if isinstance(o, Planned)]
        keys = [p.key for p in planned]
        with self._database.engine.connect() as conn:
            known = intake_rows.known_import_keys(conn, keys) if keys else set()
        self._take_new(planned, known)
        for outcome in batch:
            if isinstance(outcome, tuple):
                self.skipped += 1
                self.lines.append((outcome[0], report.SKIPPED, "", outcome[1], ""))
            elif isinstance(outcome, Problem):
                self.errors.append(outcome)
                self.lines.append((outcome.row, report.ERROR, outcome.column, outcome.reason, ""))

    def _take_new(self, plans: list[Planned], known: set[str]) -> None:
        """Save the batch's new rows (one transaction) and count every planned row."""
        fresh: list[Planned] = []
        for plan in plans:
            if plan.key in known or plan.key in self._seen_keys:
                self._already(plan)
            else:
                self._seen_keys.add(plan.key)
                fresh.append(plan)
        codes = self._save(fresh)
        for plan in fresh:
            code = codes.get(plan.key)
            if code is None:
                self._already(plan)
                continue
            self.imported += 1
            self.lines.append((plan.row, report.TAKEN, "", "", code))
            for warning in plan.warnings:
                self.warnings.append(warning)
                self.lines.append(
                    (warning.row, report.WARNING, warning.column, warning.reason, code)
                )

    def _already(self, plan: Planned) -> None:
        self.already += 1
        self.lines.append((plan.row, report.ALREADY, "", "đã nhập trước đó", ""))

    def _save(self, plans: list[Planned]) -> dict[str, str]:
        """Import key → the new report's case code ("" in a dry run). A key another import
        took meanwhile (the unique index refused the batch) is left out: the batch is
        retried one report at a time."""
        if self._dry_run or not plans:
            return dict.fromkeys((p.key for p in plans), "")
        from sqlalchemy.exc import IntegrityError

        from pakn_desktop.data import intake_rows
        from pakn_desktop.services.intake.store import Imported

        def items(batch: list[Planned]) -> list[tuple[IntakeForm, Imported]]:
            return [(p.form, Imported(p.status, p.key, dict(p.meta))) for p in batch]

        try:
            saved = self._intake.save_imported(items(plans))
            return {p.key: s.code for p, s in zip(plans, saved, strict=True)}
        except IntegrityError:
            if len(plans) == 1:
                with self._database.engine.connect() as conn:
                    if intake_rows.known_import_keys(conn, [plans[0].key]):
                        return {}
                raise
        codes: dict[str, str] = {}
        for plan in plans:
            codes.update(self._save([plan]))
        return codes

    def result(self, path: Path, shown: Preview) -> ImportResult:
        return ImportResult(
            file=path,
            preview=shown,
            dry_run=self._dry_run,
            imported=self.imported,
            already=self.already,
            skipped=self.skipped,
            errors=tuple(self.errors),
            warnings=tuple(self.warnings),
            cancelled=self.cancelled,
        )


def _with_report(result: ImportResult, lines: list[report.Line]) -> ImportResult:
    from dataclasses import replace

    if result.cancelled:
        lines = [
            *lines,
            (0, report.NOT_REACHED, "", "dừng theo yêu cầu; nhập lại để nhập tiếp", ""),
        ]
    try:
        written = report.write_report(result.file, lines)
    except OSError as error:
        return replace(
            result,
            report_error=f"không ghi được tệp kết quả cạnh sổ: {error.strerror or error}",
        )
    return replace(result, report=written)
