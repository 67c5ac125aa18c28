"""Killed during a backup or a restore, the next start always opens, and it is all or nothing:
no set that does not verify is ever listed, and the data folder holds either the state before
the restore or the restored one, whole."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from core.backups.config import load_config
from core.backups.layout import list_sets, primary_target
from core.backups.run import make_backup
from core.backups.write import verify_set
from core.db import open_database
from core.db.engine import DB_FILENAME
from tests.backups.office import add_cases, add_scan, set_office
from tests.crash.harness import delays, run_and_kill, timed

BACKUP = (
    "import sys; from pathlib import Path; import core.backups.run, core.backups.crypt, cryptography;"
    "from core.backups.run import make_backup; print('ready', flush=True);"
    "make_backup(Path(sys.argv[1]), 'manual')"
)
RESTORE = (
    "import sys; from pathlib import Path; from core.app import backups; from core.actor import Actor, Role;"
    "import sqlalchemy.orm, alembic; print('ready', flush=True);"
    "backups.restore_backup(Path(sys.argv[1]), Actor('赵所长', {Role.HEAD, Role.ADMIN}), set_dir=Path(sys.argv[2]))"
)
RUNS = 8


def cases(data_dir: Path) -> int:
    con = sqlite3.connect(data_dir / DB_FILENAME)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return int(con.execute("SELECT count(*) FROM subsidy_case").fetchone()[0])
    finally:
        con.close()


def next_start_opens(data_dir: Path) -> None:
    open_database(data_dir).close()  # must not raise


def every_listed_set_verifies(data_dir: Path) -> int:
    sets = list_sets(primary_target(data_dir))
    for info in sets:
        verify_set(info, load_config(data_dir).key, data_dir)
    return len(sets)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    folder = tmp_path / "template"
    db = open_database(folder)
    set_office(db)
    add_cases(db, 4)
    db.close()
    for _ in range(24):
        add_scan(folder, 256 * 1024)
    return folder


def copy_of(template: Path, folder: Path) -> Path:
    shutil.copytree(template, folder)
    return folder


def test_killed_during_a_backup_no_half_set_is_ever_listed(template: Path, tmp_path: Path) -> None:
    # The quicker of two runs: the first one pays for cold caches, and kills spread over it would
    # mostly land after a warm backup has already finished.
    duration = min(timed(BACKUP, [str(copy_of(template, tmp_path / f"measure{n}"))]) for n in range(2))
    killed = 0
    for i, delay in enumerate(delays(random.Random(14), duration, RUNS)):
        folder = copy_of(template, tmp_path / f"run{i}")
        killed += run_and_kill(BACKUP, [str(folder)], delay).killed
        next_start_opens(folder)
        assert every_listed_set_verifies(folder) in (0, 1)
        assert cases(folder) == 4
        again = make_backup(folder, "manual")  # the next backup cleans up and succeeds
        assert again.ok and every_listed_set_verifies(folder) >= 1
        assert not [p for p in primary_target(folder).iterdir() if p.name.endswith(".partial")]
        assert not list(folder.glob(".backup-work-*"))
    assert killed >= RUNS // 2, "most kills must fall inside the backup"


def test_killed_during_a_restore_the_folder_holds_one_state_or_the_other(
    template: Path, tmp_path: Path
) -> None:
    make_backup(template, "manual")  # 4 cases
    backup = list_sets(primary_target(template))[0].path.name
    db = open_database(template)
    add_cases(db, 3, start=50)  # the current state: 7 cases
    db.close()

    def ready(name: str) -> tuple[Path, Path]:
        folder = copy_of(template, tmp_path / name)
        return folder, primary_target(folder) / backup

    duration = timed(RESTORE, [str(p) for p in ready("measure")])
    killed, outcomes = 0, set()
    for i, delay in enumerate(delays(random.Random(15), duration, RUNS)):
        folder, set_dir = ready(f"run{i}")
        killed += run_and_kill(RESTORE, [str(folder), str(set_dir)], delay).killed
        next_start_opens(folder)
        count = cases(folder)
        assert count in (7, 4), "the state before the restore or the restored one"
        outcomes.add(count)
        assert every_listed_set_verifies(folder) >= 1
    assert killed >= RUNS // 2, "most kills must fall inside the restore"
