"""What the case list shows: its filter and sort order (plain Python, no Qt)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from core.cases.query import CaseFilter, SortKey
from core.cases.states import CaseStatus
from core.ids import CaseId

# The office head's queue (待初审): the cases the office has accepted and not yet reviewed.
QUEUE_STATUS = CaseStatus.ACCEPTED.value


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

    @property
    def is_queue(self) -> bool:
        return self.filter.statuses == (QUEUE_STATUS,)


def next_in_queue(order: Sequence[CaseId], waiting: Sequence[CaseId], current: CaseId) -> CaseId | None:
    """The case to review after `current`: the next one of `order` (the queue as the head began it)
    that still waits, else the first of `waiting` (the queue now); never `current` itself."""
    still = set(waiting)
    later = list(order[order.index(current) + 1 :]) if current in order else []
    return next((c for c in [*later, *waiting] if c in still and c != current), None)
