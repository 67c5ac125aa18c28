"""A town office with cases at every step a correction starts from, made through the use cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from core.actor import Actor, Role
from core.app import applicants, intake, review
from core.app.intake import Application
from core.applicant_types import PersonInput
from core.cases.checklist import ChecklistMark
from core.db import Database
from core.identity.id_number import check_character
from core.ids import CaseId, PersonId
from core.settings import OfficeInput, save_office

TODAY = dt.date(2022, 3, 1)
CLERK = Actor("李会计")
HEAD = Actor("赵所长", Role.HEAD)
GOOD_FACTS = {
    "employment_date": dt.date(2022, 1, 10),
    "is_transfer_employment": True,
    "contract_months": 12,
    "applicant_group": "labourer",
}
# Not a 脱贫人口, no transfer, a three-month contract: three rules fail.
REFUSED_FACTS = GOOD_FACTS | {"is_transfer_employment": False, "contract_months": 3}
MATERIALS = ("labour_contract", "id_card_copy", "social_security_card_copy", "written_application")


def number(first17: str) -> str:
    return first17 + check_character(first17)


@dataclass
class Town:
    db: Database
    data_dir: Path

    def person(self, name: str = "王秀兰", first17: str = "61032819900101124", poor: bool = True) -> PersonId:
        data = PersonInput(name, number(first17), categories=["poverty_alleviated"] if poor else [])
        return PersonId(applicants.save_person(self.db, CLERK, person_id=None, data=data))

    def draft(self, person: PersonId, facts: dict[str, object] | None = None) -> CaseId:
        case_id = intake.start_case(
            self.db, CLERK, catalog_id="qianyang-2021", person_id=person, organisation_id=None,
            application=Application("job_seeking_once", TODAY), today=TODAY,
        )  # fmt: skip
        intake.save_facts(self.db, CLERK, case_id=case_id, values=facts or GOOD_FACTS)
        return case_id

    def accepted(self, person: PersonId) -> CaseId:
        case_id = self.draft(person)
        marks = {m: ChecklistMark(received=True, copies="1") for m in MATERIALS}
        intake.save_checklist(self.db, CLERK, case_id=case_id, marks=marks)
        intake.accept_case(self.db, CLERK, case_id=case_id, today=TODAY)
        return case_id

    def reviewed(self, person: PersonId, passed: bool, note: str = "") -> CaseId:
        case_id = self.accepted(person)
        review.review_case(self.db, HEAD, case_id=case_id, passed=passed, note=note, today=TODAY)
        return case_id

    def refused(self, person: PersonId) -> CaseId:
        """A draft assessed 不符合条件 (the result step of the wizard)."""
        case_id = self.draft(person, REFUSED_FACTS)
        view = intake.assess_case(self.db, CLERK, case_id=case_id)
        assert view.assessment.decision == "not_eligible"
        return case_id

    def scan(self, name: str, colour: str = "white") -> Path:
        path = self.data_dir.parent / name
        Image.new("RGB", (60, 40), colour).save(path)
        return path


@pytest.fixture
def town(db: Database) -> Town:
    with db.session() as s, s.begin():
        office = OfficeInput(
            "610328", "水沟镇", "千阳县水沟镇劳动保障事务所", "0917-4212345", "qianyang-2021"
        )
        save_office(s, office, "t")
    return Town(db, db.path.parent)
