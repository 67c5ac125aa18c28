"""Cases in an exported batch are read-only; recalling one takes it out, for a new batch.

`ensure_editable(session, case)` is what the case service (and any editor) calls before a change.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.cases.service import get_case, update_case
from core.cases.states import CaseStatus, status_label
from core.db.models import Case, utcnow
from core.packages.errors import PackageError
from core.packages.models import Batch, BatchCase


def active_batch_case_ids(session: Session) -> set[int]:
    return set(session.scalars(select(BatchCase.case_id).where(BatchCase.recalled_at.is_(None))))


def active_batch(session: Session, case_id: int) -> Batch | None:
    stmt = (
        select(Batch)
        .join(BatchCase, BatchCase.batch_id == Batch.id)
        .where(BatchCase.case_id == case_id, BatchCase.recalled_at.is_(None))
    )
    return session.scalars(stmt).first()


def ensure_editable(session: Session, case: Case) -> None:
    """Refuse any change to a case that sits in an exported batch (上报后不得修改)."""
    batch = active_batch(session, case.id)
    if batch is not None:
        raise PackageError(
            "CASE_IN_EXPORTED_BATCH",
            f"案件 {case.case_number or case.id} 已随第{batch.number}批上报县局，不能再修改。"
            "如确需修改，请先“撤回”该案件（撤回后须重新上报，进入新的批次）。",
        )


def recall_case(session: Session, case_id: int, actor: str, reason: str) -> Case:
    """Take a case back out of its batch (before the county decided) so it can be corrected."""
    case = get_case(session, case_id)
    if not reason.strip():
        raise PackageError("RECALL_REASON", "撤回案件必须填写撤回原因。")
    if case.status != CaseStatus.EXPORTED.value:
        raise PackageError(
            "RECALL_NOT_EXPORTED",
            f"案件当前状态为“{status_label(case.status)}”，只有“已上报县局”的案件可以撤回。",
        )
    link = session.scalars(
        select(BatchCase).where(BatchCase.case_id == case_id, BatchCase.recalled_at.is_(None))
    ).first()
    if link is not None:
        link.recalled_at = utcnow()
        link.recall_reason = reason.strip()
    update_case(session, case_id, {"status": CaseStatus.REVIEW_PASSED.value}, actor)
    audit.record(session, actor, "recall", "case", case.uuid, {"reason": [None, reason.strip()]})
    return case
