"""A town running Qianyang's catalog and the county that sends it catalog updates.

The extension notice here is made up for the tests (千人社函〔2026〕测试1号): it is never a
shipped catalog, only what a county officer would type into the update screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.actor import Actor, Role, Station
from core.app import applicants, intake
from core.app.county_catalogs import issue_update
from core.app.intake import Application
from core.applicant_types import PersonInput
from core.cases.checklist import ChecklistMark
from core.db import Database, open_database
from core.identity.id_number import check_character
from core.ids import CaseId, PersonId
from core.operator import save_station
from core.packages.keys import KeyStore, public_pem
from core.policy.update import ExtensionInput, UpdateChanges
from core.settings import OfficeInput, save_office

CATALOG = "qianyang-2021"
TODAY = dt.date(2026, 6, 1)
CLERK = Actor("李经办", (Role.CLERK, Role.ADMIN), Station.TOWN)  # keys are the 管理员's
HEAD = Actor("赵所长", Role.HEAD, Station.TOWN)
OFFICER = Actor("王审核", (Role.REVIEWER, Role.FINANCE, Role.ADMIN), Station.COUNTY)
TEST_NOTICE = ExtensionInput(
    end=dt.date(2026, 12, 31),
    document_number="千人社函〔2026〕测试1号",
    issued_on=dt.date(2026, 1, 5),
    issuer="千阳县人力资源和社会保障局（测试）",
    section="一",
    text="（测试用通知）《切实加强就业帮扶巩固拓展脱贫攻坚成果助力乡村振兴的实施办法》执行期限延长至2026年12月31日。",
)
EXTENSION = UpdateChanges(extension=TEST_NOTICE)
JOB_SEEKING_MATERIALS = (
    "labour_contract",
    "id_card_copy",
    "social_security_card_copy",
    "written_application",
)


@dataclass
class Place:
    data_dir: Path
    db: Database


def id_number(first17: str) -> str:
    return first17 + check_character(first17)


@pytest.fixture
def town(tmp_path: Path) -> Iterator[Place]:
    data_dir = tmp_path / "town"
    db = open_database(data_dir)
    with db.session() as s, s.begin():
        save_office(s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "", CATALOG), "t")
    yield Place(data_dir, db)
    db.close()


@pytest.fixture
def county(tmp_path: Path, town: Place) -> Iterator[Place]:
    data_dir = tmp_path / "county"
    db = open_database(data_dir)
    save_station(data_dir, "county")
    KeyStore(town.data_dir).set_county_public(public_pem(KeyStore(data_dir).county_key().public_key()))
    yield Place(data_dir, db)
    db.close()


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def person(town: Place, first17: str = "61032819900101124", name: str = "王秀兰") -> PersonId:
    data = PersonInput(name, id_number(first17), categories=["poverty_alleviated"])
    return PersonId(applicants.save_person(town.db, CLERK, person_id=None, data=data))


def job_seeking_draft(town: Place, who: PersonId, employed: dt.date, applied: dt.date) -> CaseId:
    """一次性求职补贴 with every fact and material: only the dates decide."""
    case_id = intake.start_case(
        town.db, CLERK, catalog_id=CATALOG, person_id=who, organisation_id=None,
        application=Application("job_seeking_once", applied), today=TODAY,
    )  # fmt: skip
    facts = {"employment_date": employed, "is_transfer_employment": True, "contract_months": 12,
             "applicant_group": "labourer"}  # fmt: skip
    intake.save_facts(town.db, CLERK, case_id=case_id, values=facts)
    marks = {m: ChecklistMark(received=True, copies="1") for m in JOB_SEEKING_MATERIALS}
    intake.save_checklist(town.db, CLERK, case_id=case_id, marks=marks, keep_valid=True)
    intake.assess_case(town.db, CLERK, case_id=case_id)
    return case_id


def issue(county: Place, usb: Path, changes: UpdateChanges = EXTENSION, catalog_id: str = CATALOG) -> Path:
    return issue_update(county.db, OFFICER, catalog_id=catalog_id, changes=changes, folder=usb).path
