"""The county's decisions on imported cases, and on duplicate flags.

approved (with the approved amount), rejected (with a reason), paid (amount and date, after
approval). A case with an open duplicate flag cannot be approved until a person resolves it.
The rules on amounts and reasons are in decision_rules.py; corrections in corrections.py.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core import audit
from core.db.models import utcnow
from core.errors import InvalidInput, ValidationError
from core.packages.decision_rules import (
    APPROVED,
    PAID,
    RECEIVED,
    REJECTED,
    Approval,
    DecisionInput,
    Payment,
    Rejection,
    approval_problems,
    payment_problems,
    rejection_problems,
)
from core.packages.errors import PackageError
from core.packages.models import DuplicateFlag, ImportedCase

__all__ = ["APPROVED", "DECISION_LABELS", "PAID", "RECEIVED", "REJECTED"]
DECISION_LABELS = {RECEIVED: "待审核", APPROVED: "审核通过", REJECTED: "不予通过", PAID: "已拨付"}
MIN_PREFIX = 6


def get_imported_case(session: Session, uuid: str) -> ImportedCase:
    row = session.scalar(select(ImportedCase).where(ImportedCase.uuid == uuid))
    if row is None:
        raise PackageError("COUNTY_CASE_NOT_FOUND", f"县局没有导入过案件 {uuid}，请核对。")
    return row


def open_flags(session: Session, uuid: str) -> list[DuplicateFlag]:
    stmt = select(DuplicateFlag).where(
        DuplicateFlag.status == "open", or_(DuplicateFlag.case_uuid == uuid, DuplicateFlag.other_uuid == uuid)
    )
    return list(session.scalars(stmt))


def _require(row: ImportedCase, status: str, action: str) -> None:
    if row.status != status:
        raise PackageError(
            "COUNTY_BAD_DECISION",
            f"案件 {row.case_number} 当前为“{DECISION_LABELS.get(row.status, row.status)}”，不能{action}。",
        )


def snapshot(row: ImportedCase) -> dict[str, object]:
    """The decision's values, as the audit trail keeps them before and after a change."""
    return {k: getattr(row, k) for k in ("status", "decision_reason", "approved_fen", "paid_fen", "paid_on")}


def assessed_fen(row: ImportedCase) -> int:
    """What the town's assessment came to (the claimed amount when the assessment has none)."""
    assessment = row.document.get("assessment") if isinstance(row.document, dict) else None
    amount = assessment.get("amount_fen") if isinstance(assessment, dict) else None
    return amount if isinstance(amount, int) and not isinstance(amount, bool) else row.amount_fen


def _payment_only(before: dict[str, object], after: dict[str, object]) -> bool:
    """Only the payment changed (登记拨付, or its correction): the approval stays as told."""
    same = all(before[k] == after[k] for k in ("approved_fen", "decision_reason"))
    return same and {before["status"], after["status"]} <= {APPROVED, PAID}


def record_decision(
    session: Session, row: ImportedCase, actor: str, action: str, before: dict[str, object],
    more: dict[str, list[object]] | None = None,
) -> ImportedCase:  # fmt: skip
    """Stamp who decided and when, and audit old and new values; what changed is not yet in any
    result package (a payment leaves the approval as the town was told it)."""
    after = snapshot(row)
    if not _payment_only(before, after):
        row.result_number = None
    row.paid_result_number = None
    row.decided_at = utcnow()
    row.decided_by = actor
    session.flush()
    audit.record(session, actor, action, "imported_case", row.uuid, audit.diff(before, after) | (more or {}))
    return row


def _decided(session: Session, row: ImportedCase, actor: str, before: dict[str, object]) -> ImportedCase:
    return record_decision(session, row, actor, "decide", before)


def refuse(problems: list[ValidationError]) -> None:
    if problems:
        raise InvalidInput(problems)


