"""A catalog update being installed (所长, 安装政策目录更新) killed at a random moment.

Shared by tests/crash/test_install_kill.py and bench/crash_runs.py. A run is good when, after the
next start (`settle_interrupted`, as the window does), the data folder opens and the install is
all or nothing: its audit event, the installed file of the new version and every draft assessed
under it; or none of these, the drafts as they were.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import select

from core.app.catalog_updates import INSTALL_ACTION, inspect_update
from core.app.storage import settle_interrupted
from core.db import open_database
from core.db.models import AuditEvent, Case
from core.errors import DatabaseUnavailable
from core.operator import save_station
from core.packages.keys import KeyStore, public_pem
from core.policy.installed import installed_dir, read_head
from core.settings import OfficeInput, save_office
from tests.catalog_updates.conftest import CATALOG, HEAD, Place, issue, job_seeking_draft, person

INSTALL = """
import sys
from pathlib import Path
from core.actor import Actor, Role, Station
from core.app.catalog_updates import install_update
from core.app.storage import open_data
import core.cases.intake, core.policy.engine, core.packages.catalog_update, core.policy.update
db = open_data(Path(sys.argv[1]))
print("ready", flush=True)
install_update(db, Actor("赵所长", Role.HEAD, Station.TOWN), path=Path(sys.argv[2]), manifest_sha256=sys.argv[3])
"""


def make_template(root: Path, drafts: int = 12) -> tuple[Path, Path, str]:
    """A town with `drafts` drafts and the county's update beside it: (town folder, package, manifest)."""
    town = Place(root / "town", open_database(root / "town"))
    with town.db.session() as s, s.begin():
        save_office(s, OfficeInput("610328", "水沟镇", "水沟镇劳动保障事务所", "", CATALOG), "t")
    county = Place(root / "county", open_database(root / "county"))
    save_station(county.data_dir, "county")
    KeyStore(town.data_dir).set_county_public(public_pem(KeyStore(county.data_dir).county_key().public_key()))
    for n in range(drafts):
        who = person(town, f"61032819900101{n:03d}", f"申请人{n}")
        job_seeking_draft(town, who, dt.date(2026, 3, 15), dt.date(2026, 4, 1))
    usb = root / "usb"
    usb.mkdir()
    package = issue(county, usb)
    manifest = inspect_update(town.db, HEAD, path=package).manifest_sha256
    town.db.close()
    county.db.close()
    return town.data_dir, package, manifest


def fresh_copy(template: Path, folder: Path) -> Path:
    shutil.copytree(template, folder)
    return folder


def check(data_dir: Path) -> list[str]:
    try:
        db = open_database(data_dir)
    except DatabaseUnavailable as exc:
        return [f"refused at start: {exc.code}"]
    try:
        settle_interrupted(db)
        with db.session() as s:
            events = list(s.scalars(select(AuditEvent).where(AuditEvent.action == INSTALL_ACTION)))
            versions = {c.catalog_version for c in s.scalars(select(Case))}
    finally:
        db.close()
    target = installed_dir(data_dir) / f"{CATALOG}.json"
    installed = (read_head(target) or {}).get("version") if target.exists() else None
    leftovers = (
        [p.name for p in installed_dir(data_dir).glob("*.installing.json")] if target.parent.is_dir() else []
    )
    if leftovers:
        return [f"journal left: {leftovers}"]
    if events:
        new = events[0].changes["version"][1]
        if installed != new or versions != {new}:
            return [f"install recorded but file {installed} and drafts {versions}"]
        return []
    if installed is not None or len(versions) != 1 or versions == {None}:
        return [f"install not recorded but file {installed} and drafts {versions}"]
    return []
