"""The case list and the county list in the window at a million cases: search, sort, jumps, memory.

    python bench/bench_lists.py [--cases 1000000] [--county 1000000] [--rounds 60]

Everything is timed as a clerk sees it, offscreen: the list's own path (CaseListView.apply_filters
or the county screen's refresh: count, first page, labels) and then a forced paint of the table
(`grab`, which asks the model for every visible cell). The old LIMIT/OFFSET page of the same
rows is timed beside it in the same run. Goals (issue 16): any search p95 ≤ 30 ms; a jump, End or
a sort ≤ 100 ms; memory bounded after any scrolling.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from common import OUT, generated_db, ms, percentile  # type: ignore[import-not-found]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.actor import Actor, Role, Station
from core.app import cases as case_ops
from core.app.storage import open_data
from ui.cases.model import CaseTableModel
from ui.cases.state import CaseListState
from ui.cases.view import CaseListView

KINDS: dict[str, Callable[[str, str, random.Random], str]] = {
    "单个姓氏字": lambda name, number, rng: name[:1],
    "姓＋名首字": lambda name, number, rng: name[:2],
    "姓名（完整）": lambda name, number, rng: name,
    "身份证后四位": lambda name, number, rng: number[-4:],
    "完整身份证号": lambda name, number, rng: number,
    "受理编号": lambda name, number, rng: (
        f"{rng.choice((2022, 2023, 2024, 2025))}-{rng.randrange(1, 10**6):06d}"
    ),
}
# The old list's page, LIMIT/OFFSET over the join, to time beside the keyset page.
OLD_PAGE = (
    "SELECT c.id, coalesce(p.name, o.name) FROM subsidy_case AS c LEFT JOIN person AS p ON c.person_id = p.id "
    "LEFT JOIN organisation AS o ON c.organisation_id = o.id ORDER BY coalesce(p.name, o.name), c.id LIMIT 200 OFFSET ?"
)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(action: Callable[[], object], paint: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    paint()
    return time.perf_counter() - start


def report(label: str, values: list[float]) -> None:
    print(
        f"  {label:<22} p50 {ms(percentile(values, 50)):>9}  p95 {ms(percentile(values, 95)):>9}  max {ms(max(values)):>9}"
    )


def search_terms(db_path: Path, rng: random.Random, rounds: int) -> dict[str, list[str]]:
    conn = sqlite3.connect(db_path)
    persons = conn.execute("SELECT name, id_number FROM person ORDER BY random() LIMIT 5000").fetchall()
    conn.close()
    return {k: [make(*rng.choice(persons), rng) for _ in range(rounds)] for k, make in KINDS.items()}


def town(cases: int, rounds: int) -> None:
    data = generated_db(cases)
    db = open_data(data)
    rng = random.Random(16)
    state = CaseListState()
    model = CaseTableModel(
        state,
        lambda s: case_ops.case_rows(db, filter=s.filter, sort=s.sort, descending=s.descending),
        lambda _c, sid: sid,
    )
    view = CaseListView(model, lambda: case_ops.review_queue_count(db))
    view.resize(1024, 700)
    view.show()
    QApplication.processEvents()
    table = view.table

    def paint() -> None:
        table.viewport().grab()

    print(f"案件列表（{cases} 件，窗口内：查询、总数、首屏绘制）")
    report("首次显示（无条件）", [timed(view.apply_filters, paint) for _ in range(5)])
    terms = search_terms(db.path, rng, rounds)
    everything: list[float] = []
    for kind, values in terms.items():
        timings = []
        for term in values:
            view.search.setText(term)
            timings.append(timed(view.apply_filters, paint))
        everything += timings
        report(f"搜索：{kind}", timings)
    report("搜索：全部", everything)
    view.search.setText("")
    view.apply_filters()

    sorts = []
    for column in range(model.columnCount()):
        if model.columns[column].sort_key is None:
            continue
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            sorts.append(timed(lambda c=column, o=order: table.sortByColumn(c, o), paint))
    report("点列头排序（各列各向）", sorts)

    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # 申请人: the sort the old list paged worst
    bar = table.verticalScrollBar()
    jumps = [timed(lambda: bar.setValue(rng.randrange(bar.maximum() + 1)), paint) for _ in range(rounds)]
    report("拖动滚动条到任意处", jumps)
    report("End（到末行）", [timed(table.scrollToBottom, paint) for _ in range(5)])
    report("Home（到首行）", [timed(table.scrollToTop, paint) for _ in range(5)])
    bar.setValue(bar.maximum() // 2)
    steps = [timed(lambda: bar.setValue(bar.value() + bar.pageStep()), paint) for _ in range(rounds * 5)]
    report("向下翻页（PgDn）", steps)
    for _ in range(2000):  # a long session of scrolling about
        bar.setValue(rng.randrange(bar.maximum() + 1))
        paint()
    print(f"  滚动 2000 次后：内存中 {model.paged.loaded_rows} 行；进程内存 {rss_mb():.0f} MB")

    conn = sqlite3.connect(db.path)
    deep = int(cases * 0.75)
    before = [timed(lambda: conn.execute(OLD_PAGE, [deep]).fetchall(), lambda: None) for _ in range(3)]
    conn.close()
    bar.setValue(0)
    after = [timed(lambda: bar.setValue(int(bar.maximum() * 0.75)), paint) for _ in range(1)]
    after += [
        timed(lambda: (bar.setValue(0), paint(), bar.setValue(int(bar.maximum() * 0.75))), paint)
        for _ in range(2)
    ]
    print(
        f"  申请人排序第 {deep} 行处的一页：旧查询（LIMIT/OFFSET）{ms(min(before))}；"
        f"现在（键集，含绘制）{ms(min(after))}"
    )
    view.close()
    db.close()


def county(cases: int, rounds: int) -> None:
    from bench.generate_county import generate_county
    from ui.county.view import CountyWindow
    from ui.dialog_service import ScriptedDialogs

    data = OUT / f"county-{cases}"
    if not (data / "subsidydesk.db").exists():
        print(f"生成 {cases} 件县局导入案件……", flush=True)
        generate_county(data, cases)
    db = open_data(data)
    actor = Actor("县局审核员", Role.HEAD, Station.COUNTY)
    start = time.perf_counter()
    screen = CountyWindow(db, ScriptedDialogs(), lambda: actor, lambda _c, s: s)
    screen.resize(1200, 640)
    screen.show()
    screen.table.viewport().grab()
    opened = time.perf_counter() - start
    rng = random.Random(17)

    def paint() -> None:
        screen.table.viewport().grab()

    print(f"县局列表（{cases} 件导入案件）")
    print(f"  打开县局屏幕（待审核队列，含绘制）：{ms(opened)}")
    filters = []
    for _ in range(rounds // 3 or 1):
        for box in (screen.office, screen.status):
            filters.append(timed(lambda b=box: b.setCurrentIndex(rng.randrange(b.count())), paint))
    report("站所 / 状态筛选", filters)
    dups = []
    for _ in range(3):
        dups.append(timed(lambda: screen.duplicates.setChecked(True), paint))
        dups.append(timed(lambda: screen.duplicates.setChecked(False), paint))
    report("只看重复申报 开 / 关", dups)
    screen.office.setCurrentIndex(0)
    screen.status.setCurrentIndex(0)
    bar = screen.table.verticalScrollBar()
    report(
        "拖动滚动条到任意处",
        [timed(lambda: bar.setValue(rng.randrange(bar.maximum() + 1)), paint) for _ in range(rounds)],
    )
    report("End（到末行）", [timed(screen.table.scrollToBottom, paint) for _ in range(5)])
    for _ in range(2000):
        bar.setValue(rng.randrange(bar.maximum() + 1))
        paint()
    print(f"  滚动 2000 次后：内存中 {screen.model.paged.loaded_rows} 行；进程内存 {rss_mb():.0f} MB")
    screen.close()
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--county", type=int, default=1_000_000, help="0: skip the county list")
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    app = QApplication([])
    if args.cases:
        town(args.cases, args.rounds)
    if args.county:
        county(args.county, args.rounds)
    del app


if __name__ == "__main__":
    main()
