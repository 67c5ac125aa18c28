"""Two stations on sample data, built once for the module through the use cases: a town office
(persons, an organisation, cases in every state the lists show: draft, 待补材料, 已受理, reviewed,
withdrawn, exported, decided by the county) and the county (the town's batch imported, one case
approved, one rejected, a result package written and read back at the town)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from core.actor import Actor, Role, Station
from core.app import applicants, corrections, intake
from core.app import county as county_ops
from core.app import office as office_ops
from core.app.batches import export_batch, import_results
from core.app.intake import Application
from core.applicant_types import PersonInput
from core.db import open_database
from core.ids import CaseId, PersonId
from core.operator import save_station
from core.packages.keys import public_pem
from core.packages.registry import register_office_key
from core.settings_types import OfficeInput
from tests.packages.conftest import Site, id_number, make_town
from tests.packages.county_cases import CATALOG, PERSON_FACTS, TODAY, organisation_case, person_case

COUNTY_OFFICER = Actor("王审核", {Role.REVIEWER, Role.FINANCE, Role.ADMIN}, Station.COUNTY)
# Values of the sample data that may hold Latin letters of their own (an account's letters, the
# credit code's check letter, file names): they are the data, not the program's words.
DATA_VALUES = ("91610328383149506Q", "劳动合同.png", "身份证复印件.pdf", "ID card copy")


@dataclass
class Stations:
    town: Site
    county: Site
    root: Path
    cases: dict[str, CaseId] = field(default_factory=dict)
    uuids: dict[str, str] = field(default_factory=dict)
    usb: Path = Path()
    results: Path = Path()
    imported: Any = None  # the county's ImportReport of the town's batch
    results_report: Any = None  # the town's ResultsImport of the county's answer


def _person(town: Site, name: str, first17: str) -> PersonId:
    data = PersonInput(name, id_number(first17), "水沟镇", "西村", ["monitored"], "13900139000")
    return PersonId(applicants.save_person(town.db, town.actor, person_id=None, data=data))


def _draft(town: Site, who: PersonId) -> CaseId:
    case_id = intake.start_case(
        town.db, town.actor, catalog_id=CATALOG, person_id=who, organisation_id=None,
        application=Application("job_seeking_once", TODAY), today=TODAY,
    )  # fmt: skip
    intake.save_facts(town.db, town.actor, case_id=case_id, values=PERSON_FACTS)
    return case_id


def _town_cases(town: Site, files: Path) -> dict[str, CaseId]:
    cases = {"王秀兰": person_case(town, files), "顺达": organisation_case(town)}
    cases["草稿"] = _draft(town, _person(town, "李草稿", "61032819850505123"))
    pending = _draft(town, _person(town, "陈补材", "61032819860606123"))
    intake.mark_pending(
        town.db, town.actor, case_id=pending, due_on=TODAY + dt.timedelta(days=10), today=TODAY
    )
    cases["待补"] = pending
    withdrawn = _draft(town, _person(town, "周撤回", "61032819870707123"))
    corrections.withdraw_case(town.db, town.actor, case_id=withdrawn, reason="申请人主动撤回")
    cases["撤回"] = withdrawn
    return cases


def _county(root: Path, town: Site) -> Site:
    data_dir = root / "county"
    site = Site(data_dir, open_database(data_dir), "county", actor=COUNTY_OFFICER)
    save_station(data_dir, "county")
    office_ops.save_county_name(site.db, COUNTY_OFFICER, name="千阳县劳动就业管理局")
    with site.db.session() as s, s.begin():
        register_office_key(s, town.code, town.public_key_file(), "王审核", "升平镇劳动保障事务所")
    town.keys.set_county_public(public_pem(site.keys.county_key().public_key()))
    return site


def build(root: Path) -> Stations:
    town = make_town(root, "533422101", "升平镇")
    office_ops.save_office(
        town.db,
        town.actor,
        data=OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "0917-1234567", CATALOG),
    )
    county = _county(root, town)
    stations = Stations(town, county, root)
    stations.cases = _town_cases(town, root / "files")
    stations.usb = root / "usb"
    stations.usb.mkdir()
    batch = export_batch(town.db, town.actor, folder=stations.usb).path
    stations.imported = county_ops.import_package(county.db, county.actor, path=batch)
    stations.uuids = {c.applicant: c.uuid for c in stations.imported.cases}
    person, agency = stations.uuids["王秀兰"], stations.uuids["千阳县顺达人力资源服务有限公司"]
    county_ops.approve(county.db, COUNTY_OFFICER, uuid=person)
    county_ops.reject(county.db, COUNTY_OFFICER, uuid=agency, reason="吸纳人员未签订劳动合同")
    back = root / "back"
    back.mkdir()
    stations.results = county_ops.export_results(
        county.db, COUNTY_OFFICER, office_code=town.code, folder=back
    ).path
    stations.results_report = import_results(town.db, town.actor, path=stations.results)
    return stations


@pytest.fixture(scope="module")
def stations(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stations]:
    built = build(tmp_path_factory.mktemp("stations"))
    yield built
    built.town.db.close()
    built.county.db.close()
