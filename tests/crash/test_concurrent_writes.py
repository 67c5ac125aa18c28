"""Programs writing at once (two windows, a window and the command line, or four PCs on one
PostgreSQL server): every case gets its own number, gap-free, no acceptance fails, and the audit
chain holds. Both backends."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

from core.actor import Actor
from core.app import applicants, intake
from core.app.intake import Application
from core.applicant_types import PersonInput
from core.cases.checklist import ChecklistMark
from core.db.models import Case
from core.identity.id_number import check_character
from core.settings import OfficeInput, save_office
from tests.crash.harness import ROOT

CLERK = Actor("李会计")
TODAY = dt.date(2022, 3, 1)
FACTS = {
    "employment_date": dt.date(2022, 1, 10),
    "is_transfer_employment": True,
    "contract_months": 12,
    "applicant_group": "labourer",
}
ACCEPT = """
import datetime as dt, sys, time
from pathlib import Path
from core.actor import Actor
from core.app import intake
from core.db import open_database
import core.cases.intake, core.policy.engine
db = open_database(Path(sys.argv[1]))
(Path(sys.argv[1]) / f"ready-{sys.argv[2]}").touch()
go = Path(sys.argv[1]) / "go"
while not go.exists():  # all start together
    time.sleep(0.005)
for case_id in map(int, sys.argv[2:]):
    intake.accept_case(db, Actor(f"经办{sys.argv[2]}"), case_id=case_id, today=dt.date(2022, 3, 1))
db.close()
"""


def ready_cases(db, count: int) -> list[int]:
    with db.session() as s, s.begin():
        save_office(s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "", "qianyang-2021"), "t")
    ids = []
    for n in range(count):
        first17 = f"61032819900101{n:03d}"
        person = applicants.save_person(
            db, CLERK, person_id=None,
            data=PersonInput(f"申请人{n}", first17 + check_character(first17), categories=["poverty_alleviated"]),
        )  # fmt: skip
        case_id = intake.start_case(
            db, CLERK, catalog_id="qianyang-2021", person_id=person, organisation_id=None,
            application=Application("job_seeking_once", TODAY), today=TODAY,
        )  # fmt: skip
        intake.save_facts(db, CLERK, case_id=case_id, values=FACTS)
        marks = {
            m: ChecklistMark(True, copies="1")
            for m in ("labour_contract", "id_card_copy", "social_security_card_copy", "written_application")
        }
        intake.save_checklist(db, CLERK, case_id=case_id, marks=marks)
        intake.assess_case(db, CLERK, case_id=case_id)  # so that 受理 itself writes nothing before the number
        ids.append(case_id)
    return ids


def test_programs_accepting_at_once_get_unique_numbers(backend: str, db) -> None:
    ids = ready_cases(db, 60)
    folder = str(db.path.parent)
    env = {"PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ACCEPT, folder, *map(str, ids[i::4])],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    # All start together once each has opened the database: a slow start on a loaded machine
    # must not wait for the write lock behind the others' acceptances (busy_timeout).
    deadline = time.monotonic() + 120
    while len(list(db.path.parent.glob("ready-*"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    (db.path.parent / "go").touch()
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    with db.session() as s:
        numbers = sorted(c.case_number for c in s.query(Case))
    assert numbers == [f"2022-{n:06d}" for n in range(1, 61)]
    from core import audit

    with db.session() as s:
        chain = audit.check_chain(s)
    assert chain.ok and chain.total > 60 * 5
