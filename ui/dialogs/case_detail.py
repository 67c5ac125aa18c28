"""One case: its state, the assessment with clauses, scans, and the timeline of every change.

The office head reviews (初审) here, and reverts a review; a clerk resumes a draft or a case
waiting for materials, withdraws a case or removes a scan. Every correction asks for its reason.
Opened by the office head, the dialog steps through the cases waiting for the town review:
下一件待初审 shows the next one in place (and is the default button once a case is reviewed).
Once the county's results have reached the case, its header shows the county's decision, the
amounts and the county's reason or note (县局意见).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app.cases import case_view
from core.app.corrections import remove_scan, withdraw_case
from core.app.review import revert_review, review_case
from core.app.storage import Database
from core.cases.states import REMOVE_SCAN_REASONS, WITHDRAW_REASONS, CaseAction
from core.errors import SubsidyDeskError
from core.ids import CaseId
from core.money import format_yuan
from ui.dialog_service import DialogService
from ui.tab_keys import number_tabs

if TYPE_CHECKING:
    from core.cases.overview import CaseDetail, CountyOpinion
    from ui.printing import Show

NextCase = Callable[[CaseId], CaseId | None]  # the case to review after this one, if any

# The documents of a case, and the action of the state table each needs.
DOCUMENTS = (
    ("form", "申请表", CaseAction.PRINT_FORM),
    ("receipt", "受理回执", CaseAction.PRINT_RECEIPT),
    ("notice", "一次性告知书", CaseAction.PRINT_NOTICE),
    ("refusal", "不予受理告知书", CaseAction.PRINT_REFUSAL),
    ("review_failed", "初审不通过告知书", CaseAction.PRINT_REVIEW_FAILED),
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
        next_case: NextCase | None = None,
        show: Show | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.case_id, self.actor, self.dialogs = db, case_id, actor, dialogs
        self._resume, self._next_case, self._show = resume, next_case, show
        self.today = today or dt.date.today()
        self.setWindowTitle("案件详情")
        self.resize(820, 600)
        self.header = QLabel(wordWrap=True)
        self.county = QLabel(wordWrap=True)
        self.county.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.county_box = QGroupBox("县局意见")
        QVBoxLayout(self.county_box).addWidget(self.county)
        self.tabs = QTabWidget()
        number_tabs(self.tabs)  # Alt+1, Alt+2 …
        self.assessment = QTextBrowser()
        self.timeline = QListWidget()
        self.timeline.setWordWrap(True)  # a correction's reason is read, not scrolled to
        self.files = QListWidget()
        self.remove_scan_button = QPushButton("删除扫描件(&X)…")
        self.remove_scan_button.setAutoDefault(False)
        self.remove_scan_button.clicked.connect(self._remove_scan)
        self.files.currentRowChanged.connect(lambda _row: self._update_scan_button())
        self.tabs.addTab(self.assessment, "核对结果")
        self.tabs.addTab(self.timeline, "办理记录")
        self.tabs.addTab(self._scans_tab(), "扫描件")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.buttons.rejected.connect(self.reject)
        self.resume_button = self._button("继续办理(&R)", self._resume_clicked)
        self.print_button = self._button("打印(&D)", lambda: None)
        self.print_button.setMenu(self._print_menu())
        self.pass_button = self._button("初审通过(&P)", lambda: self._review(True))
        self.fail_button = self._button("初审不通过(&F)", lambda: self._review(False))
        self.revert_button = self._button("撤销初审(&U)…", self._revert)
        self.withdraw_button = self._button("撤回案件(&W)…", self._withdraw)
        self.next_button = self._button("下一件待初审(&N)", self.show_next)
        self.next_button.setVisible(next_case is not None)
        self.allowed: frozenset[CaseAction] = frozenset()
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.county_box)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.refresh()

    def _scans_tab(self) -> QWidget:
        tab = QWidget()
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_scan_button)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.files)
        layout.addLayout(row)
        return tab

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
                action.triggered.connect(lambda _c=False, r=run, k=kind: self._print(r, k))
                self.print_actions[needs].append(action)
        return menu

    def _print(self, run: Callable[..., object], kind: str) -> None:
        # The case shown now (下一件待初审 changes it), and the window's preview where it has one.
        from ui.printing import preview_document

        extra = {"show": self._show} if run is preview_document and self._show is not None else {}
        run(self, kind, self.case_id, self.db, self.dialogs, **extra)

    def refresh(self) -> None:
        view = case_view(self.db, self.actor, case_id=self.case_id)
        d = view.detail
        self.seen_version = d.version  # a review must still find it (another PC may change the case)
        self.header.setText(self._header(d))
        self.county_box.setVisible(d.county is not None)
        self.county.setText(county_text(d.county) if d.county else "")
        self.assessment.setPlainText(self._assessment_text(d.assessment))
        self.timeline.clear()
        for entry in d.timeline:
            self.timeline.addItem(f"{entry.at:%Y-%m-%d %H:%M}　{entry.actor}　{entry.what}")
        self.files.clear()
        for scan in d.attachments:
            material = f"　{scan.material}" if scan.material else ""
            line = QListWidgetItem(
                f"{scan.filename}{material}　{scan.added_at:%Y-%m-%d %H:%M}　（{scan.sha256[:12]}）"
            )
            line.setData(Qt.ItemDataRole.UserRole, scan.id)
            self.files.addItem(line)
        self.allowed = actions = view.actions
        for needs, items in self.print_actions.items():
            for item in items:
                item.setEnabled(needs in actions)
        # An accepted case can still be corrected before the town review; every change is
        # audited with its old and new value and the case keeps its number.
        self.resume_button.setVisible(bool(actions & {CaseAction.RESUME, CaseAction.CORRECT}))
        self.resume_button.setText("更正(&R)" if CaseAction.CORRECT in actions else "继续办理(&R)")
        self.pass_button.setVisible(CaseAction.REVIEW in actions)
        self.fail_button.setVisible(CaseAction.REVIEW in actions)
        self.revert_button.setVisible(CaseAction.REVERT_REVIEW in actions)
        self.withdraw_button.setVisible(CaseAction.WITHDRAW in actions)
        self.remove_scan_button.setVisible(CaseAction.REMOVE_SCAN in actions)
        self._update_scan_button()
        self._update_next()

    def _update_next(self) -> None:
        if self._next_case is None:
            return
        waiting = self._next_case(self.case_id) is not None
        self.next_button.setEnabled(waiting)
        self.next_button.setText("下一件待初审(&N)" if waiting else "没有其他待初审的案件")
        reviewed = CaseAction.REVIEW not in self.allowed
        self.next_button.setDefault(reviewed and waiting)  # reviewed: Enter goes on to the next case
        if reviewed and waiting:
            self.next_button.setFocus()

    def show_next(self) -> None:
        """下一件待初审: the next case waiting for the town review, in this dialog."""
        following = self._next_case(self.case_id) if self._next_case is not None else None
        if following is None:
            return
        self.case_id = following
        self.tabs.setCurrentIndex(0)
        self.refresh()

    def _header(self, d: CaseDetail) -> str:
        amount = f"{format_yuan(d.amount_fen)} 元" if d.amount_fen is not None else "未核定"
        lines = [
            f"<h3>{escape(d.applicant)} — {escape(d.subsidy.name)}</h3>",
            f"受理编号：{d.case_number or '（未受理）'}　状态：<b>{d.status_label}</b>　金额：{amount}",
            f"申请日期：{d.application_date.isoformat()}",
        ]
        if d.materials_due_on:
            lines.append(f"补齐材料期限：{d.materials_due_on.isoformat()}")
        reason = d.status_reason
        if reason is not None:
            by = "，".join(x for x in (reason.actor, reason.on.isoformat() if reason.on else "") if x)
            lines.append(f"<b>{reason.label}</b>：{escape(reason.text)}" + (f"（{by}）" if by else ""))
        elif d.review_note:
            lines.append(f"初审意见：{escape(d.review_note)}")
        return "<br>".join(lines)

    def _update_scan_button(self) -> None:
        self.remove_scan_button.setEnabled(
            CaseAction.REMOVE_SCAN in self.allowed and self.files.currentItem() is not None
        )

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
            review_case(
                self.db, self.actor, case_id=self.case_id, passed=passed, note=note, today=self.today,
                seen_version=self.seen_version,
            )  # fmt: skip
        except SubsidyDeskError as exc:
            self.dialogs.error(self, "不能初审", exc.message_zh)
            self.refresh()  # what changed meanwhile is shown
            return
        self.refresh()

    def _withdraw(self) -> None:
        reason = self.dialogs.ask_choice(
            self,
            "撤回案件",
            "撤回后案件仍留在列表中（状态“已撤回”），只能查看，不能再办理，也不再计入申请人的享受次数。\n"
            "请选择或填写撤回原因：",
            WITHDRAW_REASONS,
        )
        if reason is not None:
            self._correct(
                "不能撤回", lambda: withdraw_case(self.db, self.actor, case_id=self.case_id, reason=reason)
            )

    def _revert(self) -> None:
        reason = self.dialogs.ask_text(
            self, "撤销初审", "撤销后案件退回“已受理”，需重新初审。请写明撤销初审的原因（记入办理记录）："
        )
        if reason is not None:
            self._correct(
                "不能撤销初审",
                lambda: revert_review(self.db, self.actor, case_id=self.case_id, reason=reason),
            )

    def _remove_scan(self) -> None:
        item = self.files.currentItem()
        if item is None:
            return
        attachment_id = int(item.data(Qt.ItemDataRole.UserRole))
        reason = self.dialogs.ask_choice(
            self, "删除扫描件", f"从本案件中删除“{item.text()}”。请选择或填写删除原因：", REMOVE_SCAN_REASONS
        )
        if reason is not None:
            self._correct(
                "不能删除扫描件",
                lambda: remove_scan(
                    self.db, self.actor, case_id=self.case_id, attachment_id=attachment_id, reason=reason
                ),
            )

    def _correct(self, title: str, change: Callable[[], object]) -> None:
        try:
            change()
        except SubsidyDeskError as exc:
            self.dialogs.error(self, title, exc.message_zh)
            return
        self.refresh()


def county_text(c: CountyOpinion) -> str:
    """The 县局意见 section: the decision with its amounts, the county's words, where they came from."""
    figures = [f"县局决定：<b>{escape(c.decision)}</b>"]
    if c.approved_fen is not None:
        figures.append(f"核定金额：{format_yuan(c.approved_fen)} 元")
    if c.paid_fen is not None:
        figures.append(f"拨付金额：{format_yuan(c.paid_fen)} 元")
    if c.paid_on is not None:
        figures.append(f"拨付日期：{c.paid_on.isoformat()}")
    lines = ["　".join(figures)]
    if c.reason:
        lines.append(f"{c.reason_label}：{escape(c.reason)}")
    package = f"县局结果包第{c.package}号" if c.package else "县局结果包"
    lines.append(
        f'<span style="color: gray;">{package}，{escape(c.imported_by)} {c.imported_on.isoformat()} 导入</span>'
    )
    return "<br>".join(lines)
