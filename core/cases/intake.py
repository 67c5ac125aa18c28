"""The clerk's daily work: from the person at the counter to an accepted case.

start → facts → checklist (and scans) → assessment → accept (受理) or pending materials;
then the office head's town review (初审). Every step is one transaction with its audit
event, so a clerk can stop at any step and resume the draft later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.attachments import AttachmentStore
from core.cases.checklist import ChecklistMark, MaterialState, clean_marks
from core.cases.facts import validate_facts
from core.cases.history import case_input, duplicate_cases
from core.cases.service import CaseDraft, create_case, get_case, update_case
from core.cases.states import EDITABLE, CaseAction, CaseStatus, allows, status_label
from core.db.models import Attachment, Case, CaseMaterial, Office
from core.errors import InvalidInput, SubsidyDeskError, ValidationError
from core.policy import model as m
from core.policy.assessment import Assessment
from core.policy.engine import assess
from core.policy.service import get_catalog


def check_application_date(on: dt.date, today: dt.date) -> None:
    """An application is dated the day it was handed in: never a day still to come."""
    if on > today:
        raise InvalidInput(
            [
                ValidationError(
                    "APPLICATION_DATE_FUTURE",
                    "申请日期",
                    f"申请日期不能晚于今天（{today.isoformat()}），请改正。",
                )
            ]
        )


def start_case(
    session: Session,
    office: Office,
    catalog_id: str,
    subsidy_id: str,
    application_date: dt.date,
    actor: str,
    person_id: int | None = None,
    organisation_id: int | None = None,
    submitted_by: str = "self",
    handler_name: str = "",
    today: dt.date | None = None,
) -> Case:
    check_application_date(application_date, today or dt.date.today())
    catalog = get_catalog(catalog_id)
    subsidy = _subsidy(catalog, subsidy_id)
    _check_kind(subsidy, "person" if person_id is not None else "organisation")
    case = create_case(
        session,
        CaseDraft(
            office_id=office.id,
            catalog_id=catalog.id,
            catalog_version=catalog.version,
            catalog_hash=catalog.content_hash,
            subsidy_id=subsidy.id,
            application_date=application_date,
            person_id=person_id,
            organisation_id=organisation_id,
        ),
        actor,
    )
    return update_case(session, case.id, {"submitted_by": submitted_by, "handler_name": handler_name}, actor)


def _check_kind(subsidy: m.Subsidy, kind: str) -> None:
    if subsidy.applicant.kind != kind:
        who = "个人" if subsidy.applicant.kind == "person" else "单位"
        raise SubsidyDeskError(
            "CASE_APPLICANT_KIND", f"“{subsidy.name}”应由{who}申请，请换一个申请人或补贴。"
        )


def change_application(
    session: Session,
    case_id: int,
    actor: str,
    *,
    subsidy_id: str,
    application_date: dt.date,
    submitted_by: str,
    handler_name: str,
    today: dt.date,
) -> Case:
    """Change a case's subsidy, date or filer. A new subsidy keeps the facts it also asks for
    (same id, and the value still valid for it); the others are dropped, audited as such."""
    check_application_date(application_date, today)
    case = get_case(session, case_id)
    ensure_editable(case)
    changes: dict[str, Any] = {
        "application_date": application_date,
        "submitted_by": submitted_by,
        "handler_name": handler_name.strip(),
    }
    if subsidy_id != case.subsidy_id:
        subsidy = _subsidy(get_catalog(case.catalog_id), subsidy_id)
        _check_kind(subsidy, "person" if case.person_id is not None else "organisation")
        facts = _facts_that_apply(subsidy, case.facts)
        event = facts.get(subsidy.event_fact) if subsidy.event_fact else None
        changes |= {
            "subsidy_id": subsidy.id,
            "facts": facts,
            "event_date": dt.date.fromisoformat(event) if isinstance(event, str) else None,
        }
    return update_case(session, case_id, changes, actor)


def _facts_that_apply(subsidy: m.Subsidy, stored: dict[str, Any]) -> dict[str, Any]:
    from core.cases.facts import typed_facts

    kept: dict[str, Any] = {}
    for key, value in typed_facts(subsidy, stored).items():
        try:
            kept |= validate_facts(subsidy, {key: value})
        except InvalidInput:
            continue  # the new subsidy asks for this fact differently: the clerk fills it again
    return kept


def _subsidy(catalog: m.Catalog, subsidy_id: str) -> m.Subsidy:
    subsidy = catalog.subsidy(subsidy_id)
    if subsidy is None:
        raise SubsidyDeskError("CASE_UNKNOWN_SUBSIDY", f"政策目录中没有补贴“{subsidy_id}”。")
    return subsidy


def subsidy_of(case: Case) -> m.Subsidy:
    return _subsidy(get_catalog(case.catalog_id), case.subsidy_id)


def ensure_editable(case: Case) -> None:
    status = CaseStatus(case.status)
    if status not in EDITABLE:
        hint = {
            CaseStatus.REVIEW_PASSED: "如需更正，请由所长撤销初审后再改。",
            CaseStatus.EXPORTED: "如需更正，请先从上报批次中撤回该案件。",
            CaseStatus.WITHDRAWN: "已撤回的案件只能查看；如申请人重新申请，请受理新申请。",
        }.get(status, "")
        raise SubsidyDeskError(
            "CASE_READ_ONLY", f"案件当前状态为“{status_label(status)}”，不能再修改。{hint}"
        )


def set_facts(
    session: Session,
    case_id: int,
    values: dict[str, m.FactValue | None],
    actor: str,
    *,
    keep_valid: bool = False,
) -> list[ValidationError]:
    """Replace the given facts (None clears one); every bad value is reported at once.

    With `keep_valid` (a clerk leaving the step backwards, or closing the wizard) the good
    values are stored and the bad ones returned instead of refusing them all.
    """
    case = get_case(session, case_id)
    ensure_editable(case)
    subsidy = subsidy_of(case)
    problems: list[ValidationError] = []
    if keep_valid:
        clean: dict[str, Any] = {}
        for key, value in values.items():
            try:
                clean |= validate_facts(subsidy, {key: value})
            except InvalidInput as exc:
                problems += exc.errors
                values = {k: v for k, v in values.items() if k != key}
    else:
        clean = validate_facts(subsidy, values)
    facts = {k: v for k, v in case.facts.items() if values.get(k, v) is not None} | clean
    changes: dict[str, Any] = {"facts": facts}
    if subsidy.event_fact:
        event = facts.get(subsidy.event_fact)
        changes["event_date"] = dt.date.fromisoformat(event) if isinstance(event, str) else None
    update_case(session, case_id, changes, actor)
    return problems


def set_material(session: Session, case_id: int, material_id: str, state: MaterialState, actor: str) -> None:
    case = get_case(session, case_id)
    ensure_editable(case)
    if not any(x.id == material_id for x in subsidy_of(case).materials):
        raise SubsidyDeskError("CASE_UNKNOWN_MATERIAL", f"该补贴的材料清单中没有“{material_id}”。")
    row = session.get(CaseMaterial, (case_id, material_id)) or CaseMaterial(
        case_id=case_id, material_id=material_id
    )
    # A new row starts as "not received" (None from the ORM until flushed), so an untouched
    # material does not appear in the audit trail.
    before = {
        "received": bool(row.received),
        "original_seen": bool(row.original_seen),
        "copies_kept": row.copies_kept or 0,
    }
    row.received, row.original_seen = state.received, state.original_seen
    row.copies_kept, row.note = state.copies_kept, state.note
    session.add(row)
    after = {"received": row.received, "original_seen": row.original_seen, "copies_kept": row.copies_kept}
    changes = {f"{material_id}.{k}": v for k, v in audit.diff(before, after).items()}
    if changes:
        audit.record(session, actor, "checklist", "case", case.uuid, changes)


def set_checklist(
    session: Session, case_id: int, marks: dict[str, ChecklistMark], actor: str, *, keep_valid: bool = False
) -> list[ValidationError]:
    """Store the whole checklist as marked; a bad line refuses it all (InvalidInput), or, with
    `keep_valid`, is left as it was and returned."""
    case = get_case(session, case_id)
    ensure_editable(case)
    states, problems = clean_marks(subsidy_of(case), marks)
    if problems and not keep_valid:
        raise InvalidInput(problems)
    for material_id, state in states.items():
        set_material(session, case_id, material_id, state, actor)
    return problems


def checklist(session: Session, case_id: int) -> dict[str, MaterialState]:
    rows = session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case_id))
    return {r.material_id: MaterialState(r.received, r.original_seen, r.copies_kept, r.note) for r in rows}


def attach_file(
    session: Session, store: AttachmentStore, case_id: int, material_id: str | None, source: Any, actor: str
) -> Attachment:
    """Store a scan for the case (and, if given, mark that material received)."""
    case = get_case(session, case_id)
    ensure_editable(case)
    stored = store.add_file(source)
    att = Attachment(
        case_id=case_id,
        material_id=material_id,
        sha256=stored.sha256,
        filename=stored.filename,
        size=stored.size,
        media_type=stored.media_type,
    )
    session.add(att)
    session.flush()
    audit.record(
        session,
        actor,
        "attach",
        "case",
        case.uuid,
        {"attachment": [None, f"{stored.filename} ({stored.sha256[:12]})"], "material": [None, material_id]},
    )
    return att


def assess_case(session: Session, case_id: int, actor: str = "system") -> Assessment:
    """Assess with the database's history of the same applicant; the result is kept on the case.

    The case records the catalog version and content hash it was assessed under, and a changed
    amount goes into the audit trail like any other change.
    """
    case = get_case(session, case_id)
    catalog = get_catalog(case.catalog_id)
    result = assess(catalog, case.subsidy_id, case_input(session, case, catalog))
    case.assessment = result.to_dict()
    update_case(
        session,
        case_id,
        {
            "amount_fen": result.amount_fen,
            "catalog_version": catalog.version,
            "catalog_hash": catalog.content_hash,
        },
        actor,
    )
    return result


def can_accept(result: Assessment) -> tuple[bool, str]:
    if result.decision == "not_eligible":
        return False, "评估结果为不符合条件，不能受理。可向申请人说明原因，或保存为草稿。"
    if result.decision == "needs_info":
        return False, "还有信息未填写，请补全后再受理。"
    if result.missing_materials:
        return False, "材料不齐，不能受理。请打印一次性告知书，案件保存为“待补材料”。"
    return True, ""


def accept_case(session: Session, case_id: int, actor: str, today: dt.date) -> Case:
    """受理: only with a complete checklist and an assessment that allows it; assigns the case number."""
    case = get_case(session, case_id)
    ensure_editable(case)
    result = assess_case(session, case_id, actor)
    ok, why = can_accept(result)
    if not ok:
        raise SubsidyDeskError("CASE_CANNOT_ACCEPT", why)
    number = case.case_number or next_case_number(session, case.office_id, today.year)
    return update_case(
        session,
        case_id,
        {"status": CaseStatus.ACCEPTED.value, "case_number": number, "accepted_on": today},
        actor,
    )


def next_case_number(session: Session, office_id: int, year: int) -> str:
    """YYYY-NNNNNN, in sequence per office and year."""
    prefix = f"{year}-"
    last = session.scalar(
        select(func.max(Case.case_number)).where(
            Case.office_id == office_id, Case.case_number.like(f"{prefix}%")
        )
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def mark_pending(session: Session, case_id: int, due_on: dt.date, actor: str, today: dt.date) -> Case:
    """待补材料 until `due_on`, which the 一次性告知书 prints; a day already past is refused."""
    if due_on < today:
        raise InvalidInput(
            [
                ValidationError(
                    "MATERIALS_DUE_PAST",
                    "补齐材料期限",
                    f"补齐材料期限不能早于今天（{today.isoformat()}），请改正。",
                )
            ]
        )
    case = get_case(session, case_id)
    ensure_editable(case)
    return update_case(
        session, case_id, {"status": CaseStatus.PENDING_MATERIALS.value, "materials_due_on": due_on}, actor
    )


def review_case(
    session: Session,
    case_id: int,
    passed: bool,
    note: str,
    reviewer: str,
    today: dt.date,
) -> Case:
    """初审: pass, or fail with a reason the clerk can act on. Who may review is the use case's
    check (core.app.review)."""
    case = get_case(session, case_id)
    if not allows(case.status, CaseAction.REVIEW):
        raise SubsidyDeskError("CASE_NOT_ACCEPTED", "只有“已受理”的案件可以初审。")
    if not passed and not note.strip():
        raise SubsidyDeskError("REVIEW_REASON", "初审不通过时必须写明原因，以便经办人补正或告知申请人。")
    status = CaseStatus.REVIEW_PASSED if passed else CaseStatus.REVIEW_FAILED
    return update_case(
        session,
        case_id,
        {"status": status.value, "reviewed_by": reviewer, "reviewed_on": today, "review_note": note.strip()},
        reviewer,
    )


__all__ = [
    "ChecklistMark",
    "MaterialState",
    "accept_case",
    "assess_case",
    "attach_file",
    "can_accept",
    "change_application",
    "check_application_date",
    "checklist",
    "duplicate_cases",
    "ensure_editable",
    "mark_pending",
    "next_case_number",
    "review_case",
    "set_checklist",
    "set_facts",
    "set_material",
    "start_case",
    "subsidy_of",
]
