"""统计 over 200,000 cases (goal < 1 s): the whole use case, all five dimensions, as the screen asks.

python bench/bench_statistics.py [--cases 200000] [--rounds 10]

Each round is one `core.app.statistics.statistics` call (the town's queries on the covering index
ix_case_statistics, then the labels); the first call of a period is listed apart, since it may
read the index from disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from common import generated_db, ms, percentile  # type: ignore[import-not-found]

from core.actor import Actor
from core.app.statistics import statistics
from core.db import open_database

PERIODS = {
    "全部案件": (dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    "一年（2024）": (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    "一个月（2024-03）": (dt.date(2024, 3, 1), dt.date(2024, 3, 31)),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    db = open_database(generated_db(args.cases))
    actor = Actor("测试")
    print(f"案件数 {args.cases}；每个期间 {args.rounds} 次；计时为整个统计用例（五个分组及名称）")
    for label, (start, end) in PERIODS.items():
        timings = []
        for _ in range(args.rounds + 1):
            t = time.perf_counter()
            stats = statistics(db, actor, applied_from=start, applied_to=end)
            timings.append(time.perf_counter() - t)
        first, rest = timings[0], timings[1:]
        print(
            f"  {label}：{stats.total.cases} 件；首次 {ms(first)}，"
            f"p50 {ms(percentile(rest, 50))}，p95 {ms(percentile(rest, 95))}"
        )
    db.close()


if __name__ == "__main__":
    main()
