"""Run a function in a QThreadPool and get its result, error and progress on the GUI thread.

    task = run_in_background(work, on_result=show, on_error=report, on_progress=bar.setValue)
    task.cancel()      # the work sees it at its next `cancelled()` check; nothing is delivered

`work(progress, cancelled)` runs on a pool thread: `progress(fraction)` reports 0..1 and
`cancelled()` says whether the caller gave up. The worker never touches widgets; the callbacks
run on the GUI thread (queued through a QObject that lives there). A cancelled task delivers
nothing, not even its error, so a caller that starts a new run can simply drop the old one.
For "newer run wins" bookkeeping see `Latest`.
"""
from __future__ import annotations

import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from shiboken6 import isValid

Work = Callable[[Callable[[float], None], Callable[[], bool]], Any]


class Task(QObject):
    """One background run. Signals arrive on the GUI thread."""
    finished = Signal(object)    # the result
    failed = Signal(object)      # the exception (with its text in .traceback_text)
    progressed = Signal(float)   # 0..1

    _done = Signal(object, object)   # (result, error): from the worker, queued to this thread
    _progress = Signal(float)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._cancel = threading.Event()
        self.running = True
        self._done.connect(self._deliver)
        self._progress.connect(self._deliver_progress)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @Slot(object, object)
    def _deliver(self, result, error) -> None:
        self.running = False
        _LIVE.discard(self)
        if self.cancelled:
            return
        if error is not None:
            self.failed.emit(error)
        else:
            self.finished.emit(result)

    @Slot(float)
    def _deliver_progress(self, fraction: float) -> None:
        if not self.cancelled:
            self.progressed.emit(fraction)


class _Runnable(QRunnable):
    def __init__(self, task: Task, work: Work):
        super().__init__()
        self.setAutoDelete(True)
        self._task, self._work = task, work

    def run(self) -> None:
        task = self._task
        try:
            result = self._work(lambda f: task._progress.emit(float(f)), lambda: task.cancelled)
        except BaseException as exc:  # delivered to the caller, never lost in the pool
            exc.traceback_text = traceback.format_exc()
            task._done.emit(None, exc)
        else:
            task._done.emit(result, None)


_LIVE: set[Task] = set()   # tasks kept alive until they deliver


def run_in_background(work: Work, *, on_result: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None,
                      on_progress: Callable[[float], None] | None = None,
                      pool: QThreadPool | None = None) -> Task:
    """Start `work(progress, cancelled)` on `pool` (the global pool by default)."""
    task = Task()
    if on_result is not None:
        task.finished.connect(on_result)
    if on_error is not None:
        task.failed.connect(on_error)
    if on_progress is not None:
        task.progressed.connect(on_progress)
    _LIVE.add(task)
    (pool or QThreadPool.globalInstance()).start(_Runnable(task, work))
    return task


class Latest(QObject):
    """Runs where only the newest result counts: each `start` cancels the previous run and
    bumps a generation counter; a result from an older generation is dropped even if it
    arrives (a run that finished before it could see its cancellation). A run that outlives
    its owner (a view closed with its project) delivers nothing."""
    result = Signal(object)
    error = Signal(object)
    progress = Signal(float)
    started = Signal()

    def __init__(self, parent: QObject | None = None, max_threads: int = 1):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.generation = 0
        self.dropped = 0          # stale results ignored, for tests and diagnostics
        self._task: Task | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and self._task.running

    def start(self, work: Work) -> Task:
        self.cancel()
        self.generation += 1
        generation = self.generation
        task = run_in_background(work, pool=self.pool)
        task.finished.connect(lambda value: isValid(self) and self._arrived(generation, value, None))
        task.failed.connect(lambda exc: isValid(self) and self._arrived(generation, None, exc))
        task.progressed.connect(lambda f: isValid(self) and generation == self.generation and self.progress.emit(f))
        self._task = task
        self.started.emit()
        return task

    def deliver(self, generation: int, value, error=None) -> None:
        """Hand in a result of `generation` (what a finished run does; public for tests)."""
        self._arrived(generation, value, error)

    def _arrived(self, generation: int, value, error) -> None:
        if generation != self.generation:
            self.dropped += 1
            return
        self._task = None
        if error is not None:
            self.error.emit(error)
        else:
            self.result.emit(value)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)
