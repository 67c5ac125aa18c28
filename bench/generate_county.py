"""Fill a county database with N imported cases from seven offices, for the county list's benchmarks.

    python bench/generate_county.py 1000000 --data-dir /tmp/sd-county

Each case carries a case document like the ones a batch brings (case, applicant, assessment with
its trace, checklist, history; about 1 KB of JSON), in packages of 500 cases per office; a
status mix of a county's year (待审核, 已核准, 不予核准, 已拨付) and a duplicate flag now and then.
Rows go in with plain sqlite3 executemany after the program has made the schema.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import GIVEN, SUBSIDIES, SURNAME_WEIGHTS, SURNAMES, make_id_number
from core.db import open_database

OFFICES = [f"61032810{n}" for n in range(1, 8)]
STATUSES = ["received"] * 8 + ["approved"] * 6 + ["rejected"] + ["paid"] * 5
PACKAGE_SIZE = 500


def _document(
    rng: random.Random,
    case_uuid: str,
    number: str,
    name: str,
    id_number: str,
    subsidy: str,
    amount: int,
    applied: dt.date,
) -> str:
    return json.dumps(
        {
            "case": {
                "uuid": case_uuid, "case_number": number, "catalog_id": "qianyang-2021", "catalog_version": "1.0.0",
                "subsidy_id": subsidy, "status": "exported", "application_date": applied.isoformat(),
                "amount_fen": amount, "submitted_by": "self", "created_by": "clerk",
            },
            "applicant": {"kind": "person", "name": name, "id_number": id_number, "sex": "男", "categories": ["monitored"]},
            "facts": {"employed_months": rng.randrange(1, 12)},
            "assessment": {
                "decision": "eligible", "amount_fen": amount,
                "trace": [{"rule": "categories", "passed": True, "clause": "第三条第一款"}] * 3,
            },
            "checklist": [{"material_id": "id_card", "received": True, "original_seen": True, "copies_kept": 1}],
            "attachments": [],
            "beneficiaries": [],
            "history": [{"at": applied.isoformat(), "actor": "clerk", "action": "create"}],
        },
        ensure_ascii=False,
    )  # fmt: skip


def generate_county(data_dir: Path, count: int, seed: int = 16) -> Path:
    rng = random.Random(seed)
    open_database(data_dir).close()  # the schema, made by the program's migrations
    conn = sqlite3.connect(data_dir / "subsidydesk.db")
    packages: dict[int, str] = {}
    cases, flags = [], []
    per_office = [0] * len(OFFICES)
    for i in range(count):
        office = i % len(OFFICES)
        per_office[office] += 1
        serial = per_office[office]
        package_id = office * 100_000 + serial // PACKAGE_SIZE + 1
        packages[package_id] = OFFICES[office]
        subsidy, amount = rng.choice(SUBSIDIES)
        applied = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))
        name = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + "".join(
            rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
        )
        number = f"{applied.year}-{serial:06d}"
        id_number = make_id_number(rng)
        case_uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        status = rng.choice(STATUSES)
        decided = status != "received"
        cases.append(
            (
                case_uuid, OFFICES[office], package_id, number, subsidy, name, id_number, applied.year, amount, status,
                "" if status != "rejected" else "材料不全", amount if status in ("approved", "paid") else None,
                amount if status == "paid" else None, "2025-06-30" if status == "paid" else None,
                "2025-06-01 10:00:00" if decided else None, "县局审核员" if decided else "",
                _document(rng, case_uuid, number, name, id_number, subsidy, amount, applied),
                "person", "qianyang-2021", amount,
            )
        )  # fmt: skip
        if i % 400 == 399:
            flags.append((case_uuid, cases[-2][0], id_number, subsidy, applied.year))
    rows = [
        (n, office, n, f"{n:064d}", f"batch-{office}-{n}.zip", "0" * 64, "2025-05-01 09:00:00", PACKAGE_SIZE)
        for n, office in packages.items()
    ]
    with conn:
        conn.executemany(
            "INSERT INTO imported_package (id, office_code, batch_number, manifest_sha256, file_name, key_fingerprint, "
            "created_at, case_count, report, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]', "
            "'2025-05-02 09:00:00', '县局审核员')",
            rows,
        )
        conn.executemany(
            "INSERT INTO imported_case (uuid, office_code, package_id, case_number, subsidy_id, applicant_name, "
            "id_number, year, amount_fen, status, decision_reason, approved_fen, paid_fen, paid_on, decided_at, "
            "decided_by, document, applicant_kind, catalog_id, assessed_fen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            cases,
        )
        conn.executemany(
            "INSERT INTO duplicate_flag (case_uuid, other_uuid, id_number, subsidy_id, year, flagged_at, status, "
            "resolution, resolved_by) VALUES (?, ?, ?, ?, ?, '2025-05-01 09:00:00', 'open', '', '')",
            flags,
        )
        conn.execute("ANALYZE")
    conn.close()
    return data_dir


def main() -> None:
    parser = argparse.ArgumentParser(description="生成县局测试数据")
    parser.add_argument("count", type=int)
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()
    target = Path(args.data_dir)
    if (target / "subsidydesk.db").exists():
        sys.exit(f"{target} 已有数据库；请换一个空目录，生成器不会覆盖已有数据。")
    generate_county(target, args.count)
    print(f"已生成 {args.count} 件县局导入案件：{target / 'subsidydesk.db'}")


if __name__ == "__main__":
    main()
