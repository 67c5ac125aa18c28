"""Who is at the keyboard: a clerk (经办人) or the office head (所长), who does the town review."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from core.actor import ROLE_LABELS, Actor
from core.errors import InvalidInput
from ui.labels import error_label


class OperatorDialog(QDialog):
    def __init__(
        self, current: Actor, save: Callable[[str, str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("切换操作人")
        self._save = save
        self.name = QLineEdit(current.name)
        self.role = QComboBox()
        for role, label in ROLE_LABELS.items():
            self.role.addItem(label, role.value)
        self.role.setCurrentIndex(max(self.role.findData(current.role), 0))
        self.error = error_label()
        form = QFormLayout()
        form.addRow("姓名(&M)", self.name)
        form.addRow("身份(&R)", self.role)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_save(self) -> None:
        try:
            self._save(self.name.text(), self.role.currentData())
        except InvalidInput as exc:
            self.error.setText(exc.errors[0].message_zh)
            return
        self.accept()