def find_case(session: Session, text: str) -> ImportedCase:
    """A case by its UUID or by a unique start of it (lists show the first 8 characters)."""
    prefix = text.strip().lower()
    if len(prefix) < MIN_PREFIX:
        raise PackageError(
            "COUNTY_CASE_PREFIX", f"案件标识“{text}”太短：请至少输入前{MIN_PREFIX}位（列表中显示前8位）。"
        )
    stmt = select(ImportedCase).where(ImportedCase.uuid.startswith(prefix, autoescape=True)).limit(2)
    rows = list(session.scalars(stmt))
    if not rows:
        raise PackageError("COUNTY_CASE_NOT_FOUND", f"县局没有导入过标识为 {text} 的案件，请核对。")
    if len(rows) > 1:
        raise PackageError("COUNTY_CASE_AMBIGUOUS", f"以 {text} 开头的案件不止一件，请多输入几位。")
    return rows[0]


def require_no_open_flag(session: Session, row: ImportedCase) -> None:
    if open_flags(session, row.uuid):
        raise PackageError(
            "COUNTY_DUPLICATE_OPEN",
            f"案件 {row.case_number} 有未核定的疑似重复申报，请先在“重复申报”中作出核定。",
        )


def approve(
    session: Session, uuid: str, actor: str, amount_fen: int | None = None, note: str = ""
) -> ImportedCase:
    """审核通过 for `amount_fen` (the assessed amount when None); see decision_rules for the note."""
    row = get_imported_case(session, uuid)
    _require(row, RECEIVED, "审核通过")
    amount = assessed_fen(row) if amount_fen is None else amount_fen
    refuse(approval_problems(amount, assessed_fen(row), note))
    require_no_open_flag(session, row)
    before = snapshot(row)
    row.status = APPROVED
    row.approved_fen = amount
    row.decision_reason = note.strip()
    return _decided(session, row, actor, before)


def reject(session: Session, uuid: str, actor: str, reason: str) -> ImportedCase:
    row = get_imported_case(session, uuid)
    refuse(rejection_problems(reason))
    _require(row, RECEIVED, "作不予通过决定")
    before = snapshot(row)
    row.status = REJECTED
    row.decision_reason = reason.strip()
    return _decided(session, row, actor, before)


def decision_problems(row: ImportedCase, to: DecisionInput, today: dt.date) -> list[ValidationError]:
    """The field problems of a decision on `row` (a first one or a correction), changing nothing."""
    if isinstance(to, Approval):
        amount = assessed_fen(row) if to.amount_fen is None else to.amount_fen
        return approval_problems(amount, assessed_fen(row), to.note)
    if isinstance(to, Rejection):
        return rejection_problems(to.reason)
    if isinstance(to, Payment):
        paid = row.approved_fen if to.amount_fen is None else to.amount_fen
        return payment_problems(paid or 0, row.approved_fen, to.paid_on or row.paid_on or today, today)
    return []


_NEEDS = {
    Approval: (RECEIVED, "审核通过"),
    Rejection: (RECEIVED, "作不予通过决定"),
    Payment: (APPROVED, "登记拨付"),
}


def check(session: Session, uuid: str, to: DecisionInput, today: dt.date) -> list[ValidationError]:
    """What the form must fix before a first decision; a case in the wrong state raises."""
    row = get_imported_case(session, uuid)
    needs = _NEEDS.get(type(to))
    if needs is None:
        raise PackageError("COUNTY_BAD_DECISION", "撤销决定请用“更正决定”，并写明更正理由。")
    _require(row, *needs)
    if isinstance(to, Approval):
        require_no_open_flag(session, row)
    return decision_problems(row, to, today)


def mark_paid(
    session: Session, uuid: str, actor: str, amount_fen: int, paid_on: dt.date, today: dt.date | None = None
) -> ImportedCase:
    row = get_imported_case(session, uuid)
    _require(row, APPROVED, "登记拨付")
    refuse(payment_problems(amount_fen, row.approved_fen, paid_on, today or dt.date.today()))
    before = snapshot(row)
    row.status = PAID
    row.paid_fen = amount_fen
    row.paid_on = paid_on
    return _decided(session, row, actor, before)


