"""The case list's table model: columns of a case row, sorting asked of the database."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

from core.app.paging import PagedRows
from core.cases.query import CaseRow, SortKey
from core.cases.states import status_label
from core.money import format_yuan
from ui.cases.state import CaseListState
from ui.paging import Column, PagedTableModel
from ui.shield import shielded

RowsFor = Callable[[CaseListState], PagedRows[CaseRow]]


def case_columns(subsidy_name: Callable[[str, str], str]) -> list[Column[CaseRow]]:
    return [
        Column("受理编号", lambda r: r.case_number or "（未受理）", SortKey.CASE_NUMBER),
        Column("申请人", lambda r: r.applicant_name, SortKey.APPLICANT),
        Column("身份证号/信用代码", lambda r: r.applicant_key_masked),
        Column("村", lambda r: r.village),
        Column("补贴项目", lambda r: subsidy_name(r.catalog_id, r.subsidy_id), SortKey.SUBSIDY),
        Column("申请日期", lambda r: r.application_date.isoformat(), SortKey.APPLICATION_DATE),
        Column("状态", lambda r: status_label(r.status), SortKey.STATUS),
        Column(
            "金额（元）",
            lambda r: "" if r.amount_fen is None else format_yuan(r.amount_fen),
            SortKey.AMOUNT,
            align_right=True,
        ),
    ]


class CaseTableModel(PagedTableModel):
    def __init__(
        self, state: CaseListState, rows_for: RowsFor, subsidy_name: Callable[[str, str], str]
    ) -> None:
        super().__init__(case_columns(subsidy_name), rows_for(state))
        self.state = state
        self._rows_for = rows_for

    def refresh(self) -> None:
        """Query again with the current state (after a filter or sort change, or a save)."""
        self.show_rows(self._rows_for(self.state))

    @shielded(None)
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort_key
        if key is None:
            return
        self.state.sort = SortKey(key)
        self.state.descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()
