"""A step of the intake wizard that keeps what it shows when the clerk leaves it."""

from __future__ import annotations

from PySide6.QtWidgets import QWizardPage


class StepPage(QWizardPage):
    """Going forward runs `validatePage` (which may refuse); going back or closing the wizard
    runs `leave`, which saves what can be saved and never refuses."""

    def leave(self) -> None:
        """Save what the step shows, as far as it can be read; nothing by default."""

    def cleanupPage(self) -> None:  # 上一步 (QWizard's own reset of fields is not used here)
        self.leave()
