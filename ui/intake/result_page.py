"""Step 5: the assessment with its clauses, warnings from the database, and acceptance (受理)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QTextBrowser, QVBoxLayout

from core.app import intake as ops
from core.date_input import parse_date
from core.errors import SubsidyDeskError
from ui.intake.context import IntakeContext
from ui.intake.step import StepPage
from ui.labels import warning_label
from ui.shield import shielded


class ResultPage(StepPage):
    def __init__(self, ctx: IntakeContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle("第5步：核对结果与受理")
        self.setSubTitle("材料齐全且符合条件时按“受理”（回车）；材料不齐可存为“待补材料”并打印一次性告知书。")
        self.headline = QLabel(wordWrap=True)
        self.warnings = warning_label()
        self.text = QTextBrowser()
        self.due = QLineEdit()
        self.accepted_number: str | None = None
        self.allowed = False
        form = QFormLayout()
        form.addRow("补齐材料期限(&T)", self.due)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.warnings)
        layout.addWidget(self.text)
        layout.addLayout(form)

    @shielded(None)
    def initializePage(self) -> None:
        view = ops.assess_case(self.ctx.db, self.ctx.actor, case_id=self.ctx.require_case())
        self.allowed = view.can_accept
        self.headline.setText(
            f"<h3>{view.headline}</h3>" + ("" if view.can_accept else f"<p>{view.why_not}</p>")
        )
        self.warnings.setText("<br>".join(f"！{w}" for w in view.warnings))
        self.text.setPlainText(view.text)
        self.due.setText(ops.default_materials_due(self.ctx.today).isoformat())
        self.completeChanged.emit()

    @shielded(False)
    def isComplete(self) -> bool:
        return self.allowed

    @shielded(False)
    def validatePage(self) -> bool:
        """Finish = 受理."""
        try:
            self.accepted_number = ops.accept_case(
                self.ctx.db, self.ctx.actor, case_id=self.ctx.require_case(), today=self.ctx.today
            )
        except SubsidyDeskError as exc:
            self.ctx.dialogs.error(self, "不能受理", exc.message_zh)
            return False
        return True

    def save_pending(self) -> bool:
        try:
            due = parse_date(self.due.text(), "补齐材料期限")
            ops.mark_pending(
                self.ctx.db, self.ctx.actor, case_id=self.ctx.require_case(), due_on=due, today=self.ctx.today
            )
        except SubsidyDeskError as exc:
            self.ctx.dialogs.error(self, "期限有误", exc.message_zh)
            return False
        return True
