"""xlsx export of 10,000 rows: the case list as shown, and the persons, with typed cells.

python bench/bench_xlsx.py [--cases 10000] [--rounds 5]

Each round is the whole use case (core/app/exports.py): read the rows, stream them into the
workbook, write the file atomically, record the export. The file is read back once with openpyxl.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from common import generated_db, ms, percentile  # type: ignore[import-not-found]

from core.actor import Actor
from core.app.exports import export_case_list, export_persons
from core.cases.query import CaseFilter, SortKey
from core.db import open_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    db = open_database(generated_db(args.cases))
    actor = Actor("测试")
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "案件.xlsx"
        runs = {
            "案件列表": lambda: export_case_list(
                db, actor, filter=CaseFilter(), sort=SortKey.APPLICATION_DATE, descending=True, target=target
            ),
            "人员名单": lambda: export_persons(db, actor, text="", target=target),
        }
        for label, run in runs.items():
            timings, rows = [], 0
            for _ in range(args.rounds):
                t = time.perf_counter()
                rows = run().rows
                timings.append(time.perf_counter() - t)
            size = target.stat().st_size
            print(
                f"  {label}：{rows} 行，{size / 1e6:.1f} MB；p50 {ms(percentile(timings, 50))}，"
                f"最慢 {ms(max(timings))}"
            )
        from openpyxl import load_workbook

        t = time.perf_counter()
        load_workbook(target, read_only=True).close()
        print(f"  读回（openpyxl 只读）：{ms(time.perf_counter() - t)}")
    db.close()


if __name__ == "__main__":
    main()
