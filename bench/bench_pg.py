"""PostgreSQL beside SQLite: the same generated cases on both, the same measurements side by side.

    python bench/bench_pg.py [--cases 1000000] [--rounds 100] [--deciders 4] [--seconds 20]

A throwaway server is started for the run (tests/pgserver.py: initdb into a temporary folder,
pg_ctl on a free port on 127.0.0.1) and removed at the end. Measured on each backend:
- case search, as the list does it (count plus the first 200 rows), per kind of search term;
- the case list's first page on a database just opened (what start-up waits for);
- the statistics a county reads: cases and amounts per status, per subsidy and year;
- four deciders at once (processes on loopback, bounded by time): town reviews per second,
  each process on its own cases; then all four on the same cases, each from what its screen
  showed: every case decided exactly once, the others told (no lost update).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import shutil
import tempfile
import time
from pathlib import Path

from common import OUT, generated_db, ms, percentile  # type: ignore[import-not-found]

from bench.bench_search import EVERYDAY, search_terms, timed_search
from bench.generate import generate
from core.db import open_database
from core.db.location import SETTING_FILE

STATS = (
    "SELECT status, count(*), sum(amount_fen) FROM subsidy_case GROUP BY status",
    "SELECT subsidy_id, substr(case_number, 1, 4), count(*), sum(amount_fen) FROM subsidy_case "
    "WHERE case_number IS NOT NULL GROUP BY subsidy_id, substr(case_number, 1, 4)",
)


def pg_folder(server, count: int) -> Path:
    folder = OUT / f"pg-{count}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / SETTING_FILE).write_text(json.dumps({"url": server.new_database(migrated=False)}), "utf-8")
    started = time.perf_counter()
    generate(folder, count)
    vacuum(folder)
    print(f"PostgreSQL：生成 {count} 件案件用时 {time.perf_counter() - started:.0f} 秒", flush=True)
    return folder


def vacuum(folder: Path) -> None:
    """What autovacuum does soon after a bulk load: the visibility map (index-only counts) and
    fresh statistics."""
    import psycopg

    from core.db.location import setting_url
    from core.db.pg import libpq_url

    url = setting_url(folder)
    assert url is not None
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def measure_lists(folder: Path, rounds: int) -> dict[str, str]:
    out: dict[str, str] = {}
    db = open_database(folder)
    terms = search_terms(db, random.Random(7), rounds)
    everyday: list[float] = []
    for kind, values in terms.items():
        timed_search(db, values[0])  # the first query of a kind warms the pool and the plan
        timings = [timed_search(db, t) for t in values]
        if kind in EVERYDAY:
            everyday += timings
        out[kind] = f"p50 {ms(percentile(timings, 50))} / p95 {ms(percentile(timings, 95))}"
    out["日常搜索合计"] = f"p50 {ms(percentile(everyday, 50))} / p95 {ms(percentile(everyday, 95))}"
    page = [timed_search(db, "") for _ in range(20)]
    out["列表首页（已打开）"] = f"p50 {ms(percentile(page, 50))} / p95 {ms(percentile(page, 95))}"
    for i, sql in enumerate(STATS, 1):
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            with db.reader() as conn:
                conn.execute(sql).fetchall()
            timings.append(time.perf_counter() - start)
        out[f"统计查询 {i}"] = f"p50 {ms(percentile(timings, 50))}"
    db.close()
    opened = []
    for _ in range(10):
        start = time.perf_counter()
        fresh = open_database(folder)
        timed_search(fresh, "")
        opened.append(time.perf_counter() - start)
        fresh.close()
    out["打开数据库＋首页"] = f"p50 {ms(percentile(opened, 50))}"
    return out


def _decider(
    folder: str, name: str, ids: list[int], seen: dict[int, int], seconds: float, go: str, q
) -> None:
    import datetime as dt

    from core.actor import Actor, Role, Station
    from core.app.review import review_case
    from core.errors import SubsidyDeskError

    db = open_database(Path(folder))
    actor = Actor(name, Role.HEAD, Station.TOWN)
    while not Path(go).exists():
        time.sleep(0.005)
    done = refused = 0
    end = time.perf_counter() + seconds
    for case_id in ids:
        if time.perf_counter() > end:
            break
        try:
            review_case(db, actor, case_id=case_id, passed=True, note="", today=dt.date(2026, 12, 2),
                        seen_version=seen.get(case_id))  # fmt: skip
            done += 1
        except SubsidyDeskError:
            refused += 1
    db.close()
    q.put((name, done, refused))


def deciders(folder: Path, count: int, seconds: float, same: bool) -> tuple[float, int, int, int]:
    """Reviews per second of `count` processes; on `same`, all on the same cases."""
    from sqlalchemy import select

    from core.db.models import Case

    db = open_database(folder)
    with db.session() as s:
        rows = s.execute(
            select(Case.id, Case.version).where(Case.status == "accepted").order_by(Case.id)
        ).all()
    db.close()
    ids = [r[0] for r in rows][: 4000 if not same else 400]
    seen = {r[0]: r[1] for r in rows}
    go = Path(tempfile.mkdtemp()) / "go"
    q: mp.Queue = mp.Queue()
    parts = [ids if same else ids[i::count] for i in range(count)]
    procs = [
        mp.Process(target=_decider, args=(str(folder), f"所长{i}", parts[i], seen, seconds, str(go), q))
        for i in range(count)
    ]
    for p in procs:
        p.start()
    time.sleep(3)
    start = time.perf_counter()
    go.touch()
    results = [q.get(timeout=seconds + 120) for _ in procs]
    elapsed = time.perf_counter() - start
    for p in procs:
        p.join()
    done = sum(r[1] for r in results)
    refused = sum(r[2] for r in results)
    db = open_database(folder)
    with db.session() as s:
        reviewed = s.scalar(
            select(__import__("sqlalchemy").func.count())
            .select_from(Case)
            .where(Case.reviewed_by.like("所长%"))
        )
        from core import audit

        assert audit.check_chain(s).ok, "the audit chain must hold"
    db.close()
    return done / elapsed, done, refused, int(reviewed or 0)


def main() -> None:
    from tests.pgserver import start_server

    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--deciders", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--decide-cases", type=int, default=20_000)
    args = parser.parse_args()
    server = start_server()
    if isinstance(server, str):
        raise SystemExit(server)
    try:
        sqlite_folder, pg = generated_db(args.cases), pg_folder(server, args.cases)
        table = {
            "SQLite": measure_lists(sqlite_folder, args.rounds),
            "PostgreSQL": measure_lists(pg, args.rounds),
        }
        print(f"\n{args.cases} 件案件，每类 {args.rounds} 次")
        print("| 测量 | SQLite | PostgreSQL |\n|---|---|---|")
        for key in table["SQLite"]:
            print(f"| {key} | {table['SQLite'][key]} | {table['PostgreSQL'][key]} |")
        for label, folder in (("SQLite", None), ("PostgreSQL", server)):
            target = OUT / f"decide-{label}"
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            if folder is not None:
                (target / SETTING_FILE).write_text(
                    json.dumps({"url": server.new_database(migrated=False)}), "utf-8"
                )
            generate(target, args.decide_cases)
            if folder is not None:
                vacuum(target)
            rate, done, refused, reviewed = deciders(target, args.deciders, args.seconds, same=False)
            print(
                f"{label}：{args.deciders} 个进程各审各的案件，{rate:.0f} 件/秒（{done} 件，拒绝 {refused}）"
            )
            rate, done, refused, reviewed2 = deciders(target, args.deciders, args.seconds, same=True)
            print(
                f"{label}：{args.deciders} 个进程同时审同一批案件：成功 {done} 件，告知已被他人修改 {refused} 次，"
                f"库中由所长审过的案件 {reviewed2}（= 前一轮 {reviewed} + 本轮成功 {done}：无覆盖）"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
