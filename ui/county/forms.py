"""The county's decision forms: 审核通过, 不予通过, 登记拨付 and 更正决定.

Each form is prefilled, checks what was typed through core (core/app/county.propose) and shows
every problem beside its field, keeping everything typed; only then it asks for confirmation
in core's words, and records the decision (core/app/county.decide). A form is window-modal but
opened with `open()`, so the caller (and a test) keeps going while it is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app import county as ops
from core.app.storage import Database
from core.errors import InvalidInput, SubsidyDeskError, ValidationError
from core.packages.county_query import CountyCaseRow
from core.packages.decision_rules import (
    CORRECTION_REASON,
    Approval,
    Correction,
    DecisionInput,
    DecisionState,
    Payment,
    Rejection,
    Undo,
    correction_choices,
    correction_reason_problems,
    phrase,
)
from ui.county.fields import (
    ApprovalFields,
    PaymentFields,
    Problems,
    RejectionFields,
    field_cell,
    new_error,
    text_box,
)
from ui.dialog_service import DialogService
from ui.labels import error_label


class DecisionForm(QDialog):
    """What the four forms share: the case line, fields with their red lines, OK and Cancel."""

    TITLE = ""
    decided = Signal(object)  # core.app.county.Decided, once recorded

    def __init__(self, db: Database, actor: Actor, dialogs: DialogService, row: CountyCaseRow, subject: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.db, self.actor, self.dialogs, self.row = db, actor, dialogs, row
        self.setWindowTitle(self.TITLE)
        self.setMinimumWidth(520)
        self.errors: dict[str, QLabel] = {}
        self.widgets: dict[str, QWidget] = {}
        self.general_error = error_label(False)
        self.fields = QFormLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确定…")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(subject, wordWrap=True))
        layout.addLayout(self.fields)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def add_field(self, layout: QFormLayout, name: str, widget: QWidget, label: str) -> None:
        error = new_error()
        self.errors[name], self.widgets[name] = error, widget
        layout.addRow(label, field_cell(widget, error))

    # What each form reads
    def decision(self, problems: Problems) -> DecisionInput | Correction | None:
        raise NotImplementedError

    # Checking, confirming, recording
    def submit(self) -> bool:
        """Check, confirm and record; False (the form stays, as typed) when anything is wrong."""
        self.show_problems([])
        problems: Problems = []
        decision = self.decision(problems)
        if problems or decision is None:
            return self.show_problems(problems)
        try:
            proposal = ops.propose(self.db, uuid=self.row.uuid, decision=decision)
            if proposal.problems:
                return self.show_problems(list(proposal.problems))
            if not self.dialogs.confirm(self, self.TITLE, proposal.question):
                return False
            decided = ops.decide(
                self.db, self.actor, uuid=self.row.uuid, decision=decision, seen_version=self.row.version
            )
        except InvalidInput as exc:
            return self.show_problems(exc.errors)
        except SubsidyDeskError as exc:
            self.general_error.setText(exc.message_zh)
            self.general_error.setVisible(True)
            return False
        self.decided.emit(decided)
        self.accept()
        return True

    def show_problems(self, problems: list[ValidationError]) -> bool:
        """Each problem under its field (the first one gets the focus); always False."""
        for label in self.errors.values():
            label.clear()
            label.setVisible(False)
        general = [p.message_zh for p in problems if p.field not in self.errors]
        self.general_error.setText("\n".join(general))
        self.general_error.setVisible(bool(general))
        for problem in problems:
            if problem.field in self.errors:
                label = self.errors[problem.field]
                label.setText("\n".join(filter(None, [label.text(), problem.message_zh])))
                label.setVisible(True)
        first = next((p.field for p in problems if p.field in self.widgets), None)
        if first is not None:
            self.widgets[first].setFocus()
        self.adjustSize()  # room for the red lines (wrapped labels do not grow a dialog by themselves)
        return False


class ApproveForm(DecisionForm):
    TITLE = "审核通过"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.approval = ApprovalFields(
            self.fields, self.add_field, self.row.assessed_fen, self.row.assessed_fen
        )

    def decision(self, problems: Problems) -> DecisionInput | None:
        return self.approval.read(problems)


class RejectForm(DecisionForm):
    TITLE = "不予通过"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rejection = RejectionFields(self.fields, self.add_field)

    def decision(self, problems: Problems) -> DecisionInput:
        return self.rejection.read(problems)


class PaidForm(DecisionForm):
    TITLE = "登记拨付"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.addRow("现在的决定", QLabel(phrase(_state(self.row))))
        self.payment = PaymentFields(self.fields, self.add_field, self.row.approved_fen, dt.date.today())

    def decision(self, problems: Problems) -> DecisionInput | None:
        return self.payment.read(problems)


def _state(row: CountyCaseRow) -> DecisionState:
    return DecisionState(row.status, row.approved_fen, row.paid_fen, row.paid_on, row.reason)


class CorrectForm(DecisionForm):
    """更正决定: what the decision becomes (core's choices for its state), and why."""

    TITLE = "更正决定"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        row = self.row
        self.fields.addRow("现在的决定", QLabel(phrase(_state(row)), wordWrap=True))
        self.target = QComboBox()
        self.pages = QStackedWidget()
        self.parts: list[Part] = []  # one per choice, each keeping what was typed on its page
        for kind, label in correction_choices(row.status):
            self.target.addItem(label)
            self._add_page(kind)
        self.fields.addRow("更正为", self.target)
        self.fields.addRow(self.pages)
        self.why = text_box("", "例如：核定金额录入有误，应为……")
        self.add_field(self.fields, CORRECTION_REASON, self.why, CORRECTION_REASON)
        self.target.currentIndexChanged.connect(self.pages.setCurrentIndex)

    def _add_page(self, kind: type[DecisionInput]) -> None:
        page, layout, row = QWidget(), QFormLayout(), self.row
        page.setLayout(layout)
        part: Part
        if kind is Approval:
            amount = row.approved_fen if row.approved_fen is not None else row.assessed_fen
            note = row.reason if row.status == "approved" else ""
            part = ApprovalFields(layout, self.add_field, amount, row.assessed_fen, note)
        elif kind is Rejection:
            part = RejectionFields(layout, self.add_field, row.reason if row.status == "rejected" else "")
        elif kind is Payment:
            part = PaymentFields(layout, self.add_field, row.paid_fen, row.paid_on or dt.date.today())
        else:
            layout.addRow(QLabel("撤销后，案件回到决定之前的状态，可以重新作出决定。", wordWrap=True))
            part = UndoPart()
        self.pages.addWidget(page)
        self.parts.append(part)

    @property
    def part(self) -> Part:
        """The fields of the chosen correction."""
        return self.parts[self.target.currentIndex()]

    def choose(self, label: str) -> None:
        """Pick a correction by its words (as the officer does in the list)."""
        self.target.setCurrentIndex(self.target.findText(label, Qt.MatchFlag.MatchStartsWith))

    def decision(self, problems: Problems) -> Correction | None:
        to = self.part.read(problems)
        if problems:  # the reason's problem too, so that everything is marked at once
            problems += correction_reason_problems(self.why.toPlainText())
        return Correction(to, self.why.toPlainText()) if to is not None else None


class UndoPart:
    def read(self, _problems: Problems) -> DecisionInput:
        return Undo()


Part = ApprovalFields | RejectionFields | PaymentFields | UndoPart


FORMS: dict[ops.Decision, type[DecisionForm]] = {
    ops.Decision.APPROVE: ApproveForm,
    ops.Decision.REJECT: RejectForm,
    ops.Decision.PAID: PaidForm,
    ops.Decision.CORRECT: CorrectForm,
}


def open_form(kind: ops.Decision, db: Database, actor: Actor, dialogs: DialogService, row: CountyCaseRow,
              subject: str, parent: QWidget | None, on_decided: Callable[[Any], object]) -> DecisionForm:  # fmt: skip
    """Show the form for `kind` (window-modal, not blocking) and return it."""
    form = FORMS[kind](db, actor, dialogs, row, subject, parent)
    form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    form.decided.connect(on_decided)
    form.open()
    return form
