"""The office set-up: asked on first start, editable later from the settings menu.

It asks for the 上报代码 too (the 9-digit township code the county registers the office
under): without it no batch can be exported. Each field shows its own error beneath it.
"""

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

from core.errors import InvalidInput, SubsidyDeskError
from core.settings_types import OfficeInput
from ui.labels import error_label

# The field names of core's ValidationErrors, in the order of the form.
FIELDS = ("县级行政区划代码", "镇名称", "事务所名称", "办公电话", "上报代码")


class OfficeDialog(QDialog):
    def __init__(
        self,
        save: Callable[[OfficeInput, str], None],
        catalogs: dict[str, str],
        initial: OfficeInput | None = None,
        code: str | None = None,
        first_start: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("首次使用：填写本所信息" if first_start else "事务所设置")
        self.setMinimumWidth(620)
        self._save = save
        self.county_code = QLineEdit(maxLength=6, placeholderText="6位数字，如 610328")
        self.town = QLineEdit(maxLength=40, placeholderText="如 水沟镇")
        self.name = QLineEdit(maxLength=80, placeholderText="如 水沟镇劳动保障事务所")
        self.phone = QLineEdit(maxLength=20)
        self.code = QLineEdit(code or "", maxLength=20, placeholderText="9位数字，如 533422101")
        self.code.setToolTip("本乡镇的9位区划代码，县局登记本所、接收上报批次时使用；不清楚的可向县局询问。")
        self.catalog = QComboBox()
        self.catalog.addItem("（暂不选择）", None)
        for cid, title in catalogs.items():
            self.catalog.addItem(title, cid)
        self.error_labels = {name: error_label(visible=False) for name in FIELDS}
        self.errors = error_label(visible=False)  # anything not tied to one field
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
        layout.addLayout(self._form())
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        if initial:
            self.county_code.setText(initial.county_code)
            self.town.setText(initial.town)
            self.name.setText(initial.name)
            self.phone.setText(initial.phone)
            self.catalog.setCurrentIndex(max(self.catalog.findData(initial.catalog_id), 0))

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        rows = (
            ("县级行政区划代码(&C)", self.county_code, "县级行政区划代码"),
            ("所在镇(&T)", self.town, "镇名称"),
            ("事务所名称(&N)", self.name, "事务所名称"),
            ("办公电话(&P)", self.phone, "办公电话"),
            ("本所上报代码(&R)", self.code, "上报代码"),
        )
        for label, widget, field in rows:
            form.addRow(label, widget)
            form.addRow("", self.error_labels[field])
        form.addRow("", QLabel("上报代码为本乡镇的9位区划代码，县局登记本所和接收上报批次时使用。"))
        form.addRow("执行的政策文件(&D)", self.catalog)
        return form

    def value(self) -> OfficeInput:
        return OfficeInput(
            county_code=self.county_code.text(),
            town=self.town.text(),
            name=self.name.text(),
            phone=self.phone.text(),
            catalog_id=self.catalog.currentData(),
        )

    def _show(self, errors: dict[str, str], other: str = "") -> None:
        for field, label in self.error_labels.items():
            label.setText(errors.get(field, ""))
            label.setVisible(field in errors)
        self.errors.setText(other)
        self.errors.setVisible(bool(other))
        self.adjustSize()  # room for the messages just shown

    def try_save(self) -> None:
        try:
            self._save(self.value(), self.code.text())
        except InvalidInput as exc:
            by_field = {e.field: e.message_zh for e in exc.errors if e.field in self.error_labels}
            rest = "\n".join(e.message_zh for e in exc.errors if e.field not in self.error_labels)
            self._show(by_field, rest)
            return
        except SubsidyDeskError as exc:
            self._show({}, exc.message_zh)
            return
        self.accept()
