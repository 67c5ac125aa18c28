"""The two coloured labels every form uses: red for what must be fixed, amber for a warning."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

ERROR_COLOUR = "#b00020"
WARNING_COLOUR = "#9a5b00"


def error_label(visible: bool = True) -> QLabel:
    """Where a form says what is wrong and how to fix it."""
    return _label(ERROR_COLOUR, visible)


def warning_label(visible: bool = True) -> QLabel:
    return _label(WARNING_COLOUR, visible)


def _label(colour: str, visible: bool) -> QLabel:
    label = QLabel(wordWrap=True)
    label.setStyleSheet(f"color: {colour};")
    label.setVisible(visible)
    return label
