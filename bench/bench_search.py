"""Case list search latency on 200,000 cases: count plus the first page, as the list does it.

python bench/bench_search.py [--cases 200000] [--rounds 300]
"""

from __future__ import annotations

import argparse
import random
import time

from common import generated_db, ms, percentile  # type: ignore[import-not-found]

from core.cases.query import CaseFilter, count_cases, fetch_cases
from core.db import open_database
from core.db.models import Person

KINDS = {
    "姓名（完整）": lambda name, number, rng: name,
    "姓＋名首字": lambda name, number, rng: name[:2],
    "身份证后四位": lambda name, number, rng: number[-4:],
    "完整身份证号": lambda name, number, rng: number,
    "受理编号": lambda name, number, rng: (
        f"{rng.choice((2022, 2023, 2024, 2025))}-{rng.randrange(1, 200000):06d}"
    ),
    "单个姓氏字": lambda name, number, rng: name[:1],
}
# What clerks type at the counter; a lone surname character is measured apart (see README).
EVERYDAY = [k for k in KINDS if k != "单个姓氏字"]


def search_terms(db, rng: random.Random, rounds: int) -> dict[str, list[str]]:
    with db.session() as s:
        persons = s.query(Person.name, Person.id_number).limit(20000).all()
    terms: dict[str, list[str]] = {k: [] for k in KINDS}
    for kind, make in KINDS.items():
        for _ in range(rounds):
            name, number = rng.choice(persons)
            terms[kind].append(make(name, number, rng))
    return terms


def timed_search(db, term: str) -> float:
    start = time.perf_counter()
    with db.reader() as s:
        flt = CaseFilter(text=term)
        count_cases(s, flt)
        fetch_cases(s, flt, limit=200)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    db = open_database(generated_db(args.cases))
    terms = search_terms(db, random.Random(7), args.rounds)
    everyday: list[float] = []
    print(f"案件数 {args.cases}；每类 {args.rounds} 次；计时含总数统计和首页 200 行")
    for kind, values in terms.items():
        timings = [timed_search(db, t) for t in values]
        if kind in EVERYDAY:
            everyday.extend(timings)
        print(f"  {kind:<8} p50 {ms(percentile(timings, 50))}  p95 {ms(percentile(timings, 95))}")
    print(f"日常搜索合计：p50 {ms(percentile(everyday, 50))}，p95 {ms(percentile(everyday, 95))}")
    unfiltered = [timed_search(db, "") for _ in range(20)]
    print(f"无条件列表首页：p50 {ms(percentile(unfiltered, 50))}，p95 {ms(percentile(unfiltered, 95))}")
    db.close()


if __name__ == "__main__":
    main()
