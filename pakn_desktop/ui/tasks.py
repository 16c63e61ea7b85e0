"""The one way to run work off the GUI thread (Anki's QueryOp, Picard's run_task).

``tasks.read(fn, on_result=…)`` runs a plain function on a worker and hands its result (or its
exception) to a callback on the GUI thread. Database writes go through ``tasks.write`` — one
serial lane, so two saves never race for SQLite's single writer — and reads run in parallel.
The function must touch no widget and no model: it gets plain values and returns plain values.

A handle can be cancelled; a cancelled (or superseded, see ``key``) task's callbacks are dropped,
so a slow answer to an old question never overwrites the answer to the new one. A function that
wants progress and a cancel point takes a :class:`TaskContext` (``context=True``).
"""

from __future__ import annotations

import functools
import itertools
import logging
import sys
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypedDict, TypeVar, Unpack

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

# How long a thread waiting for the GIL waits before the holder is asked to drop it (Python's
# default is 5 ms). A worker's Python loop (masking and writing an export's rows) held the GUI
# thread that long at each of a frame's Python calls: frame gaps p95 went to 2 × idle. A
# worker yielding with time.sleep(0) per row also gave the CPU away to other processes (half
# the rows/s on a loaded machine); a shorter interval costs nothing while nobody waits.
SWITCH_INTERVAL = 0.001

T = TypeVar("T")  # what the task function returns, and so what ``on_result`` receives

ErrorCallback = Callable[[BaseException], None]
ProgressCallback = Callable[..., None]


class TaskOptions(TypedDict, total=False):
    """The options of :meth:`Tasks.submit` that do not depend on the result's type."""

    on_error: ErrorCallback | None
    on_progress: ProgressCallback | None
    key: str | None
    context: bool


class TaskContext:
    """Given to a task function that asked for it: report progress, check for cancellation."""

    def __init__(
        self, handle: TaskHandle[Any], emit: Callable[[int, tuple[Any, ...]], None]
    ) -> None:
        self._handle = handle
        self._emit = emit

    def is_cancelled(self) -> bool:
        return self._handle.cancelled

    def progress(self, *values: Any) -> None:
        """Thread-safe; the values reach ``on_progress`` on the GUI thread (if still wanted)."""
        if not self._handle.cancelled:
            self._emit(self._handle.id, values)


