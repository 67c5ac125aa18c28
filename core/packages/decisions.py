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
from core.money import format_yuan
from core.packages.errors import PackageError
from core.packages.models import DuplicateFlag, ImportedCase

RECEIVED, APPROVED, REJECTED, PAID = "received", "approved", "rejected", "paid"
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


def _snapshot(row: ImportedCase) -> dict[str, object]:
    return {k: getattr(row, k) for k in ("status", "decision_reason", "approved_fen", "paid_fen", "paid_on")}


def _decided(session: Session, row: ImportedCase, actor: str, before: dict[str, object]) -> ImportedCase:
    row.decided_at = utcnow()
    row.decided_by = actor
    session.flush()
    audit.record(session, actor, "decide", "imported_case", row.uuid, audit.diff(before, _snapshot(row)))
    return row


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


def approve(session: Session, uuid: str, actor: str, amount_fen: int | None = None) -> ImportedCase:
    row = get_imported_case(session, uuid)
    _require(row, RECEIVED, "审核通过")
    if amount_fen is not None and amount_fen <= 0:
        raise PackageError(
            "COUNTY_APPROVED_AMOUNT", "核定金额必须大于0；不予补贴的案件请作“不予通过”并写明理由。"
        )
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


def mark_paid(
    session: Session, uuid: str, actor: str, amount_fen: int, paid_on: dt.date, today: dt.date | None = None
) -> ImportedCase:
    row = get_imported_case(session, uuid)
    _require(row, APPROVED, "登记拨付")
    if amount_fen <= 0:
        raise PackageError("COUNTY_PAID_AMOUNT", "拨付金额必须大于0，请核对。")
    if row.approved_fen is not None and amount_fen > row.approved_fen:
        raise PackageError(
            "COUNTY_PAID_OVER_APPROVED",
            f"拨付金额 {format_yuan(amount_fen)} 元超过核定金额 {format_yuan(row.approved_fen)} 元，请核对。",
        )
    if paid_on > (today or dt.date.today()):
        raise PackageError("COUNTY_PAID_DATE", f"拨付日期 {paid_on.isoformat()} 晚于今天，请核对。")
    before = _snapshot(row)
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
