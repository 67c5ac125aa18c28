"""Backup and restore of a big office: 200,000 cases and 1 GB of scans.

    python bench/bench_backups.py [--cases 200000] [--scan-mb 1024] [--encrypted]

Measures the first backup (every scan copied), an incremental one after a day's work (10 new
cases, 20 new scans: only those copied), and a restore of the newest set (checked whole,
safety backup of the current state, swap). Each includes its verification (integrity_check,
opened by the program, case count, new scans re-hashed). Scans are incompressible random
bytes of 256 KiB, about a scanned A4 page as JPEG.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, generated_db

SCAN_BYTES = 256 * 1024


def add_scans(data_dir: Path, count: int) -> None:
    for _ in range(count):
        data = os.urandom(SCAN_BYTES)
        sha = hashlib.sha256(data).hexdigest()
        path = data_dir / "attachments" / sha[:2] / sha
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def add_cases(data_dir: Path, count: int) -> None:
    import sqlite3

    con = sqlite3.connect(data_dir / "subsidydesk.db")
    with con:
        row = con.execute("SELECT * FROM subsidy_case ORDER BY id DESC LIMIT 1").fetchone()
        names = [d[1] for d in con.execute("PRAGMA table_info(subsidy_case)")]
        for n in range(count):
            values = dict(zip(names, row, strict=True))
            values.update(id=values["id"] + 1 + n, uuid=f"bench-{time.time_ns()}-{n}", case_number=None)
            marks = ",".join("?" * len(values))
            con.execute(
                f"INSERT INTO subsidy_case ({','.join(values)}) VALUES ({marks})", list(values.values())
            )
    con.close()


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.1f} s", flush=True)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--scan-mb", type=int, default=1024)
    parser.add_argument("--encrypted", action="store_true")
    args = parser.parse_args()
    from core.app import backups
    from core.backups.config import update_config
    from core.backups.crypt import derive
    from core.backups.run import make_backup

    source = generated_db(args.cases)
    data = OUT / f"backups-{args.cases}-{args.scan_mb}{'-enc' if args.encrypted else ''}"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    shutil.copyfile(source / "subsidydesk.db", data / "subsidydesk.db")
    count = args.scan_mb * 1024 * 1024 // SCAN_BYTES
    timed(f"写入 {count} 个扫描件（{args.scan_mb} MB）", lambda: add_scans(data, count))
    if args.encrypted:
        update_config(data, key=derive("bench-password-2026"))
    db_mb = (data / "subsidydesk.db").stat().st_size / 1048576
    print(f"数据库 {db_mb:.0f} MB，{args.cases} 件案件", flush=True)
    first, t1 = timed("第一次备份", lambda: make_backup(data, "manual"))
    assert first.ok, first.problems
    add_cases(data, 10)
    add_scans(data, 20)
    time.sleep(1.1)  # a new set name
    second, t2 = timed("增量备份（10件新案件，20个新扫描件）", lambda: make_backup(data, "manual"))
    assert second.ok, second.problems
    from core.actor import Actor, Role
    from core.db import open_database

    db = open_database(data)
    report, t3 = timed(
        "恢复最新备份",
        lambda: backups.restore_backup(data, Actor("测试", Role.HEAD), db=db, set_dir=second.written[0].path),
    )
    print(
        f"| {args.cases:,} 件 + {args.scan_mb} MB{'（加密）' if args.encrypted else ''} | {db_mb:.0f} MB "
        f"| {t1:.1f} s | {t2:.1f} s | {t3:.1f} s | {report.case_count:,} |"
    )


if __name__ == "__main__":
    main()
