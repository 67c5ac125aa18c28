"""Register an applicant organisation (企业、职介机构、社区工厂、培训机构……)."""

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

from core.applicant_types import OrganisationInput
from core.categories import ORGANISATION_TYPES
from core.errors import InvalidInput
from ui.labels import error_label


class OrganisationDialog(QDialog):
    def __init__(self, save: Callable[[OrganisationInput], int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建单位")
        self._save = save
        self.saved_id: int | None = None
        self.name = QLineEdit(maxLength=100)
        self.uscc = QLineEdit(maxLength=18, placeholderText="营业执照上的18位统一社会信用代码")
        self.org_type = QComboBox()
        for code, label in ORGANISATION_TYPES.items():
            self.org_type.addItem(label, code)
        self.legal = QLineEdit(maxLength=40)
        self.town = QLineEdit(maxLength=40)
        self.phone = QLineEdit(maxLength=20)
        self.bank_name = QLineEdit(maxLength=80)
        self.bank_account = QLineEdit(maxLength=40)
        self.errors = error_label(visible=False)
        form = QFormLayout()
        for label, widget in (
            ("单位名称(&M)", self.name),
            ("统一社会信用代码(&C)", self.uscc),
            ("单位类型(&T)", self.org_type),
            ("法定代表人", self.legal),
            ("所在镇", self.town),
            ("联系电话", self.phone),
            ("基本账户开户行", self.bank_name),
            ("基本账户账号", self.bank_account),
        ):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)

    def value(self) -> OrganisationInput:
        return OrganisationInput(
            name=self.name.text(),
            uscc=self.uscc.text(),
            org_type=self.org_type.currentData() or "",
            legal_representative=self.legal.text(),
            town=self.town.text(),
            phone=self.phone.text(),
            bank_name=self.bank_name.text(),
            bank_account=self.bank_account.text(),
        )

    def try_save(self) -> None:
        try:
            self.saved_id = self._save(self.value())
        except InvalidInput as exc:
            self.errors.setText("\n".join(e.message_zh for e in exc.errors))
            self.errors.setVisible(True)
            return
        self.accept()
