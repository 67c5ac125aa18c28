"""The two coloured labels every form uses: red for what must be fixed, amber for a warning."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

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


def buddy_label(text: str, widget: QWidget) -> QLabel:
    """A form's label whose mnemonic (姓名(&M)) moves the focus to `widget`.

    QFormLayout gives a label its buddy only when the field is a widget; beside a layout (the
    field and its error line) the label would print "(&M)" literally."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label
