"""The intake wizard keeps what the clerk types: every step is saved when the clerk leaves it,
forward, back or by closing the wizard, and a resumed draft can go back to any step."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QWizard

from core.actor import Actor
from core.applicants import PersonInput, create_person
from core.db.models import Case, CaseMaterial
from core.identity.id_number import check_character
from core.settings import OfficeInput, save_office
from tests.waiting import wait_finished
from ui.dialog_service import ScriptedDialogs
from ui.intake.wizard import (
    PAGE_APPLICANT,
    PAGE_FACTS,
    PAGE_MATERIALS,
    PAGE_RESULT,
    PAGE_SUBSIDY,
    IntakeWizard,
)

TODAY = dt.date(2022, 3, 1)
CLERK = Actor("李会计")


@pytest.fixture
def db_with_person(db):
    with db.session() as s, s.begin():
        save_office(s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "", "qianyang-2021"), "t")
        first17 = "61032819900101124"
        create_person(
            s,
            PersonInput("王秀兰", first17 + check_character(first17), categories=["poverty_alleviated"]),
            "t",
        )
    return db


def stored(db, case_id: int) -> Case:
    with db.session() as s:
        case = s.get(Case, case_id)
        assert case is not None
        s.expunge(case)
        return case


def ticked(db, case_id: int) -> set[str]:
    with db.session() as s:
        return {m.material_id for m in s.query(CaseMaterial).filter_by(case_id=case_id, received=True)}


def wizard_for(qtbot, db) -> IntakeWizard:
    wizard = IntakeWizard(db, ScriptedDialogs(), CLERK, "qianyang-2021", "水沟镇", today=TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def field(wizard: IntakeWizard, fact_id: str) -> QLineEdit | QComboBox:
    assert wizard.facts.form is not None
    return wizard.facts.form.fields[fact_id].widget


def fill_facts(wizard: IntakeWizard, employed: str = "2022-01-10", months: str = "12") -> None:
    date = field(wizard, "employment_date")
    assert isinstance(date, QLineEdit)
    date.setText(employed)
    transfer = field(wizard, "is_transfer_employment")
    assert isinstance(transfer, QComboBox)
    transfer.setCurrentIndex(transfer.findData(True))
    contract = field(wizard, "contract_months")
    assert isinstance(contract, QLineEdit)
    contract.setText(months)
    group = field(wizard, "applicant_group")
    assert isinstance(group, QComboBox)
    group.setCurrentIndex(group.findData("labourer"))


def to_facts(wizard: IntakeWizard, subsidy_prefix: str = "一次性求职补贴") -> None:
    wizard.applicant.search.setText("王秀兰")
    wizard.applicant.refresh()
    wizard.next()
    assert wizard.currentId() == PAGE_SUBSIDY
    choose_subsidy(wizard, subsidy_prefix)
    wizard.next()
    assert wizard.currentId() == PAGE_FACTS


def choose_subsidy(wizard: IntakeWizard, prefix: str) -> None:
    items = wizard.subsidy.subsidies
    for i in range(items.count()):
        if items.item(i).text().startswith(prefix):
            items.setCurrentRow(i)
            return
    raise AssertionError(f"no subsidy {prefix}")


def test_facts_survive_going_back_and_forth(qtbot, db_with_person) -> None:
    db = db_with_person
    wizard = wizard_for(qtbot, db)
    to_facts(wizard)
    case_id = wizard.case_id
    assert case_id is not None and stored(db, case_id).facts == {}
    fill_facts(wizard)
    wizard.back()  # 上一步 saves the facts
    assert wizard.currentId() == PAGE_SUBSIDY
    assert stored(db, case_id).facts == {
        "employment_date": "2022-01-10",
        "is_transfer_employment": True,
        "contract_months": 12,
        "applicant_group": "labourer",
    }
    assert stored(db, case_id).event_date == dt.date(2022, 1, 10)
    wizard.next()
    assert field(wizard, "contract_months").text() == "12"  # type: ignore[union-attr]
    assert field(wizard, "employment_date").text() == "2022-01-10"  # type: ignore[union-attr]


def test_a_wrong_value_stays_on_screen_and_the_right_ones_are_saved(qtbot, db_with_person) -> None:
    db = db_with_person
    wizard = wizard_for(qtbot, db)
    to_facts(wizard)
    fill_facts(wizard, months="十二")  # not a number yet
    wizard.back()
    facts = stored(db, wizard.case_id).facts
    assert facts["employment_date"] == "2022-01-10" and "contract_months" not in facts
    wizard.next()
    assert field(wizard, "contract_months").text() == "十二"  # type: ignore[union-attr]
    wizard.next()  # 下一步 refuses until it is corrected
    assert wizard.currentId() == PAGE_FACTS
    field(wizard, "contract_months").setText("12")  # type: ignore[union-attr]
    wizard.next()
    assert wizard.currentId() == PAGE_MATERIALS
    assert stored(db, wizard.case_id).facts["contract_months"] == 12


def test_changing_the_date_after_the_first_step_is_saved_and_assessed(qtbot, db_with_person) -> None:
    db = db_with_person
    wizard = wizard_for(qtbot, db)
    to_facts(wizard)
    case_id = wizard.case_id
    assert stored(db, case_id).application_date == TODAY
    fill_facts(wizard)
    wizard.back()
    wizard.subsidy.date.setText("2022-02-15")
    wizard.next()
    assert stored(db, case_id).application_date == dt.date(2022, 2, 15)
    wizard.next()  # facts → materials
    wizard.next()  # materials → result: assessed with the new date
    assert wizard.currentId() == PAGE_RESULT
    assert stored(db, case_id).assessment is not None
    with db.session() as s:
        from core.cases.history import case_input
        from core.policy.service import get_catalog

        case = s.get(Case, case_id)
        assert case_input(s, case, get_catalog("qianyang-2021")).application_date == dt.date(2022, 2, 15)


def test_a_date_in_the_future_is_refused_on_the_subsidy_step(qtbot, db_with_person) -> None:
    db = db_with_person
    wizard = wizard_for(qtbot, db)
    to_facts(wizard)
    wizard.back()
    wizard.subsidy.date.setText("2022-03-02")
    wizard.next()
    assert wizard.currentId() == PAGE_SUBSIDY
    assert "不能晚于今天" in wizard.subsidy.error.text()
    assert stored(db, wizard.case_id).application_date == TODAY


def test_materials_are_kept_when_going_back(qtbot, db_with_person) -> None:
    db = db_with_person
    wizard = wizard_for(qtbot, db)
    to_facts(wizard)
    fill_facts(wizard)
    wizard.next()
    assert wizard.currentId() == PAGE_MATERIALS
    table = wizard.materials.table
    table.item(0, 2).setCheckState(Qt.Checked)  # 劳动合同
    wizard.back()
    assert ticked(db, wizard.case_id) == {"labour_contract"}
    wizard.next()
    assert table.item(0, 2).checkState() == Qt.Checked
    table.item(0, 4).setText("x")  # copies that cannot be read
    wizard.next()
    assert wizard.currentId() == PAGE_MATERIALS and "留存份数" in wizard.materials.note.text()


def test_changing_the_subsidy_keeps_the_facts_and_materials_that_still_apply(qtbot, db_with_person) -> None:
    db = db_with_person
    wizard = wizard_for(qtbot, db)
    to_facts(wizard)
    fill_facts(wizard)
    wizard.next()
    wizard.materials.table.item(0, 2).setCheckState(Qt.Checked)  # 劳动合同, asked by both
    wizard.back()
    wizard.back()
    choose_subsidy(wizard, "跨省就业一次性交通补助")
    wizard.next()
    case = stored(db, wizard.case_id)
    assert case.subsidy_id == "transport_once"
    assert case.facts == {"employment_date": "2022-01-10"}  # the one fact both ask for
    assert case.event_date == dt.date(2022, 1, 10)
    assert field(wizard, "employment_date").text() == "2022-01-10"  # type: ignore[union-attr]
    wizard.next()
    assert wizard.materials.table.item(0, 0).text() == "劳动合同"
    assert wizard.materials.table.item(0, 2).checkState() == Qt.Checked


def test_closing_the_wizard_saves_the_step_on_screen(qtbot, db_with_person) -> None:
    db = db_with_person
    wizard = wizard_for(qtbot, db)
    to_facts(wizard)
    fill_facts(wizard)
    wizard.button(QWizard.WizardButton.CancelButton).click()  # 关闭
    assert not wizard.isVisible()
    assert stored(db, wizard.case_id).facts["contract_months"] == 12


def test_a_resumed_draft_can_go_back_to_any_step(qtbot, db_with_person) -> None:
    db = db_with_person
    first = wizard_for(qtbot, db)
    to_facts(first)
    fill_facts(first)
    first.reject()
    case_id = first.case_id

    wizard = IntakeWizard(db, ScriptedDialogs(), CLERK, "qianyang-2021", "水沟镇", today=TODAY)
    qtbot.addWidget(wizard)
    wizard.resume(case_id)
    wizard.show()
    assert wizard.currentId() == PAGE_FACTS
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    assert field(wizard, "contract_months").text() == "12"  # type: ignore[union-attr]
    wizard.back()
    assert wizard.currentId() == PAGE_SUBSIDY
    assert wizard.subsidy.subsidies.currentItem().text().startswith("一次性求职补贴")
    wizard.subsidy.date.setText("2022-02-20")
    wizard.back()
    assert wizard.currentId() == PAGE_APPLICANT
    assert wizard.applicant.results.currentItem().text().startswith("王秀兰")
    assert stored(db, case_id).application_date == dt.date(2022, 2, 20)
    wizard.next()
    wizard.next()
    assert wizard.currentId() == PAGE_FACTS
    assert stored(db, case_id).facts["contract_months"] == 12
    with db.session() as s:
        assert s.query(Case).count() == 1  # resuming never makes a second case


def test_a_scan_is_attached_on_a_worker_and_ticks_its_material(qtbot, db_with_person, tmp_path) -> None:
    from PIL import Image

    from core.db.models import Attachment

    photo = tmp_path / "劳动合同.jpg"
    Image.new("RGB", (4000, 3000), "white").save(photo)  # a 12-megapixel phone photo
    db = db_with_person
    wizard = wizard_for(qtbot, db)
    to_facts(wizard)
    fill_facts(wizard)
    wizard.next()
    wizard.materials.table.setCurrentCell(0, 2)
    job = wizard.materials.attach(photo)
    wait_finished(qtbot, job)
    qtbot.waitUntil(lambda: wizard.materials.table.item(0, 5).text() == "1 个")
    assert wizard.materials.table.item(0, 2).checkState() == Qt.Checked
    assert ticked(db, wizard.case_id) == {"labour_contract"}
    with db.session() as s:
        stored_scan = s.query(Attachment).one()
        assert stored_scan.material_id == "labour_contract" and stored_scan.size < photo.stat().st_size
