"""A form generated from a subsidy's fact list: one typed field per fact, checked as typed.

Dates are typed as 2022-01-10 (or 2022.1.10, 20220110); money in 元; yes/no and choices
from a list. Every field is reachable with Tab; nothing needs the mouse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.date_input import parse_date
from core.errors import ValidationError
from core.money import format_yuan, parse_yuan
from core.policy import model as m
from ui.labels import error_label


class FactField:
    """One fact's widget and how to read it back."""

    def __init__(self, fact: m.Fact) -> None:
        self.fact = fact
        self.widget: QLineEdit | QComboBox
        if fact.type in ("bool", "choice"):
            box = QComboBox()
            box.addItem("（请选择）", None)
            if fact.type == "bool":
                box.addItem("是", True)
                box.addItem("否", False)
            else:
                for choice in fact.choices:
                    box.addItem(choice.label, choice.value)
            self.widget = box
        else:
            edit = QLineEdit()
            edit.setPlaceholderText(self._placeholder())
            if fact.max_length:
                edit.setMaxLength(fact.max_length)
            self.widget = edit
        if fact.help:
            self.widget.setToolTip(fact.help)

    def _placeholder(self) -> str:
        if self.fact.type == "date":
            return "如 2022-01-10"
        if self.fact.type == "money":
            return "元，如 500 或 380.50"
        if self.fact.type == "int":
            return self.fact.unit or "整数"
        return ""

    def value(self) -> m.FactValue | None:
        """The typed value, None when empty; raises ValidationError naming the fact."""
        if isinstance(self.widget, QComboBox):
            data = self.widget.currentData()
            return None if data is None else data
        text = self.widget.text().strip()
        if not text:
            return None
        label = self.fact.label
        if self.fact.type == "date":
            return parse_date(text, label)
        if self.fact.type == "money":
            return parse_yuan(text, label)
        if self.fact.type == "int":
            if not re.fullmatch(r"-?\d+", text):
                raise ValidationError(
                    "INT_FORMAT",
                    label,
                    f"“{label}”应为整数{('（' + self.fact.unit + '）') if self.fact.unit else ''}。",
                )
            return int(text)
        return text

    def set_value(self, raw: object) -> None:
        if isinstance(self.widget, QComboBox):
            self.widget.setCurrentIndex(max(self.widget.findData(raw), 0))
        elif raw is None:
            self.widget.clear()
        elif self.fact.type == "money" and isinstance(raw, int):
            self.widget.setText(format_yuan(raw).replace(",", ""))
        else:
            self.widget.setText(str(raw))


class FactForm(QWidget):
    changed = Signal()

    def __init__(self, facts: tuple[m.Fact, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = {f.id: FactField(f) for f in facts}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for fid, field in self.fields.items():
            label = field.fact.label + (
                f"（{field.fact.unit}）" if field.fact.unit and field.fact.type != "int" else ""
            )
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(field.widget)
            error = error_label(visible=False)
            box.addWidget(error)
            self.errors[fid] = error
            form.addRow(label + ("" if field.fact.required else "（选填）"), box)
            signal = (
                field.widget.currentIndexChanged
                if isinstance(field.widget, QComboBox)
                else field.widget.textChanged
            )
            signal.connect(lambda *_: self.changed.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        if not self.fields:
            layout.addWidget(QLabel("该补贴不需要填写其他信息。"))

    def load(self, stored: Mapping[str, object]) -> None:
        for fid, field in self.fields.items():
            field.set_value(stored.get(fid))

    def values(self) -> tuple[dict[str, m.FactValue | None], list[ValidationError]]:
        """Every field's value (None when empty) and every problem, each shown beside its field."""
        values: dict[str, m.FactValue | None] = {}
        problems: list[ValidationError] = []
        for fid, field in self.fields.items():
            try:
                values[fid] = field.value()
                self._show(fid, None)
            except ValidationError as exc:
                problems.append(exc)
                self._show(fid, exc.message_zh)
        return values, problems

    def _show(self, fid: str, message: str | None) -> None:
        self.errors[fid].setText(message or "")
        self.errors[fid].setVisible(bool(message))

    def first_widget(self) -> QWidget | None:
        return next((f.widget for f in self.fields.values()), None)
