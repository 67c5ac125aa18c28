"""统计: cases and amounts by month, subsidy, village (town at the county), state and population
group for a period, at the town and at the county; the table to xlsx; the 拨付汇总表.

The figures come from core/cases/statistics.py (the town's cases) and
core/packages/county_statistics.py (the county's imported cases); here they are named in the
clerk's words. Only the station's own data is counted: a town its cases, the county what it
imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.actor import Actor, Station
from core.app.exports import ListExport, export_sheets
from core.cases.query import CaseFilter
from core.cases.statistics import NO_GROUP, ORGANISATION, Count, Dimension, ProgressFn
from core.db import Database, ReadConnection
from core.errors import ValidationError
from core.spreadsheet import CellKind, Sheet, SheetColumn

TOWN_MEASURES = ("金额（元）",)
COUNTY_MEASURES = ("申报金额（元）", "核定金额（元）", "拨付金额（元）")
TITLES = {
    Dimension.MONTH: ("按月份", "申请月份"),
    Dimension.SUBSIDY: ("按补贴项目", "补贴项目"),
    Dimension.STATUS: ("按状态", "状态"),
    Dimension.GROUP: ("按人员类别", "人员类别"),
}
PLACE_TITLES = {Station.TOWN: ("按村", "户籍村"), Station.COUNTY: ("按乡镇", "乡镇（事务所）")}
GROUP_NOTE = "一人属于多个人员类别时，在每个类别中各计一次，故“按人员类别”各行之和可能大于合计。"
Labels = dict[Dimension, Callable[[str], str]]


@dataclass(frozen=True)
class StatLine:
    key: str
    label: str
    cases: int
    sums: tuple[int, ...]  # fen, one per measure


@dataclass(frozen=True)
class StatTable:
    dimension: Dimension
    title: str  # 按月份
    key_title: str  # 申请月份
    lines: tuple[StatLine, ...]


@dataclass(frozen=True)
class Statistics:
    station: Station
    applied_from: dt.date
    applied_to: dt.date
    measures: tuple[str, ...]
    tables: dict[Dimension, StatTable]
    total: StatLine

    @property
    def period_text(self) -> str:
        return f"{_zh(self.applied_from)}至{_zh(self.applied_to)}（按申请日期）"


def statistics(
    db: Database,
    actor: Actor,
    *,
    applied_from: dt.date,
    applied_to: dt.date,
    progress: ProgressFn | None = None,
) -> Statistics:
    """The station's statistics for the period, both ends included."""
    _check_period(applied_from, applied_to)
    if actor.station is Station.COUNTY:
        return _county(db, applied_from, applied_to, progress)
    return _town(db, applied_from, applied_to, progress)


def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError(
            "STATS_PERIOD_REVERSED", "统计期间", "统计期间的结束日期早于开始日期，请调换或重新选择。"
        )


def _town(db: Database, start: dt.date, end: dt.date, progress: ProgressFn | None) -> Statistics:
    from core.cases.states import status_label
    from core.cases.statistics import total_of, town_counts
    from core.categories import category_label

    names = subsidy_names_by_id()
    flt = CaseFilter(applied_from=start, applied_to=end)
    with db.reader() as conn:
        counts = town_counts(conn, flt, progress)
    labels: Labels = {
        Dimension.MONTH: _month,
        Dimension.SUBSIDY: lambda k: names.get(k, k),
        Dimension.PLACE: lambda k: "单位申请" if k == ORGANISATION else (k or "（未填村）"),
        Dimension.STATUS: status_label,
        Dimension.GROUP: lambda k: _group(k, category_label),
    }
    total = total_of(counts[Dimension.STATUS])
    return _named(Station.TOWN, start, end, TOWN_MEASURES, counts, labels, total)


def _county(db: Database, start: dt.date, end: dt.date, progress: ProgressFn | None) -> Statistics:
    from core.cases.statistics import total_of
    from core.categories import category_label
    from core.packages.county_statistics import CountyStatsFilter, county_counts
    from core.packages.decisions import DECISION_LABELS

    names = subsidy_names_by_id()
    with db.reader() as conn:
        counts = county_counts(conn, CountyStatsFilter(applied_from=start, applied_to=end), progress)
        offices = office_names(conn)
    labels: Labels = {
        Dimension.MONTH: _month,
        Dimension.SUBSIDY: lambda k: names.get(k, k),
        Dimension.PLACE: lambda k: offices.get(k) or f"上报代码 {k}",
        Dimension.STATUS: lambda k: DECISION_LABELS.get(k, k),
        Dimension.GROUP: lambda k: _group(k, category_label),
    }
    total = total_of(counts[Dimension.STATUS])
    return _named(Station.COUNTY, start, end, COUNTY_MEASURES, counts, labels, total)


def _named(
    station: Station,
    start: dt.date,
    end: dt.date,
    measures: tuple[str, ...],
    counts: dict[Dimension, list[Count]],
    labels: Labels,
    total: Count,
) -> Statistics:
    tables = {}
    for dim, lines in counts.items():
        title, key_title = PLACE_TITLES[station] if dim is Dimension.PLACE else TITLES[dim]
        named = tuple(StatLine(c.key, labels[dim](c.key), c.cases, c.sums) for c in lines)
        tables[dim] = StatTable(dim, title, key_title, named)
    return Statistics(station, start, end, measures, tables, StatLine("", "合计", total.cases, total.sums))


def _month(key: str) -> str:
    year, _, month = key.partition("-")
    return f"{year}年{int(month)}月" if month.isdigit() else key


def _group(key: str, label: Callable[[str], str]) -> str:
    if key == NO_GROUP:
        return "未登记人员类别"
    if key == ORGANISATION:
        return "单位申请"
    return label(key)


def _zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def subsidy_names_by_id() -> dict[str, str]:
    from core.packages.roster import subsidy_names

    return {sid: name for (_cid, sid), name in sorted(subsidy_names().items())}


def office_names(conn: ReadConnection) -> dict[str, str]:
    rows = conn.execute("SELECT office_code, office_name FROM county_office_key ORDER BY id")
    return {str(code): str(name) for code, name in rows if name}


# ---------------------------------------------------------------- to Excel


def statistics_sheets(stats: Statistics) -> list[Sheet]:
    """One sheet per dimension: its lines, then the 合计 (the groups' sheet says why it may differ)."""
    sheets = []
    for table in stats.tables.values():
        columns = [
            SheetColumn(table.key_title, width=30),
            SheetColumn("件数", CellKind.INT, 10),
            *(SheetColumn(m, CellKind.MONEY, 16) for m in stats.measures),
        ]
        rows = [[line.label, line.cases, *line.sums] for line in table.lines]
        footer: list[list[object]] = [["合计", stats.total.cases, *stats.total.sums]]
        if table.dimension is Dimension.GROUP:
            footer.append([GROUP_NOTE, None, *([None] * len(stats.measures))])
        title = f"统计{table.title}　{stats.period_text}"
        sheets.append(Sheet(table.title, columns, rows, title=title, footer=footer))
    return sheets


def export_statistics(db: Database, actor: Actor, *, stats: Statistics, target: Path) -> ListExport:
    rows = sum(len(t.lines) for t in stats.tables.values())
    return export_sheets(
        db, actor, what="statistics", sheets=statistics_sheets(stats), target=target, rows=rows
    )
