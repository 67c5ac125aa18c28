"""导入县局审核结果: what the county's result package did to each case, in one table.

Per case: its number and applicant, the county's decision (县局审核通过 / 县局未通过 / 已拨付),
the approved and paid amounts with the payment date, and the county's reason or note, all in
core's words (core/app/batches.ResultChange). Double-click or Enter opens the case's detail,
where the same decision stays in its 县局意见 section. Not modal: the case list behind it is
refreshed and stays usable while the clerk reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.ids import CaseId
from core.money import format_yuan
from core.packages.format import ImportStatus
from ui.dialog_service import DialogService

if TYPE_CHECKING:
    from core.app.batches import ResultChange, ResultsImport

TITLE = "导入县局审核结果"
COLUMNS = ("受理编号", "申请人", "县局结果", "核定金额（元）", "拨付金额（元）", "拨付日期", "县局意见")
MONEY_COLUMNS = (3, 4)


def _cells(c: ResultChange) -> tuple[str, ...]:
    def yuan(fen: int | None) -> str:
        return "" if fen is None else format_yuan(fen)

    opinion = f"{c.reason_label}：{c.detail}" if c.detail else ""
    day = c.paid_on.isoformat() if c.paid_on else ""
    return (c.case_number, c.applicant, c.outcome, yuan(c.approved_fen), yuan(c.paid_fen), day, opinion)


class ResultsSummaryDialog(QDialog):
    def __init__(
        self, report: ResultsImport, open_case: Callable[[CaseId], object], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(900, 420)
        self.report, self._open_case = report, open_case
        self.summary = QLabel(report.summary, wordWrap=True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(len(report.changes), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        for row, change in enumerate(report.changes):
            for column, text in enumerate(_cells(change)):
                item = QTableWidgetItem(text)
                if column in MONEY_COLUMNS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        hint = QLabel("双击一行（或选中后按回车）打开该案件，县局意见也记在案件详情中。")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.table, hint, buttons):
            layout.addWidget(widget)
        if report.changes:
            self.table.selectRow(0)

    def open_row(self, row: int) -> None:
        """The case of row `row` in its detail dialog (rows of cases this office lacks open nothing)."""
        if 0 <= row < len(self.report.changes):
            case_id = self.report.changes[row].case_id
            if case_id is not None:
                self._open_case(case_id)


def show_results(
    parent: QWidget | None,
    dialogs: DialogService,
    report: ResultsImport,
    open_case: Callable[[CaseId], object],
) -> ResultsSummaryDialog | None:
    """A refused or repeated package in one box; an imported one case by case, in the table."""
    if report.status != ImportStatus.IMPORTED or not report.changes:
        show = dialogs.error if report.status == ImportStatus.REJECTED else dialogs.info
        show(parent, "导入县局结果", report.summary)
        return None
    dialog = ResultsSummaryDialog(report, open_case, parent)
    dialog.show()
    return dialog
