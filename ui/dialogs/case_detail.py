"""One case: its state, the assessment with clauses, scans, and the timeline of every change.

The office head reviews (初审) here; a clerk resumes a draft or a case waiting for materials.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from PySide6.QtGui import QAction
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

from core.actor import Actor
from core.app.cases import case_view
from core.app.review import review_case
from core.app.storage import Database
from core.cases.states import CaseAction
from core.errors import SubsidyDeskError
from core.ids import CaseId
from core.money import format_yuan
from ui.dialog_service import DialogService

# The documents of a case, and the action of the state table each needs.
DOCUMENTS = (
    ("form", "申请表", CaseAction.PRINT_FORM),
    ("receipt", "受理回执", CaseAction.PRINT_RECEIPT),
    ("notice", "一次性告知书", CaseAction.PRINT_NOTICE),
)


class CaseDetailDialog(QDialog):
    def __init__(
        self,
        db: Database,
        case_id: CaseId,
        actor: Actor,
        dialogs: DialogService,
        resume: Callable[[CaseId], None],
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.case_id, self.actor, self.dialogs = db, case_id, actor, dialogs
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
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
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
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.clicked.connect(slot)
        return button

    def _print_menu(self) -> QMenu:
        from ui.printing import open_in_system_viewer, preview_document, print_document, save_document_as

        menu = QMenu(self)
        self.print_actions: dict[CaseAction, list[QAction]] = {k: [] for _, _, k in DOCUMENTS}
        ways = (
            ("打印预览", preview_document),
            ("直接打印…", print_document),
            ("另存为PDF…", save_document_as),
            ("用PDF阅读器打开", open_in_system_viewer),
        )
        for i, (way, run) in enumerate(ways):
            if i and i < len(ways) - 1:
                menu.addSeparator()
            for kind, label, needs in DOCUMENTS:
                action = menu.addAction(f"{label}：{way}")
                action.triggered.connect(partial(run, self, kind, self.case_id, self.db, self.dialogs))
                self.print_actions[needs].append(action)
        return menu

    def refresh(self) -> None:
        view = case_view(self.db, self.actor, case_id=self.case_id)
        d = view.detail
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
        actions = view.actions
        for needs, items in self.print_actions.items():
            for item in items:
                item.setEnabled(needs in actions)
        # An accepted case can still be corrected before the town review; every change is
        # audited with its old and new value and the case keeps its number.
        self.resume_button.setVisible(bool(actions & {CaseAction.RESUME, CaseAction.CORRECT}))
        self.resume_button.setText("更正(&R)" if CaseAction.CORRECT in actions else "继续办理(&R)")
        self.pass_button.setVisible(CaseAction.REVIEW in actions)
        self.fail_button.setVisible(CaseAction.REVIEW in actions)

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
            review_case(self.db, self.actor, case_id=self.case_id, passed=passed, note=note, today=self.today)
        except SubsidyDeskError as exc:
            self.dialogs.error(self, "不能初审", exc.message_zh)
            return
        self.refresh()
