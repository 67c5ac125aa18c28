"""Two programs exporting at once (two windows, or a window and the command line), as real
processes: whatever the interleaving, every exported case has its package on a stick, every
batch number is unique, and the one that finds nothing left says so instead of deleting the
other's package."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from core.db import open_database
from core.db.models import Case
from core.packages.models import Batch, BatchCase
from tests.crash.export_runs import _verified, make_template
from tests.crash.harness import ROOT

EXPORT = """
import sys, time
from pathlib import Path
from core.actor import Actor, Role, Station
from core.app import batches
from core.app.storage import open_data
from core.errors import SubsidyDeskError
import core.packages.export, core.packages.roster, core.printing
db = open_data(Path(sys.argv[1]))
ids = [int(x) for x in sys.argv[3:]] or None
go = Path(sys.argv[1]) / "go"
while not go.exists():  # all start together
    time.sleep(0.005)
try:
    result = batches.export_batch(db, Actor("张所长", Role.HEAD, Station.TOWN), folder=Path(sys.argv[2]), case_ids=ids)
except SubsidyDeskError as exc:
    print(exc.code)
else:
    print("batch", result.number)
"""


def _run_together(data_dir: Path, jobs: list[tuple[Path, list[int]]]) -> list[str]:
    env = {"PYTHONPATH": str(ROOT)}
    procs = []
    for usb, ids in jobs:
        usb.mkdir()
        cmd = [sys.executable, "-c", EXPORT, str(data_dir), str(usb), *map(str, ids)]
        procs.append(
            subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        )
    time.sleep(3)  # the children import and open the data folder
    (data_dir / "go").touch()
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * len(procs), [err for _, err in outs]
    return [out.strip() for out, _ in outs]


def _every_exported_case_has_its_package(data_dir: Path, sticks: list[Path]) -> list[int]:
    on_sticks = {}
    for usb in sticks:
        for number, manifest, uuids in _verified(data_dir, usb).values():
            on_sticks[number] = (manifest, set(uuids))
    db = open_database(data_dir)
    try:
        with db.session() as s:
            recorded = list(s.scalars(select(Batch).order_by(Batch.number)))
            for batch in recorded:
                uuids = set(
                    s.scalars(
                        select(Case.uuid)
                        .join(BatchCase, BatchCase.case_id == Case.id)
                        .where(BatchCase.batch_id == batch.id)
                    )
                )
                assert batch.status == "exported"
                assert on_sticks[batch.number] == (batch.manifest_sha256, uuids)
            exported = set(s.scalars(select(Case.uuid).where(Case.status == "exported")))
            assert exported == set().union(*(u for _, u in on_sticks.values()))
            return [b.number for b in recorded]
    finally:
        db.close()


def test_two_exports_of_everything_at_once(tmp_path: Path) -> None:
    data_dir = make_template(tmp_path / "town", scan_bytes=200_000)
    sticks = [tmp_path / "usb-window", tmp_path / "usb-cli"]
    said = _run_together(data_dir, [(usb, []) for usb in sticks])
    assert sorted(said) == ["BATCH_EMPTY", "batch 1"]  # the second waited, then found nothing left
    assert _every_exported_case_has_its_package(data_dir, sticks) == [1]


def test_two_exports_of_different_cases_at_once_get_their_own_numbers(tmp_path: Path) -> None:
    data_dir = make_template(tmp_path / "town", scan_bytes=200_000)
    sticks = [tmp_path / "usb-a", tmp_path / "usb-b"]
    said = _run_together(data_dir, [(sticks[0], [1, 3, 5]), (sticks[1], [2, 4, 6])])
    assert sorted(said) == ["batch 1", "batch 2"]
    assert _every_exported_case_has_its_package(data_dir, sticks) == [1, 2]
