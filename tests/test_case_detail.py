"""The case detail: the timeline of changes and the office head's town review (初审)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.actor import Actor, Role
from core.app.review import review_case
from core.applicants import PersonInput, create_person
from core.cases import intake
from core.cases.intake import MaterialState
from core.db.models import Case
from core.errors import SubsidyDeskError
from core.identity.id_number import check_character
from core.settings import OfficeInput, save_office
from ui.dialog_service import ScriptedDialogs
from ui.dialogs.case_detail import CaseDetailDialog

TODAY = dt.date(2022, 3, 1)


@pytest.fixture
def accepted_case(db) -> int:
    with db.session() as s, s.begin():
        office = save_office(
            s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "", "qianyang-2021"), "t"
        )
        first17 = "61032819900101124"
        person = create_person(
            s,
            PersonInput("王秀兰", first17 + check_character(first17), categories=["poverty_alleviated"]),
            "t",
        )
        case = intake.start_case(
            s, office, "qianyang-2021", "job_seeking_once", TODAY, "李会计", person_id=person.id
        )
        intake.set_facts(
            s,
            case.id,
            {
                "employment_date": dt.date(2022, 1, 10),
                "is_transfer_employment": True,
                "contract_months": 12,
                "applicant_group": "labourer",
            },
            "李会计",
        )
        for mid in ("labour_contract", "id_card_copy", "social_security_card_copy", "written_application"):
            intake.set_material(s, case.id, mid, MaterialState(received=True, copies_kept=1), "李会计")
        intake.accept_case(s, case.id, "李会计", TODAY)
        return case.id


def test_only_the_office_head_sees_the_review_buttons(qtbot, db, accepted_case) -> None:
    clerk = CaseDetailDialog(
        db, accepted_case, Actor("李会计", Role.CLERK), ScriptedDialogs(), lambda _id: None
    )
    qtbot.addWidget(clerk)
    assert not clerk.pass_button.isVisibleTo(clerk)
    head = CaseDetailDialog(
        db, accepted_case, Actor("赵所长", Role.HEAD), ScriptedDialogs(), lambda _id: None
    )
    qtbot.addWidget(head)
    assert head.pass_button.isVisibleTo(head) and head.fail_button.isVisibleTo(head)
    assert "2022-000001" in head.header.text() and "已受理" in head.header.text()
    timeline = [head.timeline.item(i).text() for i in range(head.timeline.count())]
    assert any("李会计" in t and "建立案件" in t for t in timeline)
    assert any("状态：草稿 → 已受理" in t for t in timeline)
    # In the clerk's words: material and fact names, not the catalog's ids.
    assert any("劳动合同已收到" in t for t in timeline)
    assert any("申请人身份：— → 脱贫劳动力" in t for t in timeline)
    assert not any("labour_contract" in t or "labourer" in t for t in timeline)


def test_failed_review_records_the_reason(qtbot, db, accepted_case) -> None:
    dialogs = ScriptedDialogs(texts=["劳动合同未加盖单位公章，请补正。"])
    head = CaseDetailDialog(
        db, accepted_case, Actor("赵所长", Role.HEAD), dialogs, lambda _id: None, today=TODAY
    )
    qtbot.addWidget(head)
    head.fail_button.click()
    with db.session() as s:
        case = s.get(Case, accepted_case)
        assert case is not None and case.status == "review_failed"
        assert case.review_note == "劳动合同未加盖单位公章，请补正。" and case.reviewed_by == "赵所长"
    assert "初审意见" in head.header.text()
    assert not head.resume_button.isVisibleTo(head)  # correcting is the clerk's work
    clerk = CaseDetailDialog(db, accepted_case, Actor("李会计"), dialogs, lambda _id: None, today=TODAY)
    qtbot.addWidget(clerk)
    assert clerk.resume_button.isVisibleTo(clerk)  # the clerk can correct and resubmit


def test_core_refuses_a_review_by_a_clerk(db, accepted_case) -> None:
    with pytest.raises(SubsidyDeskError) as info:
        review_case(db, Actor("李会计", Role.CLERK), case_id=accepted_case, passed=True, note="", today=TODAY)
    assert info.value.code == "ROLE_REQUIRED"
    with db.session() as s:
        assert s.get(Case, accepted_case).status == "accepted"


def test_correcting_an_accepted_case_keeps_its_number_and_audits_the_change(db, accepted_case) -> None:
    from core import audit

    with db.session() as s, s.begin():
        intake.set_facts(s, accepted_case, {"contract_months": 24}, "李会计")
        case = intake.accept_case(s, accepted_case, "李会计", TODAY)
        assert case.case_number == "2022-000001" and case.status == "accepted"
        events = audit.history(s, "case", case.uuid)
        changed = [e for e in events if "facts" in e.changes]
        old, new = changed[-1].changes["facts"]
        assert old["contract_months"] == 12 and new["contract_months"] == 24
