"""Batch export killed at a random moment: what the stick and the next start must show.

Shared by tests/crash/test_export_kill.py (tens of runs) and bench/crash_runs.py (a thousand).
A run is good when, after the kill and the next start (`recover_exports`, as the window does):
the data folder opens; no export is left half-recorded; every file on the stick that verifies,
under any name, belongs to a batch recorded as exported with exactly that content, and its
cases are marked exported; the audit chain holds; and a further export then succeeds without
giving a number already on the stick to different content.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import select

from core.actor import Actor, Role, Station
from core.app import batches
from core.audit import verify_chain
from core.cases.states import CaseStatus
from core.db import open_database
from core.db.models import Case
from core.errors import DatabaseUnavailable, SubsidyDeskError
from core.packages.keys import AllowedKey, AllowList, KeyStore, raw_public
from core.packages.models import Batch, BatchCase
from core.packages.verify import verify_package
from tests.packages.conftest import make_town

CLERK = Actor("张所长", Role.HEAD, Station.TOWN)  # exports are the office head's
EXPORT = """
import sys
from pathlib import Path
from core.actor import Actor, Role, Station
from core.app import batches
from core.app.storage import open_data
import core.packages.export, core.packages.export_journal, core.packages.roster, core.printing
db = open_data(Path(sys.argv[1]))
print("ready", flush=True)
batches.export_batch(db, Actor("张所长", Role.HEAD, Station.TOWN), folder=Path(sys.argv[2]))
"""


def make_template(root: Path, cases: int = 6, scan_bytes: int = 3_000_000) -> Path:
    """A town with `cases` cases ready for export (two scans each): returns its data folder."""
    site = make_town(root, "533422101", "升平镇")
    for n in range(cases):
        scans = (bytes([n]) * scan_bytes, f"第{n}件".encode() * 100)
        site.add_case(f"申请人{n}", f"53342219900101{n:03d}", attachments=scans)
    site.db.close()
    return site.data_dir


def fresh_copy(template: Path, folder: Path) -> tuple[Path, Path]:
    """A copy of the town's data folder and an empty stick beside it."""
    data_dir = folder / "town"
    shutil.copytree(template, data_dir)
    usb = folder / "usb"
    usb.mkdir()
    return data_dir, usb


def _verified(data_dir: Path, usb: Path) -> dict[Path, tuple[int, str, list[str]]]:
    """Every file on the stick that verifies as this office's batch: (number, manifest, cases)."""
    own = AllowedKey("533422101", raw_public(KeyStore(data_dir).office_key().public_key()), dt.datetime.min)
    found = {}
    for path in sorted(usb.iterdir()):
        result = verify_package(path, AllowList([own]), {}, allow_gap=True)
        if result.ok:
            found[path] = (result.header["number"], result.manifest_sha256, result.header["cases"])
    return found


def check(data_dir: Path, usb: Path, said: list[str] | None = None) -> list[str]:
    """What is wrong after a kill and the next start; empty when all is well. What the next
    start told the clerk is appended to `said`."""
    try:
        db = open_database(data_dir)
    except DatabaseUnavailable as exc:
        return [f"refused at start: {exc.code}"]
    try:
        notes = batches.recover_exports(db)
        if said is not None:
            said.extend(notes)
        problems = _consistent(db, data_dir, usb)
        before = _verified(data_dir, usb)
        try:
            batches.export_batch(db, CLERK, folder=usb)
        except SubsidyDeskError as exc:
            if exc.code != "BATCH_EMPTY":
                problems.append(f"the next export failed: {exc.code}")
        problems += _consistent(db, data_dir, usb)
        after = _verified(data_dir, usb)
        for path, (number, manifest, _) in after.items():
            if any(n == number and m != manifest for n, m, _ in before.values()):
                problems.append(f"batch {number} now names different content ({path.name})")
        return problems
    finally:
        db.close()


def _consistent(db: object, data_dir: Path, usb: Path) -> list[str]:
    problems = []
    with db.session() as s:  # type: ignore[attr-defined]
        recorded = {b.number: b for b in s.scalars(select(Batch))}
        if any(b.status != "exported" for b in recorded.values()):
            problems.append("an export is left half-recorded")
        if verify_chain(s) is not None:
            problems.append("the audit chain is broken")
        status = {c.uuid: c.status for c in s.scalars(select(Case))}
        linked = {
            (b.number, c.uuid)
            for b, c in s.execute(
                select(Batch, Case)
                .join(BatchCase, BatchCase.batch_id == Batch.id)
                .join(Case, Case.id == BatchCase.case_id)
            )
        }
    for path, (number, manifest, uuids) in _verified(data_dir, usb).items():
        batch = recorded.get(number)
        if batch is None or batch.manifest_sha256 != manifest:
            problems.append(f"{path.name} verifies but batch {number} is not recorded with it")
            continue
        if any(status.get(u) != CaseStatus.EXPORTED.value or (number, u) not in linked for u in uuids):
            problems.append(f"{path.name} verifies but its cases are not marked exported")
    return problems
