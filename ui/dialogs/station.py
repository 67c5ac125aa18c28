"""What this PC is for (asked first, at the very first start), and the county's own name.

A town office PC goes on to the office set-up (ui/dialogs/office.py); a county PC is asked
for the county's name instead, which its key slip carries.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core.actor import Station
from core.errors import InvalidInput, SubsidyDeskError
from ui.labels import error_label

STATION_CHOICES = {
    Station.TOWN: "乡镇劳动保障事务所\n（受理申请、初审，向县局上报批次）",
    Station.COUNTY: "县劳动就业管理局\n（导入乡镇上报的批次，审核、拨付，发回审核结果）",
}


def _buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.rejected.connect(dialog.reject)
    return buttons


class StationDialog(QDialog):
    """乡镇劳动保障事务所 or 县劳动就业管理局; `chosen` is set once saved."""

    def __init__(
        self,
        save: Callable[[Station], object],
        current: Station | None = None,
        first_start: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("首次使用：本机用途" if first_start else "本机用途")
        self._save = save
        self.chosen: Station | None = None
        self.group = QButtonGroup(self)
        self.options: dict[Station, QRadioButton] = {}
        layout = QVBoxLayout(self)
        intro = (
            "欢迎使用 SubsidyDesk。请先选择这台电脑在哪里使用：" if first_start else "这台电脑在哪里使用："
        )
        layout.addWidget(QLabel(intro))
        for station, text in STATION_CHOICES.items():
            button = QRadioButton(text)
            self.group.addButton(button)
            self.options[station] = button
            layout.addWidget(button)
        self.options[current or Station.TOWN].setChecked(True)
        layout.addWidget(QLabel("以后可在“设置 → 本机用途”中更改；更改用途不会改动已有的数据。"))
        self.error = error_label(visible=False)
        layout.addWidget(self.error)
        buttons = _buttons(self, "确定")
        buttons.accepted.connect(self.try_save)
        layout.addWidget(buttons)

    def selected(self) -> Station:
        return next(s for s, button in self.options.items() if button.isChecked())

    def try_save(self) -> None:
        station = self.selected()
        try:
            self._save(station)
        except SubsidyDeskError as exc:
            self.error.setText(exc.message_zh)
            self.error.setVisible(True)
            self.adjustSize()
            return
        self.chosen = station
        self.accept()


class CountyDialog(QDialog):
    """县局设置: the county's name, printed on the 县局密钥公布表 that goes to every town."""

    def __init__(
        self,
        save: Callable[[str], object],
        initial: str | None = None,
        first_start: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("首次使用：填写县局信息" if first_start else "县局设置")
        self._save = save
        self.name = QLineEdit(initial or "", maxLength=80, placeholderText="如 德钦县劳动就业管理局")
        self.error = error_label(visible=False)
        form = QFormLayout()
        form.addRow("县局名称(&N)", self.name)
        layout = QVBoxLayout(self)
        if first_start:
            layout.addWidget(QLabel("请填写本县局的名称，它会印在发给各乡镇的县局密钥公布表上。"))
        layout.addLayout(form)
        layout.addWidget(self.error)
        buttons = _buttons(self, "保存")
        buttons.accepted.connect(self.try_save)
        layout.addWidget(buttons)

    def try_save(self) -> None:
        try:
            self._save(self.name.text())
        except InvalidInput as exc:
            self.error.setText("\n".join(e.message_zh for e in exc.errors))
            self.error.setVisible(True)
            self.adjustSize()
            return
        except SubsidyDeskError as exc:
            self.error.setText(exc.message_zh)
            self.error.setVisible(True)
            self.adjustSize()
            return
        self.accept()
