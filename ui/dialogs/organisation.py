"""Register or correct an applicant organisation (企业、职介机构、社区工厂、培训机构……).

Enter saves, Esc cancels. The credit code is checked by its check character as soon as all 18
characters are typed; on save every problem is shown beside its field and the first one gets
the focus.
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

from core.applicant_types import OrganisationInput
from core.categories import ORGANISATION_TYPES
from core.errors import InvalidInput, SubsidyDeskError, ValidationError
from core.identity import validate_uscc
from ui.labels import buddy_label, error_label

SaveFn = Callable[[OrganisationInput], int]
USCC_FIELD = "统一社会信用代码"
OTHER_FIELD = "其他"  # where an error of a field without its own line is shown
MIN_WIDTH = 560


class OrganisationDialog(QDialog):
    def __init__(
        self, save: SaveFn, initial: OrganisationInput | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("编辑单位" if initial else "新建单位")
        self.setMinimumWidth(MIN_WIDTH)  # a full name and an error message on one or two lines
        self._save = save
        self.saved_id: int | None = None
        self.name = QLineEdit(maxLength=100)
        self.uscc = QLineEdit(maxLength=18, placeholderText="营业执照上的18位统一社会信用代码")
        self.uscc_hint = QLabel()
        self.org_type = QComboBox()
        self.org_type.addItem("（请选择）", "")
        for code, label in ORGANISATION_TYPES.items():
            self.org_type.addItem(label, code)
        self.legal = QLineEdit(maxLength=40)
        self.town = QLineEdit(maxLength=40)
        self.address = QLineEdit(maxLength=200)
        self.phone = QLineEdit(maxLength=20, placeholderText="手机号或带区号的电话")
        self.bank_name = QLineEdit(maxLength=80)
        self.bank_account = QLineEdit(maxLength=40)
        self.error_labels: dict[str, QLabel] = {}
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self._lay_out()
        self.uscc.textChanged.connect(self._uscc_changed)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        if initial:
            self._fill(initial)
        self._uscc_changed(self.uscc.text())

    def _fields(self) -> tuple[tuple[str, QWidget, str], ...]:
        """(label, widget, the field name core's errors use)."""
        return (
            ("单位名称(&M)", self.name, "单位名称"),
            ("统一社会信用代码(&C)", self.uscc, USCC_FIELD),
            ("单位类型(&T)", self.org_type, "单位类型"),
            ("法定代表人", self.legal, "法定代表人"),
            ("所在镇", self.town, "所在镇"),
            ("地址", self.address, "地址"),
            ("联系电话", self.phone, "联系电话"),
            ("基本账户开户行", self.bank_name, "基本账户开户行"),
            ("基本账户账号", self.bank_account, "基本账户账号"),
        )

    def _lay_out(self) -> None:
        form = QFormLayout()
        for label, widget, key in self._fields():
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            if widget is self.uscc:
                box.addWidget(self.uscc_hint)
            self.error_labels[key] = error = error_label(visible=False)
            box.addWidget(error)
            form.addRow(buddy_label(label, widget), box)
        self.error_labels[OTHER_FIELD] = error_label(visible=False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_labels[OTHER_FIELD])
        layout.addWidget(self.buttons)

    def _fill(self, o: OrganisationInput) -> None:
        self.name.setText(o.name)
        self.uscc.setText(o.uscc)
        self.org_type.setCurrentIndex(max(self.org_type.findData(o.org_type), 0))
        self.legal.setText(o.legal_representative)
        self.town.setText(o.town)
        self.address.setText(o.address)
        self.phone.setText(o.phone)
        self.bank_name.setText(o.bank_name)
        self.bank_account.setText(o.bank_account)

    def _uscc_changed(self, text: str) -> None:
        """Say as soon as the code is complete whether its check character matches."""
        code = "".join(text.split())
        self._show_error(USCC_FIELD, None)
        if len(code) < 18:
            self.uscc_hint.setText(f"已输入 {len(code)}/18 位" if code else "")
            return
        try:
            validate_uscc(code)
        except ValidationError as exc:
            self.uscc_hint.setText("")
            self._show_error(USCC_FIELD, exc.message_zh)
            return
        self.uscc_hint.setText("校验位正确")

    def _show_error(self, key: str, message: str | None) -> None:
        label = self.error_labels.get(key)
        if label is not None:
            label.setText(message or "")
            label.setVisible(bool(message))

    def value(self) -> OrganisationInput:
        return OrganisationInput(
            name=self.name.text(),
            uscc=self.uscc.text(),
            org_type=self.org_type.currentData() or "",
            legal_representative=self.legal.text(),
            town=self.town.text(),
            address=self.address.text(),
            phone=self.phone.text(),
            bank_name=self.bank_name.text(),
            bank_account=self.bank_account.text(),
        )

    def try_save(self) -> None:
        for key in self.error_labels:
            self._show_error(key, None)
        try:
            self.saved_id = self._save(self.value())
        except InvalidInput as exc:
            self._show_errors(exc.errors)
            return
        except SubsidyDeskError as exc:  # e.g. no operator named yet: said here, the form is kept
            self._show_error(OTHER_FIELD, exc.message_zh)
            return
        self.accept()

    def _show_errors(self, errors: list[ValidationError]) -> None:
        widgets = {key: widget for _, widget, key in self._fields()}
        first: QWidget | None = None
        for err in errors:
            key = err.field if err.field in self.error_labels else OTHER_FIELD
            self._show_error(key, err.message_zh)
            if first is None and err.field in widgets:
                first = widgets[err.field]
        if first is not None:
            first.setFocus()
        self.adjustSize()  # room for the messages just shown
