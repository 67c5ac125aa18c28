"""What the key dialogs share: a fingerprint shown large, in groups of four, in a monospace font."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

GROUPS_PER_LINE = 4
FINGERPRINT_POINTS = 15


def fingerprint_text(fp: str) -> str:
    """a6fd 1d9b … in lines of four groups, as on the printed slip."""
    groups = fp.split()
    return "\n".join(
        " ".join(groups[i : i + GROUPS_PER_LINE]) for i in range(0, len(groups), GROUPS_PER_LINE)
    )


def fingerprint_label(fp: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(fingerprint_text(fp), parent)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setPointSize(FINGERPRINT_POINTS)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("padding: 6px; background: #f4f4f4; border: 1px solid #cccccc;")
    return label


def set_fingerprint(label: QLabel, fp: str) -> None:
    label.setText(fingerprint_text(fp))


def close_buttons() -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
    return buttons
