"""The intake wizard: applicant → subsidy → facts → materials → assessment and 受理.

Each step saves what it has, so closing the wizard at any point leaves a draft the clerk can
resume from the case list.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QWidget, QWizard

from core.db import Database
from ui.dialog_service import DialogService
from ui.intake.applicant_page import ApplicantPage
from ui.intake.context import IntakeContext
from ui.intake.facts_page import FactsPage
from ui.intake.materials_page import MaterialsPage
from ui.intake.result_page import ResultPage
from ui.intake.roster_page import RosterPage
from ui.intake.subsidy_page import SubsidyPage
from ui.operations import intake as ops

PAGE_APPLICANT, PAGE_SUBSIDY, PAGE_FACTS, PAGE_MATERIALS, PAGE_RESULT, PAGE_ROSTER = range(6)


class IntakeWizard(QWizard):
    def __init__(
        self,
        db: Database,
        dialogs: DialogService,
        actor: str,
        catalog_id: str,
        office_town: str,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("受理申请")
        self.setWizardStyle(QWizard.ClassicStyle)
        self.ctx = IntakeContext(
            db=db,
            dialogs=dialogs,
            actor=actor,
            today=today or dt.date.today(),
            catalog_id=catalog_id,
            office_town=office_town,
        )
        self.applicant = ApplicantPage(self.ctx)
        self.subsidy = SubsidyPage(self.ctx)
        self.facts = FactsPage(self.ctx)
        self.materials = MaterialsPage(self.ctx)
        self.result_page = ResultPage(self.ctx)
        self.saved_pending = False
        self.roster = RosterPage(self.ctx)
        pages = (self.applicant, self.subsidy, self.facts, self.materials, self.result_page, self.roster)
        for page_id, page in enumerate(pages):
            self.setPage(page_id, page)
        self.setButtonText(QWizard.NextButton, "下一步(&N) >")
        self.setButtonText(QWizard.BackButton, "< 上一步(&B)")
        self.setButtonText(QWizard.FinishButton, "受理(&S)")
        self.setButtonText(QWizard.CancelButton, "关闭(&C)")
        self.setButtonText(QWizard.CustomButton1, "存为待补材料(&P)")
        self.setOption(QWizard.HaveCustomButton1, True)
        self.button(QWizard.CustomButton1).setVisible(False)
        self.button(QWizard.CustomButton1).clicked.connect(self._save_pending)
        self.currentIdChanged.connect(self._page_changed)
        self.resize(900, 620)

    def resume(self, case_id: int) -> None:
        """Open an existing draft at its facts page."""
        from core.db.models import Case

        catalog_id, subsidy_id, facts, _checks = ops.load_case(self.ctx.db, case_id)
        with self.ctx.db.session() as s:
            case = s.get(Case, case_id)
            assert case is not None
            self.ctx.kind = "person" if case.person_id else "organisation"
            self.ctx.person_id, self.ctx.organisation_id = case.person_id, case.organisation_id
            self.ctx.application_date = case.application_date
        self.ctx.catalog_id, self.ctx.subsidy_id, self.ctx.case_id = catalog_id, subsidy_id, case_id
        self.ctx.facts = facts
        self.setStartId(PAGE_FACTS)

    def nextId(self) -> int:
        """Facts → roster → materials for subsidies paid per worker; otherwise facts → materials."""
        current = self.currentId()
        if current == PAGE_FACTS and self._has_roster():
            return PAGE_ROSTER
        if current == PAGE_ROSTER:
            return PAGE_MATERIALS
        if current == PAGE_RESULT:
            return -1
        return current + 1

    def _has_roster(self) -> bool:
        if self.ctx.subsidy_id is None:
            return False
        return ops.subsidy(self.ctx.catalog_id, self.ctx.subsidy_id).beneficiary is not None

    def _page_changed(self, page_id: int) -> None:
        self.button(QWizard.CustomButton1).setVisible(page_id == PAGE_RESULT)

    def _save_pending(self) -> None:
        if self.result_page.save_pending():
            self.saved_pending = True
            # QDialog's own done(): QWizard's would validate the page, i.e. try to 受理.
            QDialog.done(self, QDialog.Accepted)

    @property
    def case_id(self) -> int | None:
        return self.ctx.case_id
