"""Kill -9 at random moments of a backup and of a restore, many times (tests/crash/test_backup_kill.py
runs the same checks a few times in `make test`).

    python bench/crash_backups.py [N] [backup|restore ...]     N runs per write path (default 1000)

A run fails when the next start does not open, a listed backup set does not verify, the next
backup does not succeed, or (restore) the folder holds neither the state before the restore
nor the restored one, whole.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.backups.layout import list_sets, primary_target
from core.backups.run import make_backup
from core.db import open_database
from tests.backups.office import add_cases, add_scan, set_office
from tests.crash.harness import delays, run_and_kill, timed
from tests.crash.test_backup_kill import BACKUP, RESTORE, cases, every_listed_set_verifies, next_start_opens


def template(folder: Path) -> tuple[Path, str]:
    """An office with 4 cases and 24 scans, one backup of that, then 3 more cases."""
    db = open_database(folder)
    set_office(db)
    add_cases(db, 4)
    db.close()
    for _ in range(24):
        add_scan(folder, 256 * 1024)
    make_backup(folder, "manual")
    name = list_sets(primary_target(folder))[0].path.name
    db = open_database(folder)
    add_cases(db, 3, start=50)
    db.close()
    return folder, name


def check(folder: Path, restoring: bool) -> bool:
    try:
        next_start_opens(folder)
        if cases(folder) not in ((7, 4) if restoring else (7,)):
            return False
        every_listed_set_verifies(folder)
        return make_backup(folder, "manual").ok
    except Exception as exc:
        print(f"  {type(exc).__name__}: {exc}", flush=True)
        return False


def run_path(name: str, runs: int, root: Path) -> str:
    base, set_name = template(root / "template")
    code = RESTORE if name == "restore" else BACKUP

    def args(folder: Path) -> list[str]:
        shutil.copytree(base, folder)
        return [str(folder), str(primary_target(folder) / set_name)] if name == "restore" else [str(folder)]

    duration = timed(code, args(root / "measure"))
    killed = failed = 0
    start = time.perf_counter()
    for i, delay in enumerate(delays(random.Random(name), duration, runs)):
        folder = root / f"run{i}"
        killed += run_and_kill(code, args(folder), delay).killed
        failed += not check(folder, name == "restore")
        shutil.rmtree(folder, ignore_errors=True)
    elapsed = time.perf_counter() - start
    return f"{name}: {runs} runs ({killed} killed mid-write, write {duration * 1000:.0f} ms) in {elapsed:.0f} s: {failed} failed"


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        for name in sys.argv[2:] or ["backup", "restore"]:
            print(run_path(name, runs, Path(tmp) / name), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
