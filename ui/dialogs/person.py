"""Create or edit an applicant person, with live checks while typing.

Enter saves, Esc cancels. The birth date and sex are read from the ID number as it is typed;
on save every problem is shown beside its field and the first one gets the focus.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from core.applicant_types import PersonInput
from core.categories import ACCOUNT_KINDS, POPULATION_CATEGORIES
from core.errors import InvalidInput, ValidationError
from core.identity import parse_id_number
from ui.labels import buddy_label, error_label

# The categories a town office meets daily come first; the rest follow.
_MAIN_CATEGORIES = [
    "poverty_alleviated",
    "monitored",
    "marginal_at_risk",
    "rural_low_income",
    "relocated",
    "rural_minimum_living",
    "extreme_hardship",
    "employment_difficulty",
    "zero_employment_household",
    "migrant_worker",
    "graduate",
    "veteran",
]

SaveFn = Callable[[PersonInput], int]


class PersonDialog(QDialog):
    def __init__(
        self, save: SaveFn, initial: PersonInput | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("编辑人员" if initial else "新建人员")
        self._save = save
        self.saved_id: int | None = None
        self.name = QLineEdit(maxLength=40)
        self.id_number = QLineEdit(maxLength=18, placeholderText="18位身份证号")
        self.derived = QLabel()
        self.town = QLineEdit(maxLength=40)
        self.village = QLineEdit(maxLength=40)
        self.phone = QLineEdit(maxLength=20, placeholderText="手机号或带区号的电话")
        self.account_kind = QComboBox()
        self.account_kind.addItem("（未填）", "")
        for code, label in ACCOUNT_KINDS.items():
            self.account_kind.addItem(label, code)
        self.account_number = QLineEdit(maxLength=30)
        self.category_boxes: dict[str, QCheckBox] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self._lay_out()
        self.id_number.textChanged.connect(self._id_changed)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        if initial:
            self._fill(initial)
        self._id_changed(self.id_number.text())

    def _field(self, form: QFormLayout, label: str, widget: QWidget, key: str) -> None:
        box = QVBoxLayout()
        box.setSpacing(1)
        box.addWidget(widget)
        error = error_label(visible=False)
        box.addWidget(error)
        self.error_labels[key] = error
        form.addRow(buddy_label(label, widget), box)

    def _lay_out(self) -> None:
        form = QFormLayout()
        self._field(form, "姓名(&M)", self.name, "姓名")
        self._field(form, "身份证号(&I)", self.id_number, "身份证号")
        form.addRow("", self.derived)
        self._field(form, "户籍所在镇", self.town, "户籍所在镇")
        self._field(form, "户籍所在村", self.village, "户籍所在村")
        self._field(form, "联系电话", self.phone, "联系电话")
        self._field(form, "账户类型", self.account_kind, "账户类型")
        self._field(form, "账号", self.account_number, "账号")
        group = QGroupBox("人员类别（可多选）")
        grid = QGridLayout(group)
        ordered = _MAIN_CATEGORIES + [c for c in POPULATION_CATEGORIES if c not in _MAIN_CATEGORIES]
        for i, code in enumerate(ordered):
            box = QCheckBox(POPULATION_CATEGORIES[code])
            self.category_boxes[code] = box
            grid.addWidget(box, i // 3, i % 3)
        self.error_labels["人员类别"] = error_label(visible=False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(group)
        layout.addWidget(self.error_labels["人员类别"])
        layout.addWidget(self.buttons)

    def _fill(self, p: PersonInput) -> None:
        self.name.setText(p.name)
        self.id_number.setText(p.id_number)
        self.town.setText(p.registered_town)
        self.village.setText(p.registered_village)
        self.phone.setText(p.phone)
        self.account_kind.setCurrentIndex(max(self.account_kind.findData(p.account_kind), 0))
        self.account_number.setText(p.account_number)
        for code in p.categories:
            if code in self.category_boxes:
                self.category_boxes[code].setChecked(True)

    def _id_changed(self, text: str) -> None:
        """Say what the number means as soon as it is complete, or what is wrong with it."""
        number = "".join(text.split())
        self._show_error("身份证号", None)
        if len(number) < 18:
            self.derived.setText(f"已输入 {len(number)}/18 位" if number else "")
            return
        try:
            info = parse_id_number(number)
        except ValidationError as exc:
            self.derived.setText("")
            self._show_error("身份证号", exc.message_zh)
            return
        self.derived.setText(f"出生日期 {info.birth_date.isoformat()}，性别 {info.sex}")

    def _show_error(self, key: str, message: str | None) -> None:
        label = self.error_labels.get(key)
        if label is not None:
            label.setText(message or "")
            label.setVisible(bool(message))

    def value(self) -> PersonInput:
        return PersonInput(
            name=self.name.text(),
            id_number=self.id_number.text(),
            registered_town=self.town.text(),
            registered_village=self.village.text(),
            categories=[c for c, box in self.category_boxes.items() if box.isChecked()],
            phone=self.phone.text(),
            account_kind=self.account_kind.currentData() or "",
            account_number=self.account_number.text(),
        )

    def try_save(self) -> None:
        for key in self.error_labels:
            self._show_error(key, None)
        try:
            self.saved_id = self._save(self.value())
        except InvalidInput as exc:
            self._show_errors(exc.errors)
            return
        self.accept()

    def _show_errors(self, errors: list[ValidationError]) -> None:
        focus_order = {
            "姓名": self.name,
            "身份证号": self.id_number,
            "联系电话": self.phone,
            "账户类型": self.account_kind,
            "账号": self.account_number,
        }
        first: QWidget | None = None
        for err in errors:
            key = err.field if err.field in self.error_labels else "人员类别"
            self._show_error(key, err.message_zh)
            if first is None and err.field in focus_order:
                first = focus_order[err.field]
        if first is not None:
            first.setFocus()
