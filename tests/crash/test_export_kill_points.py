"""The export killed (os._exit in a real child process) at each of its decisive moments, and what
the next start does: before the content is fixed, undone; once the kept copy exists, completed
with exactly that package, the stick's file named or the clerk told to write it again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from core.app import batches
from core.db import open_database
from core.db.models import Case
from core.packages.kept import kept_path
from core.packages.keys import KeyStore, public_pem
from core.packages.models import Batch
from tests.crash.export_runs import _verified, fresh_copy, make_template
from tests.crash.harness import ROOT

EXPORT_UNTIL = """
import os, sys
from pathlib import Path
from core.actor import Actor, Role, Station
from core.app import batches
from core.app.storage import open_data
db = open_data(Path(sys.argv[1]))
stage, nth, seen = sys.argv[3], int(sys.argv[4]), []
def progress(at, done, total):
    seen.append(at)
    if at == stage and seen.count(at) == nth:
        os._exit(9)  # as kill -9: nothing is cleaned up
batches.export_batch(db, Actor("张所长", Role.HEAD, Station.TOWN), folder=Path(sys.argv[2]),
                     encrypt=sys.argv[5] == "sealed", progress=progress)
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_template(tmp_path_factory.mktemp("template"), cases=2, scan_bytes=200_000)


def _killed_at(template: Path, folder: Path, stage: str, nth: int, sealed: bool = False) -> tuple[Path, Path]:
    data_dir, usb = fresh_copy(template, folder)
    if sealed:  # the county's encryption key, as imported at the town
        county = KeyStore(folder / "county")
        KeyStore(data_dir).set_county_encryption_public(
            public_pem(county.county_encryption_key().public_key())
        )
    args = [str(data_dir), str(usb), stage, str(nth), "sealed" if sealed else "plain"]
    done = subprocess.run(
        [sys.executable, "-c", EXPORT_UNTIL, *args], env={"PYTHONPATH": str(ROOT)}, timeout=120
    )
    assert done.returncode == 9, "the child must die at the chosen moment"
    return data_dir, usb


def _next_start(data_dir: Path) -> tuple[list[str], list[str], set[str]]:
    db = open_database(data_dir)
    try:
        said = batches.recover_exports(db)
        with db.session() as s:
            states = [b.status for b in s.scalars(select(Batch))]
            cases = set(s.scalars(select(Case.status)))
        return said, states, cases
    finally:
        db.close()


def test_killed_before_the_content_is_fixed_the_export_is_undone(template: Path, tmp_path: Path) -> None:
    data_dir, usb = _killed_at(template, tmp_path / "run", "verify", 1)
    said, states, cases = _next_start(data_dir)
    assert states == [] and cases == {"review_passed"}
    assert len(said) == 1 and "已撤销" in said[0] and "2件" in said[0]
    assert list(usb.iterdir()) == [] and list((data_dir / "outbox").iterdir()) == []


def test_killed_before_the_copy_the_export_is_completed_and_the_clerk_told_to_write_it(
    template: Path, tmp_path: Path
) -> None:
    data_dir, usb = _killed_at(template, tmp_path / "run", "copy", 1)
    said, states, cases = _next_start(data_dir)
    assert states == ["exported"] and cases == {"exported"}
    assert "记为已上报" in said[0] and "重新写入U盘" in said[0]
    assert _verified(data_dir, usb) == {}
    assert kept_path(data_dir, "533422101", 1).is_file()


@pytest.mark.parametrize("sealed", [False, True])
def test_killed_after_the_stick_has_it_the_export_is_completed_with_that_package(
    template: Path, tmp_path: Path, sealed: bool
) -> None:
    data_dir, usb = _killed_at(template, tmp_path / "run", "verify", 3, sealed)  # the stick read back
    on_stick = [p for p in usb.iterdir() if not p.name.startswith(".")]
    assert len(on_stick) == 1 and on_stick[0].name.endswith(".sealed") == sealed
    said, states, cases = _next_start(data_dir)
    assert states == ["exported"] and cases == {"exported"}
    assert "已完整写入" in said[0] and str(on_stick[0]) in said[0]
    db = open_database(data_dir)
    try:
        with db.session() as s:
            batch = s.scalars(select(Batch)).one()
            assert batch.file_name == on_stick[0].name
        if not sealed:
            [(number, manifest, _)] = _verified(data_dir, usb).values()
            assert (number, manifest) == (1, batch.manifest_sha256)
    finally:
        db.close()
