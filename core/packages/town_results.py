"""The town imports the county's result package: states and amounts update, each with an audit event."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.cases.service import update_case
from core.cases.states import CaseStatus, status_label
from core.db.models import Case
from core.packages.format import ImportStatus
from core.packages.identity import get_office_code
from core.packages.keys import KeyStore
from core.packages.models import ImportedResult
from core.packages.results import Applied, ResultReport, read_decisions
from core.packages.verify import verify_results

# The way forward from each state, to reach the county's decision; never backwards.
_PATHS: dict[tuple[str, str], tuple[CaseStatus, ...]] = {
    ("exported", "approved"): (CaseStatus.APPROVED,),
    ("exported", "rejected"): (CaseStatus.REJECTED,),
    ("exported", "paid"): (CaseStatus.APPROVED, CaseStatus.PAID),
    ("approved", "paid"): (CaseStatus.PAID,),
}


def import_results(session: Session, data_dir: Path, path: Path, actor: str) -> ResultReport:
    """Verify a result package with the county's public key and apply it; the caller commits."""
    code = get_office_code(session)
    seen = {
        r.number: r.manifest_sha256
        for r in session.scalars(select(ImportedResult).where(ImportedResult.office_code == code))
    }
    verification = verify_results(path, KeyStore(data_dir).county_public(), code, seen)
    if verification.code == "PKG_REPLAY":
        return ResultReport(verification, ImportStatus.ALREADY_IMPORTED)
    if not verification.ok:
        return ResultReport(verification, ImportStatus.REJECTED)
    decisions = read_decisions(path, verification)
    number = verification.header["number"]
    report = ResultReport(verification, ImportStatus.IMPORTED)
    for decision in decisions:
        report.applied.append(_apply(session, decision, number, actor))
    session.add(
        ImportedResult(
            office_code=code,
            number=number,
            manifest_sha256=verification.manifest_sha256,
            imported_by=actor,
            case_count=len(decisions),
        )
    )
    session.flush()
    return report


def _apply(session: Session, decision: dict[str, Any], number: int, actor: str) -> Applied:
    uuid = str(decision.get("uuid"))
    case = session.scalar(select(Case).where(Case.uuid == uuid))
    target = str(decision.get("status"))
    if case is None:
        return Applied(uuid, "unknown", "本所没有这个案件")
    if case.status == target:
        return Applied(uuid, "unchanged", "")
    steps = _PATHS.get((case.status, target))
    if steps is None:
        return Applied(
            uuid, "skipped", f"本所案件状态为“{status_label(case.status)}”，不能改为“{status_label(target)}”"
        )
    for step in steps:
        changes: dict[str, Any] = {"status": step.value}
        amount = decision.get("paid_fen") if step == CaseStatus.PAID else decision.get("approved_fen")
        if isinstance(amount, int) and step != CaseStatus.REJECTED:
            changes["amount_fen"] = amount
        update_case(session, case.id, changes, actor)
    details = {
        k: [None, decision.get(k)]
        for k in ("reason", "approved_fen", "paid_fen", "paid_on")
        if decision.get(k)
    }
    audit.record(session, actor, "county_result", "case", uuid, {"result_package": [None, number], **details})
    return Applied(
        uuid, target, str(decision.get("reason") or ""),
        decision.get("approved_fen"), decision.get("paid_fen"), decision.get("paid_on"),
    )  # fmt: skip
