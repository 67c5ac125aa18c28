"""Separation of duties: the office head who reviews a case (初审) is not the clerk who took it in.

The intake clerk of a case is who created it and who accepted it (受理), as the case and its
audit trail name them. An office the 管理员 has set to 单人办公 (one member of staff) may
review its own cases; each such review is recorded as its own audit event (`self_review`),
which travels with the case's history in the batch package, so the county sees it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core import audit
from core.actor import PermissionDenied
from core.cases.service import get_case
from core.cases.states import CaseStatus

SELF_REVIEW = "self_review"


def intake_clerks(session: Session, case_id: int) -> set[str]:
    case = get_case(session, case_id)
    names = {case.created_by} if case.created_by else set()
    for event in audit.history(session, "case", case.uuid):
        if event.action == "create":
            names.add(event.actor)
        status = (event.changes or {}).get("status")
        if event.action == "update" and isinstance(status, list) and status[-1] == CaseStatus.ACCEPTED.value:
            names.add(event.actor)
    return names


def check_reviewer(session: Session, case_id: int, reviewer: str, single_staff: bool) -> bool:
    """Whether this review is a self-review (allowed only in 单人办公); refused otherwise."""
    if reviewer not in intake_clerks(session, case_id):
        return False
    if not single_staff:
        raise PermissionDenied(
            "SELF_REVIEW",
            "这件案件是您本人受理的，不能由您初审：请由本所另一位所长初审。"
            "本所只有一名工作人员的，可由管理员在“设置 → 账户管理”中设为单人办公。",
        )
    return True


def record_self_review(session: Session, case_id: int, reviewer: str) -> None:
    case = get_case(session, case_id)
    audit.record(session, reviewer, SELF_REVIEW, "case", case.uuid, {"single_staff": [None, True]})
