"""The county's decisions on imported cases, and on duplicate flags.

approved (with the approved amount), rejected (with a reason), paid (amount and date, after
approval). A case with an open duplicate flag cannot be approved until a person resolves it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core import audit
from core.db.models import utcnow
from core.packages.errors import PackageError
from core.packages.models import DuplicateFlag, ImportedCase

RECEIVED, APPROVED, REJECTED, PAID = "received", "approved", "rejected", "paid"
DECISION_LABELS = {RECEIVED: "待审核", APPROVED: "审核通过", REJECTED: "不予通过", PAID: "已拨付"}


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


def _snapshot(row: ImportedCase) -> dict[str, object]:
    return {k: getattr(row, k) for k in ("status", "decision_reason", "approved_fen", "paid_fen", "paid_on")}


def _decided(session: Session, row: ImportedCase, actor: str, before: dict[str, object]) -> ImportedCase:
    row.decided_at = utcnow()
    row.decided_by = actor
    session.flush()
    audit.record(session, actor, "decide", "imported_case", row.uuid, audit.diff(before, _snapshot(row)))
    return row


def approve(session: Session, uuid: str, actor: str, amount_fen: int | None = None) -> ImportedCase:
    row = get_imported_case(session, uuid)
    _require(row, RECEIVED, "审核通过")
    if open_flags(session, uuid):
        raise PackageError(
            "COUNTY_DUPLICATE_OPEN",
            f"案件 {row.case_number} 有未核定的疑似重复申报，请先在“重复申报”中作出核定。",
        )
    before = _snapshot(row)
    row.status = APPROVED
    row.approved_fen = row.amount_fen if amount_fen is None else amount_fen
    return _decided(session, row, actor, before)


def reject(session: Session, uuid: str, actor: str, reason: str) -> ImportedCase:
    row = get_imported_case(session, uuid)
    if not reason.strip():
        raise PackageError("COUNTY_REASON_MISSING", "不予通过必须写明理由，理由会随结果包告知站所。")
    _require(row, RECEIVED, "作不予通过决定")
    before = _snapshot(row)
    row.status = REJECTED
    row.decision_reason = reason.strip()
    return _decided(session, row, actor, before)


def mark_paid(session: Session, uuid: str, actor: str, amount_fen: int, paid_on: dt.date) -> ImportedCase:
    row = get_imported_case(session, uuid)
    _require(row, APPROVED, "登记拨付")
    if amount_fen <= 0:
        raise PackageError("COUNTY_PAID_AMOUNT", "拨付金额必须大于0，请核对。")
    before = _snapshot(row)
    row.status = PAID
    row.paid_fen = amount_fen
    row.paid_on = paid_on
    return _decided(session, row, actor, before)


def resolve_duplicate(session: Session, flag_id: int, resolution: str, actor: str) -> DuplicateFlag:
    """Record what a person decided about a duplicate pair; the cases themselves stay separate."""
    flag = session.get(DuplicateFlag, flag_id)
    if flag is None:
        raise PackageError("COUNTY_FLAG_NOT_FOUND", "找不到这条重复申报记录，请刷新列表。")
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
