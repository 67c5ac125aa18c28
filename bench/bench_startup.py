"""Start-up to the first painted window: SubsidyDesk's case list against a bare QMainWindow.

    python bench/bench_startup.py [--cases N] [--runs R] [--cold]

Each run is a fresh process (interpreter start included), offscreen; the median of R runs,
both sides in the same run, alternating. With --cold the database file (and its WAL) is
evicted from the page cache before each run of the program, as on the first start of the day
(posix_fadvise DONTNEED; the program's own files stay cached, as they would after a reboot
only once). Goal: the case list painted with data within 2x the bare window's time.

The program's modules are compiled to bytecode first, as the installed program ships them
(PyInstaller bundles .pyc): the project's environment sets PYTHONDONTWRITEBYTECODE, which
made every start compile core/ and ui/ from source (about 150 ms the bare side never paid).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import generated_db  # type: ignore[import-not-found]

PROBE = Path(__file__).with_name("startup_probe.py")


def run(args: list[str]) -> float:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(PROBE), *args], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.wait()
    assert line.strip() == "shown", f"probe failed: {line!r}"
    return elapsed


def evict(data: Path) -> None:
    """Drop the database's pages from the page cache (clean pages go without root)."""
    for name in ("subsidydesk.db", "subsidydesk.db-wal"):
        path = data / name
        if not path.exists():
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cold", action="store_true", help="evict the database from the page cache first")
    args = parser.parse_args()
    data = generated_db(args.cases)
    root = PROBE.parents[1]
    for package in ("core", "ui"):
        compileall.compile_dir(root / package, quiet=1)
    run(["bare"])  # warm the program files once
    run(["app", str(data)])
    bare_runs, app_runs = [], []
    for _ in range(args.runs):
        bare_runs.append(run(["bare"]))
        if args.cold:
            evict(data)
        app_runs.append(run(["app", str(data)]))
    bare, app = statistics.median(bare_runs), statistics.median(app_runs)
    cache = "数据库不在页缓存中" if args.cold else "数据库在页缓存中"
    print(
        f"空白 QMainWindow（显示并绘制）：{bare * 1000:.0f} ms；SubsidyDesk 案件列表（{args.cases} 件，{cache}）："
        f"{app * 1000:.0f} ms；比值 {app / bare:.2f}（目标 ≤ 2.0）；"
        f"各次比值 {', '.join(f'{a / b:.2f}' for a, b in zip(app_runs, bare_runs, strict=True))}"
    )


if __name__ == "__main__":
    main()
