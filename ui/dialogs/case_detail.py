"""One case: its state, the assessment with clauses, scans, and the timeline of every change.

The office head reviews (初审) here; a clerk resumes a draft or a case waiting for materials.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.db import Database
from core.errors import SubsidyDeskError
from core.money import format_yuan
from core.operator import Operator
from ui.dialog_service import DialogService
from ui.operations import intake as ops

RESUMABLE = {"draft", "pending_materials", "review_failed"}
# An accepted case can still be corrected before the town review; every change is audited
# with its old and new value and the case keeps its number.
CORRECTABLE = {"accepted"}


class CaseDetailDialog(QDialog):
    def __init__(
        self,
        db: Database,
        case_id: int,
        operator: Operator,
        dialogs: DialogService,
        resume: Callable[[int], None],
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.case_id, self.operator, self.dialogs = db, case_id, operator, dialogs
        self._resume = resume
        self.today = today or dt.date.today()
        self.setWindowTitle("案件详情")
        self.resize(820, 600)
        self.header = QLabel(wordWrap=True)
        self.tabs = QTabWidget()
        self.assessment = QTextBrowser()
        self.timeline = QListWidget()
        self.files = QListWidget()
        self.tabs.addTab(self.assessment, "核对结果(&1)")
        self.tabs.addTab(self.timeline, "办理记录(&2)")
        self.tabs.addTab(self.files, "扫描件(&3)")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.buttons.button(QDialogButtonBox.Close).setText("关闭")
        self.buttons.rejected.connect(self.reject)
        self.resume_button = self._button("继续办理(&R)", self._resume_clicked)
        self.print_button = self._button("打印(&D)", lambda: None)
        self.print_button.setMenu(self._print_menu())
        self.pass_button = self._button("初审通过(&P)", lambda: self._review(True))
        self.fail_button = self._button("初审不通过(&F)", lambda: self._review(False))
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.refresh()

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ActionRole)
        button.clicked.connect(slot)
        return button

    def _print_menu(self) -> QMenu:
        from ui.printing import open_in_system_viewer, preview_document, print_document, save_document_as

        menu = QMenu(self)
        kinds = (("form", "申请表"), ("receipt", "受理回执"), ("notice", "一次性告知书"))
        for kind, label in kinds:
            menu.addAction(
                f"{label}：打印预览",
                lambda k=kind: preview_document(self, k, self.case_id, self.db, self.dialogs),
            )
        menu.addSeparator()
        for kind, label in kinds:
            menu.addAction(
                f"{label}：直接打印…",
                lambda k=kind: print_document(self, k, self.case_id, self.db, self.dialogs),
            )
        menu.addSeparator()
        for kind, label in kinds:
            menu.addAction(
                f"{label}：另存为PDF…",
                lambda k=kind: save_document_as(self, k, self.case_id, self.db, self.dialogs),
            )
        for kind, label in kinds:
            menu.addAction(
                f"{label}：用PDF阅读器打开",
                lambda k=kind: open_in_system_viewer(self, k, self.case_id, self.db, self.dialogs),
            )
        return menu

    def refresh(self) -> None:
        d = ops.detail(self.db, self.case_id)
        amount = f"{format_yuan(d.amount_fen)} 元" if d.amount_fen is not None else "未核定"
        lines = [
            f"<h3>{d.applicant} — {d.subsidy.name}</h3>",
            f"受理编号：{d.case_number or '（未受理）'}　状态：<b>{d.status_label}</b>　金额：{amount}",
            f"申请日期：{d.application_date.isoformat()}　案件标识：{d.uuid}",
        ]
        if d.materials_due_on:
            lines.append(f"补齐材料期限：{d.materials_due_on.isoformat()}")
        if d.review_note:
            lines.append(f"初审意见：{d.review_note}")
        self.header.setText("<br>".join(lines))
        self.assessment.setPlainText(self._assessment_text(d.assessment))
        self.timeline.clear()
        for entry in d.timeline:
            self.timeline.addItem(f"{entry.at:%Y-%m-%d %H:%M}　{entry.actor}　{entry.what}")
        self.files.clear()
        for name, digest in d.attachments:
            self.files.addItem(f"{name}　（{digest[:12]}）")
        is_head = self.operator.role == "reviewer"
        self.resume_button.setVisible(d.status in RESUMABLE | CORRECTABLE)
        self.resume_button.setText("更正(&R)" if d.status in CORRECTABLE else "继续办理(&R)")
        self.pass_button.setVisible(d.status == "accepted" and is_head)
        self.fail_button.setVisible(d.status == "accepted" and is_head)

    def _assessment_text(self, stored: dict[str, object] | None) -> str:
        if not stored:
            return "尚未核对。"
        marks = {"pass": "✓", "fail": "✗", "unknown": "？", "warn": "！", "info": "·"}
        trace = stored.get("trace") or []
        lines = []
        for o in trace if isinstance(trace, list) else []:
            clause = o.get("clause") or {}
            where = f"（依据：{clause.get('section')}）" if clause else ""
            lines.append(f"{marks.get(o.get('outcome'), '·')} {o.get('message_zh')}{where}")
        return "\n".join(lines)

    def _resume_clicked(self) -> None:
        self.accept()
        self._resume(self.case_id)

    def _review(self, passed: bool) -> None:
        note = ""
        if not passed:
            answer = self.dialogs.ask_text(self, "初审不通过", "请写明不通过的原因（将告知经办人和申请人）：")
            if answer is None:
                return
            note = answer
        try:
            ops.review(
                self.db, self.case_id, passed, note, self.operator.actor, self.today, self.operator.role
            )
        except SubsidyDeskError as exc:
            self.dialogs.error(self, "不能初审", exc.message_zh)
            return
        self.refresh()
