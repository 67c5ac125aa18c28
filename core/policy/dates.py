"""Date arithmetic of the Civil Code (arts. 201-203) as the catalog format decides it.

- Art. 201: a period counted in months starts on the day after the event (the event day is
  not counted).
- Art. 202: a period of N months ends on the day of the N-th following month with the same
  number as the event day, or on that month's last day where there is no such day.
- Art. 203: a period whose last day is a statutory holiday runs to the next working day; the
  office's holiday list and make-up working days (调休上班日) are honoured, and so are weekends.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection

ONE_DAY = dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same-numbered day `months` later (or earlier), or that month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def period_end(event: dt.date, months: int) -> dt.date:
    """Last day of a period of `months` months from `event` (arts. 201-202).

    2021-08-31 + 6 months ends on 2022-02-28; 2022-01-10 + 6 months ends on 2022-07-10.
    """
    return add_months(event, months)


def is_working_day(
    day: dt.date, holidays: Collection[dt.date] = (), workdays: Collection[dt.date] = ()
) -> bool:
    """Mon-Fri unless an office holiday; a weekend day listed as a make-up workday works."""
    if day in workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def next_working_day(
    day: dt.date, holidays: Collection[dt.date] = (), workdays: Collection[dt.date] = ()
) -> dt.date:
    """`day` itself if it is a working day, else the first working day after it (art. 203)."""
    while not is_working_day(day, holidays, workdays):
        day += ONE_DAY
    return day


def age_on(birth: dt.date, on: dt.date) -> int:
    """Age in full years (周岁) on `on`.

    The N-th birthday is reached on the same-numbered day N years later, or on the last day of
    the month where there is none (a 29 February birthday counts on 28 February), as art. 202
    does for periods.
    """
    years = on.year - birth.year
    if add_months(birth, 12 * years) > on:
        years -= 1
    return years


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end`: the largest N whose period has ended by `end`.

    Negative when `end` is before `start` (then the whole months from `end` to `start`, negated).
    """
    if end < start:
        return -months_between(end, start)
    n = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, n) > end:
        n -= 1
    return n
