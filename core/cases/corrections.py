"""Corrections: withdrawing a case, removing a scan, reverting the town review.

Each is allowed by the state table (core/cases/states.py ACTIONS), needs a reason, and is one
audit event naming what changed and why. Nothing is deleted from the audit trail; a withdrawn
case stays in the list, read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.attachments import AttachmentStore
from core.cases.service import get_case, update_case
from core.cases.states import CaseAction, CaseStatus, allows, status_label
from core.db.models import Attachment, Case
from core.errors import InvalidInput, NotFoundError, SubsidyDeskError, ValidationError

MAX_REASON = 200  # characters: a sentence or two, as on paper


@dataclass(frozen=True)
class RemovedFile:
    sha256: str
    filename: str
    material_id: str | None


def check_reason(text: str, code: str, field: str, examples: str) -> str:
    """A reason is required, and short enough to read in the timeline and on paper."""
    clean = " ".join(text.split())
    if not clean:
        raise InvalidInput([ValidationError(code, field, f"请填写{field}（如：{examples}）。")])
    if len(clean) > MAX_REASON:
        raise InvalidInput(
            [ValidationError(code, field, f"{field}最多{MAX_REASON}个字，现在有{len(clean)}个字，请简写。")]
        )
    return clean


def _refuse(case: Case, code: str, what: str, hint: str) -> SubsidyDeskError:
    return SubsidyDeskError(code, f"案件当前状态为“{status_label(case.status)}”，不能{what}。{hint}")


def withdraw_case(session: Session, case_id: int, reason: str, actor: str) -> Case:
    """撤回: the case stays, read-only, and no longer counts against the applicant's limits."""
    case = get_case(session, case_id)
    if not allows(case.status, CaseAction.WITHDRAW):
        hint = (
            "已初审通过的案件，请先由所长撤销初审，再撤回。"
            if case.status == CaseStatus.REVIEW_PASSED
            else "只有草稿、待补材料、已受理（尚未初审）和初审未通过的案件可以撤回。"
        )
        raise _refuse(case, "CASE_CANNOT_WITHDRAW", "撤回", hint)
    text = check_reason(reason, "WITHDRAW_REASON", "撤回原因", "申请人主动撤回、重复登记、录入错误")
    return update_case(
        session, case_id, {"status": CaseStatus.WITHDRAWN.value}, actor, action="withdraw", reason=text
    )


def revert_review(session: Session, case_id: int, reason: str, actor: str) -> Case:
    """撤销初审: back to 已受理 for a new review; the old review stays in the audit trail.
    Who may revert (the office head) is the use case's check (core.app.review)."""
    case = get_case(session, case_id)
    if not allows(case.status, CaseAction.REVERT_REVIEW):
        hint = (
            "已上报县局的案件不能再撤销初审；如需更正，请先从上报批次中撤回该案件。"
            if case.status == CaseStatus.EXPORTED
            else "只有“初审通过”或“初审未通过”、尚未上报县局的案件可以撤销初审。"
        )
        raise _refuse(case, "CASE_CANNOT_REVERT", "撤销初审", hint)
    text = check_reason(reason, "REVERT_REASON", "撤销初审的原因", "初审时漏看了材料、初审意见写错")
    changes = {"status": CaseStatus.ACCEPTED.value, "reviewed_by": "", "reviewed_on": None, "review_note": ""}
    return update_case(session, case_id, changes, actor, action="revert_review", reason=text)


def remove_attachment(
    session: Session, case_id: int, attachment_id: int, reason: str, actor: str
) -> RemovedFile:
    """删除扫描件: the scan leaves the case; the audit event names the file and the reason."""
    case = get_case(session, case_id)
    if not allows(case.status, CaseAction.REMOVE_SCAN):
        hint = "受理后、初审前的案件可在“更正”时删除；初审通过或已上报的案件，请先由所长撤销初审。"
        raise _refuse(case, "CASE_READ_ONLY", "删除扫描件", hint)
    att = session.get(Attachment, attachment_id)
    if att is None or att.case_id != case.id:
        raise NotFoundError("SCAN_NOT_FOUND", "找不到该扫描件，可能已被删除，请关闭后重新打开案件。")
    text = check_reason(reason, "REMOVE_SCAN_REASON", "删除原因", "扫错文件、重复附加")
    removed = RemovedFile(att.sha256, att.filename, att.material_id)
    session.delete(att)
    session.flush()
    audit.record(
        session,
        actor,
        "detach",
        "case",
        case.uuid,
        {
            "attachment": [f"{removed.filename} ({removed.sha256[:12]})", None],
            "material": [removed.material_id, None],
            "reason": [None, text],
        },
    )
    return removed


def file_in_use(session: Session, sha256: str) -> bool:
    """Another case (or another line of this one) still has a scan with this content."""
    return bool(
        session.scalar(select(func.count()).select_from(Attachment).where(Attachment.sha256 == sha256))
    )


def discard_file(store: AttachmentStore, sha256: str) -> bool:
    """Delete a stored file no case uses any more (after the removal is committed)."""
    path: Path = store.path_for(sha256)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
