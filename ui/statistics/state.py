"""What the 统计 screen shows: the period and the dimension, and the figures as table rows
(plain Python, no Qt)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.app.statistics import Statistics, StatLine
from core.cases.statistics import Dimension
from core.money import format_yuan


def this_year(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year, 1, 1), today


def last_year(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)


def this_month(today: dt.date) -> tuple[dt.date, dt.date]:
    return today.replace(day=1), today


PERIODS = {"本月": this_month, "本年": this_year, "上年": last_year}


@dataclass
class StatisticsState:
    applied_from: dt.date
    applied_to: dt.date
    dimension: Dimension = Dimension.MONTH
    stats: Statistics | None = field(default=None)

    def lines(self) -> list[StatLine]:
        """The dimension's lines, then the 合计."""
        if self.stats is None:
            return []
        return [*self.stats.tables[self.dimension].lines, self.stats.total]

    def headers(self) -> list[str]:
        if self.stats is None:
            return []
        return [self.stats.tables[self.dimension].key_title, "件数", *self.stats.measures]

    @staticmethod
    def cell(line: StatLine, column: int) -> str:
        if column == 0:
            return line.label
        if column == 1:
            return str(line.cases)
        return format_yuan(line.sums[column - 2])
