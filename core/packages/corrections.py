"""Correcting a county decision before the town has heard of it.

A decision may be corrected, with a reason, until a result package has carried it to the town
(ImportedCase.told_in): the town applies results forwards only, so a decision it has
already read cannot be taken back in the program. The correction is one audit event with
every old and new value and the reason; the rules for the new decision are the same as for a
first one (decision_rules.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import ValidationError
from core.packages.decision_rules import (
    APPROVED,
    PAID,
    RECEIVED,
    Approval,
    Correction,
    DecisionInput,
    DecisionState,
    after,
    correction_choices,
    correction_reason_problems,
)
from core.packages.decisions import (
    DECISION_LABELS,
    assessed_fen,
    decision_problems,
    get_imported_case,
    record_decision,
    refuse,
    require_no_open_flag,
    snapshot,
)
from core.packages.errors import PackageError
from core.packages.models import DuplicateFlag, ImportedCase


def require_correctable(row: ImportedCase) -> None:
    label = f"案件 {row.case_number or row.uuid[:8]}"
    if row.status == RECEIVED:
        raise PackageError("COUNTY_NOTHING_TO_CORRECT", f"{label} 还没有作出决定，无需更正。")
    if row.told_in is not None:
        raise PackageError(
            "COUNTY_CORRECTION_EXPORTED",
            f"{label} 的决定已随第{row.told_in}号结果包告知站所，不能再更正。"
            "如确需改变，请与站所联系，书面说明情况。",
        )


def check(session: Session, uuid: str, correction: Correction, today: dt.date) -> list[ValidationError]:
    """What the correction form must fix; a decision that may not be corrected so raises."""
    row = get_imported_case(session, uuid)
    require_correctable(row)
    _require_choice(row, correction.to)
    if isinstance(correction.to, Approval) and row.status != APPROVED:
        require_no_open_flag(session, row)
        _require_no_granted_pair(session, row)
    return correction_reason_problems(correction.why) + decision_problems(row, correction.to, today)


def correct(
    session: Session, uuid: str, actor: str, correction: Correction, today: dt.date | None = None
) -> ImportedCase:
    """Replace the case's decision by `correction.to`; refused once the town has been told."""
    row = get_imported_case(session, uuid)
    require_correctable(row)
    _require_choice(row, correction.to)
    refuse(check(session, uuid, correction, today or dt.date.today()))
    before = snapshot(row)
    _apply(row, correction.to, today or dt.date.today())
    if not audit.diff(before, snapshot(row)):
        raise PackageError("COUNTY_CORRECTION_SAME", "更正后的决定与原决定相同：请改正要更正的内容，或取消。")
    return record_decision(
        session, row, actor, "correct", before, {"correction_reason": [None, correction.why.strip()]}
    )


def _require_choice(row: ImportedCase, to: DecisionInput) -> None:
    if type(to) not in {kind for kind, _label in correction_choices(row.status)}:
        raise PackageError(
            "COUNTY_CORRECTION_NOT_ALLOWED",
            f"“{DECISION_LABELS.get(row.status, row.status)}”的决定不能这样更正，请从更正选项中选择。",
        )


def _require_no_granted_pair(session: Session, row: ImportedCase) -> None:
    """A case rejected as a duplicate may not be approved while its pair is approved or paid."""
    flags = session.scalars(
        select(DuplicateFlag).where(
            or_(DuplicateFlag.case_uuid == row.uuid, DuplicateFlag.other_uuid == row.uuid)
        )
    )
    for flag in flags:
        other = get_imported_case(session, flag.other_uuid if flag.case_uuid == row.uuid else flag.case_uuid)
        if other.status in (APPROVED, PAID):
            raise PackageError(
                "COUNTY_CORRECTION_DUPLICATE",
                f"同一人同一补贴同一年度的另一件（{other.office_code} 的 {other.case_number or other.uuid[:8]}）"
                f"已“{DECISION_LABELS[other.status]}”，本件不能再改为审核通过。",
            )


def state_of(row: ImportedCase) -> DecisionState:
    return DecisionState(row.status, row.approved_fen, row.paid_fen, row.paid_on, row.decision_reason)


def _apply(row: ImportedCase, to: DecisionInput, today: dt.date) -> None:
    new = after(state_of(row), to, assessed_fen(row), today)
    row.status, row.approved_fen, row.paid_fen = new.status, new.approved_fen, new.paid_fen
    row.paid_on, row.decision_reason = new.paid_on, new.reason
