"""A backup made while another program saves cases is consistent: every case in it has the audit
event written in the same transaction, the audit chain is whole, and the set verifies."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from core.backups.layout import list_sets, primary_target
from core.backups.run import make_backup
from core.db import Database
from core.db.engine import DB_FILENAME
from tests.backups.office import add_cases, set_office
from tests.crash.harness import ROOT

WRITER = """
import sys
from pathlib import Path
from core.db import open_database
from tests.backups.office import add_cases
folder = Path(sys.argv[1])
db = open_database(folder)
print("ready", flush=True)
n = 100
while not (folder / "stop").exists():
    add_cases(db, 1, start=n)
    n += 1
db.close()
"""


def consistent(copy: Path) -> tuple[int, bool]:
    """The case count of a backed-up file, and whether each case has its creation event."""
    from core.app.base import reading
    from core.audit import check_chain

    con = sqlite3.connect(copy)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        cases = {r[0] for r in con.execute("SELECT uuid FROM subsidy_case")}
        events = {r[0] for r in con.execute("SELECT entity_key FROM audit_event WHERE entity = 'case'")}
        orphans = con.execute(
            "SELECT count(*) FROM subsidy_case c LEFT JOIN person p ON p.id = c.person_id WHERE p.id IS NULL"
        ).fetchone()[0]
    finally:
        con.close()
    db = Database(path=copy)
    try:
        with reading(db) as s:
            chain = check_chain(s)
    finally:
        db.close()
    return len(cases), cases == events and orphans == 0 and chain.broken is None


def test_backups_taken_while_cases_are_saved_are_consistent(db, data_dir: Path, tmp_path: Path) -> None:
    set_office(db)
    add_cases(db, 5)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir)],
        env={"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    counts = []
    try:
        for _ in range(4):
            time.sleep(0.3)
            run = make_backup(data_dir, "manual")
            assert run.ok, run.problems
            counts.append(run.case_count)
            copy = tmp_path / f"copy{len(counts)}.db"  # checked on a copy: the set itself stays as written
            shutil.copyfile(run.written[0].database_file, copy)
            cases, whole = consistent(copy)
            assert whole and cases == run.case_count
            time.sleep(1.0)  # the next set gets its own name (one a second)
    finally:
        (data_dir / "stop").touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0
    assert [i.case_count for i in list_sets(primary_target(data_dir))] == counts[-1:]  # one a day is kept
    assert counts == sorted(counts) and counts[-1] > counts[0], "the writer was saving during the backups"
    con = sqlite3.connect(data_dir / DB_FILENAME)
    assert con.execute("SELECT count(*) FROM subsidy_case").fetchone()[0] >= counts[-1]
    con.close()
