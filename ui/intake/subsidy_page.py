"""Step 2: which subsidy. Only those the applicant can apply for, each with its amount rule."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from core.date_input import parse_date
from core.errors import ValidationError
from core.policy.words import ON_BEHALF_ZH
from ui.intake.context import IntakeContext
from ui.operations import intake as ops


class SubsidyPage(QWizardPage):
    def __init__(self, ctx: IntakeContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle("第2步：补贴项目")
        self.setSubTitle("只列出本所执行的政策文件中，该申请人可以申请的补贴。")
        self.subsidies = QListWidget()
        self.detail = QLabel(wordWrap=True)
        self.detail.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.date = QLineEdit()
        self.submitted_by = QComboBox()
        self.handler = QLineEdit(placeholderText="代办人姓名（本人申请可不填）")
        self.error = QLabel(styleSheet="color: #b00020;", wordWrap=True)
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

    def initializePage(self) -> None:
        self.subsidies.clear()
        self.date.setText((self.ctx.application_date or self.ctx.today).isoformat())
        for choice in ops.subsidy_choices(self.ctx.catalog_id, self.ctx.kind, self.ctx.today):
            text = f"{choice.name}　—　{choice.amount_rule}"
            item = QListWidgetItem(text)
            item.setData(Qt.UserRole, choice)
            item.setToolTip(choice.summary)
            self.subsidies.addItem(item)
            if choice.id == self.ctx.subsidy_id:
                self.subsidies.setCurrentItem(item)
        if self.subsidies.currentItem() is None and self.subsidies.count():
            self.subsidies.setCurrentRow(0)
        QTimer.singleShot(0, self.subsidies.setFocus)

    def _picked(self, item: QListWidgetItem | None, _prev: QListWidgetItem | None = None) -> None:
        if item is None:
            self.detail.clear()
            return
        choice = item.data(Qt.UserRole)
        lines = [f"<b>{choice.name}</b>：{choice.summary}", f"标准：{choice.amount_rule}"]
        lines += [f"时限：{d}" for d in choice.deadlines]
        if choice.period_note:
            lines.append(f"<span style='color:#9a5b00'>{choice.period_note}</span>")
        self.detail.setText("<br>".join(lines))
        subsidy = ops.subsidy(self.ctx.catalog_id, choice.id)
        self.submitted_by.clear()
        self.submitted_by.addItem("本人申请" if self.ctx.kind == "person" else "单位申请", "self")
        for who in subsidy.applicant.on_behalf:
            self.submitted_by.addItem(f"由{ON_BEHALF_ZH.get(who, who)}代为申请", who)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.subsidies.currentItem() is not None

    def validatePage(self) -> bool:
        try:
            on = parse_date(self.date.text(), "申请日期")
        except ValidationError as exc:
            self.error.setText(exc.message_zh)
            self.date.setFocus()
            return False
        if on > self.ctx.today:
            self.error.setText("申请日期不能晚于今天。")
            return False
        choice = self.subsidies.currentItem().data(Qt.UserRole)
        ctx = self.ctx
        ctx.application_date = on
        ctx.submitted_by = self.submitted_by.currentData() or "self"
        ctx.handler_name = self.handler.text().strip()
        if ctx.case_id is None:
            ctx.case_id = ops.start(
                ctx.db,
                ctx.catalog_id,
                choice.id,
                on,
                ctx.actor,
                ctx.person_id,
                ctx.organisation_id,
                ctx.submitted_by,
                ctx.handler_name,
            )
        elif choice.id != ctx.subsidy_id:
            ops.change_subsidy(ctx.db, ctx.case_id, choice.id, ctx.actor)
            ctx.facts = {}
        ctx.subsidy_id = choice.id
        self.error.clear()
        return True
