"""The office head's queue (待初审) as the window uses it: the tab's count, and stepping from one
waiting case to the next in the case detail."""

from __future__ import annotations

from collections.abc import Callable

from core.actor import Actor, Role, Station
from core.app import cases as case_ops
from core.app.storage import Database
from core.ids import CaseId
from ui.cases.state import CaseListState, next_in_queue


def case_tab_text(actor: Actor, waiting: int) -> str:
    """The case tab's title: the office head sees his queue on it, whichever tab is in front."""
    if actor.has(Role.HEAD) and actor.station == Station.TOWN:
        return f"案件（待初审 {waiting}）"
    return "案件"


def queue_stepper(db: Database, state: CaseListState) -> Callable[[CaseId], CaseId | None]:
    """The next waiting case after a given one: the queue as it was when the head opened a case,
    in the list's order, then whatever still waits."""
    order = case_ops.review_queue(db, sort=state.sort, descending=state.descending)

    def following(current: CaseId) -> CaseId | None:
        waiting = case_ops.review_queue(db, sort=state.sort, descending=state.descending)
        return next_in_queue(order, waiting, current)

    return following
