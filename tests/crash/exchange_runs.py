"""The county importing a town's batch, and the town importing the county's results, each killed
at a random moment (tests/crash/test_import_kill.py, bench/crash_runs.py).

A run is good when, after the next start (`settle_interrupted`), the data folder opens, the
import is all or nothing (the package recorded with every one of its cases, or nothing of it),
the audit chain holds, every stored scan is whole, and importing the same package again then
succeeds with everything there.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sqlalchemy import func, select

from core.actor import Actor, Role, Station
from core.app import batches
from core.app import county as county_ops
from core.app.storage import settle_interrupted
from core.audit import verify_chain
from core.db import Database, open_database
from core.db.models import Case
from core.errors import DatabaseUnavailable
from core.operator import save_station
from core.packages.format import ImportStatus
from core.packages.keys import public_pem
from core.packages.models import ImportedCase, ImportedPackage, ImportedResult
from core.packages.registry import register_office_key
from tests.packages.conftest import Site, make_town

OFFICER = Actor("王审核", Role.REVIEWER, Station.COUNTY)
CASES = 4
COUNTY_IMPORT = """
import sys
from pathlib import Path
from core.actor import Actor, Role, Station
from core.app import county
from core.app.storage import open_data
import core.packages.county_import, core.packages.verify
db = open_data(Path(sys.argv[1]))
print("ready", flush=True)
county.import_package(db, Actor("王审核", Role.REVIEWER, Station.COUNTY), path=Path(sys.argv[2]))
"""
RESULTS_IMPORT = """
import sys
from pathlib import Path
from core.actor import Actor, Role, Station
from core.app import batches
from core.app.storage import open_data
import core.packages.town_results, core.packages.verify
db = open_data(Path(sys.argv[1]))
print("ready", flush=True)
batches.import_results(db, Actor("李经办", Role.CLERK, Station.TOWN), path=Path(sys.argv[2]))
"""


def make_templates(root: Path) -> dict[str, tuple[Path, Path]]:
    """{"county": (county folder before the import, batch), "results": (town folder before, results)}."""
    town = make_town(root, "533422101", "升平镇")
    county_dir = root / "county"
    county = Site(county_dir, open_database(county_dir), "county", actor=OFFICER)
    save_station(county_dir, "county")
    with county.db.session() as s, s.begin():
        register_office_key(s, town.code, town.public_key_file(), "county-admin", "升平镇劳动保障事务所")
    town.keys.set_county_public(public_pem(county.keys.county_key().public_key()))
    for n in range(CASES):
        town.add_case(
            f"申请人{n}", f"53342219900101{n:03d}", attachments=(bytes([n]) * 1_500_000, b"id%d" % n)
        )
    usb = root / "usb"
    usb.mkdir()
    batch = batches.export_batch(town.db, town.actor, folder=usb).path
    county.db.close()
    shutil.copytree(county_dir, root / "county-before")
    county = Site(county_dir, open_database(county_dir), "county", actor=OFFICER)
    county_ops.import_package(county.db, OFFICER, path=batch)
    with county.db.session() as s:
        uuids = list(s.scalars(select(ImportedCase.uuid)))
    for uuid in uuids:
        county_ops.approve(county.db, OFFICER, uuid=uuid)
    results = county_ops.export_results(county.db, OFFICER, office_code=town.code, folder=usb).path
    town.db.close()
    county.db.close()
    return {"county": (root / "county-before", batch), "results": (town.data_dir, results)}


def fresh_copy(template: Path, folder: Path) -> Path:
    shutil.copytree(template, folder)
    return folder


def _recorded(db: Database, side: str) -> tuple[int, int]:
    """(packages recorded, cases the import reached)."""
    with db.session() as s:
        if side == "county":
            return (
                s.scalar(select(func.count(ImportedPackage.id))) or 0,
                s.scalar(select(func.count(ImportedCase.id))) or 0,
            )
        return (
            s.scalar(select(func.count(ImportedResult.id))) or 0,
            s.scalar(select(func.count(Case.id)).where(Case.status == "approved")) or 0,
        )


def check(side: str, data_dir: Path, package: Path) -> list[str]:
    try:
        db = open_database(data_dir)
    except DatabaseUnavailable as exc:
        return [f"refused at start: {exc.code}"]
    try:
        settle_interrupted(db)
        problems = []
        if _recorded(db, side) not in ((0, 0), (1, CASES)):
            problems.append(f"half an import: {_recorded(db, side)}")
        with db.session() as s:
            if verify_chain(s) is not None:
                problems.append("the audit chain is broken")
        for path in (data_dir / "attachments").rglob("*"):
            if path.is_file() and (
                path.name.startswith(".") or hashlib.sha256(path.read_bytes()).hexdigest() != path.name
            ):
                problems.append(f"scan file {path.name} left or damaged")
        if side == "county":
            status = county_ops.import_package(db, OFFICER, path=package).status
        else:
            status = batches.import_results(
                db, Actor("李经办", Role.CLERK, Station.TOWN), path=package
            ).status
        if status not in (ImportStatus.IMPORTED, ImportStatus.ALREADY_IMPORTED) or _recorded(db, side) != (
            1,
            CASES,
        ):
            problems.append(f"importing again: {status}, {_recorded(db, side)}")
        return problems
    finally:
        db.close()