@dataclass(eq=False)
class TaskHandle(Generic[T]):
    id: int
    key: str | None
    on_result: Callable[[T], None] | None
    on_error: ErrorCallback | None
    on_progress: ProgressCallback | None
    _cancel: threading.Event = field(default_factory=threading.Event)
    finished: bool = False

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Drop the callbacks; a function holding a TaskContext sees ``is_cancelled()``."""
        self._cancel.set()


class Tasks(QObject):
    """Two lanes over private thread pools: parallel reads, serial writes.

    The owner calls :meth:`shutdown` before the application quits (the main window does it on
    close); it cancels what is queued and waits for what runs, so no thread outlives its owner.
    """

    idle = Signal()
    failed = Signal(object)  # an expected error no on_error callback took (bugs: excepthook)

    _done = Signal(int, object, object)
    _progressed = Signal(int, object)

    # Diagnostics only (the leak fixture of the tests): which runners exist. Not a locator.
    _instances: weakref.WeakSet[Tasks] = weakref.WeakSet()

    def __init__(self, parent: QObject | None = None, *, readers: int = 2) -> None:
        super().__init__(parent)
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)  # for the GUI thread: see SWITCH_INTERVAL
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(readers)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._pending: dict[int, TaskHandle[Any]] = {}
        self._keys: dict[str, TaskHandle[Any]] = {}
        self._closed = False
        # Emitted from worker threads; the receiver lives on the GUI thread, so Qt queues them.
        self._done.connect(self._deliver)
        self._progressed.connect(self._deliver_progress)
        Tasks._instances.add(self)

    @classmethod
    def running_anywhere(cls) -> list[Tasks]:
        """Runners not shut down that still hold work or threads (for leak checks in tests)."""
        return [t for t in list(cls._instances) if shiboken6.isValid(t) and t.busy()]

    def busy(self) -> bool:
        """True while work is pending or a pool still has threads."""
        return bool(
            self._pending
            or self._reads.activeThreadCount()
            or self._writes.activeThreadCount()
            or not self._closed
        )

    # --- submitting -----------------------------------------------------------------------

    def read(
        self,
        fn: Callable[..., T],
        *,
        on_result: Callable[[T], None] | None = None,
        **options: Unpack[TaskOptions],
    ) -> TaskHandle[T]:
        """Run ``fn`` on the parallel read lane. Options as for :meth:`submit`."""
        return self.submit(fn, lane="read", on_result=on_result, **options)

    def write(
        self,
        fn: Callable[..., T],
        *,
        on_result: Callable[[T], None] | None = None,
        **options: Unpack[TaskOptions],
    ) -> TaskHandle[T]:
        """Run ``fn`` on the serial write lane. Options as for :meth:`submit`."""
        return self.submit(fn, lane="write", on_result=on_result, **options)

    def submit(
        self,
        fn: Callable[..., T],
        *,
        lane: Literal["read", "write"] = "read",
        on_result: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
        on_progress: ProgressCallback | None = None,
        key: str | None = None,
        context: bool = False,
    ) -> TaskHandle[T]:
        """Queue ``fn()`` (or ``fn(ctx)`` with ``context=True``).

        ``key``: a newer task with the same key cancels the older one (latest question wins).
        """
        handle: TaskHandle[T] = TaskHandle(next(self._ids), key, on_result, on_error, on_progress)
        if self._closed:
            handle.cancel()
            return handle
        if key is not None:
            previous = self._keys.get(key)
            if previous is not None:
                previous.cancel()
            self._keys[key] = handle
        self._pending[handle.id] = handle
        call: Callable[[], T] = fn
        if context:
            call = functools.partial(fn, TaskContext(handle, self._progressed.emit))
        pool = self._writes if lane == "write" else self._reads
        pool.start(functools.partial(self._execute, handle, call))
        return handle

    def pending(self) -> int:
        return len(self._pending)

    # --- worker side ----------------------------------------------------------------------

    def _execute(self, handle: TaskHandle[T], call: Callable[[], T]) -> None:
        if handle.cancelled:  # cancelled while queued: skip the work, still account for it
            self._done.emit(handle.id, None, None)
            return
        try:
            result = call()
        except Exception as error:  # handed to the GUI thread; nothing is swallowed
            self._done.emit(handle.id, None, error)
        else:
            self._done.emit(handle.id, result, None)

    # --- GUI side -------------------------------------------------------------------------

    @Slot(int, object, object)
    def _deliver(self, task_id: int, result: Any, error: Any) -> None:
        handle = self._pending.pop(task_id, None)
        if handle is None:
            return
        handle.finished = True
        if handle.key is not None and self._keys.get(handle.key) is handle:
            del self._keys[handle.key]
        try:
            if handle.cancelled:
                return
            if error is not None:
                self._handle_error(handle, error)
            elif handle.on_result is not None:
                handle.on_result(result)
        finally:
            if not self._pending:
                self.idle.emit()

    def _handle_error(self, handle: TaskHandle[Any], error: BaseException) -> None:
        """``on_error`` takes it; what none takes, or a handler raises (``ui.errors.error_text``
        raises a bug again), is a known error for ``failed`` or a bug for the crash dialog."""
        if handle.on_error is not None:
            try:
                handle.on_error(error)
                return
            except Exception as raised:
                error = raised
        from pakn_desktop.data.errors import classify

        if classify(error) is not None:
            self.failed.emit(error)
            return
        # The crash dialog's hook (ui.crash), the way a slot's exception reaches it too.
        sys.excepthook(type(error), error, error.__traceback__)

    @Slot(int, object)
    def _deliver_progress(self, task_id: int, values: Any) -> None:
        handle = self._pending.get(task_id)
        if handle is not None and not handle.cancelled and handle.on_progress is not None:
            handle.on_progress(*values)

    # --- lifetime -------------------------------------------------------------------------

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel everything, drop what has not started, wait for what runs. Idempotent."""
        self._closed = True
        for handle in self._pending.values():
            handle.cancel()
        self._pending.clear()
        self._keys.clear()
        self._reads.clear()
        self._writes.clear()
        # waitForDone also ends the pools' idle threads, so none outlives the owner.
        done = self._reads.waitForDone(timeout_ms) and self._writes.waitForDone(timeout_ms)
        if not done:
            log.warning("background tasks still running after %d ms", timeout_ms)
        return done
