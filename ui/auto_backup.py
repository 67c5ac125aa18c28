"""The program's own backups: at the end of the working day while the window is open, and on exit.

When they are due is decided in core (core/backups/schedule.py: after 17:30, never more than
once an hour); this only asks, and runs the backup through ui/jobs.py: in the background at the
end of the day (a line in the status bar), with a progress dialog on exit (the window closes
when it is done, whatever its outcome).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow

from core.app import backups
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job

CHECK_EVERY_MS = 5 * 60 * 1000
TITLE = "自动备份"


class AutoBackup(QObject):
    def __init__(self, window: QMainWindow, data_dir: Path, dialogs: DialogService) -> None:
        super().__init__(window)
        self.window, self.data_dir, self.dialogs = window, data_dir, dialogs
        self.job: Job | None = None
        self.exit_done = False  # the exit backup ran (or is not wanted): the window may close
        self.timer = QTimer(self, interval=CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> Job | None:
        """At the end of the working day, once: a backup in the background."""
        if self.job is not None or not backups.auto_backup_due(self.data_dir, on_exit=False):
            return None
        return self._start(self._day_done, background=True)

    def _day_done(self, run: backups.BackupRun) -> None:
        text = "已自动备份。" if run.ok else "自动备份未全部完成：" + "；".join(run.problems)
        self.window.statusBar().showMessage(text)

    def _failed(self, message: str) -> None:
        self.window.statusBar().showMessage("自动备份没有完成：" + message)

    def _start(self, on_done: Callable[[backups.BackupRun], None], background: bool) -> Job:
        data_dir = self.data_dir
        self.job = run_job(
            self.window, self.dialogs, lambda _report: backups.auto_backup(data_dir), on_done,
            title=TITLE, label="正在备份数据，完成后程序关闭……", on_failed=self._failed, background=background,
        )  # fmt: skip
        self.job.signals.finished.connect(self._finished)
        return self.job

    def _finished(self) -> None:
        self.job = None

    def hold_close(self) -> bool:
        """True when the window must wait: the exit backup has just been started (or is running)."""
        if self.exit_done:
            return False
        if self.job is not None:  # the end-of-day backup is running: close when it ends
            self.job.signals.finished.connect(self._close_now)
            return True
        if not backups.auto_backup_due(self.data_dir, on_exit=True):
            return False
        self.timer.stop()
        job = self._start(self._exit_backed_up, background=False)
        job.signals.finished.connect(self._close_now)
        return True

    def _exit_backed_up(self, run: backups.BackupRun) -> None:
        if run.problems:
            self.dialogs.info(self.window, TITLE, "退出前已备份，但：" + "；".join(run.problems))

    def _close_now(self) -> None:
        self.exit_done = True
        self.window.close()
