"""安装政策目录更新 (town): choose the county's update, read what it changes, let the office head install it.

Verification and the trial re-assessment run on a worker (ui/jobs.py). The dialog then shows
what changes in the catalog (subsidies, amounts, dates, readings) and, for every draft and
pending case, its result now and under the update. After installation the same table shows
the cases as re-assessed, so the clerk sees each difference before going on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app import catalog_updates as ops
from core.app.storage import Database
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job

TITLE = "安装政策目录更新"
FILTERS = "政策目录更新包 (*.zip)"
CHANGED = QColor("#fff3cd")


class InstallCatalogUpdateDialog(QDialog):
    def __init__(
        self, db: Database, actor: Actor, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(900, 600)
        self.db, self.actor, self.dialogs = db, actor, dialogs
        self.path: Path | None = None
        self.offer: ops.UpdateOffer | None = None
        self.outcome: ops.InstallResult | None = None
        self.verdict = QLabel("请选择县局发来的政策目录更新包（U盘中的 .zip 文件）。", wordWrap=True)
        self.changes = QPlainTextEdit(readOnly=True)
        self.changes.setPlaceholderText("这里列出更新后政策目录的变化：补贴、金额、日期、解读。")
        self.cases_label = QLabel("草稿和待补材料的案件：")
        self.cases = QTableWidget(0, 5)
        self.cases.setHorizontalHeaderLabels(["案件", "申请人", "补贴", "现在的结果", "更新后的结果"])
        self.cases.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.cases.horizontalHeader().setStretchLastSection(True)
        self.choose_button = QPushButton("选择更新包(&S)…")
        self.install_button = QPushButton("安装更新(&I)…")
        self.install_button.setEnabled(False)
        self.choose_button.clicked.connect(self.choose)
        self.install_button.clicked.connect(self.install)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.choose_button, self.verdict, self.changes, self.cases_label, self.cases):
            layout.addWidget(widget)
        layout.addWidget(self.install_button)
        layout.addWidget(buttons)

    def choose(self) -> Job | None:
        chosen = self.dialogs.open_file(self, "选择政策目录更新包", FILTERS)
        return self.inspect(Path(chosen)) if chosen else None

    def inspect(self, path: Path) -> Job:
        self.path, self.offer = path, None
        self.install_button.setEnabled(False)
        db, actor = self.db, self.actor
        return run_job(
            self, self.dialogs, lambda _report: ops.inspect_update(db, actor, path=path), self.show_offer,
            title=TITLE, label=f"正在核验 {path.name}……", on_failed=self._refused,
        )  # fmt: skip

    def _refused(self, message: str) -> None:
        self.verdict.setText(message)
        self.verdict.setStyleSheet("color: #b00020;")
        self.changes.clear()
        self.cases.setRowCount(0)
        self.dialogs.error(self, TITLE, message)

    def show_offer(self, offer: ops.UpdateOffer) -> None:
        self.offer = offer
        self.verdict.setStyleSheet("")
        self.verdict.setText(
            f"更新包核验通过（县局签名有效）：“{offer.title}”版本 {offer.version_from} → {offer.version_to}。"
            f"安装后，草稿和待补材料的 {len(offer.cases)} 件案件将重新评估，"
            f"其中结果会变化的 {len(offer.changed_cases)} 件（黄色标出）。安装须由所长确认。"
        )
        self.changes.setPlainText("\n".join(offer.changes) or "（政策目录内容没有变化）")
        self.cases_label.setText("草稿和待补材料的案件（安装前试算）：")
        self._fill(offer.cases)
        self.install_button.setEnabled(True)

    def _fill(self, cases: tuple[ops.CaseChange, ...]) -> None:
        self.cases.setRowCount(len(cases))
        for r, case in enumerate(cases):
            for c, text in enumerate((case.case, case.applicant, case.subsidy, case.before, case.after)):
                item = QTableWidgetItem(text)
                if case.changed:
                    item.setBackground(CHANGED)
                self.cases.setItem(r, c, item)
        self.cases.resizeColumnsToContents()

    def install(self) -> Job | None:
        offer, path = self.offer, self.path
        if offer is None or path is None:
            return None
        question = (
            f"安装“{offer.title}”版本 {offer.version_to}吗？\n安装后按新版本受理和评估；"
            f"已受理的案件保持原来评估时的版本。草稿和待补材料的 {len(offer.cases)} 件案件将重新评估。"
        )
        if not self.dialogs.confirm(self, TITLE, question):
            return None
        db, actor, sha = self.db, self.actor, offer.manifest_sha256
        return run_job(
            self, self.dialogs,
            lambda _report: ops.install_update(db, actor, path=path, manifest_sha256=sha), self.installed,
            title=TITLE, label="正在安装并重新评估……",
        )  # fmt: skip

    def installed(self, result: Any) -> None:
        self.outcome = result
        self.install_button.setEnabled(False)
        changed = any(c.changed for c in result.cases)
        hint = " 请逐件查看下表中结果有变化的案件（黄色标出）后再继续办理。" if changed else ""
        self.verdict.setText(result.summary + hint)
        self.cases_label.setText("重新评估后的结果：")
        self._fill(result.cases)
        self.dialogs.info(self, TITLE, result.summary)
