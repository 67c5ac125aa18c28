"""Long work off the GUI thread: one runner, with a progress dialog and, where the work reports
its progress, a cancel button.

The worker never touches a widget: it reports through signals that Qt delivers on the GUI
thread. Cancelling is cooperative: the job's progress callback raises `Cancelled` at the work's
next report, and the core function it runs undoes what it had begun (an export removes its
file and rolls back). Everything a job hands back, or the reason it failed, arrives on the GUI
thread through `on_done` / the dialog service.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from core.errors import Cancelled, SubsidyDeskError
from ui.dialog_service import DialogService

Reporter = Callable[[str, int, int], None]  # (stage, done, total), as core's ProgressFn
Work = Callable[[Reporter], Any]
PROGRESS_AFTER_MS = 400  # quick jobs finish before a progress dialog would flash up


class _Signals(QObject):
    progress = Signal(str, int, int)
    done = Signal(object)
    failed = Signal(str)  # the Chinese message of a SubsidyDeskError
    cancelled = Signal()
    crashed = Signal()  # an unexpected error, already logged and shown by sys.excepthook
    finished = Signal()  # after any of the above


class Job(QRunnable):
    """One piece of work on the thread pool; create it with `run_job`."""

    def __init__(self, work: Work) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancel_requested(self) -> bool:
        """For work that checks by itself rather than through its progress reports."""
        return self._cancel.is_set()

    def report(self, stage: str, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.signals.progress.emit(stage, done, total)

    def run(self) -> None:  # on the worker thread; a QRunnable must never let an error escape
        try:
            result = self.work(self.report)
        except Cancelled:
            self.signals.cancelled.emit()
        except SubsidyDeskError as exc:
            self.signals.failed.emit(exc.message_zh)
        except Exception as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
            self.signals.crashed.emit()
        else:
            self.signals.done.emit(result)
        self.signals.finished.emit()


_running: set[Job] = set()  # keeps jobs and their signal objects alive until they finish


def is_running(job: Job) -> bool:
    """Whether the job is still working, or its result has not yet reached the GUI thread."""
    return job in _running


def run_job(
    parent: QWidget | None,
    dialogs: DialogService,
    work: Work,
    on_done: Callable[[Any], object],
    *,
    title: str,
    label: str,
    cancellable: bool = False,
    stages: Mapping[str, str] | None = None,
    on_failed: Callable[[str], object] | None = None,
    background: bool = False,
) -> Job:
    """Start `work` on the thread pool behind a window-modal progress dialog.

    `on_done(result)` runs on the GUI thread; a SubsidyDeskError (from the work or from
    on_done) is shown with `title`, or handed to `on_failed`. `stages` names the work's
    progress stages for the dialog's label. A `background` job (a check the program makes
    on its own) shows no progress dialog.
    """
    job = Job(work)
    progress = None if background else _progress_dialog(parent, label, cancellable, job)
    _running.add(job)

    def close() -> None:
        if progress is not None:
            progress.close()

    def fail(message: str) -> None:
        if on_failed is not None:
            on_failed(message)
        else:
            dialogs.error(parent, title, message)

    def done(result: Any) -> None:
        close()
        try:
            on_done(result)
        except SubsidyDeskError as exc:
            fail(exc.message_zh)

    def failed(message: str) -> None:
        close()
        fail(message)

    def cancelled() -> None:
        close()
        dialogs.info(parent, title, Cancelled().message_zh)

    if progress is not None:
        job.signals.progress.connect(
            lambda stage, n, total: _show(progress, stages or {}, label, stage, n, total)
        )
    job.signals.done.connect(done)
    job.signals.failed.connect(failed)
    job.signals.cancelled.connect(cancelled)
    job.signals.crashed.connect(close)
    job.signals.finished.connect(lambda: _running.discard(job))
    QThreadPool.globalInstance().start(job)
    return job


def _progress_dialog(parent: QWidget | None, label: str, cancellable: bool, job: Job) -> QProgressDialog:
    progress = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
    if cancellable:
        progress.canceled.connect(job.cancel)
        progress.canceled.connect(lambda: progress.setLabelText("正在取消……"))
    else:
        progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(PROGRESS_AFTER_MS)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    return progress


def _show(
    progress: QProgressDialog, stages: Mapping[str, str], label: str, stage: str, n: int, total: int
) -> None:
    progress.setLabelText(stages.get(stage, label))
    progress.setMaximum(total if total > 0 else 0)
    progress.setValue(min(n, total) if total > 0 else 0)
