"""The deadline printed on the 一次性告知书.

The date the clerk set on the case (`materials_due_on`) wins. Otherwise the notice states the
last day of the subsidy's application window, computed as the engine does (Civil Code
arts. 201-203, moved to the next working day); where no date can be computed yet (no event
date entered, or a rule by month), the window's own wording is printed instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Mapping

from core.policy import model as m
from core.policy.dates import next_working_day, period_end
from core.printing.sheets import Deadline, zh_date


def window_close(w: m.Window, facts: Mapping[str, m.FactValue]) -> dt.date | None:
    """The window's last day before holiday shifting, or None when it cannot be known yet."""
    if w.kind == "deadline":
        return w.date
    if w.kind == "application_months":
        return None
    event = facts.get(w.event or "")
    if not isinstance(event, dt.date):
        return None
    if w.kind == "by_year_end":
        month, day = w.month_day
        return dt.date(event.year, month, min(day, calendar.monthrange(event.year, month)[1]))
    return period_end(event, w.close_months)


def notice_deadline(
    due_on: dt.date | None,
    subsidy: m.Subsidy,
    facts: Mapping[str, m.FactValue],
    holidays: Collection[dt.date] = (),
    workdays: Collection[dt.date] = (),
) -> Deadline:
    if due_on is not None:
        return Deadline(due_on, f"请于{zh_date(due_on)}前将上述材料一次性补齐，交至本所。")
    dated = []
    for w in subsidy.windows:
        close = window_close(w, facts)
        if close is not None:
            dated.append((next_working_day(close, holidays, workdays), w))
    if dated:
        day, w = min(dated, key=lambda x: x[0])
        return Deadline(day, f"请在申请期限内补齐，最迟于{zh_date(day)}前交至本所。", w.label)
    if subsidy.windows:
        rules = "；".join(w.label for w in subsidy.windows)
        return Deadline(None, f"请在政策规定的申请期限内补齐：{rules}。")
    return Deadline(None, "请尽快将上述材料一次性补齐，交至本所，以免影响审核。")
