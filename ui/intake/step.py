"""A step of the intake wizard that keeps what it shows when the clerk leaves it."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget, QWizardPage

from ui.shield import shielded


def focus_later(widget: QWidget) -> None:
    """Focus `widget` once QWizard has finished switching pages (it moves the focus itself);
    nothing happens if the widget is gone by then."""
    QTimer.singleShot(0, widget, lambda: widget.setFocus())


class StepPage(QWizardPage):
    """Going forward runs `validatePage` (which may refuse); going back or closing the wizard
    runs `leave`, which saves what can be saved and never refuses."""

    def leave(self) -> None:
        """Save what the step shows, as far as it can be read; nothing by default."""

    @shielded(None)
    def cleanupPage(self) -> None:  # 上一步 (QWizard's own reset of fields is not used here)
        self.leave()
