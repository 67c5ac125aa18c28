"""The county's import of a 1,000-case batch, on SQLite and on PostgreSQL side by side.

    python bench/bench_pg_import.py [--cases 1000] [--kb 50] [--rounds 3]

One town (a SQLite folder) exports a signed batch of `--cases` cases with one `--kb` scan each;
a county imports it, verifying every hash and the signature, into a fresh database each round:
a file, then a database on a throwaway PostgreSQL server (tests/pgserver.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_packages import build, export  # noqa: E402

OUT = ROOT / "bench" / "out" / "pg-import"


def county(folder: Path, town: Path, url: str | None) -> object:
    from core.db import open_database
    from core.db.location import SETTING_FILE
    from core.operator import save_station
    from core.packages.keys import KeyStore, public_pem
    from core.packages.registry import register_office_key

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if url:
        (folder / SETTING_FILE).write_text(json.dumps({"url": url}), "utf-8")
    save_station(folder, "county")
    db = open_database(folder)
    with db.session() as s, s.begin():
        key = public_pem(KeyStore(town).office_key().public_key())
        register_office_key(s, "533422101", key, "bench", "升平镇劳动保障事务所")
    return db


def timed_import(db: object, package: Path) -> float:
    from core.actor import Actor, Role, Station
    from core.app import county as ops

    start = time.perf_counter()
    report = ops.import_package(db, Actor("王审核", Role.CLERK, Station.COUNTY), path=package)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    assert len(report.cases) > 0
    return elapsed


def main() -> None:
    from tests.pgserver import start_server

    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--kb", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    town, usb = OUT / "town", OUT / "usb"
    build(town, args.cases, args.kb * 1024)
    export(town, usb)
    package = next(usb.glob("*.zip"), None) or next(p for p in usb.iterdir() if p.is_file())
    server = start_server()
    if isinstance(server, str):
        raise SystemExit(server)
    try:
        for label in ("SQLite", "PostgreSQL"):
            times = []
            for i in range(args.rounds):
                url = server.new_database(migrated=False) if label == "PostgreSQL" else None
                db = county(OUT / f"county-{label}-{i}", town, url)
                times.append(timed_import(db, package))
                db.close()  # type: ignore[attr-defined]
            print(
                f"{label}：导入 {args.cases} 件的批次（每件 {args.kb} KB 扫描件）中位 {statistics.median(times):.2f} 秒"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
