"""What the county list shows: its filter (plain Python, no Qt). It opens on the queue."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from core.packages.county_query import CountyCaseFilter
from core.packages.decision_rules import RECEIVED


def queue() -> CountyCaseFilter:
    """The cases waiting for the county's decision (待审核), from every office."""
    return CountyCaseFilter(status=RECEIVED)


@dataclass
class CountyListState:
    filter: CountyCaseFilter = field(default_factory=queue)

    def set_office(self, office_code: str | None) -> None:
        self.filter = replace(self.filter, office_code=office_code or None)

    def set_status(self, status: str | None) -> None:
        self.filter = replace(self.filter, status=status or None)

    def set_duplicates_only(self, on: bool) -> None:
        self.filter = replace(self.filter, duplicates_only=on)

    @property
    def is_queue(self) -> bool:
        return self.filter.status == RECEIVED
