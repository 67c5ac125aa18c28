"""Case save latency with its audit event, on a database that already holds 200,000 cases.

Each save is its own transaction with synchronous=FULL, as in the program.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from common import generated_db, ms, percentile  # type: ignore[import-not-found]

from core.cases.service import CaseDraft, create_case, update_case
from core.db import open_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--saves", type=int, default=300)
    args = parser.parse_args()
    db = open_database(generated_db(args.cases))
    creates, updates = [], []
    for i in range(args.saves):
        start = time.perf_counter()
        with db.session() as s, s.begin():
            case = create_case(
                s,
                CaseDraft(
                    1,
                    "qianyang-2021",
                    "1.0.0",
                    "job_seeking_once",
                    dt.date(2026, 11, 1),
                    person_id=1 + i,
                    amount_fen=50000,
                    facts={"employment_date": "2026-10-01", "contract_months": 12},
                ),
                "bench",
            )
            case_id = case.id
        creates.append(time.perf_counter() - start)
        start = time.perf_counter()
        with db.session() as s, s.begin():
            update_case(s, case_id, {"note": f"补充说明 {i}"}, "bench")
        updates.append(time.perf_counter() - start)
    print(
        f"新建案件并写审计 {args.saves} 次：p50 {ms(percentile(creates, 50))}，p95 {ms(percentile(creates, 95))}"
    )
    print(
        f"修改案件并写审计 {args.saves} 次：p50 {ms(percentile(updates, 50))}，p95 {ms(percentile(updates, 95))}"
    )
    db.close()


if __name__ == "__main__":
    main()
