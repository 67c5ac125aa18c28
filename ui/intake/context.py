"""What the wizard's pages share: the database, who is working, and the case being built."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.actor import Actor
from core.app.intake import Application
from core.app.storage import Database
from core.applicant_types import ApplicantKind
from core.ids import CaseId, OrganisationId, PersonId
from ui.dialog_service import DialogService

if TYPE_CHECKING:
    from core.policy import model as m


@dataclass
class IntakeContext:
    db: Database
    dialogs: DialogService
    actor: Actor
    today: dt.date
    catalog_id: str
    office_town: str = ""
    kind: ApplicantKind = ApplicantKind.PERSON
    person_id: PersonId | None = None
    organisation_id: OrganisationId | None = None
    applicant_label: str = ""
    application: Application | None = None  # the subsidy step as last left
    case_id: CaseId | None = None

    @property
    def subsidy_id(self) -> str | None:
        return self.application.subsidy_id if self.application else None

    def require_case(self) -> CaseId:
        """The draft the steps after the subsidy step work on (the wizard creates it there)."""
        if self.case_id is None:
            from core.errors import SubsidyDeskError

            raise SubsidyDeskError("INTAKE_NO_DRAFT", "请先在第2步选择补贴项目并填写申请日期。")
        return self.case_id

    def subsidy(self) -> m.Subsidy:
        """The chosen subsidy of the office's catalog."""
        from core.app.catalogs import subsidy

        if self.application is None:
            from core.errors import SubsidyDeskError

            raise SubsidyDeskError("INTAKE_NO_SUBSIDY", "请先在第2步选择补贴项目。")
        return subsidy(catalog_id=self.catalog_id, subsidy_id=self.application.subsidy_id)
