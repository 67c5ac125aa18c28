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
