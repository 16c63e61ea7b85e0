"""The intake screen's background work: drafts, caller history, duplicates, checks, the save.

Per keystroke the controller only restarts timers and, for the phone, submits one keyed read
(the newest number wins). Everything that reads the whole form, folds text or touches the
database runs in ``tasks`` on a worker; the save and the drafts go through the write lane.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from pakn_desktop.domain.ids import new_id
from pakn_desktop.domain.office_time import office_now
from pakn_desktop.services.intake.form import (
    IntakeForm,
    IntakeInvalid,
    SavedTicket,
    ValidationResult,
    form_from_mapping,
    form_to_mapping,
)
from pakn_desktop.ui.tasks import Tasks

if TYPE_CHECKING:
    from pakn_desktop.services.app_services import AppServices
    from pakn_desktop.services.intake.duplicates import Candidate

    from .call_bar import CallBar
    from .form import IntakeFormView
    from .side_panels import ListPanel

log = logging.getLogger(__name__)

DRAFT_DEBOUNCE_MS = 500  # a pause this long writes the draft
# Typing without a pause still writes this long after the first unsaved keystroke: with the
# write itself (tens of ms) a kill -9 loses at most 1 s of typing.
DRAFT_MAX_WAIT_S = 0.8
DUPLICATES_DEBOUNCE_MS = 300
CHECK_DEBOUNCE_MS = 400
DUPLICATE_HEAD = 1200  # characters of content the duplicate search looks at


def draft_delay_ms(now: float, dirty_since: float) -> int:
    """How long the draft timer waits after a keystroke at ``now`` (monotonic seconds) when
    the oldest unsaved keystroke was at ``dirty_since``: the debounce, cut short so that the
    write starts no later than ``DRAFT_MAX_WAIT_S`` after that keystroke."""
    left_ms = int((dirty_since + DRAFT_MAX_WAIT_S - now) * 1000)
    return max(0, min(DRAFT_DEBOUNCE_MS, left_ms))


@dataclass(frozen=True)
class PhoneLookup:
    shown: str  # the number as an operator reads it, or "" when it is not a number yet
    items: list[Any]  # the newest earlier reports (at most the history's limit)
    reports: int = 0  # all earlier reports of the number, protected ones left out
    known_name: str = ""  # the name last given with it, to offer (never to fill in)


def lookup_phone(services: AppServices, phone: str) -> PhoneLookup:
    from pakn_desktop.domain.phone import display_phone, normalise_phone
    from pakn_desktop.services.intake.known_caller import known_caller

    e164 = normalise_phone(phone)
    if e164 is None:
        return PhoneLookup("", [])
    items = services.caller_history.lookup(phone)
    known = known_caller(services.database, e164)
    return PhoneLookup(f"{display_phone(e164)}  ({e164})", items, known.reports, known.name)


def _candidates(
    services: AppServices, commune: str, category: str, text: str, province: str
) -> list[Candidate]:
    """Open reports that may be the same one (on a worker)."""
    from pakn_desktop.services.intake.duplicates import find_candidates

    return find_candidates(services.database, commune, category, text, province_code=province)


class IntakeView(Protocol):
    """What the controller uses of the intake screen (which builds it, so is not imported
    here): the parts it reads and the answers it shows."""

    @property
    def form(self) -> IntakeFormView: ...

    @property
    def call_bar(self) -> CallBar: ...

    @property
    def drafts(self) -> ListPanel: ...

    def collect(self) -> tuple[IntakeForm, dict[str, str]]: ...

    def clear_form(self) -> None: ...

    def load_form(self, data: dict[str, Any], form: IntakeForm, *, on_hold_here: bool) -> None: ...

    def show_history(self, found: PhoneLookup) -> None: ...

    def show_candidates(self, candidates: list[Any]) -> None: ...

    def show_drafts(self, drafts: list[Any], current: uuid.UUID | None) -> None: ...

    def show_saved(self, ticket: SavedTicket) -> None: ...

    def background_failed(self, error: BaseException) -> None: ...

    def focus_field(self, widget: QWidget) -> None: ...


class IntakeController(QObject):
    draftSaved = Signal(object)  # uuid
    draftsListed = Signal(object)  # list[DraftSummary]
    historyShown = Signal(object)
    candidatesShown = Signal(object)
    checked = Signal(object)  # ValidationResult
    saved = Signal(object)  # SavedTicket
    saveRefused = Signal(object)  # ValidationResult
    loaded = Signal()  # a draft is in the form

    def __init__(self, screen: IntakeView, services: AppServices, tasks: Tasks) -> None:
        assert isinstance(screen, QWidget)  # the screen also owns its controller
        super().__init__(screen)
        self._screen = screen
        self._services = services  # used on workers: the database opens there
        self._tasks = tasks
        self.draft_id: uuid.UUID | None = None
        self._saved_here: set[uuid.UUID] = set()  # drafts this process wrote
        self.dirty = False
        self.saving = False
        self.tried_save = False
        self.quiet = False  # filling the form by program: not an edit
        self.clock: Callable[[], float] = time.monotonic  # a test may drive it
        self._dirty_since = 0.0
        self._problems: dict[str, str] = {}
        self._draft_timer = self._timer(DRAFT_DEBOUNCE_MS, self.save_draft)
        self._dup_timer = self._timer(DUPLICATES_DEBOUNCE_MS, self.find_duplicates)
        self._check_timer = self._timer(CHECK_DEBOUNCE_MS, self.check)

    def _timer(self, ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    # --- typing ---------------------------------------------------------------------------

    def edited(self) -> None:
        """Any field changed: O(1), timers only."""
        if self.quiet:
            return
        now = self.clock()
        if not self.dirty:
            self.dirty = True
            self._dirty_since = now
        if self.draft_id is None:
            self.draft_id = new_id()  # chosen here, so two quick saves never make two drafts
        self._draft_timer.start(draft_delay_ms(now, self._dirty_since))
        self._dup_timer.start()
        self._check_timer.start()

    def phone_edited(self, phone: str) -> None:
        services = self._services
        self._tasks.read(
            lambda: lookup_phone(services, phone),
            key="intake-history",
            on_result=self._screen.show_history,
            on_error=self._screen.background_failed,
        )

    # --- drafts ---------------------------------------------------------------------------

    def draft_data(self) -> dict[str, Any]:
        form, _problems = self._screen.collect()
        data = form_to_mapping(form)
        data["_ui"] = {
            **self._screen.form.typed_times(),
            "call_running": self._screen.call_bar.timer.running,
        }
        return data

    def save_draft(self) -> None:
        """Write the form as it is now (the write lane; the newest write of a draft wins)."""
        self._draft_timer.stop()
        if not self.dirty or self.draft_id is None:
            return
        draft_id, data = self.draft_id, self.draft_data()
        mode = data["mode"]
        services = self._services
        self.dirty = False
        self._tasks.write(
            lambda: services.drafts.save(draft_id, mode, data),
            key=f"intake-draft-{draft_id}",
            on_result=self._draft_saved,
            on_error=self._draft_failed,
        )

    def save_draft_now(self) -> None:
        """On close: what the last second's debounce has not written yet, written now. The
        window is going away and its shutdown waits for the workers anyway; a task queued
        here could be dropped by that shutdown."""
        self._draft_timer.stop()
        if not self.dirty or self.draft_id is None:
            return
        try:
            data = self.draft_data()
            self._services.drafts.save(self.draft_id, data["mode"], data)
            self.dirty = False
        except Exception:  # closing: log it, never block the exit on a failed draft
            log.exception("the last draft could not be saved on close")

    def _draft_saved(self, draft_id: uuid.UUID) -> None:
        self._saved_here.add(draft_id)
        self._screen.call_bar.set_status(
            self.tr("Đã lưu nháp lúc %1").replace("%1", office_now().strftime("%H:%M:%S"))
        )
        self.draftSaved.emit(draft_id)
        self.list_drafts()

    def _draft_failed(self, error: BaseException) -> None:
        self.dirty = True  # try again with the next keystroke (or hold/close)
        self._dirty_since = self.clock()
        self._screen.background_failed(error)

    def list_drafts(self) -> None:
        services = self._services
        self._tasks.read(
            lambda: services.drafts.list_open(),
            key="intake-drafts",
            on_result=self._drafts_listed,
            on_error=self._screen.background_failed,
        )

    def _drafts_listed(self, drafts: list[Any]) -> None:
        self._screen.show_drafts(drafts, current=self.draft_id)
        self.draftsListed.emit(drafts)

    def resume_newest(self) -> None:
        services = self._services

        def newest(drafts: list[Any]) -> None:
            self._drafts_listed(drafts)
            others = [d for d in drafts if d.id != self.draft_id]
            if others:
                self.open_draft(others[0].id)

        # Its own key: a list refreshed by a background write (an autosave, an image kept in
        # a held draft) must never cancel the operator's Ctrl+R.
        self._tasks.read(
            lambda: services.drafts.list_open(),
            key="intake-resume",
            on_result=newest,
            on_error=self._screen.background_failed,
        )

    def open_draft(self, draft_id: uuid.UUID) -> None:
        """Put the current form on hold (saved as a draft) and load ``draft_id``."""
        if draft_id == self.draft_id:
            return
        self.save_draft()
        services = self._services
        self._tasks.read(
            lambda: services.drafts.load(draft_id),
            key="intake-load",
            on_result=lambda data: self._draft_loaded(draft_id, data),
            on_error=self._screen.background_failed,
        )

    def _draft_loaded(self, draft_id: uuid.UUID, data: dict[str, Any]) -> None:
        try:
            form = form_from_mapping(data, strict=False)
        except IntakeInvalid:  # a draft from an older version: keep what parses
            clean = {k: v for k, v in data.items() if isinstance(v, str | bool) or v is None}
            form = form_from_mapping({**clean, "event_at": None, "message_at": None}, strict=False)
        self.reset(keep_lists=True)
        self.quiet = True
        try:
            # A call held in this session is still on the line; one left by a crash or an
            # earlier run ended, at the latest, when its draft was last written.
            self._screen.load_form(data, form, on_hold_here=draft_id in self._saved_here)
        finally:
            self.quiet = False
        self.draft_id = draft_id
        self._screen.show_drafts(self._screen.drafts.model.objects(), current=draft_id)
        self._dup_timer.start()
        self._check_timer.start()
        self.loaded.emit()

    def discard_draft(self, draft_id: uuid.UUID) -> None:
        services = self._services
        if draft_id == self.draft_id:
            self.reset()
        self._tasks.write(
            lambda: services.drafts.discard(draft_id),
            on_result=lambda _none: self.list_drafts(),
            on_error=self._screen.background_failed,
        )

    def reset(self, *, keep_lists: bool = True) -> None:
        """An empty form with no draft behind it (after a save, hold or discard)."""
        for timer in (self._draft_timer, self._dup_timer, self._check_timer):
            timer.stop()
        self.quiet = True
        try:
            self._screen.clear_form()
        finally:
            self.quiet = False
        self.draft_id = None
        self.dirty = False
        self.tried_save = False
        self._problems = {}

    # --- checks and duplicates ------------------------------------------------------------

    def check(self) -> None:
        """Validate on a worker (folding 1 MB of text is no GUI work): warnings always,
        errors once a save was tried, so the red lines go away as the operator fixes them."""
        form, self._problems = self._screen.collect()
        services = self._services
        self._tasks.read(
            lambda: services.intake.validate(form),
            key="intake-check",
            on_result=self._checked,
            on_error=self._screen.background_failed,
        )

    def _checked(self, result: ValidationResult) -> None:
        self._screen.form.show_result(result, errors=self.tried_save, problems=self._problems)
        self.checked.emit(result)

    def find_duplicates(self) -> None:
        form = self._screen.form
        category = str(form.category.currentData() or "")
        commune = form.place.commune_code()
        province = form.place.province_code()
        text = form.content.toPlainText()[:DUPLICATE_HEAD]
        services = self._services
        self._tasks.read(
            lambda: _candidates(services, commune, category, text, province),
            key="intake-duplicates",
            on_result=self._screen.show_candidates,
            on_error=self._screen.background_failed,
        )

    # --- the save -------------------------------------------------------------------------

    def save(self) -> None:
        if self.saving:
            return
        for timer in (self._draft_timer, self._dup_timer, self._check_timer):
            timer.stop()
        form, problems = self._screen.collect()
        self.tried_save = True
        services = self._services
        if problems:  # a time that is not a time: say so with everything else, store nothing
            self._problems = problems
            self._tasks.read(
                lambda: services.intake.validate(form),
                key="intake-save-check",  # a background check must not cancel the refusal
                on_result=self._refused,
                on_error=self._screen.background_failed,
            )
            return
        self.saving = True
        draft_id = self.draft_id
        self._screen.call_bar.set_status(self.tr("Đang lưu…"))
        self._tasks.write(
            lambda: services.intake.save(form, draft_id=draft_id),
            on_result=self._saved,
            on_error=self._save_failed,
        )

    def _saved(self, ticket: SavedTicket) -> None:
        self.saving = False
        self.reset()
        self._screen.show_saved(ticket)
        self.list_drafts()
        self.saved.emit(ticket)

    def _save_failed(self, error: BaseException) -> None:
        self.saving = False
        if isinstance(error, IntakeInvalid):
            self._refused(error.result)
            return
        self._screen.call_bar.set_status("")
        self.dirty = True
        self.save_draft()  # whatever went wrong, what was typed is kept
        self._screen.background_failed(error)

    def _refused(self, result: ValidationResult) -> None:
        self._screen.call_bar.set_status(self.tr("Chưa lưu: kiểm tra các ô báo đỏ"))
        first = self._screen.form.show_result(result, errors=True, problems=self._problems)
        if first is not None:
            self._screen.focus_field(first)
        self.saveRefused.emit(result)
