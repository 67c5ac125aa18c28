"""The field groups of the county's decision forms: an amount with a note, a rejection reason,
a payment. Each reads what was typed into a decision of core/packages/decision_rules and
reports parse problems by field; the rules themselves are core's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from core.date_input import parse_date
from core.errors import ValidationError
from core.money import format_yuan, parse_yuan
from core.packages.decision_rules import (
    APPROVAL_NOTE,
    APPROVED_AMOUNT,
    OTHER_REASON,
    PAID_AMOUNT,
    PAID_ON,
    REJECTION_DETAIL,
    REJECTION_REASON,
    REJECTION_REASONS,
    Approval,
    Payment,
    Rejection,
    compose_reason,
    split_reason,
)
from ui.labels import error_label

AddField = Callable[[QFormLayout, str, QWidget, str], None]
Problems = list[ValidationError]


def text_box(text: str = "", placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(64)
    return box


def field_cell(widget: QWidget, error: QLabel) -> QWidget:
    """A field with its red line below it, for one row of a QFormLayout."""
    cell = QWidget()
    column = QVBoxLayout(cell)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(widget)
    column.addWidget(error)
    return cell


def new_error() -> QLabel:
    return error_label(False)


def _read(problems: Problems, read: Callable[[], object]) -> object:
    try:
        return read()
    except ValidationError as exc:
        problems.append(exc)
        return None


def _yuan(fen: int | None) -> str:
    return format_yuan(fen).replace(",", "") if fen is not None else ""


class ApprovalFields:
    """核定金额 (prefilled) and 核定说明 (required above the town's assessed amount)."""

    def __init__(self, layout: QFormLayout, add: AddField, amount_fen: int | None, assessed_fen: int,
                 note: str = "") -> None:  # fmt: skip
        self.assessed_fen = assessed_fen
        self.amount = QLineEdit(_yuan(amount_fen))
        self.note = text_box(note, "核定金额与站所核算金额不同时写明原因；高于核算金额时必须填写")
        layout.addRow("站所核算金额", QLabel(f"{format_yuan(assessed_fen)} 元"))
        add(layout, APPROVED_AMOUNT, self.amount, "核定金额（元）")
        add(layout, APPROVAL_NOTE, self.note, APPROVAL_NOTE)

    def read(self, problems: Problems) -> Approval | None:
        amount = _read(problems, lambda: parse_yuan(self.amount.text(), APPROVED_AMOUNT))
        return Approval(amount, self.note.toPlainText()) if isinstance(amount, int) else None


class RejectionFields:
    """A common reason from core's list, or 其他理由 with the officer's words."""

    def __init__(self, layout: QFormLayout, add: AddField, reason: str = "") -> None:
        self.reason = QComboBox()
        self.reason.addItem("请选择理由……", "")
        for common in (*REJECTION_REASONS, OTHER_REASON):
            self.reason.addItem(common, common)
        common, detail = split_reason(reason)
        self.reason.setCurrentIndex(max(self.reason.findData(common), 0))
        self.detail = text_box(detail, "补充说明，例如缺少哪份材料；选“其他理由”时必须填写")
        add(layout, REJECTION_REASON, self.reason, REJECTION_REASON)
        add(layout, REJECTION_DETAIL, self.detail, REJECTION_DETAIL)

    def read(self, problems: Problems) -> Rejection:
        return Rejection(compose_reason(str(self.reason.currentData() or ""), self.detail.toPlainText()))


class PaymentFields:
    """拨付金额 and 拨付日期, read together so that both are marked at once."""

    def __init__(self, layout: QFormLayout, add: AddField, amount_fen: int | None, paid_on: dt.date) -> None:
        self.amount = QLineEdit(_yuan(amount_fen))
        self.paid_on = QLineEdit(paid_on.isoformat())
        self.paid_on.setPlaceholderText("例如 2024-06-01")
        add(layout, PAID_AMOUNT, self.amount, "拨付金额（元）")
        add(layout, PAID_ON, self.paid_on, PAID_ON)

    def read(self, problems: Problems) -> Payment | None:
        amount = _read(problems, lambda: parse_yuan(self.amount.text(), PAID_AMOUNT))
        day = _read(problems, lambda: parse_date(self.paid_on.text(), PAID_ON))
        if isinstance(amount, int) and isinstance(day, dt.date):
            return Payment(amount, day)
        return None
