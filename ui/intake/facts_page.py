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
)

from core.app import intake as ops
from core.errors import InvalidInput, SubsidyDeskError
from ui.intake.context import IntakeContext
from ui.intake.fact_form import FactForm
from ui.intake.step import StepPage, focus_later
from ui.shield import shielded

PREVIEW_DELAY_MS = 250


class FactsPage(StepPage):
    def __init__(self, ctx: IntakeContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle("第3步：申请信息")
        self.setSubTitle("按申请材料填写。右侧随时显示按政策文件核对的结果。")
        self.form: FactForm | None = None
        self._form_for: tuple[int, str] | None = None
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
        split.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)

    @shielded(None)
    def initializePage(self) -> None:
        case_id = self.ctx.require_case()
        subsidy = self.ctx.subsidy()
        if self.form is None or self._form_for != (case_id, subsidy.id):
            # A new form only for another subsidy: coming back to this step keeps what is typed,
            # even a value that is still wrong.
            self.form = FactForm(subsidy.facts)
            self.form.load(ops.load_draft(self.ctx.db, case_id=case_id).facts)
            self.form.changed.connect(lambda: self._timer.start())
            self.holder.setWidget(self.form)
            self._form_for = (case_id, subsidy.id)
        self.update_preview()
        first = self.form.first_widget()
        if first is not None:
            # After QWizard has finished switching pages, which moves the focus itself.
            focus_later(first)

    def update_preview(self) -> None:
        if self.form is None or self.ctx.case_id is None:
            return
        values, problems = self.form.values()
        if problems:
            self.summary.setText("有填写错误，请按红字提示改正。")
            return
        facts = {k: v for k, v in values.items() if v is not None}
        result = ops.preview(self.ctx.db, case_id=self.ctx.case_id, facts=facts)
        self.summary.setText(f"<b>{result.headline}</b>")
        self.preview.setPlainText("\n".join(result.lines))

    @shielded(False)
    def validatePage(self) -> bool:
        """下一步: every fact must be readable; the rules then see them all."""
        if self.form is None:
            return False
        values, problems = self.form.values()
        if problems:
            return False
        try:
            ops.save_facts(self.ctx.db, self.ctx.actor, case_id=self.ctx.require_case(), values=values)
        except InvalidInput as exc:
            self.summary.setText("<br>".join(e.message_zh for e in exc.errors))
            return False
        except SubsidyDeskError as exc:  # the disk or the database refused: not the clerk's input
            self.summary.setText(exc.message_zh)
            self.report_failure(exc)
            return False
        return True

    def leave(self) -> None:
        """上一步 or 关闭: save every value that can be read; the rest stays on the screen."""
        if self.form is None or self.ctx.case_id is None:
            return
        values, _problems = self.form.values()
        ops.save_facts(self.ctx.db, self.ctx.actor, case_id=self.ctx.case_id, values=values, keep_valid=True)
