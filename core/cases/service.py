"""Creating and changing cases; every change is written with its audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from core import audit
from core.cases.states import CaseStatus, can_move, status_label
from core.db.models import Case
from core.errors import NotFoundError, SubsidyDeskError


@dataclass
class CaseDraft:
    office_id: int
    catalog_id: str
    catalog_version: str
    subsidy_id: str
    application_date: dt.date
    person_id: int | None = None
    organisation_id: int | None = None
    catalog_hash: str = ""
    event_date: dt.date | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    amount_fen: int | None = None
    status: CaseStatus = CaseStatus.DRAFT
    case_number: str | None = None


_AUDITED = (
    "case_number",
    "status",
    "subsidy_id",
    "application_date",
    "event_date",
    "amount_fen",
    "facts",
    "person_id",
    "organisation_id",
    "catalog_id",
    "catalog_version",
    "catalog_hash",
    "note",
    "submitted_by",
    "handler_name",
    "accepted_on",
    "materials_due_on",
    "reviewed_by",
    "reviewed_on",
    "review_note",
)


def _snapshot(case: Case) -> dict[str, Any]:
    return {k: getattr(case, k) for k in _AUDITED}


def create_case(session: Session, draft: CaseDraft, actor: str) -> Case:
    if (draft.person_id is None) == (draft.organisation_id is None):
        raise SubsidyDeskError("CASE_APPLICANT", "每个案件必须有且只有一个申请人（个人或单位）。")
    case = Case(
        office_id=draft.office_id,
        person_id=draft.person_id,
        organisation_id=draft.organisation_id,
        catalog_id=draft.catalog_id,
        catalog_version=draft.catalog_version,
        catalog_hash=draft.catalog_hash,
        subsidy_id=draft.subsidy_id,
        status=draft.status.value,
        application_date=draft.application_date,
        event_date=draft.event_date,
        facts=dict(draft.facts),
        amount_fen=draft.amount_fen,
        case_number=draft.case_number,
        created_by=actor,
    )
    session.add(case)
    session.flush()
    audit.record(session, actor, "create", "case", case.uuid, audit.diff({}, _snapshot(case)))
    return case


def get_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFoundError("CASE_NOT_FOUND", "找不到该案件，可能已被删除，请刷新列表。")
    return case


def update_case(
    session: Session,
    case_id: int,
    changes: dict[str, Any],
    actor: str,
    *,
    action: str = "update",
    reason: str = "",
) -> Case:
    """Apply field changes; the audit event keeps old and new values.

    A correction (撤回, 撤销初审) names itself in `action` and carries its `reason` in the same
    event, so the trail reads as one step."""
    case = get_case(session, case_id)
    unknown = set(changes) - set(_AUDITED)
    if unknown:
        raise SubsidyDeskError("CASE_FIELD", f"案件没有这些字段：{', '.join(sorted(unknown))}。")
    before = _snapshot(case)
    if "status" in changes:
        _check_move(case, CaseStatus(changes["status"]))
    for k, v in changes.items():
        setattr(case, k, v)
    session.flush()
    diff: dict[str, Any] = audit.diff(before, _snapshot(case))
    if reason:
        diff["reason"] = [None, reason]
    if diff:
        audit.record(session, actor, action, "case", case.uuid, diff)
    return case


def _check_move(case: Case, target: CaseStatus) -> None:
    current = CaseStatus(case.status)
    if current != target and not can_move(current, target):
        raise SubsidyDeskError(
            "CASE_BAD_TRANSITION",
            f"案件当前状态为“{status_label(current)}”，不能直接改为“{status_label(target)}”。",
        )
