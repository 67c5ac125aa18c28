"""统计 at the town: every figure equals what the case list shows for the same filter (summed both ways)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.actor import Actor
from core.app.statistics import GROUP_NOTE, Statistics, export_statistics, statistics
from core.cases.query import CaseFilter, SortKey, count_cases, fetch_cases
from core.cases.statistics import NO_GROUP, ORGANISATION, Dimension
from core.db import Database
from core.errors import Cancelled, ValidationError
from tests.printing.conftest import Printing
from tests.spreadsheets.readback import assert_money, column, header_row, sheet

CLERK = Actor("张会计")
START, END = dt.date(2023, 4, 1), dt.date(2024, 9, 30)


def listed(db: Database, flt: CaseFilter) -> tuple[int, int]:
    """What the case list shows for the filter: its count, and the sum of its rows' amounts."""
    with db.reader() as conn:
        rows = fetch_cases(conn, flt, SortKey.APPLICATION_DATE, True, 0, 100_000)
        assert len(rows) == count_cases(conn, flt)
    return len(rows), sum(r.amount_fen or 0 for r in rows)


def month_range(key: str) -> tuple[dt.date, dt.date]:
    year, month = (int(x) for x in key.split("-"))
    first = dt.date(year, month, 1)
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    return max(first, START), min(after - dt.timedelta(days=1), END)


def line_filter(dim: Dimension, key: str) -> CaseFilter | None:
    period = CaseFilter(applied_from=START, applied_to=END)
    if dim is Dimension.MONTH:
        first, last = month_range(key)
        return CaseFilter(applied_from=first, applied_to=last)
    if key in (ORGANISATION, NO_GROUP):
        return None  # the list has no filter for these; they are checked through the totals
    field = {Dimension.SUBSIDY: "subsidy_id", Dimension.PLACE: "village", Dimension.GROUP: "category"}
    if dim is Dimension.STATUS:
        return CaseFilter(statuses=(key,), applied_from=START, applied_to=END)
    return CaseFilter(**{field[dim]: key}, applied_from=START, applied_to=END) if key else period


@pytest.fixture
def stats(varied: Printing) -> Statistics:
    return statistics(varied.db, CLERK, applied_from=START, applied_to=END)


def test_every_line_matches_the_case_list(varied: Printing, stats: Statistics) -> None:
    total = listed(varied.db, CaseFilter(applied_from=START, applied_to=END))
    assert (stats.total.cases, stats.total.sums[0]) == total and 50 < total[0] < 151
    checked = 0
    for dim, table in stats.tables.items():
        assert table.lines, dim
        for line in table.lines:
            flt = line_filter(dim, line.key)
            if flt is not None and line.key:
                assert (line.cases, line.sums[0]) == listed(varied.db, flt), (dim, line.label)
                checked += 1
        if dim is not Dimension.GROUP:  # the other dimensions part the cases: their lines add up
            assert sum(x.cases for x in table.lines) == total[0], dim
            assert sum(x.sums[0] for x in table.lines) == total[1], dim
    assert checked > 30


def test_groups_count_a_person_in_each_of_them(varied: Printing, stats: Statistics) -> None:
    groups = stats.tables[Dimension.GROUP].lines
    labels = [g.label for g in groups]
    assert "未登记人员类别" in labels and labels[-1] == "单位申请" and "脱贫人口" in labels
    assert sum(g.cases for g in groups) > stats.total.cases  # some persons are in two groups
    place = {line.label: line for line in stats.tables[Dimension.PLACE].lines}
    assert place["单位申请"].cases == 1 and place["单位申请"].sums == (0,)


def test_labels_are_the_clerks_words(stats: Statistics) -> None:
    months = [line.label for line in stats.tables[Dimension.MONTH].lines]
    assert months[0] == "2023年4月" and months[-1] == "2024年9月" and len(months) == 18
    assert {line.label for line in stats.tables[Dimension.SUBSIDY].lines} >= {
        "跨省就业一次性交通补助",
        "一次性求职补贴",
    }
    assert all(not line.label.isascii() for t in stats.tables.values() for line in t.lines)
    assert stats.period_text == "2023年4月1日至2024年9月30日（按申请日期）"


def test_the_table_goes_to_xlsx_with_typed_cells(varied: Printing, stats: Statistics, tmp_path: Path) -> None:
    target = tmp_path / "统计.xlsx"
    export_statistics(varied.db, CLERK, stats=stats, target=target)
    for table in stats.tables.values():
        ws = sheet(target.read_bytes(), table.title)
        top = header_row(ws, [table.key_title, "件数", "金额（元）"])
        money = column(ws, "金额（元）", top)
        lines = len(table.lines)
        assert [assert_money(c) for c in money[:lines]] == [line.sums[0] for line in table.lines]
        assert assert_money(money[lines]) == stats.total.sums[0]
        counts = column(ws, "件数", top)
        assert all(c.data_type == "n" for c in counts[: lines + 1])
        if table.dimension is Dimension.GROUP:
            assert ws.cell(row=ws.max_row, column=1).value == GROUP_NOTE


def test_a_reversed_period_is_refused_in_chinese(varied: Printing) -> None:
    with pytest.raises(ValidationError) as err:
        statistics(varied.db, CLERK, applied_from=END, applied_to=START)
    assert err.value.code == "STATS_PERIOD_REVERSED" and "结束日期" in err.value.message_zh


def test_statistics_can_be_cancelled(varied: Printing) -> None:
    def cancel(_stage: str, done: int, _total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        statistics(varied.db, CLERK, applied_from=START, applied_to=END, progress=cancel)
