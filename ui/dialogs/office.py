"""The office set-up: asked on first start, editable later from the settings menu."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from core.errors import InvalidInput
from core.settings_types import OfficeInput
from ui.labels import error_label


class OfficeDialog(QDialog):
    def __init__(
        self,
        save: Callable[[OfficeInput], None],
        catalogs: dict[str, str],
        initial: OfficeInput | None = None,
        first_start: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("首次使用：填写本所信息" if first_start else "事务所设置")
        self._save = save
        self.county_code = QLineEdit(maxLength=6, placeholderText="6位数字，如 610328")
        self.town = QLineEdit(maxLength=40, placeholderText="如 水沟镇")
        self.name = QLineEdit(maxLength=80, placeholderText="如 水沟镇劳动保障事务所")
        self.phone = QLineEdit(maxLength=20)
        self.catalog = QComboBox()
        self.catalog.addItem("（暂不选择）", None)
        for cid, title in catalogs.items():
            self.catalog.addItem(title, cid)
        self.errors = error_label(visible=False)
        form = QFormLayout()
        form.addRow("县级行政区划代码(&C)", self.county_code)
        form.addRow("所在镇(&T)", self.town)
        form.addRow("事务所名称(&N)", self.name)
        form.addRow("办公电话(&P)", self.phone)
        form.addRow("执行的政策文件(&D)", self.catalog)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if first_start:
            layout.addWidget(QLabel("欢迎使用 SubsidyDesk。请先填写本所信息，以后可在“设置”菜单中修改。"))
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        if initial:
            self.county_code.setText(initial.county_code)
            self.town.setText(initial.town)
            self.name.setText(initial.name)
            self.phone.setText(initial.phone)
            self.catalog.setCurrentIndex(max(self.catalog.findData(initial.catalog_id), 0))

    def value(self) -> OfficeInput:
        return OfficeInput(
            county_code=self.county_code.text(),
            town=self.town.text(),
            name=self.name.text(),
            phone=self.phone.text(),
            catalog_id=self.catalog.currentData(),
        )

    def try_save(self) -> None:
        try:
            self._save(self.value())
        except InvalidInput as exc:
            self.errors.setText("\n".join(e.message_zh for e in exc.errors))
            self.errors.setVisible(True)
            return
        self.accept()
