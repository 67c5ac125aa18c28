"""The case list and one case's detail, with what the actor may do with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.actor import Actor, Role
from core.app.base import reading
from core.app.paging import PagedRows, keyset_rows
from core.cases.query import CaseFilter, CaseRow, SortKey, case_keyset, count_cases, fetch_cases, villages
from core.cases.states import ACTIONS, CaseAction, CaseStatus, refused
from core.db import Database
from core.ids import CaseId

if TYPE_CHECKING:  # the ORM is not imported at start-up, when the list is first read
    from core.cases.overview import CaseDetail

# Actions that need a role besides the state that allows them.
ROLE_OF_ACTION = {
    CaseAction.REVIEW: Role.HEAD,
    CaseAction.REVERT_REVIEW: Role.HEAD,
    CaseAction.RESUME: Role.CLERK,
    CaseAction.CORRECT: Role.CLERK,
    CaseAction.WITHDRAW: Role.CLERK,
    CaseAction.REMOVE_SCAN: Role.CLERK,
}


@dataclass(frozen=True)
class CaseView:
    detail: CaseDetail
    actions: frozenset[CaseAction]  # what this actor may do now; the use cases check again


def case_rows(db: Database, *, filter: CaseFilter, sort: SortKey, descending: bool) -> PagedRows[CaseRow]:
    """The case list by position: keyset pages, jumps through the sort's index."""
    return keyset_rows(case_keyset(db.reader, filter, sort, descending, db.is_postgres))


# The office head's queue: accepted cases wait for the town review (初审).
REVIEW_QUEUE = CaseFilter(statuses=(CaseStatus.ACCEPTED.value,))
QUEUE_LIMIT = 5000  # far above a town's waiting cases; the queue is read whole to step through it


def review_queue_count(db: Database) -> int:
    """How many cases wait for the town review (已受理), for the list's 待初审 label."""
    with db.reader() as conn:
        return count_cases(conn, REVIEW_QUEUE)


def review_queue(db: Database, *, sort: SortKey, descending: bool) -> list[CaseId]:
    """The cases waiting for the town review, in the order the case list shows them."""
    with db.reader() as conn:
        return [r.id for r in fetch_cases(conn, REVIEW_QUEUE, sort, descending, 0, QUEUE_LIMIT)]


def village_choices(db: Database) -> list[str]:
    with db.reader() as conn:
        return villages(conn)


def actions_for(status: CaseStatus, actor: Actor) -> frozenset[CaseAction]:
    return frozenset(a for a in ACTIONS[status] if ROLE_OF_ACTION.get(a) in (None, *actor.roles))


def case_view(db: Database, actor: Actor, *, case_id: CaseId) -> CaseView:
    from core.app.accounts import single_staff
    from core.cases.duties import intake_clerks
    from core.cases.overview import case_detail

    with reading(db) as s:
        detail = case_detail(s, case_id)
        own = actor.name in intake_clerks(s, case_id)
    actions = actions_for(CaseStatus(detail.status), actor)
    if own and not single_staff(db):  # the reviewer is not the intake clerk (core/cases/duties.py)
        actions -= {CaseAction.REVIEW}
    if not refused(detail.assessment):  # 不予受理告知书 only for a case assessed 不符合条件
        actions -= {CaseAction.PRINT_REFUSAL}
    return CaseView(detail, actions)
