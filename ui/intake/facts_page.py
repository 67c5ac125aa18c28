"""Step 3: the facts the rules need, with the assessment updating as they are typed."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from core.applicants import InvalidInput
from core.policy.explain import decision_line
from ui.intake.context import IntakeContext
from ui.intake.fact_form import FactForm
from ui.operations import intake as ops

PREVIEW_DELAY_MS = 250


class FactsPage(QWizardPage):
    def __init__(self, ctx: IntakeContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle("第3步：申请信息")
        self.setSubTitle("按申请材料填写。右侧随时显示按政策文件核对的结果。")
        self.form: FactForm | None = None
        self.holder = QScrollArea(widgetResizable=True)
        self.preview = QTextBrowser()
        self.summary = QLabel(wordWrap=True)
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        split = QSplitter()
        split.addWidget(self.holder)
        right = QWidget()
        box = QVBoxLayout(right)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.summary)
        box.addWidget(self.preview)
        split.addWidget(right)
        split.setSizes([420, 380])
        split.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)

    def initializePage(self) -> None:
        assert self.ctx.subsidy_id is not None and self.ctx.case_id is not None
        subsidy = ops.subsidy(self.ctx.catalog_id, self.ctx.subsidy_id)
        self.form = FactForm(subsidy.facts)
        _cat, _sub, stored, _checks = ops.load_case(self.ctx.db, self.ctx.case_id)
        self.form.load(stored)
        self.form.changed.connect(lambda: self._timer.start())
        self.holder.setWidget(self.form)
        self.update_preview()
        first = self.form.first_widget()
        if first is not None:
            # After QWizard has finished switching pages, which moves the focus itself.
            QTimer.singleShot(0, first.setFocus)

    def update_preview(self) -> None:
        if self.form is None or self.ctx.case_id is None:
            return
        values, problems = self.form.values()
        if problems:
            self.summary.setText("有填写错误，请按红字提示改正。")
            return
        facts = {k: v for k, v in values.items() if v is not None}
        result = ops.preview(self.ctx.db, self.ctx.case_id, facts)
        subsidy = ops.subsidy(self.ctx.catalog_id, self.ctx.subsidy_id or "")
        self.summary.setText(f"<b>{decision_line(result, subsidy.name)}</b>")
        marks = {"pass": "✓", "fail": "✗", "unknown": "？", "warn": "！", "info": "·"}
        lines = [f"{marks[o.outcome]} {o.message_zh}" for o in result.trace if o.kind != "material"]
        self.preview.setPlainText("\n".join(lines))

    def validatePage(self) -> bool:
        assert self.form is not None and self.ctx.case_id is not None
        values, problems = self.form.values()
        if problems:
            return False
        try:
            ops.save_facts(self.ctx.db, self.ctx.case_id, values, self.ctx.actor)
        except InvalidInput as exc:
            self.summary.setText("<br>".join(e.message_zh for e in exc.errors))
            return False
        return True
