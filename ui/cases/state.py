"""What the case list shows: its filter and sort order (plain Python, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from core.cases.query import CaseFilter, SortKey


@dataclass
class CaseListState:
    filter: CaseFilter = field(default_factory=CaseFilter)
    sort: SortKey = SortKey.APPLICATION_DATE
    descending: bool = True

    def set_text(self, text: str) -> None:
        self.filter = replace(self.filter, text=text)

    def set_status(self, status: str | None) -> None:
        self.filter = replace(self.filter, statuses=(status,) if status else ())

    def set_subsidy(self, subsidy_id: str | None) -> None:
        self.filter = replace(self.filter, subsidy_id=subsidy_id or None)

    def set_village(self, village: str | None) -> None:
        self.filter = replace(self.filter, village=village or None)
