"""The intake wizard driven from the keyboard alone, as a clerk does it at the counter."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from core.actor import Actor
from core.applicants import PersonInput, create_person
from core.db.models import Case, CaseMaterial
from core.identity.id_number import check_character
from core.settings import OfficeInput, save_office
from ui.dialog_service import ScriptedDialogs
from ui.intake.wizard import PAGE_FACTS, PAGE_MATERIALS, PAGE_RESULT, PAGE_SUBSIDY, IntakeWizard

TODAY = dt.date(2022, 3, 1)
CLERK = Actor("李会计")


class Keyboard:
    """Sends keys to whatever has the focus, counting the keys that are not typed data."""

    def __init__(self, window) -> None:
        self.window = window
        self.strokes = 0

    def _send(self, key: int, text: str = "") -> None:
        # Offscreen windows are never "active", so ask the window which widget has its focus.
        target = QApplication.focusWidget() or self.window.focusWidget()
        assert target is not None, "something must have the keyboard focus"
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.NoModifier, text))
        QApplication.processEvents()

    def type(self, text: str) -> None:  # typed data: not counted
        for ch in text:
            self._send(0, ch)

    def press(self, key: int, times: int = 1) -> None:
        for _ in range(times):
            self.strokes += 1
            self._send(key, " " if key == Qt.Key_Space else "")


@pytest.fixture
def setup(db):
    with db.session() as s, s.begin():
        save_office(
            s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "0917-4212345", "qianyang-2021"), "t"
        )
        first17 = "61032819900101124"
        create_person(
            s,
            PersonInput(
                "王秀兰",
                first17 + check_character(first17),
                registered_town="水沟镇",
                categories=["poverty_alleviated"],
            ),
            "t",
        )
    return db


def open_wizard(qtbot, db, dialogs: ScriptedDialogs | None = None) -> tuple[IntakeWizard, Keyboard]:
    wizard = IntakeWizard(db, dialogs or ScriptedDialogs(), CLERK, "qianyang-2021", "水沟镇", today=TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard, Keyboard(wizard)


def job_seeking_to_materials(qtbot, wizard: IntakeWizard, kb: Keyboard) -> None:
    """王秀兰 → 一次性求职补贴 → employed 2022-01-10, contract 12 months: up to the materials step."""
    kb.type("王秀兰")
    qtbot.waitUntil(lambda: wizard.applicant.results.count() == 1, timeout=2000)
    kb.press(Qt.Key_Return)
    kb.press(Qt.Key_Return)
    kb.type("2022-01-10")
    kb.press(Qt.Key_Tab)
    kb.press(Qt.Key_Down)
    kb.press(Qt.Key_Tab)
    kb.type("12")
    kb.press(Qt.Key_Tab)
    kb.press(Qt.Key_Down)
    kb.press(Qt.Key_Return)
    assert wizard.currentId() == PAGE_MATERIALS


def test_job_seeking_case_from_the_keyboard_alone(qtbot, setup) -> None:
    db = setup
    wizard = IntakeWizard(db, ScriptedDialogs(), CLERK, "qianyang-2021", "水沟镇", today=TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    kb = Keyboard(wizard)

    # 1 applicant: type the name; the single match is selected; Enter goes on.
    kb.type("王秀兰")
    qtbot.waitUntil(lambda: wizard.applicant.results.count() == 1, timeout=2000)
    kb.press(Qt.Key_Return)
    assert wizard.currentId() == PAGE_SUBSIDY
    # 2 subsidy: 一次性求职补贴 is the first of the Qianyang catalog; today's date is the default.
    assert wizard.subsidy.subsidies.currentItem().text().startswith("一次性求职补贴")
    kb.press(Qt.Key_Return)
    assert wizard.currentId() == PAGE_FACTS
    # 3 facts: date, yes/no, months, applicant group.
    kb.type("2022-01-10")
    kb.press(Qt.Key_Tab)
    kb.press(Qt.Key_Down)  # 是
    kb.press(Qt.Key_Tab)
    kb.type("12")
    kb.press(Qt.Key_Tab)
    kb.press(Qt.Key_Down)  # 脱贫劳动力
    kb.press(Qt.Key_Return)
    assert wizard.currentId() == PAGE_MATERIALS, [
        (f.fact.id, f.widget.property("text") or f.widget.property("currentText"))
        for f in wizard.facts.form.fields.values()
    ]
    # 4 materials: labour contract, ID card copy, social security card copy, written application.
    kb.press(Qt.Key_Space)
    kb.press(Qt.Key_Down, 3)
    kb.press(Qt.Key_Space)
    kb.press(Qt.Key_Down)
    kb.press(Qt.Key_Space)
    kb.press(Qt.Key_Down, 2)
    kb.press(Qt.Key_Space)
    kb.press(Qt.Key_Return)
    assert wizard.currentId() == PAGE_RESULT
    assert "符合条件" in wizard.result_page.headline.text() and "500.00" in wizard.result_page.headline.text()
    # 5 受理.
    kb.press(Qt.Key_Return)
    assert wizard.result_page.accepted_number == "2022-000001"
    assert kb.strokes <= 25  # the goal of issue 4; README records the count
    print(f"keystrokes beyond typed data: {kb.strokes} (+1 for Ctrl+N to open the wizard)")

    with db.session() as s:
        case = s.get(Case, wizard.case_id)
        assert case is not None and case.status == "accepted" and case.amount_fen == 50000
        assert case.facts == {
            "employment_date": "2022-01-10",
            "is_transfer_employment": True,
            "contract_months": 12,
            "applicant_group": "labourer",
        }
        received = {m.material_id for m in s.query(CaseMaterial).filter_by(case_id=case.id, received=True)}
        assert received == {
            "labour_contract",
            "id_card_copy",
            "social_security_card_copy",
            "written_application",
        }
        assert case.assessment is not None and case.assessment["decision"] == "eligible"
        assert case.created_by == "李会计"


def test_missing_material_blocks_acceptance_and_can_wait(qtbot, setup) -> None:
    db = setup
    dialogs = ScriptedDialogs()
    wizard, kb = open_wizard(qtbot, db, dialogs)
    job_seeking_to_materials(qtbot, wizard, kb)
    kb.press(Qt.Key_Space)  # only the labour contract
    kb.press(Qt.Key_Return)
    assert wizard.currentId() == PAGE_RESULT
    assert not wizard.result_page.isComplete()  # 受理 is disabled
    assert "材料不齐" in wizard.result_page.headline.text()
    pending = wizard.button(wizard.WizardButton.CustomButton1)
    assert pending.isVisible(), "the 存为待补材料 button shows on the last step"
    pending.click()
    assert dialogs.messages == []
    with db.session() as s:
        case = s.get(Case, wizard.case_id)
        assert case is not None and case.status == "pending_materials"
        assert case.materials_due_on == TODAY + dt.timedelta(days=15)


def test_placement_agency_case_with_an_imported_roster(qtbot, setup, tmp_path) -> None:
    """职业介绍补贴: 500元 per placed worker with a contract of 1 year or more (千人社发〔2021〕141号 二(一)2)."""
    from openpyxl import load_workbook

    from core.app.catalogs import subsidy as find_subsidy
    from core.app.intake import save_roster_template
    from core.applicants import OrganisationInput, create_organisation
    from ui.intake.wizard import PAGE_ROSTER

    db = setup
    with db.session() as s, s.begin():
        create_organisation(
            s,
            OrganisationInput("千阳县宏达人力资源服务公司", "91350100M000100Y43", org_type="hr_agency"),
            "t",
        )
    template = save_roster_template(
        catalog_id="qianyang-2021", subsidy_id="job_placement", target=tmp_path / "模板.xlsx"
    )
    book = load_workbook(template)
    sheet = book.worksheets[0]
    workers = [("张伟", "61032819880315101"), ("李娜", "61032819920708202"), ("王强", "61032819950101303")]
    for row, (name, first17) in enumerate(workers, start=2):
        for col, value in enumerate(
            (row - 1, name, first17 + check_character(first17), "脱贫人口", 24 if name != "王强" else 6),
            start=1,
        ):
            sheet.cell(row=row, column=col, value=value)
    roster = tmp_path / "花名册.xlsx"
    book.save(roster)

    dialogs = ScriptedDialogs(files=[str(roster)])
    wizard = IntakeWizard(db, dialogs, CLERK, "qianyang-2021", "水沟镇", today=TODAY)
    qtbot.addWidget(wizard)
    wizard.show()
    kb = Keyboard(wizard)
    wizard.applicant.org_radio.setChecked(True)  # Alt+U on a real screen
    wizard.applicant.search.setFocus()
    kb.type("宏达")
    qtbot.waitUntil(lambda: wizard.applicant.results.count() == 1, timeout=2000)
    kb.press(Qt.Key_Return)
    assert wizard.subsidy.subsidies.currentItem().text().startswith("职业介绍补贴")
    kb.press(Qt.Key_Return)
    kb.type("2022-02-20")  # 完成职介工作日期
    kb.press(Qt.Key_Tab)
    kb.press(Qt.Key_Down)  # 依法许可登记：是
    kb.press(Qt.Key_Tab)
    kb.press(Qt.Key_Down)  # 免费职业介绍：是
    kb.press(Qt.Key_Return)
    assert wizard.currentId() == PAGE_ROSTER
    kb.press(Qt.Key_Space)  # 导入花名册 (the file picker answers with the roster)
    qtbot.waitUntil(lambda: wizard.roster.table.rowCount() == 3, timeout=10_000)  # read on a worker
    kb.press(Qt.Key_Return)
    assert wizard.currentId() == PAGE_MATERIALS
    subsidy = find_subsidy(catalog_id="qianyang-2021", subsidy_id="job_placement")
    wanted = {
        "subsidy_application_report",
        "business_license_copy",
        "placement_license_copy",
        "beneficiary_roster",
        "identity_proofs",
        "labour_contract_copies",
        "bank_basic_account",
    }
    for i, material in enumerate(subsidy.materials):
        if material.id in wanted:
            kb.press(Qt.Key_Space)
        if i < len(subsidy.materials) - 1:
            kb.press(Qt.Key_Down)
    kb.press(Qt.Key_Return)
    assert wizard.currentId() == PAGE_RESULT
    headline = wizard.result_page.headline.text()
    assert "符合条件" in headline and "1,000.00" in headline, (
        headline
    )  # 王强's 6-month contract does not count
    assert "王强" in wizard.result_page.text.toPlainText()
    kb.press(Qt.Key_Return)
    assert wizard.result_page.accepted_number == "2022-000001"
    with db.session() as s:
        case = s.get(Case, wizard.case_id)
        assert case is not None and case.status == "accepted" and case.amount_fen == 100000


def test_second_application_this_year_is_flagged_on_the_result_page(qtbot, setup) -> None:
    """每人每年可享受一次 (千人社发〔2021〕141号 二(一)1): the clerk sees the earlier case and 受理 is refused."""
    db = setup

    def run_to_result(dialogs: ScriptedDialogs) -> IntakeWizard:
        wizard, kb = open_wizard(qtbot, db, dialogs)
        job_seeking_to_materials(qtbot, wizard, kb)
        kb.press(Qt.Key_Space)
        kb.press(Qt.Key_Down, 3)
        kb.press(Qt.Key_Space)
        kb.press(Qt.Key_Down)
        kb.press(Qt.Key_Space)
        kb.press(Qt.Key_Down, 2)
        kb.press(Qt.Key_Space)
        kb.press(Qt.Key_Return)
        assert wizard.currentId() == PAGE_RESULT
        return wizard

    first = run_to_result(ScriptedDialogs())
    first.button(first.WizardButton.FinishButton).click()
    assert first.result_page.accepted_number == "2022-000001"
    second = run_to_result(ScriptedDialogs())
    warnings = second.result_page.warnings.text()
    assert "本人今年已有同一补贴的案件" in warnings and "2022-000001" in warnings
    assert "不符合条件" in second.result_page.headline.text()
    assert not second.result_page.isComplete()  # 受理 stays disabled
