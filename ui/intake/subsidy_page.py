"""Step 2: which subsidy. Only those the applicant can apply for, each with its amount rule."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from core.app import catalogs
from core.app import intake as ops
from core.app.intake import Application
from core.applicant_types import ApplicantKind
from core.date_input import parse_date
from core.errors import SubsidyDeskError
from core.policy.words import filer_choices
from ui.intake.context import IntakeContext
from ui.intake.step import StepPage, focus_later, is_storage_failure
from ui.labels import error_label
from ui.shield import shielded


class SubsidyPage(StepPage):
    def __init__(self, ctx: IntakeContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle("第2步：补贴项目")
        self.setSubTitle("只列出本所执行的政策文件中，该申请人可以申请的补贴。")
        self.subsidies = QListWidget()
        self.detail = QLabel(wordWrap=True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.date = QLineEdit()
        self.submitted_by = QComboBox()
        self.handler = QLineEdit(placeholderText="代办人姓名（本人申请可不填）")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("申请日期(&D)", self.date)
        form.addRow("申请方式(&S)", self.submitted_by)
        form.addRow("经办人(&H)", self.handler)
        layout = QVBoxLayout(self)
        layout.addWidget(self.subsidies, 3)
        layout.addWidget(self.detail, 2)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.subsidies.currentItemChanged.connect(self._picked)

    @shielded(None)
    def initializePage(self) -> None:
        chosen = self.ctx.application
        self.subsidies.blockSignals(True)
        self.subsidies.clear()
        self.subsidies.blockSignals(False)
        self.date.setText((chosen.application_date if chosen else self.ctx.today).isoformat())
        self.handler.setText(chosen.handler_name if chosen else "")
        self.error.clear()
        choices = ops.subsidy_choices(catalog_id=self.ctx.catalog_id, kind=self.ctx.kind, on=self.ctx.today)
        for choice in choices:
            item = QListWidgetItem(f"{choice.name}　—　{choice.amount_rule}")
            item.setData(Qt.ItemDataRole.UserRole, choice)
            item.setToolTip(choice.summary)
            self.subsidies.addItem(item)
            if chosen and choice.id == chosen.subsidy_id:
                self.subsidies.setCurrentItem(item)
        if self.subsidies.currentItem() is None and self.subsidies.count():
            self.subsidies.setCurrentRow(0)
        if chosen:
            self.submitted_by.setCurrentIndex(max(self.submitted_by.findData(chosen.submitted_by), 0))
        focus_later(self.subsidies)

    def _picked(self, item: QListWidgetItem | None, _prev: QListWidgetItem | None = None) -> None:
        if item is None:
            self.detail.clear()
            return
        choice = item.data(Qt.ItemDataRole.UserRole)
        lines = [f"<b>{choice.name}</b>：{choice.summary}", f"标准：{choice.amount_rule}"]
        lines += [f"时限：{d}" for d in choice.deadlines]
        if choice.period_note:
            lines.append(f"<span style='color:#9a5b00'>{choice.period_note}</span>")
        self.detail.setText("<br>".join(lines))
        subsidy = catalogs.subsidy(catalog_id=self.ctx.catalog_id, subsidy_id=choice.id)
        before = self.submitted_by.currentData()
        self.submitted_by.clear()
        self.submitted_by.addItem("本人申请" if self.ctx.kind == ApplicantKind.PERSON else "单位申请", "self")
        rule = subsidy.applicant
        # For a person, anyone who came can be recorded; the assessment refuses those the
        # document does not admit, citing the clause. An organisation files for itself.
        filers = (
            filer_choices(rule.on_behalf, rule.filers_stated) if self.ctx.kind == ApplicantKind.PERSON else []
        )
        for who, label in filers:
            self.submitted_by.addItem(label, who)
        self.submitted_by.setCurrentIndex(max(self.submitted_by.findData(before), 0))
        self.completeChanged.emit()

    @shielded(False)
    def isComplete(self) -> bool:
        return self.subsidies.currentItem() is not None

    @shielded(False)
    def validatePage(self) -> bool:
        """下一步: the draft is created, or changed, with what this step shows."""
        try:
            self._save(create=True)
        except SubsidyDeskError as exc:
            self.error.setText(exc.message_zh)
            if is_storage_failure(exc):
                self.report_failure(exc)
            self.date.setFocus()
            return False
        self.error.clear()
        return True

    def leave(self) -> None:
        """上一步 or 关闭: keep what can be kept; a date that cannot be read is not saved."""
        try:
            self._save(create=False)
        except SubsidyDeskError:
            return

    def _save(self, create: bool) -> None:
        item = self.subsidies.currentItem()
        if item is None:
            return
        application = Application(
            subsidy_id=item.data(Qt.ItemDataRole.UserRole).id,
            application_date=parse_date(self.date.text(), "申请日期"),
            submitted_by=self.submitted_by.currentData() or "self",
            handler_name=self.handler.text().strip(),
        )
        ctx = self.ctx
        if ctx.case_id is not None:
            ops.change_application(
                ctx.db, ctx.actor, case_id=ctx.case_id, application=application, today=ctx.today
            )
        elif create:
            ctx.case_id = ops.start_case(
                ctx.db, ctx.actor, catalog_id=ctx.catalog_id, person_id=ctx.person_id,
                organisation_id=ctx.organisation_id, application=application, today=ctx.today,
            )  # fmt: skip
        ctx.application = application
