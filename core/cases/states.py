"""The states a case passes through, with the clerk's word for each."""

from __future__ import annotations

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
    PRINT_FORM = "print_form"  # 申请表
    PRINT_RECEIPT = "print_receipt"  # 受理回执: only for a case the office has accepted
    PRINT_NOTICE = "print_notice"  # 一次性告知书: while materials are missing


_PRINT_ACCEPTED = frozenset({CaseAction.PRINT_FORM, CaseAction.PRINT_RECEIPT})

# Which actions each state allows; the services refuse the rest and the detail screen enables
# its buttons from this table.
ACTIONS: dict[CaseStatus, frozenset[CaseAction]] = {
    CaseStatus.DRAFT: frozenset({CaseAction.RESUME, CaseAction.PRINT_FORM, CaseAction.PRINT_NOTICE}),
    CaseStatus.PENDING_MATERIALS: frozenset(
        {CaseAction.RESUME, CaseAction.PRINT_FORM, CaseAction.PRINT_NOTICE}
    ),
    CaseStatus.ACCEPTED: _PRINT_ACCEPTED | {CaseAction.CORRECT, CaseAction.REVIEW},
    CaseStatus.REVIEW_PASSED: _PRINT_ACCEPTED,
    CaseStatus.REVIEW_FAILED: _PRINT_ACCEPTED | {CaseAction.RESUME},
    CaseStatus.EXPORTED: _PRINT_ACCEPTED,
    CaseStatus.APPROVED: _PRINT_ACCEPTED,
    CaseStatus.REJECTED: _PRINT_ACCEPTED,
    CaseStatus.PAID: _PRINT_ACCEPTED,
    CaseStatus.WITHDRAWN: frozenset({CaseAction.PRINT_FORM}),
}

# The facts, checklist and scans of a case can be changed in these states only.
EDITABLE = frozenset(s for s, acts in ACTIONS.items() if acts & {CaseAction.RESUME, CaseAction.CORRECT})


def allows(status: str | CaseStatus, action: CaseAction) -> bool:
    return action in ACTIONS[CaseStatus(status)]
