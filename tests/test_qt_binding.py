"""Guards against a Qt binding release that corrupts Python's reference counts.

PySide6 6.12.0 dropped a reference to the returned bool on every call of an overridden
virtual such as QWizardPage.isComplete(); after a few hundred calls Python aborted
("bool_dealloc: deallocating True or False"). The intake wizard calls isComplete() often.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWizard, QWizardPage


class _Page(QWizardPage):
    def isComplete(self) -> bool:
        return True


def test_overridden_virtuals_keep_reference_counts(qtbot) -> None:
    wizard = QWizard()
    qtbot.addWidget(wizard)
    page = _Page()
    wizard.addPage(page)
    wizard.addPage(QWizardPage())
    wizard.show()
    before = sys.getrefcount(True)
    for _ in range(50):
        page.completeChanged.emit()
    assert sys.getrefcount(True) >= before - 5
