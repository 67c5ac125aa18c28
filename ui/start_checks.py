"""After the window is up: settle what a kill left (exports, temporary files), then the database's
full integrity check; both on a worker, each told in one box only when there is something to say."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from core.app import storage
from core.app.storage import Database
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job

INTERRUPTED_TITLE = "上次中断的工作"
DAMAGED_TITLE = "数据库已损坏"


def run_start_checks(
    window: QWidget, db: Database, dialogs: DialogService, refresh: Callable[[], None] | None = None
) -> Job:
    """`refresh` reloads the window's lists when something was settled (cases now exported)."""

    def settled(notes: list[str]) -> None:
        if notes:
            if refresh is not None:
                refresh()
            dialogs.info(window, INTERRUPTED_TITLE, "\n\n".join(notes))
        check_integrity(window, db, dialogs)

    return run_job(
        window, dialogs, lambda _report: storage.settle_interrupted(db), settled,
        title=INTERRUPTED_TITLE, label="正在检查上次中断的工作……", background=True,
    )  # fmt: skip


def check_integrity(window: QWidget, db: Database, dialogs: DialogService) -> Job:
    def checked(message: str | None) -> None:
        if message:
            dialogs.error(window, DAMAGED_TITLE, message)

    return run_job(
        window, dialogs, lambda _report: storage.check_integrity(db), checked,
        title=DAMAGED_TITLE, label="正在检查数据库……", background=True,
    )  # fmt: skip
