"""统计 over 200,000 cases (goal < 1 s): the whole use case, all five dimensions, as the screen asks.

python bench/bench_statistics.py [--cases 200000] [--rounds 10] [--county]

With --county, the generated town cases are copied once into a county database as imported
cases (bench/out/county-N), each with a case document of about 3 KB like a real one (applicant,
case, facts, assessment, padding for the checklist and history), and the county's statistics
are measured on it: its month and groups are read from the documents' JSON.

Each round is one `core.app.statistics.statistics` call (the town's queries on the covering index
ix_case_statistics, then the labels); the first call of a period is listed apart, since it may
read the index from disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import time
from pathlib import Path

from common import generated_db, ms, percentile  # type: ignore[import-not-found]

from core.actor import Actor, Station
from core.app.statistics import statistics
from core.db import open_database

PERIODS = {
    "全部案件": (dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    "一年（2024）": (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    "一个月（2024-03）": (dt.date(2024, 3, 1), dt.date(2024, 3, 31)),
}


_DOCUMENT = (
    "json_object('applicant', json_object('kind', 'person', 'name', p.name, 'id_number', p.id_number, "
    "'registered_village', p.registered_village, 'categories', (SELECT json_group_array(pc.category) "
    "FROM person_category AS pc WHERE pc.person_id = p.id)), 'case', json_object('uuid', c.uuid, "
    "'catalog_id', c.catalog_id, 'subsidy_id', c.subsidy_id, 'application_date', c.application_date), "
    "'facts', json(c.facts), 'assessment', json_object('amount_fen', c.amount_fen), 'history', ?)"
)


def county_db(count: int) -> Path:
    """A county database whose imported cases are the town's generated ones (made once)."""
    from common import OUT  # type: ignore[import-not-found]

    town = generated_db(count) / "subsidydesk.db"
    target = OUT / f"county-{count}"
    if (target / "subsidydesk.db").exists():
        return target
    open_database(target).close()  # the schema, migrated
    print(f"复制 {count} 件案件到县局测试库……", flush=True)
    conn = sqlite3.connect(target / "subsidydesk.db")
    conn.execute("ATTACH DATABASE ? AS town", [str(town)])
    conn.execute(
        "INSERT INTO imported_package (id, office_code, batch_number, manifest_sha256, file_name, "
        "key_fingerprint, created_at, imported_at, imported_by, case_count, report) "
        "VALUES (1, '0', 1, 'x', 'x', 'x', '2024-01-01', '2024-01-01', 'bench', 0, '[]')"
    )
    padding = "填" * 900  # about 2.7 KB of UTF-8: the checklist and history of a real document
    conn.execute(
        "INSERT INTO imported_case (uuid, office_code, package_id, case_number, subsidy_id, applicant_name, "
        "id_number, year, amount_fen, status, decision_reason, approved_fen, paid_fen, paid_on, decided_by, "
        "document, application_date, categories) SELECT c.uuid, '61032810' || (p.id % 7), 1, coalesce(c.case_number, ''), c.subsidy_id, "
        "p.name, p.id_number, CAST(substr(c.application_date, 1, 4) AS INTEGER), coalesce(c.amount_fen, 0), "
        "CASE c.id % 4 WHEN 0 THEN 'received' WHEN 1 THEN 'approved' WHEN 2 THEN 'paid' ELSE 'rejected' END, '', "
        "CASE WHEN c.id % 4 IN (1, 2) THEN c.amount_fen END, CASE WHEN c.id % 4 = 2 THEN c.amount_fen END, "
        f"CASE WHEN c.id % 4 = 2 THEN c.application_date END, '', {_DOCUMENT}, c.application_date, "
        "(SELECT json_group_array(pc.category) FROM town.person_category AS pc WHERE pc.person_id = p.id) "
        "FROM town.subsidy_case AS c JOIN town.person AS p ON p.id = c.person_id",
        [padding],
    )
    conn.commit()
    conn.close()
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--county", action="store_true")
    args = parser.parse_args()
    if args.county:
        db = open_database(county_db(args.cases))
        actor = Actor("测试", station=Station.COUNTY)
    else:
        db = open_database(generated_db(args.cases))
        actor = Actor("测试")
    where = "县局" if args.county else "乡镇"
    print(f"{where}：案件数 {args.cases}；每个期间 {args.rounds} 次；计时为整个统计用例（五个分组及名称）")
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
