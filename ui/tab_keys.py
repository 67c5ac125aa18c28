"""Alt+1 … Alt+9 bring the tabs of a tab widget to the front, by position.

A mnemonic in a tab's title ("案件(&1)") is drawn as "案件(1)", which reads as a count; the keys
are given by position instead, and each tab's tooltip names its key.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget

MAX_KEYS = 9


def number_tabs(tabs: QTabWidget) -> None:
    """Alt+N selects the N-th tab of `tabs` while the focus is anywhere in its window."""
    for n in range(1, MAX_KEYS + 1):
        shortcut = QShortcut(QKeySequence(f"Alt+{n}"), tabs)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(lambda i=n - 1: _select(tabs, i))
    tabs.currentChanged.connect(lambda _i: name_keys(tabs))
    name_keys(tabs)


def name_keys(tabs: QTabWidget) -> None:
    """Each tab's tooltip says its key (tabs come and go: the county's, the 花名册)."""
    for i in range(min(tabs.count(), MAX_KEYS)):
        tabs.setTabToolTip(i, f"Alt+{i + 1}")


def _select(tabs: QTabWidget, index: int) -> None:
    if 0 <= index < tabs.count() and tabs.isTabEnabled(index):
        tabs.setCurrentIndex(index)
