"""The organisation list's table model."""

from __future__ import annotations

from collections.abc import Callable

from core.app.paging import PagedRows
from core.applicant_query import OrganisationListRow
from ui.organisations.state import OrganisationListState
from ui.paging import Column, PagedTableModel

ORGANISATION_COLUMNS: list[Column[OrganisationListRow]] = [
    Column("单位名称", lambda r: r.name),
    Column("统一社会信用代码", lambda r: r.uscc),
    Column("单位类型", lambda r: r.org_type),
    Column("法定代表人", lambda r: r.legal_representative),
    Column("所在镇", lambda r: r.town),
    Column("联系电话", lambda r: r.phone),
]


class OrganisationTableModel(PagedTableModel):
    def __init__(
        self, state: OrganisationListState, rows_for: Callable[[str], PagedRows[OrganisationListRow]]
    ) -> None:
        self.state = state
        self._rows_for = rows_for
        super().__init__(ORGANISATION_COLUMNS, rows_for(state.text))

    def search(self, text: str) -> None:
        self.state.set_text(text)
        self.show_rows(self._rows_for(self.state.text))

    def refresh(self) -> None:
        self.show_rows(self._rows_for(self.state.text))
