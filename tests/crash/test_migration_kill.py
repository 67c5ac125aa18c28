"""Killed during the automatic migration at start-up (an upgrade, or a new database being made),
the next start always opens: the migration either completed or left the file as it was."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from core.db import open_database
from core.db.engine import DB_FILENAME
from core.db.migrate import SCHEMA_HEAD, current_revision
from tests.crash.harness import delays, run_and_kill, timed

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "subsidydesk-0.1.0.db"
MIGRATE = (
    "import sys; from pathlib import Path; import alembic.command, sqlalchemy.orm;"
    "from core.db import open_database; print('ready', flush=True); open_database(Path(sys.argv[1]))"
)
RUNS = 6


def rows(data_dir: Path) -> tuple[int, int, int]:
    con = sqlite3.connect(data_dir / DB_FILENAME)
    try:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("person", "subsidy_case", "audit_event")
        )  # type: ignore[return-value]
    finally:
        con.close()


def opens_at_head(data_dir: Path) -> None:
    db = open_database(data_dir)  # must not raise: never refused as damaged
    db.close()
    assert current_revision(data_dir / DB_FILENAME) == SCHEMA_HEAD
    assert not (data_dir / (DB_FILENAME + ".migrating")).exists()


def old_copy(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copyfile(FIXTURE, folder / DB_FILENAME)
    return folder


def test_killed_during_an_upgrade_the_data_are_all_there(tmp_path: Path) -> None:
    expected = rows(old_copy(tmp_path / "measure-copy"))
    duration = timed(MIGRATE, [str(old_copy(tmp_path / "measure"))])
    killed = 0
    for i, delay in enumerate(delays(random.Random(1), duration, RUNS)):
        folder = old_copy(tmp_path / f"run{i}")
        killed += run_and_kill(MIGRATE, [str(folder)], delay).killed
        opens_at_head(folder)
        assert rows(folder) == expected
    assert killed >= RUNS // 2, "most kills must fall inside the migration"


@pytest.mark.parametrize("seed", [2])
def test_killed_while_a_new_database_is_made_the_next_start_makes_it(tmp_path: Path, seed: int) -> None:
    duration = timed(MIGRATE, [str(tmp_path / "measure")])
    for i, delay in enumerate(delays(random.Random(seed), duration, RUNS)):
        folder = tmp_path / f"new{i}"
        run_and_kill(MIGRATE, [str(folder)], delay)
        opens_at_head(folder)


def test_a_file_an_older_version_left_half_made_is_made_again(tmp_path: Path) -> None:
    """Empty tables and no schema version: a creation cut short, not a damaged database."""
    folder = tmp_path / "half"
    folder.mkdir()
    con = sqlite3.connect(folder / DB_FILENAME)
    con.execute("CREATE TABLE office (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("CREATE TABLE person (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    opens_at_head(folder)
