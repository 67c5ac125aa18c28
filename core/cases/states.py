"""The states a case passes through, with the clerk's word for each."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class CaseStatus(StrEnum):
    DRAFT = "draft"
    PENDING_MATERIALS = "pending_materials"
    ACCEPTED = "accepted"
    REVIEW_PASSED = "review_passed"
    REVIEW_FAILED = "review_failed"
    EXPORTED = "exported"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"
    WITHDRAWN = "withdrawn"


STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.DRAFT: "草稿",
    CaseStatus.PENDING_MATERIALS: "待补材料",
    CaseStatus.ACCEPTED: "已受理",
    CaseStatus.REVIEW_PASSED: "初审通过",
    CaseStatus.REVIEW_FAILED: "初审未通过",
    CaseStatus.EXPORTED: "已上报县局",
    CaseStatus.APPROVED: "县局审核通过",
    CaseStatus.REJECTED: "县局未通过",
    CaseStatus.PAID: "已拨付",
    CaseStatus.WITHDRAWN: "已撤回",
}

# Which moves are allowed; everything else is refused by the case service.
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.DRAFT: frozenset({CaseStatus.PENDING_MATERIALS, CaseStatus.ACCEPTED, CaseStatus.WITHDRAWN}),
    CaseStatus.PENDING_MATERIALS: frozenset({CaseStatus.ACCEPTED, CaseStatus.WITHDRAWN}),
    CaseStatus.ACCEPTED: frozenset(
        {CaseStatus.REVIEW_PASSED, CaseStatus.REVIEW_FAILED, CaseStatus.WITHDRAWN}
    ),
    CaseStatus.REVIEW_PASSED: frozenset({CaseStatus.EXPORTED, CaseStatus.ACCEPTED}),
    CaseStatus.REVIEW_FAILED: frozenset({CaseStatus.ACCEPTED, CaseStatus.WITHDRAWN}),
    CaseStatus.EXPORTED: frozenset({CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.REVIEW_PASSED}),
    CaseStatus.APPROVED: frozenset({CaseStatus.PAID}),
    CaseStatus.REJECTED: frozenset(),
    CaseStatus.PAID: frozenset(),
    CaseStatus.WITHDRAWN: frozenset(),
}


def status_label(value: str) -> str:
    try:
        return STATUS_LABELS[CaseStatus(value)]
    except ValueError:
        return value


def can_move(current: CaseStatus, target: CaseStatus) -> bool:
    return target in TRANSITIONS[current]


class CaseAction(StrEnum):
    """What a person can do with a case from its detail screen."""

    RESUME = "resume"  # 继续办理: back into the intake wizard
    CORRECT = "correct"  # 更正: an accepted case, before the town review (audited, number kept)
    REVIEW = "review"  # 初审 by the office head
    WITHDRAW = "withdraw"  # 撤回, with a reason: the case stays in the list, read-only
    REMOVE_SCAN = "remove_scan"  # 删除扫描件, with a reason, while the case can still be changed
    REVERT_REVIEW = "revert_review"  # 撤销初审 by the office head: back to 已受理, until exported
    PRINT_FORM = "print_form"  # 申请表
    PRINT_RECEIPT = "print_receipt"  # 受理回执: only for a case the office has accepted
    PRINT_NOTICE = "print_notice"  # 一次性告知书: while materials are missing
    PRINT_REFUSAL = "print_refusal"  # 不予受理告知书: the stored assessment is 不符合条件
    PRINT_REVIEW_FAILED = "print_review_failed"  # 初审不通过告知书, with the office head's reason


_PRINT_ACCEPTED = frozenset({CaseAction.PRINT_FORM, CaseAction.PRINT_RECEIPT})
_BEFORE_ACCEPTANCE = frozenset(
    {
        CaseAction.RESUME,
        CaseAction.WITHDRAW,
        CaseAction.REMOVE_SCAN,
        CaseAction.PRINT_FORM,
        CaseAction.PRINT_NOTICE,
        CaseAction.PRINT_REFUSAL,
    }
)

# Which actions each state allows; the services refuse the rest and the detail screen enables
# its buttons from this table. How the corrections read:
# - 撤回 (withdraw) ends a case that will not go on: a draft or a case waiting for materials,
#   and also an accepted case the office head has not yet reviewed, or one that failed the
#   review (the applicant gives up, or it was entered twice). A case the head has passed is
#   his signature: he reverts the review first. Nothing is deleted: the case keeps its number,
#   stays in the list (状态 已撤回), can only be read, and no longer counts against the
#   applicant's limits (core/cases/history.py).
# - 删除扫描件 (remove a scan) is allowed wherever a scan may be attached: before acceptance,
#   and while an accepted case is corrected before the review (a wrong person's ID card must
#   not stay in a case that is about to be reviewed and exported).
# - 撤销初审 (revert the town review) is the office head's, for a passed or failed review, until
#   the case is exported; after that a correction goes through a recall from the batch.
# - 不予受理告知书 is printed for a case refused at intake (a draft, a case waiting for
#   materials, or one withdrawn after the refusal, to print it again for the file), when its
#   stored assessment is 不符合条件 (core/app/cases.py and core/printing/service.py check that).
ACTIONS: dict[CaseStatus, frozenset[CaseAction]] = {
    CaseStatus.DRAFT: _BEFORE_ACCEPTANCE,
    CaseStatus.PENDING_MATERIALS: _BEFORE_ACCEPTANCE,
    CaseStatus.ACCEPTED: _PRINT_ACCEPTED
    | {CaseAction.CORRECT, CaseAction.REVIEW, CaseAction.WITHDRAW, CaseAction.REMOVE_SCAN},
    CaseStatus.REVIEW_PASSED: _PRINT_ACCEPTED | {CaseAction.REVERT_REVIEW},
    CaseStatus.REVIEW_FAILED: _PRINT_ACCEPTED
    | {
        CaseAction.RESUME,
        CaseAction.REVERT_REVIEW,
        CaseAction.WITHDRAW,
        CaseAction.REMOVE_SCAN,
        CaseAction.PRINT_REVIEW_FAILED,
    },
    CaseStatus.EXPORTED: _PRINT_ACCEPTED,
    CaseStatus.APPROVED: _PRINT_ACCEPTED,
    CaseStatus.REJECTED: _PRINT_ACCEPTED,
    CaseStatus.PAID: _PRINT_ACCEPTED,
    CaseStatus.WITHDRAWN: frozenset({CaseAction.PRINT_FORM, CaseAction.PRINT_REFUSAL}),
}

# The facts, checklist and scans of a case can be changed in these states only.
EDITABLE = frozenset(s for s, acts in ACTIONS.items() if acts & {CaseAction.RESUME, CaseAction.CORRECT})

# Reasons offered when a case is withdrawn or a scan removed; the clerk may write another.
WITHDRAW_REASONS = ("申请人主动撤回", "重复登记", "录入错误", "不符合条件，不予受理")
REMOVE_SCAN_REASONS = ("扫错文件", "重复附加", "不是本案的材料", "看不清，需重新扫描")


def allows(status: str | CaseStatus, action: CaseAction) -> bool:
    return action in ACTIONS[CaseStatus(status)]


def refused(assessment: Mapping[str, object] | None) -> bool:
    """The stored assessment says 不符合条件: the case is refused at intake (不予受理)."""
    return assessment is not None and assessment.get("decision") == "not_eligible"
