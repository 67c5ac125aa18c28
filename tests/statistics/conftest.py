"""A town's database with varied cases (the printing samples), and a town and a county site."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from sqlalchemy import select

from core.app import county as decide
from core.app.batches import export_batch
from core.db.models import Case, Office, Organisation, PersonCategory
from tests.packages.conftest import Site, county, town, usb
from tests.printing.conftest import Printing, printing
from tests.printing.sample import add_case, add_roster_cases

__all__ = ["county", "printing", "town", "usb"]

PAID_ON = dt.date(2024, 6, 1)
STATUSES = ("accepted", "review_passed", "exported", "pending_materials", "draft", "withdrawn")
GROUPS = ("poverty_alleviated", "monitored", "relocated", "migrant_worker")


@pytest.fixture(autouse=True)
def _both_backends(backend: str) -> str:
    """统计 counts the same cases on SQLite and on PostgreSQL (tests/conftest.py)."""
    return backend


@pytest.fixture
def varied(printing: Printing) -> Printing:
    """150 cases over two years in seven villages and six states; persons in 0–2 population
    groups; one organisation's case without an amount."""
    rng = random.Random(18)
    with printing.db.session() as s:
        office = s.get(Office, printing.office_id)
        assert office is not None
        add_roster_cases(s, office, 150)
        org = Organisation(name="千阳县宏达劳务派遣有限公司", uscc="91610328MA6X8C7A1K", org_type="hr_agency")
        s.add(org)
        s.flush()
        add_case(s, office, None, "job_placement", {}, None, "610328-2024-0900", organisation=org)
        for case in s.scalars(select(Case)):
            case.application_date = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(730))
            case.status = rng.choice(STATUSES)
        seen: set[int] = set()
        for case in s.scalars(select(Case).where(Case.person_id.is_not(None))):
            assert case.person_id is not None
            if case.person_id in seen:
                continue
            seen.add(case.person_id)
            for group in rng.sample(GROUPS, rng.choice((0, 1, 1, 2))):
                s.add(PersonCategory(person_id=case.person_id, category=group))
        s.commit()
    return printing


@pytest.fixture
def decided(town: Site, county: Site, usb: Path) -> dict[str, str]:
    town.add_case("张三", "53342219900101123", 50000)
    town.add_case("李四", "53342219910202123", 30000)
    town.add_case("王五", "53342219920303123", 42000, year=2023)
    town.add_case("赵六", "53342219930404123", 10000)
    result = export_batch(town.db, town.actor, folder=usb)
    report = decide.import_package(county.db, county.actor, path=result.path)
    uuids = {c.applicant: c.uuid for c in report.cases}
    decide.approve(county.db, county.actor, uuid=uuids["张三"])
    decide.mark_paid(county.db, county.actor, uuid=uuids["张三"], today=PAID_ON)
    decide.approve(county.db, county.actor, uuid=uuids["李四"], amount_fen=25000)
    decide.reject(county.db, county.actor, uuid=uuids["赵六"], reason="材料不全，劳动合同未签字。")
    return uuids
