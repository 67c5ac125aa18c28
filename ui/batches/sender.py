"""The outbox's background sender: while the window is open, batches due go to the county.

A timer looks every 20 seconds whether anything is due (a cheap read); if so, one job on the
thread pool sends what is due (core/app/outbox.send_due, which decides the pauses between
tries). The window never waits on the network: the batches screen shows the progress the job
reports, and the job's end refreshes it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from core.app import outbox
from core.app.storage import Database
from core.errors import SubsidyDeskError
from ui.jobs import Job, Reporter

POLL_MS = 20_000


class OutboxSender(QObject):
    progress = Signal(int, int, int, float)  # batch number, bytes sent, bytes in all, bytes a second
    finished = Signal(list)  # the SendOutcomes of one round

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.job: Job | None = None
        self._started = (0.0, 0)
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    @property
    def running(self) -> bool:
        return self.job is not None

    def poll(self) -> bool:
        """Start a round when something is due and none is running; whether one started."""
        if self.job is not None or not outbox.load_settings(self.db.path.parent).configured:
            return False
        try:
            outbox.queue_exported(self.db)
            if not outbox.due(self.db):
                return False
        except SubsidyDeskError:
            return False  # the database is busy: the next tick tries again
        return self.start()

    def start(self) -> bool:
        if self.job is not None:
            return False
        db = self.db

        def work(_report: Reporter) -> list[outbox.SendOutcome]:
            return outbox.send_due(
                db,
                progress=lambda n, sent, total: job.signals.progress.emit(str(n), sent, total),
                cancelled=job.cancel_requested,
            )

        job = Job(work)
        job.signals.progress.connect(self._progress)
        job.signals.done.connect(self._done)
        job.signals.failed.connect(lambda _message: self._done([]))
        job.signals.crashed.connect(lambda: self._done([]))
        self.job = job
        self._started = (time.monotonic(), -1)
        QThreadPool.globalInstance().start(job)
        return True

    def stop(self) -> None:
        self.timer.stop()
        if self.job is not None:
            self.job.cancel()

    def _progress(self, number: str, sent: int, total: int) -> None:
        began, first = self._started
        if first < 0:
            self._started = (time.monotonic(), sent)
            speed = 0.0
        else:
            elapsed = time.monotonic() - began
            speed = (sent - first) / elapsed if elapsed > 0 else 0.0
        self.progress.emit(int(number), sent, total, speed)

    def _done(self, outcomes: object) -> None:
        self.job = None
        self.finished.emit(list(outcomes) if isinstance(outcomes, list) else [])