def _flag(session: Session, flag_id: int) -> DuplicateFlag:
    flag = session.get(DuplicateFlag, flag_id)
    if flag is None:
        raise PackageError("COUNTY_FLAG_NOT_FOUND", f"找不到第 {flag_id} 号重复申报记录，请刷新列表后核对。")
    return flag


def resolve_duplicate(session: Session, flag_id: int, resolution: str, actor: str) -> DuplicateFlag:
    """Record what a person decided about a duplicate pair; the cases themselves stay separate."""
    flag = _flag(session, flag_id)
    if not resolution.strip():
        raise PackageError(
            "COUNTY_REASON_MISSING", "请写明核定意见（例如：两件均为本人，保留第一件，退回第二件）。"
        )
    flag.status = "resolved"
    flag.resolution = resolution.strip()
    flag.resolved_by = actor
    session.flush()
    audit.record(
        session, actor, "resolve", "duplicate_flag", str(flag.id), {"resolution": [None, flag.resolution]}
    )
    return flag


def resolve_keeping(session: Session, flag_id: int, keep_uuid: str, reason: str, actor: str) -> DuplicateFlag:
    """A person decided which case of a duplicate pair stands; the other is rejected with the reason.

    Nothing is merged: both cases keep their rows and histories, and the office of the other
    case reads the reason in its next result package.
    """
    flag = _flag(session, flag_id)
    if flag.status != "open":
        raise PackageError("COUNTY_FLAG_RESOLVED", f"第 {flag_id} 号重复申报已经核定过：{flag.resolution}")
    if keep_uuid not in (flag.case_uuid, flag.other_uuid):
        raise PackageError(
            "COUNTY_KEEP_NOT_IN_FLAG",
            f"要保留的案件不在第 {flag_id} 号重复申报中；请从 {flag.case_uuid[:8]} 和 {flag.other_uuid[:8]} 中选一件。",
        )
    if not reason.strip():
        raise PackageError("COUNTY_REASON_MISSING", "请写明核定意见，理由会随结果包告知被退回案件的站所。")
    kept = get_imported_case(session, keep_uuid)
    other = get_imported_case(session, flag.other_uuid if keep_uuid == flag.case_uuid else flag.case_uuid)
    _check_keep(kept, other)
    resolve_duplicate(session, flag_id, f"保留 {_label(kept)}，退回 {_label(other)}：{reason.strip()}", actor)
    if other.status == RECEIVED:
        reject(session, other.uuid, actor, f"重复申报，已核定保留 {_label(kept)}：{reason.strip()}")
    return flag


def keep_case(session: Session, uuid: str, reason: str, actor: str) -> list[DuplicateFlag]:
    """Resolve every open duplicate flag of a case by keeping it (the county screen's action)."""
    flags = open_flags(session, uuid)
    if not flags:
        raise PackageError("COUNTY_NO_OPEN_FLAG", "该案件没有待核定的重复申报。")
    return [resolve_keeping(session, flag.id, uuid, reason, actor) for flag in flags]


def _label(row: ImportedCase) -> str:
    return f"{row.office_code} 的 {row.case_number or row.uuid[:8]}"


def _check_keep(kept: ImportedCase, other: ImportedCase) -> None:
    if kept.status == REJECTED:
        raise PackageError(
            "COUNTY_KEEP_REJECTED", f"要保留的案件 {_label(kept)} 已“不予通过”，请改为保留另一件。"
        )
    if other.status in (APPROVED, PAID):
        raise PackageError(
            "COUNTY_KEEP_CONFLICT",
            f"另一件 {_label(other)} 已“{DECISION_LABELS[other.status]}”，不能改为保留本件；请保留已决定的那一件。",
        )
