"""What the county list shows (its filter), and which decisions a row allows (plain Python, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from core.packages.county_query import CountyCaseFilter, CountyCaseRow
from core.packages.decisions import APPROVED, RECEIVED


class Action(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    PAID = "paid"
    RESOLVE = "resolve"


@dataclass
class CountyListState:
    filter: CountyCaseFilter = field(default_factory=CountyCaseFilter)

    def set_office(self, office_code: str | None) -> None:
        self.filter = replace(self.filter, office_code=office_code or None)

    def set_status(self, status: str | None) -> None:
        self.filter = replace(self.filter, status=status or None)

    def set_duplicates_only(self, on: bool) -> None:
        self.filter = replace(self.filter, duplicates_only=on)


def allowed_actions(row: CountyCaseRow | None) -> set[Action]:
    """The buttons to enable; core.packages.decisions still checks every rule itself."""
    if row is None:
        return set()
    actions: set[Action] = set()
    if row.status == RECEIVED:
        actions.add(Action.REJECT)
        if not row.open_flags:  # an open duplicate must be resolved first
            actions.add(Action.APPROVE)
    if row.status == APPROVED:
        actions.add(Action.PAID)
    if row.open_flags:
        actions.add(Action.RESOLVE)
    return actions
