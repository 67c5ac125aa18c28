"""Step 3b, for organisation subsidies paid per worker: the roster (花名册) from Excel.

The clerk gives the organisation the template, imports the filled file, and sees every
problem by row and column; rows with errors are left out until the file is corrected.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from core.app import intake as ops
from core.errors import SubsidyDeskError
from ui.intake.context import IntakeContext
from ui.intake.step import StepPage, focus_later
from ui.jobs import Job, run_job
from ui.shield import shielded

XLSX_FILTER = "Excel 花名册 (*.xlsx)"
TITLE = "不能导入花名册"

if TYPE_CHECKING:
    from core.cases.roster import RosterImport


class RosterPage(StepPage):
    def __init__(self, ctx: IntakeContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle("第3步（续）：人员花名册")
        self.setSubTitle("请单位按模板填写花名册（Excel），再导入。有错误的行不会导入，请改正后重新导入。")
        self.template_button = QPushButton("保存花名册模板(&T)…")
        self.import_button = QPushButton("导入花名册(&I)…")
        self.summary = QLabel(wordWrap=True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["姓名", "身份证号", "人员类别"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.problems = QListWidget()
        buttons = QHBoxLayout()
        buttons.addWidget(self.template_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel("问题清单："))
        layout.addWidget(self.problems, 2)
        for button in (self.template_button, self.import_button):
            button.setAutoDefault(False)  # Enter still means 下一步, even with a button focused
        self.template_button.clicked.connect(self.save_template)
        self.import_button.clicked.connect(self.pick_and_import)

    @shielded(None)
    def initializePage(self) -> None:
        self.problems.clear()
        self._show_rows()
        focus_later(self.import_button)

    def _show_rows(self) -> None:
        rows = ops.roster_lines(self.ctx.db, case_id=self.ctx.require_case())
        self.table.setRowCount(len(rows))
        for r, line in enumerate(rows):
            for c, value in enumerate((line.name, line.id_number_masked, line.categories)):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.summary.setText(f"花名册共 {len(rows)} 人。" if rows else "尚未导入花名册。")

    def save_template(self) -> None:
        subsidy = self.ctx.subsidy()
        path = self.ctx.dialogs.save_file(
            self, "保存花名册模板", f"{subsidy.name}花名册模板.xlsx", XLSX_FILTER
        )
        if not path:
            return
        try:
            ops.save_roster_template(catalog_id=self.ctx.catalog_id, subsidy_id=subsidy.id, target=Path(path))
        except SubsidyDeskError as exc:
            self.ctx.dialogs.error(self, "不能保存模板", exc.message_zh)
            return
        self.summary.setText(f"模板已保存到 {path}")

    def pick_and_import(self) -> None:
        path = self.ctx.dialogs.open_file(self, "选择填好的花名册", XLSX_FILTER)
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> Job:
        """Read and check the workbook on a worker; the clerk then decides, and the rows are saved."""
        db, case_id = self.ctx.db, self.ctx.require_case()
        return run_job(
            self, self.ctx.dialogs, lambda _report: ops.read_roster(db, case_id=case_id, path=path),
            self._checked, title=TITLE, label=f"正在读取和核对 {path.name}……",
        )  # fmt: skip

    def _checked(self, result: RosterImport) -> None:
        self.problems.clear()
        for p in result.problems:
            self.problems.addItem(("错误：" if p.severity == "error" else "提示：") + p.message_zh)
        if result.errors and not self.ctx.dialogs.confirm(
            self,
            "花名册有错误",
            f"有 {result.counts.rejected} 行有错误，不会导入。只导入其余 {result.counts.valid} 行吗？"
            "（也可以先改正 Excel 后重新导入）",
        ):
            return
        db, actor, case_id, rows = self.ctx.db, self.ctx.actor, self.ctx.require_case(), list(result.rows)
        run_job(
            self, self.ctx.dialogs, lambda _report: ops.save_roster(db, actor, case_id=case_id, rows=rows),
            self._saved, title=TITLE, label=f"正在保存花名册（{len(rows)}人）……",
        )  # fmt: skip

    def _saved(self, _count: int) -> None:
        self._show_rows()
        self.completeChanged.emit()
