"""县局导入: choose a package, verify and import it on a worker (ui/jobs.py), show the per-case report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.actor import Actor
from core.app.county import import_package
from core.app.storage import Database
from core.money import format_yuan
from core.packages.format import ImportStatus
from ui.dialog_service import DialogService
from ui.jobs import Job, run_job

TITLE = "县局：导入批次数据包"
FILTERS = "SubsidyDesk 数据包 (*.zip *.sealed)"


class ImportPackageDialog(QDialog):
    imported = Signal(object)  # the ImportReport, so that a list behind the dialog can refresh

    def __init__(
        self, db: Database, actor: Actor, dialogs: DialogService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.db, self.actor, self.dialogs = db, actor, dialogs
        self.report: Any = None
        self.verdict = QLabel("请选择站所报来的数据包（U盘中的 .zip 文件）。", wordWrap=True)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["案件编号", "申请人", "补贴", "金额（元）", "结果", "说明"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        choose = QPushButton("选择数据包并导入(&O)…")
        choose.clicked.connect(self.choose)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (choose, self.verdict, self.table, buttons):
            layout.addWidget(widget)

    def choose(self) -> None:
        chosen = self.dialogs.open_file(self, "选择数据包", FILTERS)
        if chosen:
            self.run(Path(chosen))

    def run(self, path: Path) -> Job:
        self.verdict.setText(f"正在核验并导入 {path.name}……")
        db, actor = self.db, self.actor
        return run_job(
            self, self.dialogs, lambda _report: import_package(db, actor, path=path), self.show_report,
            title=TITLE, label=f"正在核验并导入 {path.name}……",
        )  # fmt: skip

    def show_report(self, report: Any) -> None:
        from core.packages.county_import import OUTCOME_LABELS

        self.report = report
        self.verdict.setText(report.summary)
        if report.status == ImportStatus.REJECTED:
            self.verdict.setStyleSheet("color: #b00020;")
            self.dialogs.error(self, TITLE, report.summary)
        self.table.setRowCount(len(report.cases))
        for r, case in enumerate(report.cases):
            cells = (case.case_number, case.applicant, case.subsidy_label, format_yuan(case.amount_fen),
                     OUTCOME_LABELS[case.outcome], case.reason)  # fmt: skip
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.imported.emit(report)
