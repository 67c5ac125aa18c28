"""Kill -9 at random moments of each write path, many times, and count what the next start finds.

    python bench/crash_runs.py [N] [PATH...]     N runs per write path (default 1000)

Write paths: `upgrade` (the automatic migration of a 0.1.0 database at start-up) and `create`
(a new database being made): after each kill the database is opened as the program does at
start-up; a run "fails" when that open is refused or the data of the upgraded file are not all
there. `export` (a batch of 3 cases with 1 MB of scans written to a stick): a run fails on any
of the checks of tests/crash/export_runs.py (a package that verifies on the stick while its
cases are not marked exported, a half-recorded export, a broken audit chain, a batch number
given to different content, a next export that fails); the line also counts what the next
start said (exports completed, exports undone). `install` (a catalog update installed by the
office head over 12 drafts): all or nothing after the next start (tests/crash/install_runs.py).
`county-import` and `results-import` (a batch of 4 cases at the county, the county's results at
the town): all or nothing, and the import can be repeated (tests/crash/exchange_runs.py). The kill moments are spread over the write
(tests/crash/harness.py); a progress line every 100 runs.
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


def run_export(runs: int, root: Path) -> str:
    from tests.crash.export_runs import EXPORT, check, fresh_copy, make_template

    template = make_template(root / "template", cases=3, scan_bytes=1_000_000)
    duration = timed(EXPORT, [str(p) for p in fresh_copy(template, root / "measure")])
    killed = failed = completed = undone = 0
    start = time.perf_counter()
    for i, delay in enumerate(delays(random.Random("export"), duration, runs)):
        data_dir, usb = fresh_copy(template, root / f"export{i}")
        killed += run_and_kill(EXPORT, [str(data_dir), str(usb)], delay).killed
        said: list[str] = []
        problems = check(data_dir, usb, said)
        failed += bool(problems)
        completed += sum("记为已上报" in s for s in said)
        undone += sum("已撤销" in s for s in said)
        if problems:
            print(f"  run {i} ({delay:.2f} s): {problems}", flush=True)
        shutil.rmtree(root / f"export{i}", ignore_errors=True)
        if (i + 1) % 100 == 0:
            print(f"  export: {i + 1} runs, {failed} failed so far", flush=True)
    elapsed = time.perf_counter() - start
    return (
        f"export: {runs} runs ({killed} killed mid-write, write {duration * 1000:.0f} ms) in {elapsed:.0f} s: "
        f"{failed} failed; the next start completed {completed} exports and undid {undone}"
    )


def run_install(runs: int, root: Path) -> str:
    from tests.crash.install_runs import INSTALL, check, fresh_copy, make_template

    template, package, manifest = make_template(root / "template")
    duration = timed(INSTALL, [str(fresh_copy(template, root / "measure")), str(package), manifest])
    killed = failed = 0
    start = time.perf_counter()
    for i, delay in enumerate(delays(random.Random("install"), duration, runs)):
        data_dir = fresh_copy(template, root / f"install{i}")
        killed += run_and_kill(INSTALL, [str(data_dir), str(package), manifest], delay).killed
        problems = check(data_dir)
        failed += bool(problems)
        if problems:
            print(f"  run {i} ({delay:.2f} s): {problems}", flush=True)
        shutil.rmtree(data_dir, ignore_errors=True)
        if (i + 1) % 100 == 0:
            print(f"  install: {i + 1} runs, {failed} failed so far", flush=True)
    elapsed = time.perf_counter() - start
    return f"install: {runs} runs ({killed} killed mid-write, write {duration * 1000:.0f} ms) in {elapsed:.0f} s: {failed} failed"


def run_import(side: str, runs: int, root: Path) -> str:
    from tests.crash.exchange_runs import COUNTY_IMPORT, RESULTS_IMPORT, check, fresh_copy, make_templates

    template, package = make_templates(root / "templates")[side]
    code = COUNTY_IMPORT if side == "county" else RESULTS_IMPORT
    duration = timed(code, [str(fresh_copy(template, root / "measure")), str(package)])
    killed = failed = 0
    start = time.perf_counter()
    for i, delay in enumerate(delays(random.Random(side), duration, runs)):
        data_dir = fresh_copy(template, root / f"{side}{i}")
        killed += run_and_kill(code, [str(data_dir), str(package)], delay).killed
        problems = check(side, data_dir, package)
        failed += bool(problems)
        if problems:
            print(f"  run {i} ({delay:.2f} s): {problems}", flush=True)
        shutil.rmtree(data_dir, ignore_errors=True)
        if (i + 1) % 100 == 0:
            print(f"  {side}-import: {i + 1} runs, {failed} failed so far", flush=True)
    elapsed = time.perf_counter() - start
    return f"{side}-import: {runs} runs ({killed} killed mid-write, write {duration * 1000:.0f} ms) in {elapsed:.0f} s: {failed} failed"


EXTRA = {
    "export": run_export,
    "install": run_install,
    "county-import": lambda runs, root: run_import("county", runs, root),
    "results-import": lambda runs, root: run_import("results", runs, root),
}


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    names = sys.argv[2:] or [*PATHS, *EXTRA]
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            if name in EXTRA:
                print(EXTRA[name](runs, Path(tmp) / name), flush=True)
            else:
                print(run_path(name, runs, Path(tmp) / name), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
