"""Kill -9 at random moments of each write path, many times, and count what the next start finds.

    python bench/crash_runs.py [N] [PATH...]     N runs per write path (default 1000)

Write paths: `upgrade` (the automatic migration of a 0.1.0 database at start-up) and `create`
(a new database being made). After each kill the database is opened as the program does at
start-up; a run "fails" when that open is refused or the data of the upgraded file are not all
there. The kill moments are spread over the write (tests/crash/harness.py).
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.db import open_database
from core.db.engine import DB_FILENAME
from core.errors import DatabaseUnavailable
from tests.crash.harness import delays, run_and_kill, timed
from tests.crash.test_migration_kill import FIXTURE, MIGRATE, rows


def _old_copy(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copyfile(FIXTURE, folder / DB_FILENAME)
    return folder


def _opens(folder: Path, expected: tuple[int, int, int] | None) -> bool:
    try:
        open_database(folder).close()
    except DatabaseUnavailable:
        return False
    return expected is None or rows(folder) == expected


PATHS: dict[str, tuple[Callable[[Path], Path], bool]] = {
    "upgrade": (_old_copy, True),
    "create": (lambda folder: folder, False),
}


def run_path(name: str, runs: int, root: Path) -> str:
    make, keeps_rows = PATHS[name]
    expected = rows(_old_copy(root / "expected")) if keeps_rows else None
    duration = timed(MIGRATE, [str(make(root / "measure"))])
    killed = failed = 0
    start = time.perf_counter()
    for i, delay in enumerate(delays(random.Random(name), duration, runs)):
        folder = make(root / f"{name}{i}")
        killed += run_and_kill(MIGRATE, [str(folder)], delay).killed
        failed += not _opens(folder, expected)
        shutil.rmtree(folder, ignore_errors=True)
    elapsed = time.perf_counter() - start
    return f"{name}: {runs} runs ({killed} killed mid-write, write {duration * 1000:.0f} ms) in {elapsed:.0f} s: {failed} failed"


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    names = sys.argv[2:] or list(PATHS)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            print(run_path(name, runs, Path(tmp) / name), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
