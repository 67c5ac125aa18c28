"""Step 5: the assessment with its clauses, warnings from the database, and acceptance (受理)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QTextBrowser, QVBoxLayout, QWizardPage

from core.cases.intake import can_accept
from core.date_input import parse_date
from core.errors import SubsidyDeskError, ValidationError
from core.policy.explain import decision_line, format_assessment
from core.policy.service import get_catalog
from ui.intake.context import IntakeContext
from ui.operations import intake as ops

DEFAULT_DUE_DAYS = 15


class ResultPage(QWizardPage):
    def __init__(self, ctx: IntakeContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle("第5步：核对结果与受理")
        self.setSubTitle("材料齐全且符合条件时按“受理”（回车）；材料不齐可存为“待补材料”并打印一次性告知书。")
        self.headline = QLabel(wordWrap=True)
        self.warnings = QLabel(styleSheet="color: #9a5b00;", wordWrap=True)
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

    def initializePage(self) -> None:
        assert self.ctx.case_id is not None
        result, dupes = ops.assess(self.ctx.db, self.ctx.case_id, self.ctx.actor)
        catalog = get_catalog(self.ctx.catalog_id)
        subsidy = catalog.subsidy(result.subsidy_id)
        self.allowed, why = can_accept(result)
        line = decision_line(result, subsidy.name if subsidy else result.subsidy_id)
        self.headline.setText(f"<h3>{line}</h3>" + ("" if self.allowed else f"<p>{why}</p>"))
        warn = [f"本人今年已有同一补贴的案件：{'、'.join(dupes)}"] if dupes else []
        warn += [c.message_zh for c in result.conflicts]
        self.warnings.setText("<br>".join(f"！{w}" for w in warn))
        self.text.setPlainText(format_assessment(result, catalog))
        self.due.setText((self.ctx.today + dt.timedelta(days=DEFAULT_DUE_DAYS)).isoformat())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.allowed

    def validatePage(self) -> bool:
        """Finish = 受理."""
        assert self.ctx.case_id is not None
        try:
            self.accepted_number = ops.accept(self.ctx.db, self.ctx.case_id, self.ctx.actor, self.ctx.today)
        except SubsidyDeskError as exc:
            self.ctx.dialogs.error(self, "不能受理", exc.message_zh)
            return False
        return True

    def save_pending(self) -> bool:
        assert self.ctx.case_id is not None
        try:
            due = parse_date(self.due.text(), "补齐材料期限")
        except ValidationError as exc:
            self.ctx.dialogs.error(self, "期限有误", exc.message_zh)
            return False
        if due < self.ctx.today:
            self.ctx.dialogs.error(self, "期限有误", "补齐材料期限不能早于今天。")
            return False
        ops.mark_pending(self.ctx.db, self.ctx.case_id, due, self.ctx.actor)
        return True
