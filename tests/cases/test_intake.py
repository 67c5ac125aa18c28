"""The intake flow against the Qianyang catalog: 一次性求职补贴 from the counter to 初审."""

from __future__ import annotations

import datetime as dt

import pytest

from core import audit
from core.applicants import InvalidInput
from core.cases import intake
from core.cases.intake import MaterialState
from core.errors import SubsidyDeskError
from core.policy.service import get_catalog

TODAY = dt.date(2022, 3, 1)
GOOD_FACTS = {
    "employment_date": dt.date(2022, 1, 10),
    "is_transfer_employment": True,
    "contract_months": 12,
    "applicant_group": "labourer",
}
COMPLETE = ("labour_contract", "id_card_copy", "social_security_card_copy", "written_application")


def _draft(db, office, person_id) -> int:
    with db.session() as s, s.begin():
        return intake.start_case(
            s, office, "qianyang-2021", "job_seeking_once", TODAY, "clerk", person_id=person_id
        ).id


def _fill(db, case_id: int, materials=COMPLETE) -> None:
    with db.session() as s, s.begin():
        intake.set_facts(s, case_id, dict(GOOD_FACTS), "clerk")
        for mid in materials:
            intake.set_material(s, case_id, mid, MaterialState(received=True, copies_kept=1), "clerk")


def test_complete_case_is_assessed_and_accepted_with_a_number(db, office, person_id) -> None:
    case_id = _draft(db, office, person_id)
    _fill(db, case_id)
    with db.session() as s, s.begin():
        result = intake.assess_case(s, case_id)
        assert (result.decision, result.amount_fen, result.missing_materials) == ("eligible", 50000, ())
        case = intake.accept_case(s, case_id, "clerk", TODAY)
        assert case.case_number == "2022-000001"
        assert case.status == "accepted" and case.accepted_on == TODAY
        assert case.event_date == dt.date(2022, 1, 10)
        assert case.assessment is not None and case.assessment["decision"] == "eligible"
        catalog = get_catalog("qianyang-2021")
        assert (case.catalog_version, case.catalog_hash) == (catalog.version, catalog.content_hash)
        amount_events = [e for e in audit.history(s, "case", case.uuid) if "amount_fen" in e.changes]
        assert amount_events and amount_events[0].changes["amount_fen"] == [None, 50000]
        actions = [e.action for e in audit.history(s, "case", case.uuid)]
        assert actions[0] == "create" and "checklist" in actions


def test_case_cannot_be_accepted_with_a_required_material_missing(db, office, person_id) -> None:
    case_id = _draft(db, office, person_id)
    _fill(
        db, case_id, materials=("labour_contract", "id_card_copy", "written_application")
    )  # no bank account
    with db.session() as s, pytest.raises(SubsidyDeskError) as info, s.begin():
        intake.accept_case(s, case_id, "clerk", TODAY)
    assert info.value.code == "CASE_CANNOT_ACCEPT"
    assert "一次性告知书" in info.value.message_zh
    with db.session() as s, s.begin():
        assert intake.assess_case(s, case_id).missing_materials == ("bank_account",)
        case = intake.mark_pending(s, case_id, dt.date(2022, 3, 15), "clerk", TODAY)
        assert case.status == "pending_materials" and case.case_number is None


def test_second_application_in_the_same_year_is_flagged(db, office, person_id) -> None:
    first = _draft(db, office, person_id)
    _fill(db, first)
    with db.session() as s, s.begin():
        intake.accept_case(s, first, "clerk", TODAY)
    second = _draft(db, office, person_id)
    _fill(db, second)
    with db.session() as s, s.begin():
        result = intake.assess_case(s, second)
        assert result.decision == "not_eligible"
        assert result.conflicts, "the earlier grant must be named"
        dupes = intake.duplicate_cases(s, intake.get_case(s, second))
        assert [d.id for d in dupes] == [first]


def test_mutually_exclusive_placement_subsidy_blocks_job_seeking(db, office, person_id) -> None:
    """一个自然年度内，每人只能享受一次性求职补贴和职业介绍补贴二者之一 (千人社发〔2021〕141号 二(一)1)."""
    from core.applicants import OrganisationInput, create_organisation
    from core.db.models import CaseBeneficiary, Person

    with db.session() as s, s.begin():
        agency = create_organisation(
            s,
            OrganisationInput("千阳县人力资源服务公司", "91350100M000100Y43", org_type="hr_agency"),
            "clerk",
        )
        placement = intake.start_case(
            s,
            office,
            "qianyang-2021",
            "job_placement",
            dt.date(2022, 2, 1),
            "clerk",
            organisation_id=agency.id,
        )
        person = s.get(Person, person_id)
        s.add(
            CaseBeneficiary(
                case_id=placement.id,
                row_no=1,
                name=person.name,
                id_number=person.id_number,
                categories=["poverty_alleviated"],
                facts={"contract_months": 12},
            )
        )
        placement.status = "accepted"
        placement.event_date = dt.date(2022, 1, 20)
    case_id = _draft(db, office, person_id)
    _fill(db, case_id)
    with db.session() as s, s.begin():
        result = intake.assess_case(s, case_id)
    assert result.decision == "not_eligible"
    assert [c.limit_id for c in result.conflicts] == ["one_of_two_per_year"]
    message = result.conflicts[0].message_zh
    assert "职业介绍补贴" in message and "由单位申报，本人在其花名册中" in message
    assert "0.00" not in message  # the person was paid nothing; the agency was


def test_bad_facts_are_all_reported_and_nothing_changes(db, office, person_id) -> None:
    case_id = _draft(db, office, person_id)
    with db.session() as s, pytest.raises(InvalidInput) as info, s.begin():
        intake.set_facts(s, case_id, {"contract_months": "十二", "employment_date": "2022-01-10"}, "clerk")
    assert len(info.value.errors) == 2
    assert any("劳动合同" in e.field for e in info.value.errors)
    with db.session() as s:
        assert s.get(intake.Case, case_id).facts == {}


def test_review_needs_a_reason_to_fail_and_locks_the_case(db, office, person_id) -> None:
    case_id = _draft(db, office, person_id)
    _fill(db, case_id)
    with db.session() as s, s.begin():
        intake.accept_case(s, case_id, "clerk", TODAY)
    with db.session() as s, pytest.raises(SubsidyDeskError) as info, s.begin():
        intake.review_case(s, case_id, False, "  ", "head", TODAY)
    assert info.value.code == "REVIEW_REASON"
    with db.session() as s, s.begin():
        case = intake.review_case(s, case_id, True, "", "head", TODAY)
        assert case.status == "review_passed" and case.reviewed_by == "head"
    with db.session() as s, pytest.raises(SubsidyDeskError) as info, s.begin():
        intake.set_facts(s, case_id, {"contract_months": 24}, "clerk")
    assert info.value.code == "CASE_READ_ONLY"


def test_wrong_applicant_kind_is_refused(db, office, person_id) -> None:
    with db.session() as s, pytest.raises(SubsidyDeskError) as info, s.begin():
        intake.start_case(s, office, "qianyang-2021", "job_placement", TODAY, "clerk", person_id=person_id)
    assert info.value.code == "CASE_APPLICANT_KIND"
