"""A step of the intake wizard that keeps what it shows when the clerk leaves it."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget, QWizardPage

from core.errors import SubsidyDeskError
from ui.shield import shielded

SAVE_FAILED_TITLE = "没有保存"


def is_storage_failure(exc: SubsidyDeskError) -> bool:
    """The database or the disk refused (full, busy, failing), as opposed to what was typed."""
    return exc.code.startswith(("DB_", "DISK_"))


def focus_later(widget: QWidget) -> None:
    """Focus `widget` once QWizard has finished switching pages (it moves the focus itself);
    nothing happens if the widget is gone by then."""
    QTimer.singleShot(0, widget, lambda: widget.setFocus())


class StepPage(QWizardPage):
    """Going forward runs `validatePage` (which may refuse); going back or closing the wizard
    runs `leave`, which saves what can be saved and never refuses."""

    def leave(self) -> None:
        """Save what the step shows, as far as it can be read; nothing by default."""

    def leave_reporting(self) -> None:
        """`leave`, and a refusal of the disk or the database (full, busy) told in its own box."""
        try:
            self.leave()
        except SubsidyDeskError as exc:
            self.report_failure(exc)

    def report_failure(self, exc: SubsidyDeskError) -> None:
        """A save the disk or the database refused: the clerk reads why, the step stays on screen."""
        ctx = getattr(self, "ctx", None)
        if ctx is not None:
            ctx.dialogs.error(self, SAVE_FAILED_TITLE, exc.message_zh)

    @shielded(None)
    def cleanupPage(self) -> None:  # 上一步 (QWizard's own reset of fields is not used here)
        self.leave_reporting()
