"""Run every benchmark in turn and print its figures (what `make bench` runs).

    python bench/run_all.py            all but the 1 GB package export
    python bench/run_all.py --all      also bench_packages.py (writes 1 GB under bench/out/)

The figures are written down by hand in bench/README.md, with the machine they came from.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK = [
    "bench_engine.py", "bench_search.py", "bench_save.py", "bench_startup.py", "bench_printing.py",
    "bench_statistics.py", "bench_xlsx.py",
]  # fmt: skip
HEAVY = ["bench_packages.py"]


def main() -> int:
    scripts = QUICK + (HEAVY if "--all" in sys.argv[1:] else [])
    failed = []
    for name in scripts:
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / name)], cwd=HERE, check=False).returncode != 0:
            failed.append(name)
    if failed:
        print("失败：" + "、".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
