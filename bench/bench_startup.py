"""Start-up to the first shown window: SubsidyDesk with 200,000 cases against a bare PySide6 window.

Each run is a fresh process (interpreter start included), offscreen; the median of N runs.
Goal: the case list shown with data within 2x the bare window's time.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    data = generated_db(args.cases)
    run(["bare"])  # warm the file cache once
    run(["app", str(data)])
    bare = statistics.median(run(["bare"]) for _ in range(args.runs))
    app = statistics.median(run(["app", str(data)]) for _ in range(args.runs))
    print(
        f"空白 PySide6 窗口：{bare * 1000:.0f} ms；SubsidyDesk 案件列表（{args.cases} 件）：{app * 1000:.0f} ms；"
        f"比值 {app / bare:.2f}（目标 ≤ 2.0）"
    )


if __name__ == "__main__":
    main()
