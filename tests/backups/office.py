"""A data folder with an office, cases made through the use cases, and scans in the store."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from core.actor import Actor
from core.app import applicants, intake
from core.app.intake import Application
from core.applicant_types import PersonInput
from core.db import Database
from core.identity.id_number import check_character
from core.settings import OfficeInput, save_office

CLERK = Actor("李会计")
TODAY = dt.date(2022, 3, 1)
OFFICE = OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "", "qianyang-2021")


def set_office(db: Database, office: OfficeInput = OFFICE) -> None:
    with db.session() as s, s.begin():
        save_office(s, office, "测试")


def add_cases(db: Database, count: int, start: int = 0) -> list[int]:
    ids = []
    for n in range(start, start + count):
        first17 = f"61032819900101{n:03d}"
        person = applicants.save_person(
            db, CLERK, person_id=None,
            data=PersonInput(f"申请人{n}", first17 + check_character(first17), categories=["poverty_alleviated"]),
        )  # fmt: skip
        ids.append(
            intake.start_case(
                db,
                CLERK,
                catalog_id="qianyang-2021",
                person_id=person,
                organisation_id=None,
                application=Application("job_seeking_once", TODAY),
                today=TODAY,
            )
        )
    return ids


def add_scan(data_dir: Path, size: int = 4096) -> str:
    """A file in the content-addressed store, as core/attachments.py keeps one."""
    data = os.urandom(size)
    sha = hashlib.sha256(data).hexdigest()
    path = data_dir / "attachments" / sha[:2] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return sha


def case_count(db_path: Path) -> int:
    import sqlite3

    con = sqlite3.connect(db_path)
    try:
        return int(con.execute("SELECT count(*) FROM subsidy_case").fetchone()[0])
    finally:
        con.close()
