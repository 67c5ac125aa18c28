"""The use cases own their checks: who may act, the rules of dates, checklist and states,
and the county's defaults. Each refusal leaves the database as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from core.actor import Actor, Role, Station
from core.app import applicants, cases, intake, review
from core.app.intake import Application
from core.applicant_types import PersonInput
from core.cases.checklist import ChecklistMark
from core.cases.states import ACTIONS, CaseAction, CaseStatus, allows
from core.db.models import AuditEvent, Case, CaseMaterial
from core.errors import InvalidInput, SubsidyDeskError
from core.identity.id_number import check_character
from core.ids import CaseId, PersonId
from core.settings import OfficeInput, save_office
from main import main
from tests.logins import password_file

TODAY = dt.date(2022, 3, 1)
CLERK = Actor("李会计")
HEAD = Actor("赵所长", Role.HEAD)
GOOD_FACTS = {
    "employment_date": dt.date(2022, 1, 10),
    "is_transfer_employment": True,
    "contract_months": 12,
    "applicant_group": "labourer",
}


@pytest.fixture
def person(db) -> PersonId:
    with db.session() as s, s.begin():
        save_office(s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "", "qianyang-2021"), "t")
    first17 = "61032819900101124"
    data = PersonInput("王秀兰", first17 + check_character(first17), categories=["poverty_alleviated"])
    return PersonId(applicants.save_person(db, CLERK, person_id=None, data=data))


def draft(db, person: PersonId, on: dt.date = TODAY, subsidy: str = "job_seeking_once") -> CaseId:
    return intake.start_case(
        db, CLERK, catalog_id="qianyang-2021", person_id=person, organisation_id=None,
        application=Application(subsidy, on), today=TODAY,
    )  # fmt: skip


def accepted(db, person: PersonId) -> CaseId:
    case_id = draft(db, person)
    intake.save_facts(db, CLERK, case_id=case_id, values=GOOD_FACTS)
    marks = {m: ChecklistMark(received=True, copies="1") for m in ("labour_contract", "id_card_copy",
                                                                   "social_security_card_copy",
                                                                   "written_application")}  # fmt: skip
    intake.save_checklist(db, CLERK, case_id=case_id, marks=marks)
    intake.accept_case(db, CLERK, case_id=case_id, today=TODAY)
    return case_id


def count(db, model) -> int:
    with db.session() as s:
        return s.query(model).count()


def test_the_audit_names_the_operator(db, person) -> None:
    with db.session() as s:
        actors = set(s.scalars(select(AuditEvent.actor)))
    assert "李会计" in actors


def test_an_unnamed_operator_changes_nothing(db, person) -> None:
    events = count(db, AuditEvent)
    with pytest.raises(SubsidyDeskError) as info:
        intake.start_case(
            db, Actor(""), catalog_id="qianyang-2021", person_id=person, organisation_id=None,
            application=Application("job_seeking_once", TODAY), today=TODAY,
        )  # fmt: skip
    assert info.value.code == "ACTOR_UNNAMED" and "请先登录" in info.value.message_zh
    assert count(db, Case) == 0 and count(db, AuditEvent) == events


def test_a_county_pc_does_not_receive_applications(db, person) -> None:
    officer = Actor("王审核", station=Station.COUNTY)
    with pytest.raises(SubsidyDeskError) as info:
        intake.start_case(
            db, officer, catalog_id="qianyang-2021", person_id=person, organisation_id=None,
            application=Application("job_seeking_once", TODAY), today=TODAY,
        )  # fmt: skip
    assert info.value.code == "STATION_REQUIRED"
    assert count(db, Case) == 0


def test_a_town_pc_does_not_decide_for_the_county(db) -> None:
    from core.app import county

    with pytest.raises(SubsidyDeskError) as info:
        county.approve(db, CLERK, uuid="abcdef12")
    assert info.value.code == "STATION_REQUIRED"


def test_an_application_date_in_the_future_is_refused(db, person) -> None:
    with pytest.raises(InvalidInput) as info:
        draft(db, person, on=TODAY + dt.timedelta(days=1))
    assert info.value.codes == ["APPLICATION_DATE_FUTURE"] and info.value.errors[0].field == "申请日期"
    assert count(db, Case) == 0
    case_id = draft(db, person)
    with pytest.raises(InvalidInput):
        intake.change_application(
            db,
            CLERK,
            case_id=case_id,
            application=Application("job_seeking_once", dt.date(2022, 3, 2)),
            today=TODAY,
        )
    assert intake.load_draft(db, case_id=case_id).application.application_date == TODAY


def test_a_materials_deadline_in_the_past_is_refused(db, person) -> None:
    case_id = draft(db, person)
    with pytest.raises(InvalidInput) as info:
        intake.mark_pending(db, CLERK, case_id=case_id, due_on=TODAY - dt.timedelta(days=1), today=TODAY)
    assert info.value.codes == ["MATERIALS_DUE_PAST"]
    assert intake.load_draft(db, case_id=case_id).status == CaseStatus.DRAFT
    intake.mark_pending(db, CLERK, case_id=case_id, due_on=TODAY, today=TODAY)  # today itself is fine
    assert intake.default_materials_due(TODAY) == dt.date(2022, 3, 16)


def test_checklist_rules_are_the_cores(db, person) -> None:
    case_id = draft(db, person)
    lines = {line.material_id: line for line in intake.checklist(db, case_id=case_id)}
    assert lines["labour_contract"].takes_original and not lines["id_card_copy"].takes_original
    assert "复印件" in lines["id_card_copy"].requirement
    marks = {
        "id_card_copy": ChecklistMark(received=True, original_seen=True, copies="２"),  # full-width 2
        "labour_contract": ChecklistMark(received=False, original_seen=True, copies="3"),
    }
    intake.save_checklist(db, CLERK, case_id=case_id, marks=marks)
    with db.session() as s:
        rows = {
            r.material_id: r for r in s.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case_id))
        }
    assert (rows["id_card_copy"].original_seen, rows["id_card_copy"].copies_kept) == (False, 2)  # a copy only
    assert (rows["labour_contract"].received, rows["labour_contract"].copies_kept) == (False, 0)  # not here
    with pytest.raises(InvalidInput) as info:
        intake.save_checklist(
            db, CLERK, case_id=case_id, marks={"id_card_copy": ChecklistMark(True, copies="两")}
        )
    assert info.value.codes == ["CHECKLIST_COPIES"] and "身份证" in info.value.message_zh


def test_a_new_subsidy_keeps_only_the_facts_it_asks_for(db, person) -> None:
    case_id = draft(db, person)
    intake.save_facts(db, CLERK, case_id=case_id, values=GOOD_FACTS)
    intake.change_application(
        db,
        CLERK,
        case_id=case_id,
        application=Application("transport_once", TODAY, "spouse", "王大"),
        today=TODAY,
    )
    d = intake.load_draft(db, case_id=case_id)
    assert d.application == Application("transport_once", TODAY, "spouse", "王大")
    assert d.facts == {"employment_date": "2022-01-10"}


def test_the_state_table_drives_what_may_be_done(db, person) -> None:
    assert set(ACTIONS) == set(CaseStatus)  # every state says what it allows
    case_id = accepted(db, person)
    assert cases.actions_for(CaseStatus.ACCEPTED, CLERK) >= {CaseAction.CORRECT, CaseAction.PRINT_RECEIPT}
    assert CaseAction.REVIEW not in cases.actions_for(CaseStatus.ACCEPTED, CLERK)
    assert CaseAction.REVIEW in cases.case_view(db, HEAD, case_id=case_id).actions
    assert not allows(CaseStatus.DRAFT, CaseAction.PRINT_RECEIPT)
    review.review_case(db, HEAD, case_id=case_id, passed=True, note="", today=TODAY)
    view = cases.case_view(db, HEAD, case_id=case_id)
    assert view.detail.status == CaseStatus.REVIEW_PASSED and CaseAction.REVIEW not in view.actions
    with pytest.raises(SubsidyDeskError) as info:
        review.review_case(db, HEAD, case_id=case_id, passed=True, note="", today=TODAY)
    assert info.value.code == "CASE_NOT_ACCEPTED"


def test_the_command_line_names_its_operator(db, tmp_path: Path, capsys) -> None:
    folder = str(db.path.parent)
    db.close()
    assert main(["--data-dir", folder, "office-code", "610328101"]) == 2  # nobody named
    assert "--user" in capsys.readouterr().err
    secret = password_file(tmp_path / "secret")
    login = ["--data-dir", folder, "--operator", "张三", "--password-file", str(secret)]
    assert main([*login, "office-code", "610328101"]) == 2  # no such account yet
    assert "没有名为“张三”的账户" in capsys.readouterr().err
    assert main([*login, "account-init"]) == 0  # the first 管理员, for scripts
    assert "恢复码：" in capsys.readouterr().out
    wrong = password_file(tmp_path / "wrong", "不是这个密码啊")
    assert (
        main(
            [
                "--data-dir",
                folder,
                "--user",
                "张三",
                "--password-file",
                str(wrong),
                "office-code",
                "610328101",
            ]
        )
        == 2
    )
    assert "密码不对" in capsys.readouterr().err
    assert main([*login, "office-code", "610328101"]) == 0
    with db.session() as s:
        actor = s.scalar(select(AuditEvent.actor).where(AuditEvent.entity == "package_setting"))
    assert actor == "张三"
