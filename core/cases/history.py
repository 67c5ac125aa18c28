"""What the engine needs from the database: the applicant, the roster, and earlier grants.

Limits and exclusions are checked against the same person's earlier cases in this office's
database (by ID number, so a person registered twice is still caught).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.cases.facts import typed_facts
from core.cases.states import CaseStatus
from core.db.models import Case, CaseBeneficiary, CaseMaterial, CatalogParameter, OfficeDay, Person
from core.policy import model as m
from core.policy.case import Applicant, BeneficiaryRow, CaseInput, HistoryGrant
from core.policy.selection import county_selection

# How a case's state reads as a grant for the engine's limits: an accepted case already
# counts (the person cannot apply twice while the first is in the pipeline).
GRANT_STATUS = {
    CaseStatus.ACCEPTED: "accepted",
    CaseStatus.REVIEW_PASSED: "accepted",
    CaseStatus.EXPORTED: "accepted",
    CaseStatus.APPROVED: "approved",
    CaseStatus.PAID: "paid",
    CaseStatus.REVIEW_FAILED: "rejected",
    CaseStatus.REJECTED: "rejected",
    CaseStatus.WITHDRAWN: "withdrawn",
}


def applicant_of(case: Case) -> Applicant:
    if case.person is not None:
        p = case.person
        return Applicant(
            kind="person", name=p.name, id_number=p.id_number, categories=frozenset(p.category_codes)
        )
    org = case.organisation
    assert org is not None
    return Applicant(kind="organisation", name=org.name, id_number=org.uscc, org_type=org.org_type or None)


def _grant(case: Case, person: str, applicant: str, amount: int | None = None) -> HistoryGrant | None:
    status = GRANT_STATUS.get(CaseStatus(case.status))
    if status is None:
        return None
    return HistoryGrant(
        subsidy=case.subsidy_id,
        catalog=case.catalog_id,
        person=person,
        applicant=applicant,
        event_date=case.event_date,
        application_date=case.application_date,
        amount_fen=(case.amount_fen or 0) if amount is None else amount,
        status=status,
    )


def history_for(session: Session, case: Case, id_numbers: list[str]) -> tuple[HistoryGrant, ...]:
    """Earlier grants of the applicant (person or organisation) and of the roster persons."""
    grants: list[HistoryGrant] = []
    applicant = applicant_of(case)
    if case.person_id is not None:
        stmt = (
            select(Case)
            .join(Person, Case.person_id == Person.id)
            .where(Person.id_number.in_([applicant.id_number, *id_numbers]), Case.id != case.id)
        )
    else:
        stmt = select(Case).where(Case.organisation_id == case.organisation_id, Case.id != case.id)
    for other in session.scalars(stmt):
        key = applicant_of(other).id_number
        if (g := _grant(other, key, key)) is not None:
            grants.append(g)
    persons = [*id_numbers, applicant.id_number] if case.person_id is not None else id_numbers
    if persons:
        # A person also appears in history through other organisations' rosters (职业介绍补贴 ...).
        rows = session.execute(
            select(CaseBeneficiary, Case)
            .join(Case, CaseBeneficiary.case_id == Case.id)
            .where(CaseBeneficiary.id_number.in_(persons), Case.id != case.id)
        )
        for row, other in rows:
            if (g := _grant(other, row.id_number, applicant_of(other).id_number, 0)) is not None:
                grants.append(g)
    return tuple(grants)


def case_input(session: Session, case: Case, catalog: m.Catalog) -> CaseInput:
    subsidy = catalog.subsidy(case.subsidy_id)
    assert subsidy is not None
    rows = list(
        session.scalars(
            select(CaseBeneficiary).where(CaseBeneficiary.case_id == case.id).order_by(CaseBeneficiary.row_no)
        )
    )
    received = session.scalars(
        select(CaseMaterial.material_id).where(
            CaseMaterial.case_id == case.id, CaseMaterial.received.is_(True)
        )
    )
    holidays, workdays = office_days(session)
    return CaseInput(
        application_date=case.application_date,
        applicant=applicant_of(case),
        submitted_by=case.submitted_by,
        facts=typed_facts(subsidy, case.facts),
        materials_received=frozenset(received),
        beneficiaries=tuple(_row(subsidy, r) for r in rows),
        history=history_for(session, case, [r.id_number for r in rows]),
        parameters={**parameters(session, catalog.id), **catalog.county_parameters},
        holidays=holidays,
        workdays=workdays,
        readings=county_selection(catalog),
    )


def _row(subsidy: m.Subsidy, row: CaseBeneficiary) -> BeneficiaryRow:
    facts: dict[str, m.FactValue] = {}
    defs = {f.id: f for f in subsidy.beneficiary.facts} if subsidy.beneficiary else {}
    for key, raw in row.facts.items():
        fact = defs.get(key)
        if fact is not None and raw is not None:
            facts[key] = dt.date.fromisoformat(raw) if fact.type == "date" else raw
    return BeneficiaryRow(
        id_number=row.id_number, name=row.name, categories=frozenset(row.categories), facts=facts
    )


def parameters(session: Session, catalog_id: str) -> dict[str, int | dict[str, int]]:
    """Values the office entered; the county's values in its catalog update take precedence."""
    out: dict[str, int | dict[str, int]] = {}
    for p in session.scalars(select(CatalogParameter).where(CatalogParameter.catalog_id == catalog_id)):
        if p.choice:
            per = out.setdefault(p.parameter_id, {})
            if isinstance(per, dict):
                per[p.choice] = p.value
        else:
            out[p.parameter_id] = p.value
    return out


def office_days(session: Session) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    days = list(session.scalars(select(OfficeDay)))
    return (
        frozenset(d.day for d in days if d.kind == "holiday"),
        frozenset(d.day for d in days if d.kind == "workday"),
    )


def duplicate_cases(session: Session, case: Case) -> list[Case]:
    """Other live cases of the same applicant and subsidy in the same year (drafts included)."""
    year = case.application_date.year
    stmt = select(Case).where(
        Case.subsidy_id == case.subsidy_id,
        Case.id != case.id,
        Case.person_id == case.person_id
        if case.person_id is not None
        else Case.organisation_id == case.organisation_id,
        Case.application_date >= dt.date(year, 1, 1),
        Case.application_date <= dt.date(year, 12, 31),
        Case.status.not_in([CaseStatus.WITHDRAWN.value, CaseStatus.REJECTED.value]),
    )
    return list(session.scalars(stmt))
