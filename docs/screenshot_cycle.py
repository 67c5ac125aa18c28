"""The reporting cycle for docs/make_screenshots.py: a town (升平镇, 德钦县) and the county, each in
its own throw-away data folder, with real keys and packages, set up through core/app.

Three cases are received, accepted and reviewed at the town and exported (encrypted) to the
county, which approves one, rejects one and leaves one waiting; its result package is imported at
the town. What is left on each side is what the county's screens and the town's results show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from core.actor import STATION_ROLES, Actor, Role, Station
from core.app import applicants, batches, intake, key_registry, keys, review
from core.app import county as county_ops
from core.app import office as office_ops
from core.app.batches import ResultsImport
from core.app.storage import Database, open_data
from core.applicants import PersonInput
from core.identity.id_number import check_character
from core.ids import CaseId, PersonId
from core.operator import save_station
from core.policy.model import FactValue
from core.settings_types import OfficeInput

TODAY = dt.date(2025, 3, 3)
CODE = "533422101"
# One person of each side holds every role of its station: the pictures show every menu.
CLERK = Actor("李经办", STATION_ROLES[Station.TOWN], Station.TOWN)
HEAD = Actor("张所长", Role.HEAD, Station.TOWN)
OFFICER = Actor("王审核", STATION_ROLES[Station.COUNTY], Station.COUNTY)
PEOPLE = (  # name, first 17 digits, village, destination, 元
    ("王秀兰", "53342219880315102", "阿东村", "out_of_province", 68000),
    ("赵永福", "53342219920708201", "巴美村", "in_province_out_of_county", 45000),
    ("扎西卓玛", "53342219950611202", "阿东村", "out_of_province", 92000),
)


@dataclass
class Cycle:
    town: Database
    county: Database
    usb: Path
    cases: list[CaseId] = field(default_factory=list)
    uuids: list[str] = field(default_factory=list)
    results: ResultsImport | None = None
    newcomer: Path | None = None  # a town's key file, not yet registered


def _town(folder: Path, code: str = CODE, town: str = "升平镇") -> Database:
    db = open_data(folder)
    save_station(folder, "town")
    office = OfficeInput("533422", town, f"{town}劳动保障事务所", "0887-8412345", "deqin-2021")
    office_ops.save_office_setup(db, CLERK, data=office, reporting_code=code)
    return db


def _newcomer(root: Path) -> Path:
    """The key file of a second town that comes to register (the register dialog's picture)."""
    db = _town(root / "newcomer", "533422102", "奔子栏镇")
    folder = root / "newcomer-usb"
    folder.mkdir()
    try:
        return keys.write_office_key_file(db, CLERK, folder=folder)
    finally:
        db.close()


def _county(folder: Path) -> Database:
    db = open_data(folder)
    save_station(folder, "county")
    office_ops.save_county_name(db, OFFICER, name="德钦县劳动就业管理局")
    return db


def _exchange_keys(town: Database, county: Database, usb: Path) -> None:
    town_file = keys.write_office_key_file(town, CLERK, folder=usb)
    key_registry.register_office_key(
        county, OFFICER, source=town_file, code=CODE, name="升平镇劳动保障事务所"
    )
    for county_file in keys.write_county_key_files(county, OFFICER, folder=usb):
        keys.import_county_key_file(town, CLERK, source=county_file)


def _receive(db: Database, name: str, first17: str, village: str, destination: str, fen: int) -> CaseId:
    person = PersonInput(name, first17 + check_character(first17), registered_town="升平镇",
                         registered_village=village, categories=["poverty_alleviated"], phone="13988776655")  # fmt: skip
    person_id = PersonId(applicants.save_person(db, CLERK, person_id=None, data=person))
    application = intake.Application("transport_once", TODAY - dt.timedelta(days=3))
    case_id = intake.start_case(db, CLERK, catalog_id="deqin-2021", person_id=person_id,
                                organisation_id=None, application=application, today=TODAY)  # fmt: skip
    facts: dict[str, FactValue | None] = {"destination": destination, "employment_start_date": dt.date(2024, 9, 2),
             "stable_until_date": dt.date(2025, 2, 20), "transport_cost_fen": fen}  # fmt: skip
    intake.save_facts(db, CLERK, case_id=case_id, values=facts)
    intake.assess_case(db, CLERK, case_id=case_id)
    intake.accept_case(db, CLERK, case_id=case_id, today=TODAY)
    return case_id


def make_cycle(root: Path) -> Cycle:
    usb = root / "usb"
    usb.mkdir(parents=True)
    cycle = Cycle(_town(root / "town"), _county(root / "county"), usb)
    _exchange_keys(cycle.town, cycle.county, usb)
    cycle.cases = [_receive(cycle.town, *person) for person in PEOPLE]
    for case_id in cycle.cases:
        review.review_case(cycle.town, HEAD, case_id=case_id, passed=True, note="", today=TODAY)
    batch = batches.export_batch(cycle.town, CLERK, folder=usb, encrypt=True)
    imported = county_ops.import_package(cycle.county, OFFICER, path=batch.path)
    cycle.uuids = [c.uuid for c in sorted(imported.cases, key=lambda c: c.case_number)]
    county_ops.approve(cycle.county, OFFICER, uuid=cycle.uuids[0], note="票据齐全，按实际交通费补助。")
    county_ops.reject(cycle.county, OFFICER, uuid=cycle.uuids[1], reason="材料不全：缺少交通费票据原件")
    results = county_ops.export_results(cycle.county, OFFICER, office_code=CODE, folder=usb)
    cycle.results = batches.import_results(cycle.town, CLERK, path=results.path)
    cycle.newcomer = _newcomer(root)
    return cycle
