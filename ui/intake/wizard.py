"""The intake wizard: applicant → subsidy → facts → materials → assessment and 受理.

Each step saves what it shows whenever the clerk leaves it, forward, back or by closing the
wizard, so nothing typed is lost and a draft can be resumed from the case list; a resumed
draft opens on its facts step with every earlier step reachable with 上一步.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QWidget, QWizard

from core.actor import Actor
from core.app import intake as ops
from core.app.storage import Database
from core.ids import CaseId
from ui.dialog_service import DialogService
from ui.intake.applicant_page import ApplicantPage
from ui.intake.context import IntakeContext
from ui.intake.facts_page import FactsPage
from ui.intake.materials_page import MaterialsPage
from ui.intake.result_page import ResultPage
from ui.intake.roster_page import RosterPage
from ui.intake.step import StepPage
from ui.intake.subsidy_page import SubsidyPage
from ui.shield import shielded

PAGE_APPLICANT, PAGE_SUBSIDY, PAGE_FACTS, PAGE_MATERIALS, PAGE_RESULT, PAGE_ROSTER = range(6)


class IntakeWizard(QWizard):
    def __init__(
        self,
        db: Database,
        dialogs: DialogService,
        actor: Actor,
        catalog_id: str,
        office_town: str,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("受理申请")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
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
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步(&N) >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< 上一步(&B)")
        self.setButtonText(QWizard.WizardButton.FinishButton, "受理(&S)")
        self.setButtonText(QWizard.WizardButton.CancelButton, "关闭(&C)")
        self.setButtonText(QWizard.WizardButton.CustomButton1, "存为待补材料(&P)")
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.button(QWizard.WizardButton.CustomButton1).setVisible(False)
        self.button(QWizard.WizardButton.CustomButton1).clicked.connect(self._save_pending)
        self.currentIdChanged.connect(self._page_changed)
        self.resize(900, 620)

    def resume(self, case_id: CaseId) -> None:
        """Open an existing draft at its facts step, the applicant and subsidy steps behind it."""
        draft = ops.load_draft(self.ctx.db, case_id=case_id)
        ctx = self.ctx
        ctx.catalog_id, ctx.case_id, ctx.kind = draft.catalog_id, case_id, draft.kind
        ctx.person_id, ctx.organisation_id = draft.person_id, draft.organisation_id
        ctx.applicant_label, ctx.application = draft.applicant_name, draft.application
        self.restart()
        for step in (PAGE_APPLICANT, PAGE_SUBSIDY):
            self.next()  # validates and saves the step, as 下一步 does
            if self.currentId() == step:
                return  # e.g. a date no longer valid: the clerk sees why on that step

    @shielded(-1)
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
        return self.ctx.application is not None and self.ctx.subsidy().beneficiary is not None

    def _page_changed(self, page_id: int) -> None:
        self.button(QWizard.WizardButton.CustomButton1).setVisible(page_id == PAGE_RESULT)

    @shielded(None)
    def reject(self) -> None:
        """关闭 (or Esc): the step on screen is saved as far as it can be, then the wizard closes."""
        page = self.currentPage()
        try:
            if isinstance(page, StepPage):
                page.leave_reporting()
        finally:
            super().reject()  # closes even when saving failed (which is then reported)

    def _save_pending(self) -> None:
        if self.result_page.save_pending():
            self.saved_pending = True
            # QDialog's own done(): QWizard's would validate the page, i.e. try to 受理.
            QDialog.done(self, QDialog.DialogCode.Accepted)

    @property
    def case_id(self) -> CaseId | None:
        return self.ctx.case_id
