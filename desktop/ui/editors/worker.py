"""Run an import's slow part (reading and checking a file) in the QThreadPool and get the
result or the error back on the GUI thread. The work never touches widgets or the open
project's connection; it only reads files or writes a new project file of its own."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class Job(QObject):
    finished = Signal(object)   # the result
    failed = Signal(object)     # the exception
    _done = Signal(object, object)

    def __init__(self):
        super().__init__()
        self.running = True
        self._done.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, result, error) -> None:
        self.running = False
        _LIVE.discard(self)
        if error is not None:
            self.failed.emit(error)
        else:
            self.finished.emit(result)


class _Runnable(QRunnable):
    def __init__(self, job: Job, work: Callable[[], Any]):
        super().__init__()
        self._job, self._work = job, work

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # handed to the GUI thread, never lost in the pool
            self._job._done.emit(None, exc)
        else:
            self._job._done.emit(result, None)


_LIVE: set[Job] = set()


def run_in_background(work: Callable[[], Any], on_result: Callable[[Any], None],
                      on_error: Callable[[BaseException], None]) -> Job:
    job = Job()
    job.finished.connect(on_result)
    job.failed.connect(on_error)
    _LIVE.add(job)
    QThreadPool.globalInstance().start(_Runnable(job, work))
    return job
