"""The county list's table model: columns of an imported case; rows come from core.app.county."""

from __future__ import annotations

from collections.abc import Callable

from core.app.paging import PagedRows
from core.money import format_yuan
from core.packages.county_query import CountyCaseRow
from core.packages.decisions import DECISION_LABELS
from ui.county.state import CountyListState
from ui.paging import Column, PagedTableModel

RowsFor = Callable[[CountyListState], PagedRows[CountyCaseRow]]


def _fen(value: int | None) -> str:
    return "" if value is None else format_yuan(value)


def county_columns(subsidy_name: Callable[[str, str], str]) -> list[Column[CountyCaseRow]]:
    return [
        Column("站所", lambda r: r.office_code),
        Column("案件编号", lambda r: r.case_number),
        Column("申请人", lambda r: r.applicant_name),
        Column("证件号", lambda r: r.id_masked),
        Column("补贴项目", lambda r: subsidy_name(r.catalog_id, r.subsidy_id)),
        Column("申请金额（元）", lambda r: format_yuan(r.amount_fen), align_right=True),
        Column("状态", lambda r: DECISION_LABELS.get(r.status, r.status)),
        Column("核定/拨付（元）", lambda r: _fen(r.decided_fen), align_right=True),
        Column("拨付日期", lambda r: r.paid_on.isoformat() if r.paid_on else ""),
        Column("重复申报", lambda r: "、".join(f"#{i}" for i in r.open_flags)),
        Column("理由", lambda r: r.reason),
    ]


class CountyCaseModel(PagedTableModel):
    def __init__(
        self, state: CountyListState, rows_for: RowsFor, subsidy_name: Callable[[str, str], str]
    ) -> None:
        super().__init__(county_columns(subsidy_name), rows_for(state))
        self.state = state
        self._rows_for = rows_for

    def refresh(self) -> None:
        """Query again with the current filter (after a filter change, a decision or an import)."""
        self.show_rows(self._rows_for(self.state))
